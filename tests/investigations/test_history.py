"""The history of a case file and of a person in it: grouped by request, field by field, masked,
audited, bounded in queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from audit.context import request_id_scope
from audit.models import AuditEvent
from investigations import case_history, services
from investigations.models import CaseFile, CasePerson, CasePersonRole
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def _open_through_the_page(client: Any, complaints: dict) -> CaseFile:
    response = client.post(
        reverse("investigations:case_file_open"),
        {"title": "Bar en Madre de Dios", "complaints": complaints["frozen"].number},
    )
    assert response.status_code == 302
    return CaseFile.objects.get()


def test_the_rows_one_request_wrote_are_one_change(personas: dict, complaints: dict) -> None:
    client = signed_in_client(personas["regional_investigator"])
    case_file = _open_through_the_page(client, complaints)
    response = client.post(
        reverse("investigations:case_file_status", args=[case_file.pk]), {"to_status": "under_investigation"}
    )
    assert response.status_code == 302
    with translation.override("es"):
        groups = case_history.case_file_history(case_file)
    assert len(groups) == 2  # the opening (case file, complaint link, assignment), then the status
    newest, opening = groups
    assert [(c.field_label, c.old, c.new) for c in newest.changes] == [("Estado", "Abierta", "En investigación")]
    subjects = {change.subject.split(" #")[0] for change in opening.changes}
    assert subjects == {"Expediente", "Denuncia de una carpeta", "Asignación a una carpeta"}
    assert opening.who and newest.when >= opening.when


def test_without_a_request_id_rows_group_by_user_and_second(case_file: CaseFile, personas: dict) -> None:
    with request_id_scope():
        services.case_file_change_status(
            actor=personas["regional_investigator"], case_file=case_file, to_status="under_investigation"
        )
    groups = case_history.case_file_history(case_file)
    assert len(groups) == 2  # the opening (no request id: one user, one second) and the scoped change


def test_the_history_page_is_audited_and_masks_the_persons(
    case_file: CaseFile, personas: dict, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    from complaints.models import ComplaintSuspect, ComplaintVictim

    actor = personas["regional_investigator"]
    client = signed_in_client(actor)
    client.post(reverse("investigations:case_file_persons_add", args=[case_file.pk]))
    with django_assert_max_num_queries(45):  # one query per model with a history, not per row
        response = client.get(reverse("investigations:case_history", args=[case_file.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and page.count('class="history-group"') >= 2
    rows = [
        *ComplaintVictim.objects.filter(complaint=complaints["frozen"]).select_related("person"),
        *ComplaintSuspect.objects.filter(complaint=complaints["frozen"]).select_related("person"),
    ]
    names = [row.person.full_name for row in rows if row.person.full_name]
    assert names and all(name not in page for name in names)
    assert page.count('class="person-history-link"') == case_file.persons.count()
    assert AuditEvent.objects.filter(event="case_history_viewed", object_id=str(case_file.pk)).count() == 1


def _person(case_file: CaseFile, actor: Any, role: str) -> CasePerson:
    services.case_file_add_complaint_persons(actor=actor, case_file=case_file)
    return CasePerson.objects.filter(case_file=case_file, role=role).select_related("identity").first()


def _trafficker(case_file: CaseFile, actor: Any) -> CasePerson:
    from people.models import Identity

    identity = Identity.objects.create(first_names="Julio César", last_names="Huamán Torres")
    return CasePerson.objects.create(
        case_file=case_file, identity=identity, role=CasePersonRole.ALLEGED_TRAFFICKER, added_by=actor
    )


def test_a_persons_history_is_masked_until_the_logged_reveal(case_file: CaseFile, personas: dict) -> None:
    from people.models import IdentityPhone

    actor = personas["regional_investigator"]
    person = _trafficker(case_file, actor)
    IdentityPhone.objects.create(identity=person.identity, number="+51987650001", source="investigation")
    url = reverse("investigations:case_person_history", args=[case_file.pk, person.pk])
    client = signed_in_client(actor)
    page = client.get(url).content.decode()
    assert person.identity.initials in page
    assert "+51987650001" not in page and person.identity.last_names not in page
    assert "•••" in page and 'id="reveal-identity"' in page
    assert AuditEvent.objects.filter(event="case_person_history_viewed").count() == 1
    revealed = client.post(url).content.decode()
    assert "+51987650001" in revealed and person.identity.last_names in revealed
    assert AuditEvent.objects.filter(event="identity_shown", object_id=str(case_file.pk)).count() == 1


def test_a_victims_history_never_shows_her_name_without_the_reveal(
    case_file: CaseFile, personas: dict, django_assert_max_num_queries: Any
) -> None:
    actor = personas["regional_investigator"]
    victim = _person(case_file, actor, CasePersonRole.VICTIM)
    assert victim is not None and victim.identity.full_name
    client = signed_in_client(actor)
    url = reverse("investigations:case_person_history", args=[case_file.pk, victim.pk])
    with django_assert_max_num_queries(40):  # one query per model with a history, not per row
        page = client.get(url).content.decode()
    assert victim.identity.first_names not in page and victim.identity.last_names not in page
    assert victim.identity.initials not in page  # protected: not even initials


def test_a_person_of_another_case_file_is_404(case_file: CaseFile, personas: dict, complaints: dict) -> None:
    from tests.investigations.conftest import open_case

    actor = personas["regional_investigator"]
    person = _person(case_file, actor, CasePersonRole.VICTIM)
    other = open_case(personas, complaints["frozen"])
    client = signed_in_client(actor)
    response = client.get(reverse("investigations:case_person_history", args=[other.pk, person.pk]))
    assert response.status_code == 404


def test_the_parts_of_the_case_file_are_in_its_history_with_personal_fields_masked(
    case_file: CaseFile, personas: dict
) -> None:
    from tests.investigations.test_charts import _things_and_work

    actor = personas["regional_investigator"]
    made = _things_and_work(case_file, actor, copies=1)
    with translation.override("en"):
        changes = [change for group in case_history.case_file_history(case_file) for change in group.changes]
        subjects = {change.subject.split(" #")[0] for change in changes}
        assert {"Phone of a case file", "Vehicle of a case file", "Leg of a route", "Operation"} <= subjects
        texts = " ".join(f"{change.old} {change.new}" for change in changes)
        assert "+51987650000" not in texts and "reclutador0" not in texts  # a phone, an account
        assert "ABC-000" in texts  # a plate is not personal data
        person_changes = [
            change for group in case_history.person_history(made["trafficker"]) for change in group.changes
        ]
    assert any(change.subject.startswith("Phone of a case file") for change in person_changes)
    assert "Huamán" not in " ".join(f"{c.old} {c.new}" for c in person_changes)
