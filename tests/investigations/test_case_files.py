"""Case files: numbering, the workflow, assignments, shares, scope, and the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from investigations import services
from investigations.models import CaseAssignment, CaseFile, CasePerson, CaseShare, CaseStatus, CaseStatusChange
from reta.guards import AppendOnlyError
from tests.conftest import signed_in_client
from tests.investigations.conftest import open_case

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- opening and numbering


def test_a_case_file_is_numbered_per_owning_unit_and_year(personas: dict, complaints: dict) -> None:
    first = open_case(personas, complaints["frozen"])
    second = open_case(personas, complaints["frozen"])
    year = timezone.localdate().year
    assert first.number == f"DIRTEPOL-CUSCO-TRATA-CI-{year}-000001"
    assert second.number == f"DIRTEPOL-CUSCO-TRATA-CI-{year}-000002"
    divintrap = services.case_file_open(
        actor=personas["national_investigator"],
        data=services.OpenData(title="Caso", complaint_ids=[complaints["frozen"].pk]),
    )
    assert divintrap.number == f"DIVINTRAP-CI-{year}-000001"


def test_opening_links_the_complaint_records_the_status_and_assigns_the_lead(case_file: Any, complaints: dict) -> None:
    assert list(case_file.complaints.all()) == [complaints["frozen"]]
    assert case_file.status == CaseStatus.OPEN
    change = CaseStatusChange.objects.get(case_file=case_file)
    assert (change.from_status, change.to_status) == ("", CaseStatus.OPEN)
    assert CaseAssignment.objects.get(case_file=case_file).investigator == case_file.lead
    assert AuditEvent.objects.filter(event="case_file_opened", object_id=str(case_file.pk)).count() == 1


def test_a_complaint_outside_the_scope_or_a_draft_is_refused_and_nothing_saved(
    personas: dict, complaints: dict
) -> None:
    with pytest.raises(services.CaseFileError):
        open_case(personas, complaints["draft"])
    assert CaseFile.objects.count() == 0


def test_only_divintrap_opens_a_case_file_for_another_agency(personas: dict) -> None:
    data = services.OpenData(title="Caso de la Fiscalía", agency_name="Fiscalía de Tambopata", agency_reference="F-12")
    with pytest.raises(services.NotAllowedError):
        services.case_file_open(actor=personas["regional_investigator"], data=data)
    case_file = services.case_file_open(actor=personas["national_investigator"], data=data)
    assert case_file.agency_reference == "F-12" and case_file.complaints.count() == 0


@pytest.mark.parametrize("persona", ["station_officer", "hotline_operator", "national_admin", "monitor", "auditor"])
def test_other_roles_may_not_open_a_case_file(personas: dict, complaints: dict, persona: str) -> None:
    with pytest.raises(services.NotAllowedError):
        services.case_file_open(
            actor=personas[persona], data=services.OpenData(title="x", complaint_ids=[complaints["frozen"].pk])
        )


# ---------------------------------------------------------------- the workflow


def test_the_workflow_keeps_who_when_and_why(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    services.case_file_change_status(actor=actor, case_file=case_file, to_status=CaseStatus.UNDER_INVESTIGATION)
    services.case_file_change_status(actor=actor, case_file=case_file, to_status=CaseStatus.REPORT_SENT)
    with pytest.raises(services.CaseFileError) as refused:
        services.case_file_change_status(actor=actor, case_file=case_file, to_status=CaseStatus.CLOSED)
    assert refused.value.message == "Indique el motivo."
    services.case_file_change_status(actor=actor, case_file=case_file, to_status=CaseStatus.CLOSED, reason="Archivado.")
    services.case_file_change_status(
        actor=actor, case_file=case_file, to_status=CaseStatus.UNDER_INVESTIGATION, reason="Nueva víctima."
    )
    steps = list(CaseStatusChange.objects.filter(case_file=case_file).values_list("to_status", "reason"))
    assert steps == [
        ("open", ""),
        ("under_investigation", ""),
        ("report_sent", ""),
        ("closed", "Archivado."),
        ("under_investigation", "Nueva víctima."),
    ]
    assert CaseFile.objects.get(pk=case_file.pk).status == CaseStatus.UNDER_INVESTIGATION
    assert case_file.history.count() == 5  # created + 4 changes


def test_an_invalid_transition_is_refused_in_spanish(case_file: Any, personas: dict) -> None:
    client = signed_in_client(personas["regional_investigator"])
    url = reverse("investigations:case_file_status", args=[case_file.pk])
    response = client.post(url, {"to_status": "report_sent"})
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.content.decode()  # the form offers only the next steps
    with pytest.raises(services.CaseFileError) as refused:
        services.case_file_change_status(
            actor=personas["regional_investigator"], case_file=case_file, to_status=CaseStatus.REPORT_SENT
        )
    assert refused.value.message == "Una carpeta no puede pasar de «Abierta» a «Informe remitido a la Fiscalía»."
    assert CaseFile.objects.get(pk=case_file.pk).status == CaseStatus.OPEN


def test_status_changes_and_shares_are_append_only(case_file: Any, personas: dict, units: dict) -> None:
    change = CaseStatusChange.objects.get(case_file=case_file)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        change.save()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        CaseStatusChange.objects.filter(pk=change.pk).update(reason="x")
    share = services.case_file_share(
        actor=personas["regional_investigator"], case_file=case_file, unit=units["DIRTEPOL-LIMA-TRATA"], reason="R."
    )
    with pytest.raises(AppendOnlyError), transaction.atomic():
        share.delete()


# ---------------------------------------------------------------- assignments and shares


def test_unassigning_keeps_the_assignment_as_history(case_file: Any, personas: dict) -> None:
    actor = personas["regional_investigator"]
    assignment = services.case_file_assign(
        actor=actor, case_file=case_file, investigator=personas["national_investigator"]
    )
    with pytest.raises(services.CaseFileError):
        services.case_file_assign(actor=actor, case_file=case_file, investigator=personas["national_investigator"])
    services.case_file_unassign(actor=actor, case_file=case_file, assignment_id=assignment.pk)
    stored = CaseAssignment.objects.get(pk=assignment.pk)
    assert stored.ended_by == actor and stored.ended_at is not None
    assert stored.history.count() == 2
    lead = CaseAssignment.objects.get(case_file=case_file, investigator=case_file.lead)
    with pytest.raises(services.CaseFileError):
        services.case_file_unassign(actor=actor, case_file=case_file, assignment_id=lead.pk)


def test_a_station_officer_cannot_be_assigned(case_file: Any, personas: dict) -> None:
    with pytest.raises(services.CaseFileError):
        services.case_file_assign(
            actor=personas["regional_investigator"], case_file=case_file, investigator=personas["station_officer"]
        )


def test_a_share_gives_access_and_its_revocation_ends_it_at_once(case_file: Any, personas: dict, units: dict) -> None:
    from tests.factories.administration import UserFactory

    lima = UserFactory(username="investigador.lima", unit=units["DIRTEPOL-LIMA-TRATA"], role="regional_investigator")
    url = reverse("investigations:case_file_detail", args=[case_file.pk])
    assert signed_in_client(lima).get(url).status_code == 404
    share = services.case_file_share(
        actor=personas["regional_investigator"],
        case_file=case_file,
        unit=units["DIRTEPOL-LIMA-TRATA"],
        reason="La víctima vive en Lima.",
    )
    client = signed_in_client(lima)
    assert client.get(url).status_code == 200
    # the unit it is shared with reads the case file, it does not work it
    assert client.get(reverse("investigations:case_file_status", args=[case_file.pk])).status_code == 403
    services.case_file_revoke_share(actor=personas["regional_investigator"], case_file=case_file, share_id=share.pk)
    assert client.get(url).status_code == 404
    assert CaseShare.objects.filter(pk=share.pk).exists()  # the share stays on record


# ---------------------------------------------------------------- the complaint's page and the alert


def test_the_station_sees_number_and_status_on_its_complaint_but_not_the_case_file(
    case_file: Any, personas: dict, complaints: dict
) -> None:
    client = signed_in_client(personas["station_officer"])
    page = client.get(reverse("complaints:complaint_detail", args=[complaints["frozen"].pk])).content.decode()
    assert case_file.number in page and "Abierta" in page
    assert reverse("investigations:case_file_detail", args=[case_file.pk]) not in page
    assert "Abrir carpeta" not in page
    assert client.get(reverse("investigations:case_file_detail", args=[case_file.pk])).status_code == 404
    assert client.get(reverse("investigations:case_file_list")).status_code == 403


def test_the_investigator_opens_a_case_file_from_the_complaint(personas: dict, complaints: dict) -> None:
    client = signed_in_client(personas["regional_investigator"])
    complaint = complaints["frozen"]
    page = client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    assert "Abrir carpeta" in page and "No se ha abierto ninguna carpeta" in page
    form = client.get(reverse("investigations:case_file_open"), {"denuncia": complaint.number}).content.decode()
    assert f'value="{complaint.number}"' in form
    response = client.post(
        reverse("investigations:case_file_open"), {"title": "Bar La Pantera", "complaints": complaint.number}
    )
    case_file = CaseFile.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/carpetas/{case_file.pk}/")
    detail = client.get(response["Location"]).content.decode()
    assert complaint.number in detail and "Bar La Pantera" in detail


def test_a_bad_complaint_number_is_refused_in_spanish(personas: dict, complaints: dict) -> None:
    client = signed_in_client(personas["regional_investigator"])
    response = client.post(reverse("investigations:case_file_open"), {"title": "X", "complaints": "NO-EXISTE-1"})
    assert response.status_code == 200
    assert "Ninguna denuncia a su alcance tiene el número NO-EXISTE-1." in response.content.decode()
    assert CaseFile.objects.count() == 0


# ---------------------------------------------------------------- bounded queries


def test_the_list_runs_a_bounded_number_of_queries(
    personas: dict, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        open_case(personas, complaints["frozen"])
    client = signed_in_client(personas["regional_investigator"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("investigations:case_file_list"))
    assert response.content.decode().count('class="case-file-row"') == 25


def test_the_detail_runs_a_bounded_number_of_queries(
    case_file: Any, personas: dict, units: dict, django_assert_max_num_queries: Any
) -> None:
    from tests.factories.administration import UserFactory

    actor = personas["regional_investigator"]
    for index in range(12):
        user = UserFactory(
            username=f"investigador.{index}", unit=units["DIRTEPOL-CUSCO-TRATA"], role="regional_investigator"
        )
        services.case_file_assign(actor=actor, case_file=case_file, investigator=user)
    for code in ("DIRTEPOL-LIMA-TRATA", "DIRTEPOL-MADRE-DE-DIOS-TRATA", "DIRTEPOL-LIMA"):
        share = services.case_file_share(actor=actor, case_file=case_file, unit=units[code], reason="R.")
        services.case_file_revoke_share(actor=actor, case_file=case_file, share_id=share.pk)
    for status in ("under_investigation", "report_sent"):
        services.case_file_change_status(actor=actor, case_file=case_file, to_status=status)
    client = signed_in_client(actor)
    with django_assert_max_num_queries(22):  # 20, its research variables and the editable catalogues
        response = client.get(reverse("investigations:case_file_detail", args=[case_file.pk]))
    page = response.content.decode()
    assert page.count('class="assignment') == 13 and page.count('class="share"') == 3
    assert page.count('class="status-change"') == 3


def test_the_alert_inbox_offers_to_open_a_case_file_to_investigators_only(personas: dict, complaints: dict) -> None:
    from complaints.models import Alert

    alert = Alert.objects.get(complaint=complaints["frozen"], unit__code="DIVINTRAP")
    page = signed_in_client(personas["national_investigator"]).get(reverse("complaints:alert_list")).content.decode()
    assert f'id="open-case-file-{alert.pk}"' in page
    assert f'name="denuncia" value="{complaints["frozen"].number}"' in page
    admin_page = signed_in_client(personas["national_admin"]).get(reverse("complaints:alert_list"))
    assert admin_page.status_code == 200 and "open-case-file" not in admin_page.content.decode()


# ---------------------------------------------------------------- persons in roles


def test_the_complaints_identified_persons_become_the_case_files_persons_without_copy(
    case_file: Any, personas: dict, complaints: dict
) -> None:
    from complaints.models import ComplaintSuspect, ComplaintVictim

    frozen = complaints["frozen"]
    identified = {
        (row.person.identity_id, "victim")
        for row in ComplaintVictim.objects.filter(complaint=frozen).select_related("person")
        if row.person.identity_id
    } | {
        (row.person.identity_id, "alleged_trafficker")
        for row in ComplaintSuspect.objects.filter(complaint=frozen).select_related("person")
        if row.person.identity_id
    }
    assert identified, "the Madre de Dios complaint names at least one identified person"
    actor = personas["regional_investigator"]
    client = signed_in_client(actor)
    response = client.post(reverse("investigations:case_file_persons_add", args=[case_file.pk]))
    assert response.status_code == 302
    assert set(CasePerson.objects.filter(case_file=case_file).values_list("identity_id", "role")) == identified
    assert services.case_file_add_complaint_persons(actor=actor, case_file=case_file) == 0  # never twice
    page = client.get(reverse("investigations:case_file_detail", args=[case_file.pk])).content.decode()
    assert page.count('class="case-person"') == len(identified)
    victims = ComplaintVictim.objects.filter(complaint=frozen).select_related("person")
    victim_names = [row.person.full_name for row in victims if row.person.full_name]
    assert all(name not in page for name in victim_names)  # a victim shows as protected, never by name


def test_adding_the_complaints_persons_from_the_persons_page_goes_back_to_it(
    personas: dict, complaints: dict, case_file: Any
) -> None:
    client = signed_in_client(personas["regional_investigator"])
    persons_page = reverse("investigations:case_person_list", args=[case_file.pk])
    assert 'name="back" value="persons"' in client.get(persons_page).content.decode()
    response = client.post(reverse("investigations:case_file_persons_add", args=[case_file.pk]), {"back": "persons"})
    assert response.status_code == 302 and response["Location"] == persons_page
    assert CasePerson.objects.filter(case_file=case_file).exists()
    response = client.post(reverse("investigations:case_file_persons_add", args=[case_file.pk]))
    assert response["Location"].endswith("#persons")  # from the summary: back to the summary


def test_the_list_filters_by_status_and_owning_unit(personas: dict, complaints: dict, units: dict) -> None:
    first = open_case(personas, complaints["frozen"])
    services.case_file_change_status(
        actor=personas["regional_investigator"], case_file=first, to_status=CaseStatus.UNDER_INVESTIGATION
    )
    open_case(personas, complaints["frozen"])
    divintrap = services.case_file_open(
        actor=personas["national_investigator"],
        data=services.OpenData(title="Caso", complaint_ids=[complaints["frozen"].pk]),
    )
    client = signed_in_client(personas["national_investigator"])
    url = reverse("investigations:case_file_list")
    rows = client.get(url, {"status": "under_investigation"}).content.decode()
    assert rows.count('class="case-file-row"') == 1 and first.number in rows
    rows = client.get(url, {"unit": units["DIVINTRAP"].pk}).content.decode()
    assert rows.count('class="case-file-row"') == 1 and divintrap.number in rows
    # the regional investigator does not see DIVINTRAP's case file
    regional = signed_in_client(personas["regional_investigator"]).get(url).content.decode()
    assert regional.count('class="case-file-row"') == 2 and divintrap.number not in regional
