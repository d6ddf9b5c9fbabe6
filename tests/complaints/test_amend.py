"""Amending a registered complaint (SECURITY.md 10, 14, 24) and reading its history field by field."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration.models import Role
from audit.models import AuditEvent
from complaints import history, services
from complaints.models import Alert, Complaint, ComplaintVictim, Person
from tests.conftest import signed_in_client
from tests.factories.administration import UserFactory
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

REASON = "Partida de nacimiento: la víctima tiene 13 años"


# ---------------------------------------------------------------- helpers


def amend_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_amend", kwargs={"pk": complaint.pk})


def history_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_history", kwargs={"pk": complaint.pk})


def _put(data: dict[str, Any], form: forms.Form) -> None:
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(bound.field, forms.MultipleChoiceField):
            data[bound.html_name] = list(value or [])
        else:
            data[bound.html_name] = "" if value is None else value


def form_data(response: Any, **changes: Any) -> dict[str, Any]:
    """What the browser would send back from the amendment page as rendered, with `changes`."""
    entry, amendment = response.context["entry"], response.context["amendment"]
    data: dict[str, Any] = {}
    _put(data, entry.form)
    for formset in (entry.victims, entry.suspects, entry.places):
        _put(data, formset.management_form)
        for form in formset.forms:
            _put(data, form)
    data["version"] = amendment["version"].value()
    data["reason"] = ""
    data["action"] = "amend"
    data.update(changes)
    return data


def second_admin(units: dict) -> Any:
    user = UserFactory(username="second.admin", first_name="Luis", unit=units["DIVINTRAP"], role=Role.NATIONAL_ADMIN)
    TOTPDevice.objects.create(user=user, name="RETA", confirmed=True)
    return user


@pytest.fixture
def admin(personas: dict) -> Client:
    return signed_in_client(personas["national_admin"])


# ---------------------------------------------------------------- the amendment


def test_the_admin_amends_the_narrative_and_the_age_and_the_history_shows_the_difference(
    admin: Client, complaints: dict
) -> None:
    frozen = complaints["frozen"]
    assert [a["code"] for a in frozen.classification["aggravating"]] == ["victim_14_to_17_or_incapable"]
    page = admin.get(amend_url(frozen))
    assert page.status_code == 200
    assert page.context["amendment"]["version"].value() == 1
    assert page.context["entry"].victims.forms[0]["age"].value() == 16
    narrative = "La menor, de 13 años, fue captada en Cusco con una falsa oferta de trabajo y trasladada a un bar."
    response = admin.post(
        amend_url(frozen), form_data(page, narrative=narrative, reason=REASON, **{"victims-0-age": 13})
    )

    assert response.status_code == 302
    assert response["Location"] == history_url(frozen) + "#version-2"
    frozen.refresh_from_db()
    assert frozen.version == 2 and frozen.narrative == narrative and frozen.is_frozen
    assert frozen.victims.get().age == 13
    assert frozen.outcome == "trafficking"
    assert [a["code"] for a in frozen.classification["aggravating"]] == ["victim_under_14_or_disabled"]
    event = AuditEvent.objects.get(event="complaint_amended", object_id=str(frozen.pk))
    assert event.details["reason"] == REASON and event.user_name == "national.admin"
    assert frozen.history.filter(history_change_reason=REASON).exists()

    page = admin.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    newest = page.context["versions"][0]
    assert (
        newest.number == 2 and newest.kind == "amended" and newest.reason == REASON and newest.who == "national.admin"
    )
    assert any(change.old == "16" and change.new == "13" for change in newest.changes)
    assert any(change.new == narrative for change in newest.changes)
    assert any("menor de catorce años" in change.new for change in newest.changes)
    assert REASON in html and "13" in html and "menor de catorce años" in html
    assert AuditEvent.objects.filter(event="complaint_history_viewed", object_id=str(frozen.pk)).exists()


@pytest.mark.parametrize(
    ("start", "outcome_before", "alerts_before"),
    [
        ({}, "not_consistent", set()),
        (
            {"related_facts": ["hands_over_for_sex"]},
            "related_crime",
            # Madre de Dios' specialised unit has no account in this tree: its directorate and
            # DIVINTRAP are alerted too (complaints.alerts).
            {("DIRTEPOL-MADRE-DE-DIOS-TRATA", "normal"), ("DIRTEPOL-MADRE-DE-DIOS", "normal"), ("DIVINTRAP", "normal")},
        ),
    ],
)
def test_an_amendment_that_raises_the_outcome_raises_new_alerts(
    admin: Client, personas: dict, start: dict, outcome_before: str, alerts_before: set
) -> None:
    data = bar_in_madre_de_dios(conducts=[], means=[], purposes=[], **start)
    complaint = services.complaint_file(actor=personas["station_officer"], data=data)
    assert complaint.outcome == outcome_before
    assert {(a.unit.code, a.priority) for a in complaint.alerts.all()} == alerts_before

    page = admin.get(amend_url(complaint))
    sent = form_data(
        page, conducts=["recruitment", "transfer"], means=["deception"], purposes=["prostitution"], reason="Ampliación"
    )
    assert admin.post(amend_url(complaint), sent).status_code == 302

    complaint.refresh_from_db()
    assert complaint.outcome == "trafficking" and complaint.alert_priority == "high"
    new = {(a.unit.code, a.priority) for a in Alert.objects.filter(complaint=complaint, reason="amended")}
    assert new == {("DIRTEPOL-MADRE-DE-DIOS-TRATA", "high"), ("DIRTEPOL-MADRE-DE-DIOS", "high"), ("DIVINTRAP", "high")}
    assert Alert.objects.filter(complaint=complaint).count() == len(alerts_before) + 3


def test_an_amendment_without_a_reason_is_refused_and_changes_nothing(admin: Client, complaints: dict) -> None:
    frozen = complaints["frozen"]
    page = admin.get(amend_url(frozen))
    response = admin.post(amend_url(frozen), form_data(page, narrative="Otro relato.", reason="   "))
    assert response.status_code == 200
    assert response.context["amendment"].errors["reason"]
    assert 'id="error-summary"' in response.content.decode()
    assert "Otro relato." in response.content.decode()  # what was typed is still there
    frozen.refresh_from_db()
    assert frozen.version == 1 and frozen.narrative != "Otro relato."
    assert not AuditEvent.objects.filter(event="complaint_amended").exists()


def test_an_amendment_that_changes_nothing_is_refused(admin: Client, complaints: dict) -> None:
    frozen = complaints["frozen"]
    page = admin.get(amend_url(frozen))
    response = admin.post(amend_url(frozen), form_data(page, reason="Revisión"))
    assert response.status_code == 200
    assert "No hay cambios" in response.content.decode()
    frozen.refresh_from_db()
    assert frozen.version == 1 and frozen.history.count() == Complaint.history.filter(id=frozen.pk).count()
    assert not frozen.history.filter(history_change_reason="Revisión").exists()


def test_a_service_refusal_is_shown_next_to_its_field(admin: Client, complaints: dict) -> None:
    frozen = complaints["frozen"]
    page = admin.get(amend_url(frozen))
    response = admin.post(amend_url(frozen), form_data(page, narrative="  ", reason="Corrección"))
    assert response.status_code == 200
    assert response.context["form"].errors["narrative"] == ["Describa los hechos en el relato."]
    frozen.refresh_from_db()
    assert frozen.version == 1


def test_a_station_officer_cannot_amend_and_the_attempt_is_recorded(
    admin: Client, clients: dict, complaints: dict
) -> None:
    frozen = complaints["frozen"]
    sent = form_data(admin.get(amend_url(frozen)), narrative="Relato alterado.", reason="Quiero cambiarlo")
    assert clients["station_officer"].get(amend_url(frozen)).status_code == 403
    response = clients["station_officer"].post(amend_url(frozen), sent)
    assert response.status_code == 403
    frozen.refresh_from_db()
    assert frozen.version == 1 and frozen.narrative != "Relato alterado."
    refused = AuditEvent.objects.get(event="complaint_change_refused", object_id=str(frozen.pk))
    assert refused.outcome == AuditEvent.Outcome.DENIED
    assert refused.details == {"action": "amend"} and refused.user_name == "station.officer"


def test_a_complaint_outside_the_scope_is_not_found_and_a_draft_cannot_be_amended(
    admin: Client, clients: dict, complaints: dict
) -> None:
    assert clients["outsider"].post(amend_url(complaints["frozen"]), {}).status_code == 404
    assert admin.get(amend_url(complaints["draft"])).status_code == 404  # a draft is its unit's only
    own_draft = clients["station_officer"].get(amend_url(complaints["draft"]))
    assert own_draft.status_code == 403


def test_two_administrators_amending_at_once_the_second_gets_the_conflict_and_nothing_is_lost(
    admin: Client, units: dict, complaints: dict
) -> None:
    frozen = complaints["frozen"]
    other = signed_in_client(second_admin(units))
    first_page, second_page = admin.get(amend_url(frozen)), other.get(amend_url(frozen))
    assert first_page.context["amendment"]["version"].value() == second_page.context["amendment"]["version"].value()

    first = admin.post(amend_url(frozen), form_data(first_page, narrative="Relato del primero.", reason="Primero"))
    assert first.status_code == 302
    second = other.post(
        amend_url(frozen),
        form_data(second_page, narrative="Relato del segundo.", responsible_officer="S1 PNP Otro", reason="Segundo"),
    )

    assert second.status_code == 200
    html = second.content.decode()
    assert "Otra persona enmendó esta denuncia" in html and 'id="conflict"' in html
    # Nothing lost: the second's typed values are still in the form, the first's change is in the database.
    assert "Relato del segundo." in html and "S1 PNP Otro" in html and "Segundo" in html
    assert second.context["conflict"]["current"] == 2 and second.context["conflict"]["opened"] == 1
    assert second.context["amendment"]["version"].value() == "1"  # a blind re-send conflicts again
    assert [v.reason for v in second.context["conflict"]["versions"]] == ["Primero"]
    assert 'id="open-current-version"' in html
    frozen.refresh_from_db()
    assert frozen.version == 2 and frozen.narrative == "Relato del primero."
    assert not frozen.history.filter(history_change_reason="Segundo").exists()
    assert other.post(amend_url(frozen), form_data(second)).status_code == 200  # still the old version


def test_adding_a_row_re_renders_what_was_typed_and_saves_nothing(admin: Client, complaints: dict) -> None:
    frozen = complaints["frozen"]
    page = admin.get(amend_url(frozen))
    response = admin.post(amend_url(frozen), form_data(page, narrative="Relato en curso.", action="add_victim"))
    assert response.status_code == 200
    assert len(response.context["entry"].victims.forms) == 2
    assert "Relato en curso." in response.content.decode()
    frozen.refresh_from_db()
    assert frozen.version == 1 and frozen.narrative != "Relato en curso."


def test_a_victim_added_by_an_amendment_appears_in_the_history(admin: Client, complaints: dict) -> None:
    frozen = complaints["frozen"]
    page = admin.get(amend_url(frozen))
    page = admin.post(amend_url(frozen), form_data(page, action="add_victim"))
    sent = form_data(
        page,
        reason="Segunda víctima identificada",
        **{"victims-1-first_names": "Rosa", "victims-1-age": 25, "victims-1-sex": "F"},
    )
    assert admin.post(amend_url(frozen), sent).status_code == 302
    assert ComplaintVictim.objects.filter(complaint=frozen).count() == 2
    newest = admin.get(history_url(frozen)).context["versions"][0]
    victim_2 = [change for change in newest.changes if change.subject in ("Víctima 2", "Victim 2")]
    assert {(c.old, c.new) for c in victim_2} >= {("—", "25")}
    assert not any(change.new == "Rosa" for change in victim_2)  # names stay masked in the history
    assert any(change.masked for change in victim_2)


def test_the_amendment_page_is_an_audited_view_of_identities(admin: Client, complaints: dict) -> None:
    admin.get(amend_url(complaints["frozen"]))
    event = AuditEvent.objects.get(event="identity_shown", object_id=str(complaints["frozen"].pk))
    assert event.details == {"screen": "amendment", "victims": 1, "minors": 1, "suspects": 1}


# ---------------------------------------------------------------- the history page


def _amend_complainant(admin: Client, complaint: Complaint) -> None:
    page = admin.get(amend_url(complaint))
    sent = form_data(
        page,
        complainant_first_names="Juana Rosa",
        complainant_document_number="41234568",
        reason="DNI de la denunciante corregido",
        **{"victims-0-first_names": "Lucía Elena"},
    )
    assert admin.post(amend_url(complaint), sent).status_code == 302


def test_the_history_masks_identities_for_roles_that_may_not_see_them(
    admin: Client, clients: dict, complaints: dict
) -> None:
    frozen = complaints["frozen"]
    _amend_complainant(admin, frozen)
    response = clients["monitor"].get(history_url(frozen))
    html = response.content.decode()
    assert response.status_code == 200
    for secret in ("Juana", "41234568", "41234567", "Lucía", "76543210", "984 111 222"):
        assert secret not in html
    assert [v.kind for v in response.context["versions"]] == ["amended", "registered", "draft"]
    newest = response.context["versions"][0]
    assert newest.who == "national.admin" and newest.reason == "DNI de la denunciante corregido"
    masked = [change for change in newest.changes if change.masked]
    assert masked and all(change.old == "•••" and change.new.startswith("••• (") for change in masked)
    assert "DNI de la denunciante corregido" in html


def test_the_history_masks_identities_even_for_investigators(admin: Client, clients: dict, complaints: dict) -> None:
    # Unmasking is the explicit, logged action of the detail page, never a side effect of the history.
    frozen = complaints["frozen"]
    _amend_complainant(admin, frozen)
    html = clients["regional_investigator"].get(history_url(frozen)).content.decode()
    assert "Juana Rosa" not in html and "41234568" not in html  # the complainant, an adult
    assert "Lucía" not in html and "76543210" not in html  # the victim is 16


def test_the_history_follows_the_scope_of_the_complaint(clients: dict, complaints: dict) -> None:
    frozen = complaints["frozen"]
    assert clients["outsider"].get(history_url(frozen)).status_code == 404
    assert clients["station_officer"].get(history_url(frozen)).status_code == 200
    assert clients["station_officer"].get(history_url(complaints["draft"])).status_code == 200
    assert clients["national_admin"].get(history_url(complaints["draft"])).status_code == 404


def test_the_history_page_runs_a_fixed_number_of_queries_however_long_the_history(
    admin: Client, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    frozen = complaints["frozen"]
    for number in range(3):
        page = admin.get(amend_url(frozen))
        admin.post(amend_url(frozen), form_data(page, narrative=f"Relato {number}.", reason=f"Cambio {number}"))
    # 19: one of them reads the current victims with their identities (people.privacy: a date of
    # birth learnt later protects a minor in the whole history), one the places of the route.
    with django_assert_max_num_queries(21):  # 2 of them: the audit chain head (lock, move)
        response = admin.get(history_url(frozen))
    assert [v.number for v in response.context["versions"]][:3] == [4, 3, 2]


# ---------------------------------------------------------------- complaints.history, pure


@pytest.fixture
def english() -> Any:
    with translation.override("en"):
        yield


def entry(model: str, object_id: int, seconds: int, values: dict, **extra: Any) -> history.Entry:
    base = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    return history.Entry(
        model=model,
        object_id=object_id,
        history_id=seconds,
        date=base + datetime.timedelta(seconds=seconds),
        type=extra.pop("type", "~"),
        user_id=extra.pop("user_id", 1),
        user_name=extra.pop("user_name", "station.officer"),
        reason=extra.pop("reason", None),
        values=values,
        **extra,
    )


def complaint_values(**values: Any) -> dict[str, Any]:
    return {"version": 1, "frozen_at": None, "narrative": "Relato", "conducts": ["recruitment"], **values}


FROZEN = datetime.datetime(2026, 11, 20, 10, 0, 5, tzinfo=datetime.UTC)


def sample_entries() -> list[history.Entry]:
    admin = {"user_id": 2, "user_name": "national.admin"}
    return [
        entry("person", 10, 1, {"first_names": "Lucía", "document_number": "76543210"}, type="+"),
        entry("complaint", 1, 2, complaint_values(), type="+"),
        entry("victim", 5, 3, {"age": 16, "pregnant": False}, type="+", person_id=10, position=1),
        entry("person", 11, 4, {"first_names": "Rosa"}, type="+"),
        entry("victim", 6, 5, {"age": 30}, type="+", person_id=11, position=2),
        entry("complaint", 1, 6, complaint_values(frozen_at=FROZEN, outcome="trafficking"), reason="submitted"),
        # An amendment: the complaint, its rows (same reason), the people (no reason), the version raised.
        entry("complaint", 1, 10, complaint_values(frozen_at=FROZEN, narrative="Otro"), reason="Edad", **admin),
        entry("victim", 5, 11, {"age": 13, "pregnant": False}, person_id=10, position=1, reason="Edad", **admin),
        entry("person", 11, 12, {"first_names": "Rosa María"}, **admin),
        entry("victim", 6, 13, {"age": 30}, type="-", person_id=11, position=2, reason="Edad", **admin),
        entry(
            "complaint",
            1,
            14,
            complaint_values(frozen_at=FROZEN, narrative="Otro", version=2, conducts=["recruitment", "transfer"]),
            reason="Edad",
            **admin,
        ),
    ]


def test_records_are_grouped_into_the_service_calls_that_wrote_them(english: None) -> None:
    versions = history.build_versions(sample_entries(), history.Lookups(), mask_identity=False)
    assert [(v.number, v.kind, v.who, v.reason) for v in versions] == [
        (1, "draft", "station.officer", ""),
        (1, "registered", "station.officer", ""),
        (2, "amended", "national.admin", "Edad"),
    ]


def test_an_amendment_lists_every_changed_field_with_labels_and_masks_minors(english: None) -> None:
    amended = history.build_versions(sample_entries(), history.Lookups(), mask_identity=False)[-1]
    rows = {(c.subject, c.field_label, c.old, c.new) for c in amended.changes}
    assert ("Complaint", "Narrative of the facts", "Relato", "Otro") in rows
    assert ("Victim 1", "Age at the time of the facts", "16", "13") in rows
    assert any(c.old == "captación" and c.new == "captación; traslado" for c in amended.changes)
    assert any(c.old == "16" and c.new == "13" for c in amended.changes)
    assert any(c.old == "Rosa" and c.new == "Rosa María" for c in amended.changes)  # an adult, shown
    assert ("Victim 2", "Record", "present", "removed") in rows
    assert all("Lucía" not in c.new for version in [amended] for c in version.changes)


def test_people_are_masked_for_roles_without_need_to_know(english: None) -> None:
    versions = history.build_versions(sample_entries(), history.Lookups(), mask_identity=True)
    texts = {text for version in versions for change in version.changes for text in (change.old, change.new)}
    assert not texts & {"Lucía", "76543210", "Rosa", "Rosa María"}
    draft = versions[0]
    assert {(c.old, c.new) for c in draft.changes if c.masked} == {("—", "•••")}
    amended = versions[-1]
    assert [(c.old, c.new[:3]) for c in amended.changes if c.masked] == [("•••", "•••")]


def test_a_minor_is_masked_even_for_those_who_may_see_identities(english: None) -> None:
    draft = history.build_versions(sample_entries(), history.Lookups(), mask_identity=False)[0]
    masked = {(c.subject, c.new) for c in draft.changes if c.masked}
    assert masked and all(subject == "Victim 1" for subject, _new in masked)
    assert any(c.new == "Rosa" for c in draft.changes)


def test_values_read_as_words(english: None) -> None:
    specs = {spec.name: spec for spec in history.field_specs("complaint")}
    lookups = history.Lookups(units={7: "DIRTEPOL Madre de Dios"})
    assert history.format_value(specs["outcome"], "trafficking", lookups) == "consistente con trata de personas"
    assert history.format_value(specs["means"], ["deception"], lookups) == "engaño"
    assert history.format_value(specs["competent_directorate"], 7, lookups) == "DIRTEPOL Madre de Dios"
    assert history.format_value(specs["complainant_anonymous"], True, lookups) == "Yes"
    assert history.format_value(specs["facts_date"], datetime.date(2026, 11, 20), lookups) == "20/11/2026"
    assert history.format_value(specs["origin"], "hotline", lookups) == "Hotline 0800"
    aggravating = [{"code": "victim_under_14_or_disabled", "degree": 2, "article": "129-B"}]
    assert history.format_value(specs["aggravating"], aggravating, lookups).startswith("la víctima es menor de catorce")
    assert history.format_value(specs["narrative"], "", lookups) == "—"


def test_versions_since_lists_only_later_amendments(english: None) -> None:
    versions = history.build_versions(sample_entries(), history.Lookups())
    assert [v.number for v in history.versions_since(versions, 1)] == [2]
    assert history.versions_since(versions, 2) == []


def test_history_of_a_real_complaint_through_the_services(complaints: dict) -> None:
    versions = history.complaint_versions(complaints["frozen"], mask_identity=True)
    assert [v.kind for v in versions] == ["draft", "registered"]
    registered = versions[-1]
    assert any(change.new == "consistente con trata de personas" for change in registered.changes)
    assert Person.objects.exists() and timezone.now()
