"""Victims' privacy and the access trace on the complaint screens (SECURITY.md 13, 15-17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from complaints.models import ComplaintVictim, Person
from complaints.services import VictimData, complaint_file
from complaints.templatetags import complaints_tags as tags
from tests.complaints.test_lists import export_rows, text_of
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

# What identifies the people of the `complaints` fixture: the 16-year-old victim, her document,
# the complainant (her mother) and the complainant's document and phone, the suspect's alias.
MINOR = ("Lucía", "Lucia", "Condori", "Apaza", "76543210", "L.C.A.")
COMPLAINANT = ("Juana", "Mamani", "Huallpa", "41234567", "984 111 222")
SUSPECT_ALIAS = "La Tía"
SEEING = ("station_officer", "regional_investigator", "national_investigator", "national_admin", "monitor", "auditor")
IDENTITY = ("regional_investigator", "national_investigator", "national_admin")


def detail(pk: int) -> str:
    return reverse("complaints:complaint_detail", args=[pk])


def show_identity(pk: int) -> str:
    return reverse("complaints:complaint_show_identity", args=[pk])


def assert_absent(text: str, words: tuple[str, ...] | list[str], where: str) -> None:
    present = [word for word in words if word in text]
    assert not present, f"{where}: {present}"


# ---------------------------------------------------------------- minors: masked for everyone


@pytest.mark.parametrize("persona", SEEING)
def test_a_minor_is_masked_in_the_list_and_the_print_for_everyone(
    clients: dict, complaints: dict, persona: str
) -> None:
    client = clients[persona]
    pk = complaints["frozen"].pk
    assert_absent(text_of(client.get(reverse("complaints:complaint_list"))), MINOR, f"list as {persona}")
    printed = client.get(reverse("complaints:complaint_print", args=[pk]))
    assert printed.status_code == 200
    page = text_of(client.get(detail(pk)))
    if persona == "station_officer":
        # The filing station sees its complainant (issue 10, item 5), never the minor.
        assert_absent(text_of(printed), MINOR + (SUSPECT_ALIAS,), f"print as {persona}")
        assert_absent(page, MINOR + (SUSPECT_ALIAS,), f"detail as {persona}")
        assert all(word in text_of(printed) and word in page for word in COMPLAINANT)
        return
    assert_absent(text_of(printed), MINOR + COMPLAINANT + (SUSPECT_ALIAS,), f"print as {persona}")
    assert "J.M.H." in text_of(printed)  # an adult complainant: initials
    assert_absent(page, MINOR + COMPLAINANT + (SUSPECT_ALIAS,), f"detail as {persona}")


@pytest.mark.parametrize("persona", ["regional_investigator", "national_investigator", "national_admin", "monitor"])
def test_the_export_has_no_names_at_all(clients: dict, complaints: dict, persona: str) -> None:
    response = clients[persona].get(reverse("complaints:complaint_export"))
    assert response.status_code == 200
    body = text_of(response)
    assert_absent(body, MINOR + COMPLAINANT + (SUSPECT_ALIAS, "Rosa Huamán"), f"export as {persona}")
    assert export_rows_count(body) == 1


def export_rows_count(body: str) -> int:
    return len([line for line in body.lstrip("\ufeff").splitlines() if line.strip()]) - 1


def test_the_list_never_shows_an_adult_victims_name_either(clients: dict, personas: dict) -> None:
    complaint_file(
        actor=personas["station_officer"],
        data=bar_in_madre_de_dios(
            victims=[VictimData(first_names="Rosalía", last_names="Quispe Ccama", sex="F", age=31)]
        ),
    )
    for persona in SEEING:
        page = text_of(clients[persona].get(reverse("complaints:complaint_list")))
        assert_absent(page, ["Rosalía", "Quispe Ccama", "R.Q.C."], f"list as {persona}")
        assert "30–59" in page
    rows = export_rows(clients["national_admin"].get(reverse("complaints:complaint_export")))
    assert rows[0]["victims_minors"] == "0"


def test_a_victim_of_unknown_age_is_protected_like_a_minor(clients: dict, personas: dict) -> None:
    complaint = complaint_file(
        actor=personas["station_officer"],
        data=bar_in_madre_de_dios(victims=[VictimData(first_names="Nayeli", last_names="Ríos", sex="F")]),
    )
    page = text_of(clients["station_officer"].get(detail(complaint.pk)))
    assert "Nayeli" not in page and "N.R." not in page


# ---------------------------------------------------------------- identity: an explicit, logged action


def test_identities_are_shown_only_after_the_post_and_for_that_response_only(clients: dict, complaints: dict) -> None:
    client = clients["national_investigator"]
    pk = complaints["frozen"].pk
    before = text_of(client.get(detail(pk)))
    assert 'id="show-identity"' in before
    assert_absent(before, MINOR + COMPLAINANT, "before")
    shown = client.post(show_identity(pk))
    assert shown.status_code == 200
    page = text_of(shown)
    for word in ("Juana Mamani Huallpa", "41234567", "984 111 222", "La Tía"):
        assert word in page, word
    # An investigator sees the minor too, after the logged reveal (issue 10, item 5).
    assert "Lucía Condori Apaza" in page and "76543210" in page
    assert 'id="identity-notice"' in page and 'id="show-identity"' not in page
    assert shown["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(event="identity_shown")
    assert event.user_name == "national.investigator" and event.object_id == str(pk)
    assert event.details == {
        "victims": 1,
        "minors": 1,
        "suspects": 1,
        "complainant": True,
        "shown": ["complainant", "adults", "others", "minors"],
    }
    after = text_of(client.get(detail(pk)))  # nothing kept: the next plain view is masked again
    assert_absent(after, MINOR + COMPLAINANT, "after")


@pytest.mark.parametrize("persona", IDENTITY)
def test_roles_with_need_to_know_may_show_identities(clients: dict, complaints: dict, persona: str) -> None:
    response = clients[persona].post(show_identity(complaints["frozen"].pk))
    assert response.status_code == 200 and "Juana Mamani Huallpa" in text_of(response)
    if persona == "national_admin":  # not an investigator: the minor stays masked
        assert_absent(text_of(response), MINOR, persona)
    else:
        assert "Lucía Condori Apaza" in text_of(response)


def test_an_adult_victims_identity_is_shown_after_the_post(clients: dict, personas: dict) -> None:
    complaint = complaint_file(
        actor=personas["station_officer"],
        data=bar_in_madre_de_dios(
            victims=[
                VictimData(
                    first_names="Rosalía", last_names="Quispe Ccama", sex="F", age=31,
                    document_type="dni", document_number="40111222",
                )
            ]
        ),
    )  # fmt: skip
    client = clients["regional_investigator"]
    masked = text_of(client.get(detail(complaint.pk)))
    assert "R.Q.C." in masked and "Rosalía" not in masked and "40111222" not in masked
    shown = text_of(client.post(show_identity(complaint.pk)))
    assert "Rosalía Quispe Ccama" in shown and "DNI 40111222" in shown


@pytest.mark.parametrize("persona", ["monitor", "auditor"])
def test_other_roles_have_no_button_and_get_403(clients: dict, complaints: dict, persona: str) -> None:
    pk = complaints["frozen"].pk
    assert 'id="show-identity"' not in text_of(clients[persona].get(detail(pk)))
    response = clients[persona].post(show_identity(pk))
    assert response.status_code == 403
    assert_absent(text_of(response), MINOR, persona)
    assert not AuditEvent.objects.filter(event="identity_shown").exists()


def test_an_administrator_without_the_second_factor_may_not_show_identities(personas: dict, complaints: dict) -> None:
    from django.test import Client

    client = Client()
    client.force_login(personas["national_admin"])  # no TOTP step in this session
    response = client.post(show_identity(complaints["frozen"].pk))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(event="identity_shown").exists()


def test_showing_identities_needs_a_post(clients: dict, complaints: dict) -> None:
    response = clients["national_investigator"].get(show_identity(complaints["frozen"].pk))
    assert response.status_code == 405


def test_identities_never_go_into_a_url(clients: dict, complaints: dict) -> None:
    import re

    pk = complaints["frozen"].pk
    response = clients["national_investigator"].post(show_identity(pk))
    page = text_of(response)
    # The revealed names are on the page (the complainant's; a minor's stays masked even now), and
    # so are the links that could carry them: the complaint's own.
    assert response.status_code == 200 and "Juana Mamani Huallpa" in page and "Lucía Condori Apaza" in page
    links = re.findall(r'(?:href|action|src|formaction)="([^"]*)"', page)
    own = [
        reverse(name, args=[pk])
        for name in (
            "complaints:complaint_detail",
            "complaints:complaint_print",
            "complaints:complaint_history",
            "diligences:diligence_list",
            "paperforms:complaint_pdf",
        )
    ]
    assert set(own) <= set(links), f"links of the page: {links}"
    for link in links:
        assert_absent(link, MINOR + COMPLAINANT, link)


# ---------------------------------------------------------------- the access trace


def test_every_view_print_and_export_is_recorded_without_personal_data(clients: dict, complaints: dict) -> None:
    client = clients["regional_investigator"]
    frozen = complaints["frozen"]
    client.get(detail(frozen.pk))
    client.get(reverse("complaints:complaint_print", args=[frozen.pk]))
    client.post(show_identity(frozen.pk))
    client.get(reverse("complaints:complaint_export"), {"category": "sexual_exploitation"})
    events = {e.event: e for e in AuditEvent.objects.filter(user_name="regional.investigator")}
    assert {"complaint_viewed", "complaint_printed", "identity_shown", "export"} <= set(events)
    for name in ("complaint_viewed", "complaint_printed", "identity_shown"):
        event = events[name]
        assert event.object_type == "complaints.complaint" and event.object_id == str(frozen.pk)
        assert event.object_repr == frozen.number and event.unit_code == "DIRTEPOL-CUSCO-TRATA"
        assert event.request_id
    assert events["export"].details["filters"]["category"] == "sexual_exploitation"
    for event in AuditEvent.objects.all():
        assert_absent(f"{event.object_repr} {event.details}", MINOR + COMPLAINANT + (SUSPECT_ALIAS,), event.event)


def test_a_refused_view_writes_no_view_event(clients: dict, complaints: dict) -> None:
    clients["outsider"].get(detail(complaints["frozen"].pk))
    assert not AuditEvent.objects.filter(event="complaint_viewed").exists()


@pytest.mark.parametrize(
    "name", ["complaints:complaint_list", "complaints:complaint_detail", "complaints:complaint_print"]
)
def test_pages_with_personal_data_are_not_cached(clients: dict, complaints: dict, name: str) -> None:
    args = [] if name.endswith("list") else [complaints["frozen"].pk]
    response = clients["station_officer"].get(reverse(name, args=args))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"


# ---------------------------------------------------------------- the masking helpers


def victim(age: int | None = None, minor: bool | None = None, **names: str) -> ComplaintVictim:
    """An unsaved victim: the helpers need no database."""
    return ComplaintVictim(person=Person(**names), age=age, minor=minor)


@pytest.mark.parametrize(
    ("age", "minor", "masked", "revealed"),
    [
        (16, None, "Minor (protected)", "Minor (protected)"),
        (None, True, "Minor (protected)", "Minor (protected)"),
        (None, None, "Identity protected (age unknown)", "Identity protected (age unknown)"),
        (30, None, "A.B.", "Ana Bravo"),
        (None, False, "A.B.", "Ana Bravo"),
    ],
)  # `revealed`: as the reveal shows it to a national administrator; an investigator sees all
def test_the_masked_tag_shows_victim_names_by_the_privacy_rule(
    personas: dict, age: Any, minor: Any, masked: str, revealed: str
) -> None:
    from django.template import Context, Template
    from django.utils import translation

    template = Template('{% load complaints_tags %}{% masked victim "name" %}')
    subject = victim(age, minor, first_names="Ana", last_names="Bravo")
    personas["national_admin"].is_verified = lambda: True  # as after the second factor
    with translation.override("en"):
        for persona, reveal, expected in (
            ("regional_investigator", False, masked),
            ("regional_investigator", True, "Ana Bravo"),
            ("national_admin", True, revealed),
            ("station_officer", True, masked),  # no complaint of its unit here: the reveal counts for nothing
        ):
            context = Context({"victim": subject, "reveal": reveal, "user": personas[persona]})
            assert template.render(context) == expected, (persona, reveal)


@pytest.mark.parametrize(
    ("age", "minor", "band"),
    [(0, None, "0–13"), (13, None, "0–13"), (14, None, "14–17"), (17, None, "14–17"), (18, None, "18–29"),
     (45, None, "30–59"), (60, None, "60+"), (None, True, "minor, age unknown"), (None, False, "adult, age unknown"),
     (None, None, "age unknown")],
)  # fmt: skip
def test_age_bands(age: Any, minor: Any, band: str) -> None:
    from django.utils import translation

    with translation.override("en"):
        assert tags.age_band(victim(age, minor)) == band
