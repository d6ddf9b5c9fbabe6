"""The complaint form in the field (issue 10): nothing typed is lost when the session expires, a
review before the freeze, every error at once, origins that follow the role, the help page and
the drafts on the home page."""

from __future__ import annotations

import datetime
import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from complaints.catalogues import Origin
from complaints.models import Alert, Complaint, PendingEntry
from complaints.review import NARRATIVE_MIN_CHARACTERS, form_warnings, sentence_count
from complaints.services import (
    ComplaintError,
    StaleReviewError,
    VictimData,
    complaint_data_of,
    complaint_file,
    complaint_save_draft,
    complaint_submit,
    review_fingerprint,
)
from reta.middleware import SESSION_SEEN
from tests.complaints.test_form import CREATE, counts, post_data, register
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def _two_people_case() -> Any:
    case = bar_in_madre_de_dios()
    case.victims.append(VictimData(first_names="Rosa", last_names="Quispe Mamani", sex="F", age=15))
    case.suspects[0].description = "Camioneta blanca, placa X1Y-234."
    return case


def _opened_form(client: Client) -> dict[str, str]:
    """Open the form as the browser does: its token and signed key."""
    html = client.get(CREATE).content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', html).group(1)
    key = re.search(r'name="resume_key" value="([^"]+)"', html).group(1)
    return {"form_token": token, "resume_key": key}


def _expire(client: Client) -> None:
    session = client.session
    session[SESSION_SEEN] = time.time() - settings.SESSION_IDLE_SECONDS - 5
    session.save()


# ---------------------------------------------------------------- nothing typed is lost


def test_a_filled_form_sent_after_the_session_expired_comes_back_after_signing_in(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    opened = _opened_form(officer)
    _expire(officer)
    data = post_data(_two_people_case(), token=opened["form_token"], resume_key=opened["resume_key"])
    data.update({"victims-TOTAL_FORMS": "2", "victims-INITIAL_FORMS": "2"})
    response = officer.post(CREATE, data)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={CREATE}"
    assert counts() == (0, 0)  # nothing registered, nothing half-saved
    kept = PendingEntry.objects.get()
    assert kept.user == personas["station_officer"] and kept.form_token == opened["form_token"]
    assert "resume_key" not in kept.data and "csrfmiddlewaretoken" not in kept.data
    assert AuditEvent.objects.filter(event="complaint_entry_kept", user=personas["station_officer"]).exists()

    page = officer.get(response["Location"])
    assert "Lo que escribió se guardó" in page.content.decode()

    again = signed_in_client(personas["station_officer"])
    form_page = again.get(CREATE)
    entry = form_page.context["entry"]
    assert [form["first_names"].value() for form in entry.victims.forms] == ["Lucía", "Rosa"]
    assert entry.victims.forms[1]["age"].value() == "15"
    assert entry.suspects.forms[0]["alias"].value() == "La Tía"
    assert entry.suspects.forms[0]["description"].value() == "Camioneta blanca, placa X1Y-234."
    assert entry.form["narrative"].value().startswith("La menor fue captada")
    assert entry.form["conducts"].value() == ["recruitment", "transfer"]
    assert entry.form["place_district"].value() == "170101"
    assert entry.form["form_token"].value() == opened["form_token"]
    assert "todo lo que había escrito" in form_page.content.decode()
    assert not PendingEntry.objects.exists()  # handed back once
    assert again.get(CREATE).context["entry"].victims.forms[0]["first_names"].value() in (None, "")

    # ... and registers it with nothing lost.
    response = register(again, CREATE, post_data(_two_people_case(), token=opened["form_token"]))
    complaint = Complaint.objects.get()
    assert complaint.is_frozen and complaint.victims.count() == 2


def test_a_form_sent_when_the_session_row_is_gone_is_kept_by_its_signed_key(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    opened = _opened_form(officer)
    stranger = Client()  # no session at all (e.g. deleted on the server)
    data = post_data(bar_in_madre_de_dios(), token=opened["form_token"], resume_key=opened["resume_key"])
    response = stranger.post(CREATE, data)
    assert response["Location"] == f"{LOGIN}?next={CREATE}"
    assert PendingEntry.objects.get().user == personas["station_officer"]

    # Nobody else gets it: another user of the same unit signs in and sees a blank form.
    colleague = signed_in_client(personas["outsider"])
    assert colleague.get(CREATE).context["entry"].victims.forms[0]["first_names"].value() in (None, "")
    assert PendingEntry.objects.count() == 1


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("", id="no-key"),
        pytest.param("forged:value", id="forged"),
        pytest.param("other-token", id="key-of-another-form"),
    ],
)
def test_a_form_without_a_valid_key_is_not_kept(personas: dict, key: str) -> None:
    officer = signed_in_client(personas["station_officer"])
    opened = _opened_form(officer)
    if key == "other-token":
        key = _opened_form(officer)["resume_key"]  # a valid key, of another form
    data = post_data(bar_in_madre_de_dios(), token=opened["form_token"], resume_key=key)
    response = Client().post(CREATE, data)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not PendingEntry.objects.exists()


