"""Rotation (issue 13, item 3): an officer moves to another unit and hands her work over to a
named colleague of the unit she leaves, in one transaction; the yearly review of accounts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from administration import services
from administration.models import HandOver, Role, User
from administration.selectors import accounts_for_review, review_reasons
from audit.models import AuditEvent
from complaints.models import Alert, Complaint
from reta.guards import AppendOnlyError
from tests.conftest import signed_in_client
from tests.factories.administration import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(units: dict) -> User:
    """A station officer of the Cusco station, who receives the hand-over."""
    return UserFactory(
        username="colega.cusco", first_name="Rosa", last_name="Huamán", unit=units["DIRTEPOL-CUSCO-CPNP-1"]
    )


def _move(personas: dict, units: dict, colleague: Any, **overrides: Any) -> HandOver:
    arguments = {
        "actor": personas["national_admin"],
        "officer": personas["station_officer"],
        "to_unit": units["DIRTEPOL-LIMA-CPNP-1"],
        "colleague": colleague,
        "moved_on": timezone.localdate(),
        "reason": "Rotación anual, RD 123-2026",
    }
    arguments.update(overrides)
    return services.user_move(**arguments)


def _form(units: dict, colleague: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "to_unit": units["DIRTEPOL-LIMA-CPNP-1"].pk,
        "moved_on": timezone.localdate().isoformat(),
        "reason": "Rotación anual, RD 123-2026",
        "colleague": colleague.pk if colleague is not None else "",
    }
    data.update(overrides)
    return data


def _signed_in_by_password(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


# ---------------------------------------------------------------- the service


def test_the_move_changes_the_unit_and_passes_the_drafts_to_the_colleague(
    personas: dict, units: dict, complaints: dict, colleague: User
) -> None:
    officer = personas["station_officer"]
    draft = complaints["draft"]
    handover = _move(personas, units, colleague)

    officer.refresh_from_db()
    draft.refresh_from_db()
    assert officer.unit == units["DIRTEPOL-LIMA-CPNP-1"]
    assert draft.author == colleague and draft.is_draft
    assert draft.history.order_by("-history_date").first().history_change_reason == "hand-over"
    assert draft.history.earliest("history_date").author_id == officer.pk  # who had it before
    # The registered complaint keeps its author: a frozen record is never rewritten.
    assert Complaint.objects.get(pk=complaints["frozen"].pk).author == officer
    assert handover.from_unit == units["DIRTEPOL-CUSCO-CPNP-1"] and handover.to_unit == units["DIRTEPOL-LIMA-CPNP-1"]
    drafts = next(item for item in handover.items if item["kind"] == "complaint_drafts")
    assert drafts == {"kind": "complaint_drafts", "count": 1, "ids": [draft.pk]}
    event = AuditEvent.objects.get(event="handover")
    assert event.user_name == "national.admin" and event.object_repr == "station.officer"
    assert event.details["colleague"] == "colega.cusco" and event.details["to_unit"] == "DIRTEPOL-LIMA-CPNP-1"


def test_the_colleague_submits_the_draft_she_received(
    personas: dict, units: dict, complaints: dict, colleague: User
) -> None:
    from complaints.services import complaint_submit

    _move(personas, units, colleague)
    draft = Complaint.objects.get(pk=complaints["draft"].pk)
    registered = complaint_submit(
        actor=colleague, complaint=draft, duplicates_reviewed=True, duplicate_decision="not_same"
    )
    assert registered.status == Complaint.Status.SUBMITTED and registered.number
    assert registered.author == colleague


def test_the_unit_alerts_not_acknowledged_are_listed_to_the_colleague(
    personas: dict, units: dict, colleague: User
) -> None:
    from complaints.services import complaint_file
    from tests.factories.complaints import bar_in_madre_de_dios

    frozen = complaint_file(actor=personas["outsider"], data=bar_in_madre_de_dios())
    pending = Alert.objects.create(complaint=frozen, unit=units["DIRTEPOL-CUSCO-CPNP-1"], priority="high", outcome="x")
    Alert.objects.create(
        complaint=frozen,
        unit=units["DIRTEPOL-CUSCO-CPNP-1"],
        priority="high",
        outcome="x",
        acknowledged_at=timezone.now(),
        acknowledged_by=colleague,
    )
    handover = _move(personas, units, colleague)
    alerts = next(item for item in handover.items if item["kind"] == "alerts_pending")
    assert alerts["ids"] == [pending.pk]
    assert Alert.objects.get(pk=pending.pk).unit == units["DIRTEPOL-CUSCO-CPNP-1"]  # the alert stays with the unit


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("other_unit", "colleague", "pertenece a otra unidad"),
        ("inactive", "colleague", "no está activa"),
        ("expired", "colleague", "no está activa"),
        ("herself", "colleague", "no al oficial que se traslada"),
        ("same_unit", "to_unit", "ya pertenece a esta unidad"),
        ("future", "moved_on", "no puede ser futura"),
        ("no_reason", "reason", "Indique el motivo"),
    ],
)
def test_a_bad_move_saves_nothing_and_says_why_in_spanish(
    personas: dict, units: dict, complaints: dict, colleague: User, case: str, field: str, message: str
) -> None:
    officer = personas["station_officer"]
    overrides: dict[str, Any] = {}
    if case == "other_unit":
        overrides["colleague"] = personas["outsider"]
    elif case == "inactive":
        colleague.is_active = False
        colleague.save()
    elif case == "expired":
        colleague.expires_on = timezone.localdate() - datetime.timedelta(days=1)
        colleague.save()
    elif case == "herself":
        overrides["colleague"] = officer
    elif case == "same_unit":
        overrides["to_unit"] = units["DIRTEPOL-CUSCO-CPNP-1"]
    elif case == "future":
        overrides["moved_on"] = timezone.localdate() + datetime.timedelta(days=3)
    elif case == "no_reason":
        overrides["reason"] = "   "
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        _move(personas, units, overrides.pop("colleague", colleague), **overrides)
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.messages)
    officer.refresh_from_db()
    assert officer.unit == units["DIRTEPOL-CUSCO-CPNP-1"]
    assert Complaint.objects.get(pk=complaints["draft"].pk).author == officer
    assert not HandOver.objects.exists() and not AuditEvent.objects.filter(event="handover").exists()


def test_only_a_national_administrator_moves_an_officer(personas: dict, units: dict, colleague: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _move(personas, units, colleague, actor=personas["regional_investigator"])
    assert User.objects.get(pk=personas["station_officer"].pk).unit == units["DIRTEPOL-CUSCO-CPNP-1"]


def test_a_hand_over_is_append_only(personas: dict, units: dict, colleague: User) -> None:
    handover = _move(personas, units, colleague)
    with pytest.raises(AppendOnlyError):
        handover.save()
    with pytest.raises(AppendOnlyError):
        HandOver.objects.filter(pk=handover.pk).update(reason="otro")
    with pytest.raises(AppendOnlyError):
        handover.delete()


# ---------------------------------------------------------------- case files and tasks


@pytest.fixture
def case_work(personas: dict, units: dict, complaints: dict) -> dict[str, Any]:
    from investigations import services as case_services
    from investigations import work

    investigator = personas["regional_investigator"]
    case_file = case_services.case_file_open(
        actor=investigator,
        data=case_services.OpenData(title="Bar en Madre de Dios", complaint_ids=[complaints["frozen"].pk]),
    )
    task = work.case_task_add(
        actor=investigator,
        case_file=case_file,
        title="Pedir RENIEC",
        assignee=investigator,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    partner = UserFactory(username="colega.trata", unit=units["DIRTEPOL-CUSCO-TRATA"], role=Role.REGIONAL_INVESTIGATOR)
    return {"case_file": case_file, "task": task, "partner": partner}


def test_an_investigator_hands_over_her_case_files_and_tasks_keeping_the_history(
    personas: dict, units: dict, case_work: dict
) -> None:
    from investigations.models import CaseAssignment, CaseFile, CaseTask

    investigator, partner = personas["regional_investigator"], case_work["partner"]
    case_file, task = case_work["case_file"], case_work["task"]
    handover = _move(personas, units, partner, officer=investigator, to_unit=units["DIRTEPOL-LIMA-TRATA"])
    hers = CaseAssignment.objects.get(case_file=case_file, investigator=investigator)
    assert hers.ended_at is not None and hers.ended_by == personas["national_admin"]
    assert CaseAssignment.objects.get(case_file=case_file, investigator=partner).ended_at is None
    assert CaseFile.objects.get(pk=case_file.pk).lead == partner
    moved_task = CaseTask.objects.get(pk=task.pk)
    assert moved_task.assignee == partner
    assert moved_task.history.earliest("history_date").assignee_id == investigator.pk
    kinds = {item["kind"]: item["ids"] for item in handover.items}
    assert kinds["case_assignments"] == [case_file.pk] and kinds["case_tasks"] == [task.pk]


def test_case_files_never_pass_to_an_account_that_cannot_work_them(
    personas: dict, units: dict, case_work: dict
) -> None:
    from investigations.models import CaseTask

    investigator = personas["regional_investigator"]
    clerk = UserFactory(username="oficinista.trata", unit=units["DIRTEPOL-CUSCO-TRATA"], role=Role.STATION_OFFICER)
    with pytest.raises(ValidationError) as refused:
        _move(personas, units, clerk, officer=investigator, to_unit=units["DIRTEPOL-LIMA-TRATA"])
    assert "colleague" in refused.value.message_dict
    assert User.objects.get(pk=investigator.pk).unit == units["DIRTEPOL-CUSCO-TRATA"]
    assert CaseTask.objects.get(pk=case_work["task"].pk).assignee == investigator
    assert not HandOver.objects.exists()


# ---------------------------------------------------------------- the screens


def test_after_the_move_the_officer_loses_the_old_unit_and_sees_the_new_one(
    personas: dict, units: dict, complaints: dict, colleague: User
) -> None:
    from complaints.services import complaint_file
    from tests.factories.complaints import bar_in_madre_de_dios

    officer = personas["station_officer"]
    old_complaint = complaints["frozen"]
    lima_complaint = complaint_file(actor=personas["outsider"], data=bar_in_madre_de_dios(narrative="En Lima."))
    officer_client = signed_in_client(officer)
    old_url = reverse("complaints:complaint_detail", args=[old_complaint.pk])
    assert officer_client.get(old_url).status_code == 200

    admin = signed_in_client(personas["national_admin"])
    response = admin.post(reverse("administration:user_move", args=[officer.pk]), _form(units, colleague))
    assert response.status_code == 302
    assert response["Location"] == reverse("administration:user_detail", args=[officer.pk])

    # Her open session ended with the move: the next request asks her to sign in again.
    after = officer_client.get(old_url)
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
    # Signed in again, the old unit's complaint is not found and the new unit's is hers.
    again = _signed_in_by_password(officer.username)
    assert again.get(old_url).status_code == 404
    assert again.get(reverse("complaints:complaint_detail", args=[lima_complaint.pk])).status_code == 200
    assert again.get(reverse("complaints:complaint_edit", args=[complaints["draft"].pk])).status_code == 404


def test_the_hand_over_shows_on_both_accounts_and_on_the_colleague_home(
    personas: dict, units: dict, complaints: dict, colleague: User
) -> None:
    officer = personas["station_officer"]
    admin = signed_in_client(personas["national_admin"])
    admin.post(reverse("administration:user_move", args=[officer.pk]), _form(units, colleague))

    for account in (officer, colleague):
        page = admin.get(reverse("administration:user_detail", args=[account.pk])).content.decode()
        assert "Rotación anual, RD 123-2026" in page and "colega.cusco" in page and "station.officer" in page
    home = signed_in_client(colleague).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Se le entregó" in home or "le entregó" in home
    assert "Denuncias en borrador: 1" in home
    draft_page = signed_in_client(colleague).get(reverse("complaints:complaint_edit", args=[complaints["draft"].pk]))
    assert draft_page.status_code == 200


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_unit", "pertenece a otra unidad"),
        ("inactive", "no está activa"),
        ("same_unit", "ya pertenece a esta unidad"),
    ],
)
def test_the_form_refuses_a_bad_colleague_or_unit_with_a_spanish_message(
    personas: dict, units: dict, complaints: dict, colleague: User, case: str, message: str
) -> None:
    officer = personas["station_officer"]
    data = _form(units, colleague)
    if case == "other_unit":
        data["colleague"] = personas["outsider"].pk
    elif case == "inactive":
        colleague.is_active = False
        colleague.save()
    else:
        data["to_unit"] = units["DIRTEPOL-CUSCO-CPNP-1"].pk
    admin = signed_in_client(personas["national_admin"])
    response = admin.post(reverse("administration:user_move", args=[officer.pk]), data, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.get(pk=officer.pk).unit == units["DIRTEPOL-CUSCO-CPNP-1"]
    assert Complaint.objects.get(pk=complaints["draft"].pk).author == officer
    assert not HandOver.objects.exists()


def test_the_move_form_offers_the_active_colleagues_of_the_unit_only(
    personas: dict, units: dict, colleague: User
) -> None:
    UserFactory(username="colega.inactiva", unit=units["DIRTEPOL-CUSCO-CPNP-1"], is_active=False)
    admin = signed_in_client(personas["national_admin"])
    page = admin.get(reverse("administration:user_move", args=[personas["station_officer"].pk])).content.decode()
    assert "colega.cusco" in page
    assert "colega.inactiva" not in page and "outsider" not in page
    assert f'value="{timezone.localdate().isoformat()}"' in page


# ---------------------------------------------------------------- the yearly review


def test_accounts_not_used_or_not_reviewed_for_a_year_or_expiring_are_listed(personas: dict, units: dict) -> None:
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    recently = timezone.now() - datetime.timedelta(days=10)
    station = units["DIRTEPOL-CUSCO-CPNP-1"]
    unused = UserFactory(username="sin.uso", unit=station)
    User.objects.filter(pk=unused.pk).update(date_joined=long_ago, last_login=long_ago, reviewed_at=recently)
    unreviewed = UserFactory(username="sin.revision", unit=station)
    User.objects.filter(pk=unreviewed.pk).update(date_joined=long_ago, last_login=recently, reviewed_at=long_ago)
    expiring = UserFactory(username="por.vencer", unit=station, expires_on=today + datetime.timedelta(days=5))
    expired = UserFactory(username="vencida", unit=station, expires_on=today - datetime.timedelta(days=1))
    fine = UserFactory(username="al.dia", unit=station)
    gone = UserFactory(username="desactivada", unit=station, is_active=False)
    User.objects.filter(pk=gone.pk).update(date_joined=long_ago)

    listed = {account.username: account for account in accounts_for_review(today=today)}
    assert {"sin.uso", "sin.revision", "por.vencer", "vencida"} <= set(listed)
    assert "al.dia" not in listed and "desactivada" not in listed and fine.pk
    assert review_reasons(listed["sin.uso"], today=today).unused
    assert not review_reasons(listed["sin.uso"], today=today).unreviewed
    assert review_reasons(listed["sin.revision"], today=today).unreviewed
    assert review_reasons(listed["por.vencer"], today=today).expiring
    assert review_reasons(listed["vencida"], today=today).expired and expired.pk and expiring.pk
    from administration.access import Scope

    lima = {account.username for account in accounts_for_review(scope=Scope.subtree(units["DIRTEPOL-LIMA"]))}
    assert "sin.uso" not in lima


def test_marking_an_account_reviewed_takes_it_off_the_list_and_is_audited(personas: dict, units: dict) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=400)
    account = UserFactory(username="sin.revision", unit=units["DIRTEPOL-CUSCO-CPNP-1"])
    User.objects.filter(pk=account.pk).update(date_joined=long_ago, last_login=timezone.now())
    admin = signed_in_client(personas["national_admin"])
    page = admin.get(reverse("administration:account_review"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "sin.revision" in page and "no revisada en un año" in page

    response = admin.post(reverse("administration:user_mark_reviewed", args=[account.pk]))
    assert response["Location"] == reverse("administration:account_review")
    account.refresh_from_db()
    assert account.reviewed_by == personas["national_admin"] and account.reviewed_at is not None
    assert AuditEvent.objects.get(event="account_reviewed").object_repr == "sin.revision"
    assert f'id="account-{account.pk}"' in page
    assert f'id="account-{account.pk}"' not in admin.get(reverse("administration:account_review")).content.decode()


def test_an_expired_account_cannot_sign_in_and_loses_its_open_session(personas: dict) -> None:
    officer = personas["station_officer"]
    client = signed_in_client(officer)
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=officer.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(reverse("home")).status_code == 302
    refused = Client().post(reverse("login"), {"username": officer.username, "password": TEST_PASSWORD})
    assert refused.status_code == 200  # the form again, with the generic answer


def test_the_database_refuses_to_change_a_hand_over(personas: dict, units: dict, colleague: User) -> None:
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "mysql":
        pytest.skip("The append-only trigger exists on MySQL/MariaDB only.")
    handover = _move(personas, units, colleague)
    for statement in (
        "UPDATE administration_handover SET reason = 'otro' WHERE id = %s",
        "DELETE FROM administration_handover WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [handover.pk])
    assert HandOver.objects.get(pk=handover.pk).reason == "Rotación anual, RD 123-2026"


def test_the_review_list_and_an_account_page_run_a_bounded_number_of_queries(
    personas: dict, units: dict, colleague: User, django_assert_max_num_queries: Any
) -> None:
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for number in range(8):
        account = UserFactory(username=f"antigua.{number}", unit=units["DIRTEPOL-CUSCO-CPNP-1"])
        User.objects.filter(pk=account.pk).update(date_joined=long_ago, reviewed_by=personas["national_admin"])
    _move(personas, units, colleague)
    admin = signed_in_client(personas["national_admin"])
    with django_assert_max_num_queries(12):
        page = admin.get(reverse("administration:account_review"))
    assert page.content.decode().count('id="account-') >= 8
    with django_assert_max_num_queries(20):
        detail = admin.get(reverse("administration:user_detail", args=[colleague.pk]))
    assert "Rotación anual, RD 123-2026" in detail.content.decode()
