"""Privacy holds on every page (issue 9, items 5 and 8), for a victim who is a minor by the form's
flag only, by the age only, by the date of birth of her identity only (age unknown, flag "adult"),
and for an adult victim: every page that can show a recorded person, requested as every role.

- A minor's name and document number never appear, anywhere, for anyone but the investigators
  (regional, DIVINTRAP), and to them only after the logged reveal (issue 10, item 5).
- An adult's name and document number appear only to roles with a need to know
  (people.policies.can_view_identity) and to the filing station (the registering unit's station
  officer), and only after the logged reveal.
- The complainant's name, document and contact appear to the filing station on every page and PDF
  that shows the complaint (and on the complainant's copy), without a reveal; to the station
  officer of another unit that sees the complaint (`other_station`, in the directorate above),
  never; to roles with a need to know only after the reveal; in lists and exports to nobody.
- Searching by a victim's name or document number is no identity oracle for the other roles, and
  every such search writes one `person_search` audit event without the text.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from complaints.models import Complaint
from complaints.services import VictimData, complaint_file
from diligences import services as register
from diligences.models import DocumentKind
from diligences.pdf import DEFAULT_ADDRESSEES
from people import privacy
from people.policies import can_view_identity
from people.services import search_digest
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

SEEING = (
    "station_officer",
    "other_station",
    "regional_investigator",
    "national_investigator",
    "national_admin",
    "monitor",
    "auditor",
)
IDENTITY = ("regional_investigator", "national_investigator", "national_admin")
INVESTIGATORS = ("regional_investigator", "national_investigator")
NO_IDENTITY = ("station_officer", "monitor", "auditor")
MAY_REVEAL = (*IDENTITY, "station_officer")  # the station officer is the filing station of every case
# The complainant of tests.factories.complaints.bar_in_madre_de_dios: names, document, phone.
COMPLAINANT = ("Juana", "Mamani", "Huallpa", "41234567", "984 111 222")
REVEALED = {"revealed detail", "complaint PDF with identities"}

# (first names, last names, document) of each victim: words that appear nowhere else.
VICTIMS: dict[str, tuple[str, str, str]] = {
    "flag": ("Killari", "Huarcaya Tintaya", "70011223"),
    "age": ("Sumaq", "Ccorimanya Llacsa", "70022334"),
    "birth": ("Wayra", "Quillahuaman Soncco", "70033445"),
    "adult": ("Rosalía", "Pumacahua Ticona", "41112223"),
}
FACTS = datetime.date(2026, 11, 20)


def victim_data(kind: str) -> VictimData:
    first, last, document = VICTIMS[kind]
    age, minor = {"flag": (None, True), "age": (16, None), "birth": (None, False), "adult": (31, None)}[kind]
    return VictimData(
        first_names=first, last_names=last, sex="F", age=age, minor=minor, document_type="dni", document_number=document
    )


def words(kind: str) -> list[str]:
    first, last, document = VICTIMS[kind]
    return [first, *last.split(), document]


@pytest.fixture
def clients(personas: dict, units: dict) -> dict[str, Client]:
    """The personas' clients, plus `other_station`: a station officer of the Cusco directorate
    itself, whose scope (its subtree) holds the Cusco station's complaints, but who is not of the
    registering unit."""
    from tests.conftest import signed_in_client
    from tests.factories.administration import UserFactory

    other = UserFactory(username="other.station", unit=units["DIRTEPOL-CUSCO"], role="station_officer")
    made = {name: signed_in_client(user) for name, user in personas.items()}
    made["other_station"] = signed_in_client(other)
    return made


@pytest.fixture
def cases(personas: dict) -> dict[str, Complaint]:
    """One registered complaint per kind of victim. The third victim's identity learns a date of
    birth that makes her 16 on the date of the facts (the form said "adult", no age)."""
    made = {}
    for kind in VICTIMS:
        narrative = "Denuncia de prueba: captada en Cusco con una falsa oferta de trabajo."
        data = bar_in_madre_de_dios(victims=[victim_data(kind)], narrative=narrative, facts_date=FACTS)
        made[kind] = complaint_file(actor=personas["station_officer"], data=data)
    identity = made["birth"].victims.get().person.identity
    identity.date_of_birth = datetime.date(FACTS.year - 16, 3, 1)
    identity.save()
    return made


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(raw.split())


def body(response: Any, tmp_path: Path) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(content, tmp_path)
    return content.decode("utf-8-sig")


def pages(client: Client, complaint: Complaint, persona: str, tmp_path: Path) -> dict[str, Any]:
    """Every page that can show a recorded person, as `persona` sees them ({where: response})."""
    pk = complaint.pk
    got = {
        "detail": client.get(reverse("complaints:complaint_detail", args=[pk])),
        "print": client.get(reverse("complaints:complaint_print", args=[pk])),
        "history": client.get(reverse("complaints:complaint_history", args=[pk])),
        "complaint PDF": client.get(reverse("paperforms:complaint_pdf", args=[pk])),
        "register": client.get(reverse("diligences:diligence_list", args=[pk])),
        "list": client.get(reverse("complaints:complaint_list")),
    }
    # Pages some roles may not open (403): checked for those who may.
    for where, name in (("alerts", "complaints:alert_list"), ("export", "complaints:complaint_export")):
        response = client.get(reverse(name))
        if response.status_code == 200:
            got[where] = response
    audit = client.get(reverse("audit:event_list"))
    if audit.status_code == 200:
        got["audit"] = audit
    if persona in MAY_REVEAL:
        got["revealed detail"] = client.post(reverse("complaints:complaint_show_identity", args=[pk]))
        got["complaint PDF with identities"] = client.post(reverse("paperforms:complaint_pdf", args=[pk]))
    else:  # no reveal for the others
        assert client.post(reverse("complaints:complaint_show_identity", args=[pk])).status_code == 403
        assert client.post(reverse("paperforms:complaint_pdf", args=[pk])).status_code == 403
    copy = client.get(reverse("paperforms:complainant_copy_pdf", args=[pk]))
    if persona == "station_officer":
        got["complainant's copy"] = copy
    else:
        assert copy.status_code == 403, (persona, copy.status_code)
    form = client.get(reverse("diligences:diligence_document_create", args=[pk, DocumentKind.FORENSIC_EXAM]))
    if form.status_code == 200:
        got["document form"] = form
    return got


def generated_document(complaint: Complaint, actor: Any) -> Any:
    """A forensic exam request about the victim, asked "with names" (kept only for a role that
    may reveal them)."""
    fields: dict[str, Any] = {
        "addressee": DEFAULT_ADDRESSEES[DocumentKind.FORENSIC_EXAM],
        "city": "Cusco",
        "victim": "1",
        "examinations": ["physical", "age"],
        "notes": "",
    }
    return register.document_generate(
        actor=actor, complaint=complaint, kind=DocumentKind.FORENSIC_EXAM, fields=fields, show_adult_names=True
    )


# ---------------------------------------------------------------- the rule, three ways to be a minor


def test_the_rule_sees_the_three_ways_of_being_a_minor(cases: dict) -> None:
    minors = {kind: cases[kind].victims.select_related("person__identity").get() for kind in VICTIMS}
    assert [privacy.victim_minor(minors[kind]) for kind in VICTIMS] == [True, True, True, False]
    assert privacy.is_minor(None, False, born=datetime.date(2010, 3, 1), facts_date=FACTS) is True
    assert privacy.is_minor(20, None, born=datetime.date(2010, 3, 1), facts_date=FACTS) is True  # disagreement protects
    assert privacy.is_minor(None, None, born=datetime.date(2000, 3, 1), facts_date=FACTS) is False
    assert privacy.is_minor(None, True, born=datetime.date(2000, 3, 1), facts_date=FACTS) is True
    assert privacy.age_on(datetime.date(2008, 11, 21), FACTS) == 17  # the birthday is the day after
    assert privacy.age_on(datetime.date(2008, 11, 20), FACTS) == 18


# ---------------------------------------------------------------- every page, every role


@pytest.mark.parametrize("persona", SEEING)
@pytest.mark.parametrize("kind", ["flag", "age", "birth"])
def test_no_page_names_a_minor(clients: dict, cases: dict, persona: str, kind: str, tmp_path: Path) -> None:
    client = clients[persona]
    shown = {}
    for where, response in pages(client, cases[kind], persona, tmp_path).items():
        assert response.status_code == 200, (where, response.status_code)
        shown[where] = [word for word in words(kind) if word in body(response, tmp_path)]
    named = {where for where, present in shown.items() if present}
    if persona in INVESTIGATORS:  # the one exception: the investigators, after the logged reveal
        assert named == REVEALED, shown
        assert shown["revealed detail"] == words(kind)
        event = AuditEvent.objects.filter(event="identity_shown").first()
        assert event.details["shown"] == ["complainant", "adults", "others", "minors"]
    else:
        assert named == set(), f"{kind} minor as {persona}: {shown}"


@pytest.mark.parametrize("persona", SEEING)
def test_an_adult_is_named_only_to_a_role_with_a_need_to_know(
    clients: dict, personas: dict, cases: dict, persona: str, tmp_path: Path
) -> None:
    client = clients[persona]
    shown = {}
    for where, response in pages(client, cases["adult"], persona, tmp_path).items():
        assert response.status_code == 200, (where, response.status_code)
        shown[where] = [word for word in words("adult") if word in body(response, tmp_path)]
    named = {where for where, present in shown.items() if present}
    if persona in MAY_REVEAL:
        assert named == REVEALED, shown
        assert shown["revealed detail"] == words("adult")
    else:
        assert named == set(), shown


@pytest.mark.parametrize("persona", SEEING)
@pytest.mark.parametrize("kind", ["flag", "age", "birth", "adult"])
def test_generated_documents_show_names_only_to_roles_that_may_reveal_them(
    clients: dict, personas: dict, cases: dict, persona: str, kind: str, tmp_path: Path
) -> None:
    complaint = cases[kind]
    document = generated_document(complaint, personas["regional_investigator"])
    url = reverse("diligences:diligence_document_download", args=[complaint.pk, document.pk])
    response = clients[persona].get(url)
    reveal = kind == "adult" and persona in IDENTITY
    if persona not in IDENTITY:
        # Generated "with names": the stored PDF may carry an adult's name, so it is refused to a
        # role without the need to know, and the refusal is in the trail.
        assert response.status_code == 403
        assert AuditEvent.objects.filter(event="document_downloaded", outcome="denied").count() == 1
        return
        if persona == "station_officer":
            # Asked "with names" by a role without the need to know: initials only, even an adult's.
            own = generated_document(complaint, personas[persona])
            own_text = pdf_text(own.read_pdf(), tmp_path)
            first, last, document_number = VICTIMS[kind]
            assert first not in own_text and document_number not in own_text
            assert privacy.cited_name(complaint.victims.get().person, minor=True, revealed=False) in own_text
            own_url = reverse("diligences:diligence_document_download", args=[complaint.pk, own.pk])
            assert clients["monitor"].get(own_url).status_code == 200
        return
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content, tmp_path)
    first, last, document_number = VICTIMS[kind]
    assert (f"{first} {last}" in text) is reveal, text
    assert document_number not in text


@pytest.mark.parametrize("persona", ["detail", "print", "history"])
def test_pages_with_personal_data_are_not_stored(clients: dict, cases: dict, persona: str) -> None:
    name = {"detail": "complaints:complaint_detail", "print": "complaints:complaint_print"}.get(
        persona, "complaints:complaint_history"
    )
    response = clients["national_investigator"].get(reverse(name, args=[cases["adult"].pk]))
    assert response["Cache-Control"] == "no-store"


# ---------------------------------------------------------------- search is no identity oracle


def search(client: Client, text: str) -> str:
    response = client.post(reverse("complaints:complaint_list"), {"q": text}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    # The page differs only by the search token of its links (random) and the echoed text.
    page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page.replace(text, "").split("<main", 1)[-1])
    return re.sub(r"s=[\w-]+", "s=TOKEN", page)


@pytest.mark.parametrize("persona", NO_IDENTITY)
def test_search_by_name_or_document_is_no_oracle_without_the_need_to_know(
    clients: dict, cases: dict, persona: str
) -> None:
    client = clients[persona]
    first, last, document = VICTIMS["adult"]
    nobody = search(client, "Nadie Existente Jamás")
    assert search(client, f"{first} {last}") == nobody
    assert search(client, document) == nobody
    assert search(client, "Killari") == nobody
    page = client.get(reverse("complaints:complaint_list")).content.decode()
    assert "solo se busca el número de denuncia" in page or "only the complaint number is searched" in page
    # The complaint number is still searched.
    number = cases["adult"].number
    found = client.post(reverse("complaints:complaint_list"), {"q": number}, follow=True).content.decode()
    assert f"/denuncias/{cases['adult'].pk}/" in found


@pytest.mark.parametrize("persona", IDENTITY)
def test_search_by_name_works_for_a_role_with_the_need_to_know(clients: dict, cases: dict, persona: str) -> None:
    first, last, _document = VICTIMS["adult"]
    found = clients[persona].post(reverse("complaints:complaint_list"), {"q": f"{first} {last}"}, follow=True)
    page = found.content.decode()
    assert f"/denuncias/{cases['adult'].pk}/" in page
    assert f"/denuncias/{cases['flag'].pk}/" not in page


@pytest.mark.parametrize("persona", ["auditor", "national_investigator"])
def test_every_search_by_name_or_document_is_audited_without_the_text(
    clients: dict, personas: dict, cases: dict, persona: str
) -> None:
    client = clients[persona]
    first, last, _document = VICTIMS["adult"]
    client.post(reverse("complaints:complaint_list"), {"q": f"  {first.upper()}  {last} "}, follow=True)
    client.post(reverse("complaints:complaint_list"), {"status": "submitted"}, follow=True)  # no text: no event
    events = list(AuditEvent.objects.filter(event="person_search"))
    assert len(events) == 1
    event = events[0]
    user = personas[persona]
    assert (event.user_id, event.unit_code) == (user.pk, user.unit.code)
    assert event.request_id
    restricted = not can_view_identity(user)
    assert event.outcome == ("denied" if restricted else "success")
    assert event.details["fields"] == (["number"] if restricted else ["document", "name", "number"])
    # The keyed hash of the normalised text: checkable, not readable.
    assert event.details["term"] == search_digest(f"rosalia {last.lower()}")
    assert event.details["term"] != search_digest("otra persona")
    trail = str(event.details) + event.object_repr
    assert first not in trail and "Pumacahua" not in trail and "rosalia" not in trail.lower()


# ---------------------------------------------------------------- the complainant and the filing station


@pytest.mark.parametrize("persona", SEEING)
def test_the_filing_station_sees_its_complainant_and_no_other_unit_does(
    clients: dict, cases: dict, persona: str, tmp_path: Path
) -> None:
    shown = {}
    for where, response in pages(clients[persona], cases["adult"], persona, tmp_path).items():
        shown[where] = [word for word in COMPLAINANT if word in body(response, tmp_path)]
    complete = {where for where, present in shown.items() if present == list(COMPLAINANT)}
    partial = {where for where, present in shown.items() if present and present != list(COMPLAINANT)}
    if persona == "station_officer":
        # Every page and PDF of the complaint, without a reveal; never the list, the export, the trail.
        expected = {"detail", "print", "history", "complaint PDF", "complainant's copy", *REVEALED}
        assert complete == expected, shown
    elif persona in IDENTITY:
        assert complete == REVEALED, shown
    else:
        assert complete == set(), shown
    assert partial == set(), shown


def test_the_filing_station_reveals_adults_never_minors_and_it_is_logged(
    clients: dict, cases: dict, tmp_path: Path
) -> None:
    client = clients["station_officer"]
    adult = client.post(reverse("complaints:complaint_show_identity", args=[cases["adult"].pk])).content.decode()
    assert "Rosalía Pumacahua Ticona" in adult and "41112223" in adult
    minor = client.post(reverse("complaints:complaint_show_identity", args=[cases["age"].pk])).content.decode()
    assert all(word not in minor for word in words("age"))
    events = list(AuditEvent.objects.filter(event="identity_shown").order_by("id"))
    assert [event.object_id for event in events] == [str(cases["adult"].pk), str(cases["age"].pk)]
    assert all(event.details["shown"] == ["complainant", "adults"] for event in events)
    viewed = AuditEvent.objects.filter(event="complaint_viewed", object_id=str(cases["adult"].pk))
    client.get(reverse("complaints:complaint_detail", args=[cases["adult"].pk]))
    assert viewed.get().details == {"complainant_shown": True}


@pytest.mark.parametrize("kind", ["flag", "adult"])
def test_the_complainants_copy_carries_her_data_and_no_other_identity(
    clients: dict, cases: dict, kind: str, tmp_path: Path
) -> None:
    complaint = cases[kind]
    response = clients["station_officer"].get(reverse("paperforms:complainant_copy_pdf", args=[complaint.pk]))
    assert response.status_code == 200
    text = body(response, tmp_path)
    assert "COPIA PARA EL DENUNCIANTE" in text and complaint.number in text
    assert "Juana Mamani Huallpa" in text and "DNI 41234567" in text and "984 111 222" in text
    assert complaint.registering_unit.code in text
    assert [word for word in words(kind) if word in text] == []  # the victim: initials, or nothing if a minor
    if kind == "adult":
        assert "R.P.T." in text
    else:
        assert "Menor de edad (identidad protegida)" in text
    event = AuditEvent.objects.get(event="complaint_pdf")
    assert event.details["copy"] == "complainant" and event.object_id == str(complaint.pk)
    assert "Juana" not in str(event.details)


def test_the_complainants_copy_of_a_draft_is_refused(clients: dict, complaints: dict) -> None:
    url = reverse("paperforms:complainant_copy_pdf", args=[complaints["draft"].pk])
    assert clients["station_officer"].get(url).status_code == 403
    assert (
        clients["outsider"].get(reverse("paperforms:complainant_copy_pdf", args=[complaints["frozen"].pk])).status_code
        == 404
    )