def test_an_expired_kept_form_is_not_handed_back(personas: dict, time_machine: Any) -> None:
    officer = signed_in_client(personas["station_officer"])
    opened = _opened_form(officer)
    Client().post(CREATE, post_data(bar_in_madre_de_dios(), token=opened["form_token"], **opened))
    assert PendingEntry.objects.count() == 1
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=settings.PENDING_ENTRY_HOURS + 1))
    page = signed_in_client(personas["station_officer"]).get(CREATE)
    assert page.context["entry"].victims.forms[0]["first_names"].value() in (None, "")


def test_an_edited_draft_sent_after_expiry_comes_back_on_the_draft(personas: dict, complaints: dict) -> None:
    draft = complaints["draft"]
    edit = reverse("complaints:complaint_edit", kwargs={"pk": draft.pk})
    officer = signed_in_client(personas["station_officer"])
    key = re.search(r'name="resume_key" value="([^"]+)"', officer.get(edit).content.decode()).group(1)
    _expire(officer)
    data = post_data(bar_in_madre_de_dios(narrative="Relato ampliado tras la entrevista."), token="", resume_key=key)
    assert officer.post(edit, data)["Location"] == f"{LOGIN}?next={edit}"
    draft.refresh_from_db()
    assert draft.narrative == "Borrador en curso."  # the draft itself is untouched
    assert signed_in_client(personas["station_officer"]).get(CREATE).context["form"]["narrative"].value() in (
        None,
        "",
    )  # not on a new form
    page = signed_in_client(personas["station_officer"]).get(edit)
    assert page.context["form"]["narrative"].value() == "Relato ampliado tras la entrevista."


def test_any_other_post_after_expiry_still_goes_to_the_sign_in_page(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    _expire(officer)
    response = officer.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_the_form_carries_the_idle_limit_and_the_warning_script(personas: dict) -> None:
    html = signed_in_client(personas["station_officer"]).get(CREATE).content.decode()
    assert f'data-idle-seconds="{settings.SESSION_IDLE_SECONDS}"' in html
    assert f'data-warning-seconds="{settings.SESSION_WARNING_SECONDS}"' in html
    assert "js/session-warning.js" in html and 'id="session-warning"' in html


# ---------------------------------------------------------------- the review before the freeze


def test_register_shows_the_review_and_numbers_alerts_and_freezes_nothing(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    response = officer.post(CREATE, post_data(bar_in_madre_de_dios()))
    draft = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:complaint_review", kwargs={"pk": draft.pk})
    assert draft.is_draft and draft.number is None and not draft.outcome and not draft.is_frozen
    assert not Alert.objects.exists()

    page = officer.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "consistente con trata de personas" in html.lower()
    for sentence in page.context["preview"].classification["explanation"]:
        assert sentence.split("«")[0][:40] in html
    assert [receiver.unit.code for receiver in page.context["alert_receivers"]] == [
        "DIRTEPOL-MADRE-DE-DIOS-TRATA",
        "DIVINTRAP",
        "DIRTEPOL-MADRE-DE-DIOS",
    ]
    assert "Lucía" in html and "La Tía" in html and "Av. León Velarde 1020" in html
    assert not page.context["duplicates"].found
    assert reverse("complaints:complaint_edit", kwargs={"pk": draft.pk}) in html  # "Correct"
    draft.refresh_from_db()
    assert draft.is_draft and not draft.outcome and not Alert.objects.exists()  # the review saved nothing

    confirmed = officer.post(
        response["Location"],
        {"action": "confirm", "fingerprint": page.context["fingerprint"], "duplicate_of": "", "duplicate_decision": ""},
    )
    draft.refresh_from_db()
    assert confirmed["Location"] == reverse("complaints:complaint_result", kwargs={"pk": draft.pk})
    assert draft.is_frozen and draft.number and draft.alerts.count() == 3


def test_correct_goes_back_to_the_form_with_everything_as_it_was(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    review = officer.post(CREATE, post_data(_two_people_case()))["Location"]
    edit = officer.get(review).context["edit_url"]
    entry = officer.get(edit).context["entry"]
    assert [form["first_names"].value() for form in entry.victims.forms] == ["Lucía", "Rosa"]
    assert entry.suspects.forms[0]["description"].value() == "Camioneta blanca, placa X1Y-234."
    assert entry.form["purposes"].value() == ["prostitution"]


def test_the_review_shows_the_warnings_of_the_form_and_of_the_engine(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    old = timezone.localdate() - datetime.timedelta(days=500)
    case = bar_in_madre_de_dios(facts_date=old, means=[], narrative="Breve.")
    case.victims[0].age = 30
    page = officer.get(officer.post(CREATE, post_data(case))["Location"])
    html = page.content.decode()
    assert "No se marcó ningún medio" in html
    assert "El relato es breve" in html
    assert "más de un año" in html
    assert "No se registra ningún medio y no consta que la víctima sea menor de edad" in html  # the engine's


def test_a_draft_changed_after_the_review_is_not_registered_unseen(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    url = officer.post(CREATE, post_data(bar_in_madre_de_dios()))["Location"]
    fingerprint = officer.get(url).context["fingerprint"]
    draft = Complaint.objects.get()
    complaint_save_draft(
        actor=personas["station_officer"], data=bar_in_madre_de_dios(narrative="Otro relato."), complaint=draft
    )
    response = officer.post(url, {"action": "confirm", "fingerprint": fingerprint})
    assert response.status_code == 409
    assert "cambió" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_frozen


def test_the_registration_compares_the_reviewed_fingerprint_under_the_draft_lock(personas: dict) -> None:
    """The confirmation's fingerprint is checked by the service, on the rows it registers: a draft
    changed after the page was shown is refused with nothing written, the one reviewed registers."""
    officer = personas["station_officer"]
    draft = complaint_save_draft(actor=officer, data=bar_in_madre_de_dios())
    shown = review_fingerprint(complaint_data_of(draft))
    complaint_save_draft(actor=officer, data=bar_in_madre_de_dios(narrative="Otro relato."), complaint=draft)
    events = AuditEvent.objects.count()
    with pytest.raises(StaleReviewError):
        complaint_submit(actor=officer, complaint=draft, fingerprint=shown)
    draft.refresh_from_db()
    assert not draft.is_frozen and draft.number is None
    assert AuditEvent.objects.count() == events and not Alert.objects.exists()
    registered = complaint_submit(
        actor=officer, complaint=draft, fingerprint=review_fingerprint(complaint_data_of(draft))
    )
    assert registered.is_frozen and registered.number


def test_a_refused_confirmation_shows_the_reason_on_the_review(personas: dict) -> None:
    from paperforms.services import paper_form_batch_issue

    station = personas["station_officer"].unit
    serial = paper_form_batch_issue(actor=personas["national_admin"], unit=station, count=1).serials.get().serial
    officer = signed_in_client(personas["station_officer"])
    url = officer.post(CREATE, post_data(bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial)))["Location"]
    fingerprint = officer.get(url).context["fingerprint"]
    # Someone else enters the same paper form first.
    complaint_file(
        actor=personas["station_officer"], data=bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial)
    )
    response = officer.post(url, {"action": "confirm", "fingerprint": fingerprint})
    assert response.status_code == 200
    assert response.context["error"]
    assert Complaint.objects.filter(status=Complaint.Status.SUBMITTED).count() == 1


def test_the_form_warnings(units: dict) -> None:
    today = datetime.date(2026, 6, 1)
    case = bar_in_madre_de_dios(conducts=[], means=[], purposes=[], narrative="Uno. Dos.")
    case.facts_date = today - datetime.timedelta(days=366)
    case.victims[0].minor = False  # age 16: a contradiction
    warnings = form_warnings(case, today=today)
    assert len(warnings) == 6
    long = ("Una frase bastante larga sobre los hechos. " * 3) + "x" * NARRATIVE_MIN_CHARACTERS
    fine = bar_in_madre_de_dios(narrative=long, facts_date=today)
    assert form_warnings(fine, today=today) == []
    assert sentence_count("Uno. Dos! ¿Tres? cuatro") == 4 and sentence_count("  ") == 0


# ---------------------------------------------------------------- every error at once


def test_every_reason_shows_at_once_each_next_to_its_field_and_summarised(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    case = bar_in_madre_de_dios(facts_date=None, narrative="", responsible_officer="", place_district=None)
    data = post_data(case, **{"victims-0-minor": "no"})  # a form error too (age 16)
    response = officer.post(CREATE, data)
    assert response.status_code == 200 and counts() == (0, 0)
    form = response.context["form"]
    assert {"facts_date", "place_district", "narrative", "responsible_officer"} <= set(form.errors)
    assert response.context["entry"].victims.forms[0].errors["minor"]
    anchors = {item["anchor"] for item in response.context["errors"]}
    assert {
        "id_facts_date",
        "id_place_district",
        "id_narrative",
        "id_responsible_officer",
        "id_victims-0-minor",
    } <= anchors
    html = response.content.decode()
    assert 'href="#id_narrative"' in html and "Describa los hechos en el relato." in html


def test_changing_the_department_without_javascript_resets_the_province_with_a_hint(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    data = post_data(bar_in_madre_de_dios(), department="08")  # Cusco, with Tambopata (17) still chosen
    response = officer.post(CREATE, data)
    html = response.content.decode()
    assert "no es una de las opciones" not in html
    form = response.context["form"]
    assert form["province"].value() == "" and form["place_district"].value() == ""
    assert "no pertenece a este departamento" in html
    assert counts() == (0, 0)
    # Refreshing (the "Update provinces" button) shows the hint and no error.
    response = officer.post(CREATE, {**data, "action": "refresh"})
    assert "no pertenece a este departamento" in response.content.decode()
    assert not response.context["errors"]


# ---------------------------------------------------------------- origins follow the role


def test_origins_follow_the_role(personas: dict) -> None:
    def offered(persona: str) -> set[str]:
        form = signed_in_client(personas[persona]).get(CREATE).context["form"]
        return {code for code, _label in form.fields["origin"].choices}

    assert offered("station_officer") == {"station", "paper"}
    assert offered("hotline_operator") == {"hotline"}
    assert offered("national_investigator") == {"station", "paper", "other_agency"}
    html = signed_in_client(personas["station_officer"]).get(CREATE).content.decode()
    assert "0800" not in html


def test_a_forbidden_origin_is_refused_by_the_form_and_by_the_service(personas: dict) -> None:
    officer = signed_in_client(personas["station_officer"])
    response = officer.post(CREATE, post_data(bar_in_madre_de_dios(origin=Origin.HOTLINE)))
    assert response.context["form"].errors["origin"] and counts() == (0, 0)
    with pytest.raises(ComplaintError) as error:
        complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(origin=Origin.HOTLINE))
    assert error.value.field == "origin"
    with pytest.raises(ComplaintError):
        complaint_save_draft(actor=personas["hotline_operator"], data=bar_in_madre_de_dios(origin=Origin.STATION))
    assert counts() == (0, 0)


# ---------------------------------------------------------------- help and drafts


def test_the_help_page_is_linked_from_the_form_and_explains_every_check_box(personas: dict) -> None:
    from complaints.glossary import GLOSSARY
    from complaints.rules.codes import ELEMENTS

    officer = signed_in_client(personas["station_officer"])
    help_url = reverse("complaints:complaint_help")
    assert f'href="{help_url}"' in officer.get(CREATE).content.decode()
    html = officer.get(help_url).content.decode()
    for term in GLOSSARY:
        assert term.term.capitalize()[:12] in html
    for element in ELEMENTS.values():
        assert f'id="help-{element.code}"' in html


def test_the_home_page_lists_the_drafts_the_user_may_edit(personas: dict, complaints: dict) -> None:
    draft = complaints["draft"]
    link = reverse("complaints:complaint_edit", kwargs={"pk": draft.pk})
    assert link in signed_in_client(personas["station_officer"]).get(reverse("home")).content.decode()
    for persona in ("outsider", "regional_investigator", "monitor", "national_admin"):
        html = signed_in_client(personas[persona]).get(reverse("home")).content.decode()
        assert link not in html, persona
