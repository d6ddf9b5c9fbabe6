"""The investigation work of a case file: tasks, operations, exhibits and their chain of custody,
attached diligencias, the journal; append-only rows; the pages and their bounded queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from investigations import services, work
from investigations.models import (
    CaseDiligence,
    CaseTask,
    CustodyTransfer,
    Exhibit,
    ExhibitKind,
    JournalEntry,
    JournalKind,
    Operation,
    TaskStatus,
)
from reta.guards import AppendOnlyError
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(-300)  # America/Lima


def moment(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def lead(personas: dict) -> Any:
    return personas["regional_investigator"]


def add_exhibit(case_file: Any, actor: Any, **overrides: Any) -> Exhibit:
    values = {
        "description": "Celular Samsung negro",
        "kind": ExhibitKind.DEVICE,
        "seized_on": timezone.localdate() - datetime.timedelta(days=3),
        "initial_holder": "S3 PNP Rosa Huamán",
    }
    values.update(overrides)
    return work.case_exhibit_add(actor=actor, case_file=case_file, data=work.ExhibitData(**values))


def hand_over(case_file: Any, actor: Any, exhibit: Any, frm: str, to: str, when: datetime.datetime) -> Any:
    data = work.TransferData(from_holder=frm, to_holder=to, handed_at=when, reason="Para pericia.")
    return work.case_custody_transfer(actor=actor, case_file=case_file, exhibit_id=exhibit.pk, data=data)


# ---------------------------------------------------------------- tasks


def test_a_task_goes_only_to_an_investigator_assigned_to_the_case_file(
    case_file: Any, personas: dict, lead: Any
) -> None:
    due = timezone.localdate() + datetime.timedelta(days=5)
    national = personas["national_investigator"]
    with pytest.raises(services.CaseFileError) as refused:
        work.case_task_add(actor=lead, case_file=case_file, title="Pedir RENIEC", assignee=national, due_on=due)
    assert refused.value.field == "assignee"
    assert refused.value.message == (
        "Una tarea solo puede asignarse a un investigador asignado actualmente a la carpeta."
    )
    assert CaseTask.objects.count() == 0
    assignment = services.case_file_assign(actor=lead, case_file=case_file, investigator=national)
    task = work.case_task_add(actor=lead, case_file=case_file, title="Pedir RENIEC", assignee=national, due_on=due)
    assert task.assignee == national and task.status == TaskStatus.OPEN
    # unassigned: no new task for her
    services.case_file_unassign(actor=lead, case_file=case_file, assignment_id=assignment.pk)
    with pytest.raises(services.CaseFileError):
        work.case_task_add(actor=lead, case_file=case_file, title="Otra", assignee=national, due_on=due)
    assert AuditEvent.objects.filter(event="case_task_added", object_id=str(case_file.pk)).count() == 1


def test_an_open_task_past_its_deadline_is_overdue_and_closing_keeps_history(case_file: Any, lead: Any) -> None:
    with time_machine.travel(moment(2026, 3, 2, 10), tick=False):
        task = work.case_task_add(
            actor=lead, case_file=case_file, title="Ubicar testigo", assignee=lead, due_on=datetime.date(2026, 3, 10)
        )
        assert not task.is_overdue
    with time_machine.travel(moment(2026, 3, 10, 23), tick=False):
        assert not CaseTask.objects.get(pk=task.pk).is_overdue
    with time_machine.travel(moment(2026, 3, 11, 9), tick=False):
        assert CaseTask.objects.get(pk=task.pk).is_overdue
        page = signed_in_client(lead).get(reverse("investigations:case_work", args=[case_file.pk])).content.decode()
        assert 'class="case-task task-overdue"' in page and "vencida" in page
        with pytest.raises(services.CaseFileError) as refused:
            work.case_task_close(actor=lead, case_file=case_file, task_id=task.pk, status=TaskStatus.CANCELLED)
        assert refused.value.field == "closing_note"
        work.case_task_close(
            actor=lead, case_file=case_file, task_id=task.pk, status=TaskStatus.DONE, closing_note="Ubicado."
        )
        closed = CaseTask.objects.get(pk=task.pk)
        assert closed.status == TaskStatus.DONE and not closed.is_overdue and closed.closed_by == lead
        assert closed.history.count() == 2
        with pytest.raises(services.CaseFileError):
            work.case_task_close(actor=lead, case_file=case_file, task_id=task.pk, status=TaskStatus.DONE)


# ---------------------------------------------------------------- operations


def test_operations_are_numbered_per_case_file_and_link_its_persons(
    case_file: Any, lead: Any, units: dict, personas: dict
) -> None:
    services.case_file_add_complaint_persons(actor=lead, case_file=case_file)
    persons = list(case_file.persons.all())
    when = timezone.now() - datetime.timedelta(days=1)
    data = work.OperationData(
        occurred_at=when,
        place="Bar El Dorado, Laberinto",
        units=[units["DIRTEPOL-CUSCO-TRATA"], units["DIRTEPOL-MADRE-DE-DIOS-TRATA"]],
        persons_rescued=2,
        persons_arrested=1,
        items_seized="Dos celulares; S/ 1,500",
    )
    first = work.case_operation_add(actor=lead, case_file=case_file, data=data)
    second = work.case_operation_add(actor=lead, case_file=case_file, data=data)
    assert (first.number, second.number) == (1, 2)
    assert first.units.count() == 2 and first.history.count() == 1
    if persons:
        data.rescued_persons = persons[:1]
        third = work.case_operation_add(actor=lead, case_file=case_file, data=data)
        assert list(third.rescued_persons.all()) == persons[:1]
    # more linked persons than counted, a future date: refused, nothing saved
    count = Operation.objects.count()
    with pytest.raises(services.CaseFileError):
        work.case_operation_add(
            actor=lead,
            case_file=case_file,
            data=work.OperationData(occurred_at=timezone.now() + datetime.timedelta(hours=2), place="X"),
        )
    assert Operation.objects.count() == count
    assert AuditEvent.objects.filter(event="case_operation_added").count() == count


# ---------------------------------------------------------------- exhibits and custody


def test_exhibit_codes_are_consecutive_per_case_file(case_file: Any, lead: Any, complaints: dict) -> None:
    codes = [add_exhibit(case_file, lead).code for _ in range(3)]
    assert codes == ["EV-001", "EV-002", "EV-003"]
    other = services.case_file_open(
        actor=lead, data=services.OpenData(title="Otro caso", complaint_ids=[complaints["frozen"].pk])
    )
    assert add_exhibit(other, lead).code == "EV-001"
    assert list(Exhibit.objects.filter(case_file=case_file).values_list("sequence", flat=True)) == [1, 2, 3]


def test_an_exhibit_of_an_operation_cannot_be_seized_before_it(case_file: Any, lead: Any) -> None:
    operation = work.case_operation_add(
        actor=lead,
        case_file=case_file,
        data=work.OperationData(occurred_at=timezone.now() - datetime.timedelta(days=1), place="Laberinto"),
    )
    with pytest.raises(services.CaseFileError) as refused:
        add_exhibit(case_file, lead, operation=operation, seized_on=timezone.localdate() - datetime.timedelta(days=5))
    assert refused.value.field == "seized_on"
    exhibit = add_exhibit(case_file, lead, operation=operation, seized_on=timezone.localdate())
    assert exhibit.operation == operation


def test_the_chain_of_custody_starts_at_the_current_holder_and_goes_forward(case_file: Any, lead: Any) -> None:
    exhibit = add_exhibit(case_file, lead)
    assert exhibit.current_holder == "S3 PNP Rosa Huamán"
    now = timezone.now()
    with pytest.raises(services.CaseFileError) as refused:
        hand_over(case_file, lead, exhibit, "Otro policía", "Perito", now - datetime.timedelta(days=1))
    assert refused.value.field == "from_holder"
    assert refused.value.message == "Solo el custodio actual (S3 PNP Rosa Huamán) puede entregar la evidencia."
    hand_over(case_file, lead, exhibit, "s3 pnp  rosa huamán", "Perito Juan Quispe", now - datetime.timedelta(days=1))
    assert Exhibit.objects.get(pk=exhibit.pk).current_holder == "Perito Juan Quispe"
    with pytest.raises(services.CaseFileError) as refused:  # before the previous hand-over
        hand_over(case_file, lead, exhibit, "Perito Juan Quispe", "Almacén", now - datetime.timedelta(days=2))
    assert refused.value.field == "handed_at"
    with pytest.raises(services.CaseFileError) as refused:  # in the future
        hand_over(case_file, lead, exhibit, "Perito Juan Quispe", "Almacén", now + datetime.timedelta(hours=1))
    assert refused.value.field == "handed_at"
    hand_over(case_file, lead, exhibit, "Perito Juan Quispe", "Almacén de evidencias", now)
    chain = work.exhibit_with_chain(case_file, exhibit.pk)
    assert [(t.from_holder, t.to_holder) for t in chain.chain] == [
        ("s3 pnp  rosa huamán", "Perito Juan Quispe"),
        ("Perito Juan Quispe", "Almacén de evidencias"),
    ]
    assert chain.current_holder == "Almacén de evidencias"
    assert AuditEvent.objects.filter(event="case_custody_transferred").count() == 2


def test_custody_transfers_are_append_only_in_the_orm(case_file: Any, lead: Any) -> None:
    exhibit = add_exhibit(case_file, lead)
    transfer = hand_over(case_file, lead, exhibit, "S3 PNP Rosa Huamán", "Perito", timezone.now())
    transfer.reason = "Otra cosa"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        transfer.save()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        transfer.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        CustodyTransfer.objects.filter(pk=transfer.pk).update(to_holder="x")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        CustodyTransfer.objects.filter(pk=transfer.pk).delete()
    assert CustodyTransfer.objects.get(pk=transfer.pk).reason == "Para pericia."


@pytest.mark.mysql
@pytest.mark.parametrize(
    ("table", "statement"),
    [
        ("custodytransfer", "UPDATE investigations_custodytransfer SET to_holder = 'x' WHERE id = %s"),
        ("custodytransfer", "DELETE FROM investigations_custodytransfer WHERE id = %s"),
        ("journalentry", "UPDATE investigations_journalentry SET text = 'x' WHERE id = %s"),
        ("journalentry", "DELETE FROM investigations_journalentry WHERE id = %s"),
    ],
)
def test_the_database_refuses_raw_changes_of_custody_and_journal(
    case_file: Any, lead: Any, table: str, statement: str
) -> None:
    if connection.vendor != "mysql":
        pytest.skip("The append-only triggers exist on MySQL/MariaDB only (SQLite is the try-out database).")
    exhibit = add_exhibit(case_file, lead)
    transfer = hand_over(case_file, lead, exhibit, "S3 PNP Rosa Huamán", "Perito", timezone.now())
    entry = work.case_journal_write(actor=lead, case_file=case_file, entry_date=timezone.localdate(), text="Nota.")
    pk = transfer.pk if table == "custodytransfer" else entry.pk
    with pytest.raises(Exception) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [pk])
    assert "append-only" in str(error.value)
    assert CustodyTransfer.objects.get(pk=transfer.pk).to_holder == "Perito"
    assert JournalEntry.objects.get(pk=entry.pk).text == "Nota."


# ---------------------------------------------------------------- journal


def test_a_correction_is_a_new_entry_and_leaves_the_original(case_file: Any, lead: Any, personas: dict) -> None:
    today = timezone.localdate()
    original = work.case_journal_write(
        actor=lead, case_file=case_file, entry_date=today, text="La víctima declaró el 3 de marzo.", kind="statement"
    )
    correction = work.case_journal_write(
        actor=lead,
        case_file=case_file,
        entry_date=today,
        text="La víctima declaró el 4 de marzo.",
        kind=JournalKind.STATEMENT,
        corrects_id=original.pk,
    )
    assert (original.sequence, correction.sequence) == (1, 2)
    stored = JournalEntry.objects.get(pk=original.pk)
    assert stored.text == "La víctima declaró el 3 de marzo." and stored.corrects is None
    assert correction.corrects == stored
    with pytest.raises(services.CaseFileError):  # corrected once: correct the correction
        work.case_journal_write(
            actor=lead, case_file=case_file, entry_date=today, text="Otra.", corrects_id=original.pk
        )
    assert [entry.pk for entry in work.statements_of(case_file)] == [correction.pk]
    journal = work.journal_of(case_file)
    assert journal[0].corrected_by == correction and journal[1].corrected_by is None
    page = signed_in_client(lead).get(reverse("investigations:case_work", args=[case_file.pk])).content.decode()
    assert "corregida por #2" in page and "La víctima declaró el 3 de marzo." in page


def test_a_journal_entry_cannot_be_dated_in_the_future(case_file: Any, lead: Any) -> None:
    with pytest.raises(services.CaseFileError) as refused:
        work.case_journal_write(
            actor=lead, case_file=case_file, entry_date=timezone.localdate() + datetime.timedelta(days=1), text="x"
        )
    assert refused.value.field == "entry_date" and JournalEntry.objects.count() == 0


# ---------------------------------------------------------------- diligencias


def test_the_diligencias_of_linked_complaints_are_listed_and_another_can_be_attached(
    case_file: Any, lead: Any, personas: dict, complaints: dict
) -> None:
    from complaints.services import complaint_file
    from diligences import services as register
    from diligences.models import DiligenceType
    from tests.factories.complaints import bar_in_madre_de_dios

    officer = personas["station_officer"]

    def record(complaint: Any) -> Any:
        data = register.DiligenceData(
            kind=DiligenceType.RESCUE,
            date=timezone.localdate(),
            officer="S3 PNP Rosa Huamán",
            addressee="",
            document_number="",
            description="Rescate.",
        )
        return register.diligence_record(actor=officer, complaint=complaint, data=data)

    own = record(complaints["frozen"])
    other_complaint = complaint_file(actor=officer, data=bar_in_madre_de_dios())
    other = record(other_complaint)
    assert [row["diligence"] for row in work.diligences_of(case_file)] == [own]
    assert list(work.attachable_diligences(lead, case_file)) == [other]
    with pytest.raises(services.CaseFileError):  # listed already through its complaint
        work.case_diligence_attach(actor=lead, case_file=case_file, diligence_id=own.pk)
    work.case_diligence_attach(actor=lead, case_file=case_file, diligence_id=other.pk)
    rows = work.diligences_of(case_file)
    assert {row["diligence"].pk for row in rows} == {own.pk, other.pk}
    assert [row["attached"] is not None for row in rows if row["diligence"] == other] == [True]
    with pytest.raises(services.CaseFileError):
        work.case_diligence_attach(actor=lead, case_file=case_file, diligence_id=other.pk)
    assert CaseDiligence.objects.count() == 1
    with pytest.raises(AppendOnlyError):
        CaseDiligence.objects.get().delete()


# ---------------------------------------------------------------- access


def test_a_shared_unit_reads_the_work_but_does_not_write(case_file: Any, lead: Any, units: dict) -> None:
    from tests.factories.administration import UserFactory

    exhibit = add_exhibit(case_file, lead)
    services.case_file_share(actor=lead, case_file=case_file, unit=units["DIRTEPOL-LIMA-TRATA"], reason="R.")
    lima = UserFactory(username="investigador.lima", unit=units["DIRTEPOL-LIMA-TRATA"], role="regional_investigator")
    client = signed_in_client(lima)
    page = client.get(reverse("investigations:case_work", args=[case_file.pk]))
    assert page.status_code == 200 and 'id="exhibit-add-link"' not in page.content.decode()
    detail = client.get(reverse("investigations:case_exhibit_detail", args=[case_file.pk, exhibit.pk]))
    assert detail.status_code == 200 and 'id="transfer-submit"' not in detail.content.decode()
    assert client.get(reverse("investigations:case_exhibit_add", args=[case_file.pk])).status_code == 403
    with pytest.raises(services.NotAllowedError):
        add_exhibit(case_file, lima)


def test_an_exhibit_of_another_case_file_is_404(case_file: Any, lead: Any, complaints: dict) -> None:
    other = services.case_file_open(
        actor=lead, data=services.OpenData(title="Otro", complaint_ids=[complaints["frozen"].pk])
    )
    exhibit = add_exhibit(other, lead)
    client = signed_in_client(lead)
    assert client.get(reverse("investigations:case_exhibit_detail", args=[case_file.pk, exhibit.pk])).status_code == 404


def test_the_exhibit_form_refuses_bad_input_in_spanish_and_saves_nothing(case_file: Any, lead: Any) -> None:
    client = signed_in_client(lead)
    url = reverse("investigations:case_exhibit_add", args=[case_file.pk])
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        url, {"description": "Sobre", "kind": "document", "seized_on": future, "initial_holder": "S3 PNP Rosa"}
    )
    assert response.status_code == 200
    assert "La fecha no puede ser futura." in response.content.decode()
    assert Exhibit.objects.count() == 0
    today = timezone.localdate().isoformat()
    response = client.post(
        url, {"description": "Sobre", "kind": "document", "seized_on": today, "initial_holder": "S3 PNP Rosa"}
    )
    assert response.status_code == 302 and Exhibit.objects.get().code == "EV-001"


# ---------------------------------------------------------------- bounded queries


def test_the_work_page_runs_a_bounded_number_of_queries(
    case_file: Any, lead: Any, units: dict, django_assert_max_num_queries: Any
) -> None:
    services.case_file_add_complaint_persons(actor=lead, case_file=case_file)
    persons = list(case_file.persons.all())
    due = timezone.localdate() + datetime.timedelta(days=3)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    for index in range(8):
        task = work.case_task_add(actor=lead, case_file=case_file, title=f"Tarea {index}", assignee=lead, due_on=due)
        if index % 2:
            work.case_task_close(actor=lead, case_file=case_file, task_id=task.pk, status=TaskStatus.DONE)
        operation = work.case_operation_add(
            actor=lead,
            case_file=case_file,
            data=work.OperationData(
                occurred_at=yesterday,
                place=f"Lugar {index}",
                units=[units["DIRTEPOL-CUSCO-TRATA"], units["DIRTEPOL-LIMA-TRATA"]],
                persons_rescued=len(persons),
                rescued_persons=persons,
            ),
        )
        exhibit = add_exhibit(case_file, lead, operation=operation, seized_on=timezone.localdate())
        hand_over(case_file, lead, exhibit, "S3 PNP Rosa Huamán", f"Perito {index}", timezone.now())
        entry = work.case_journal_write(
            actor=lead, case_file=case_file, entry_date=timezone.localdate(), text=f"Nota {index}"
        )
        work.case_journal_write(
            actor=lead, case_file=case_file, entry_date=timezone.localdate(), text="Corrige", corrects_id=entry.pk
        )
    client = signed_in_client(lead)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("investigations:case_work", args=[case_file.pk]))
    page = response.content.decode()
    assert page.count('class="case-task') == 8 and page.count('class="operation"') == 8
    assert page.count('class="exhibit"') == 8 and page.count('class="journal-entry') == 16
    assert "Perito 7" in page


def test_the_exhibit_page_runs_a_bounded_number_of_queries(
    case_file: Any, lead: Any, django_assert_max_num_queries: Any
) -> None:
    exhibit = add_exhibit(case_file, lead)
    holder = "S3 PNP Rosa Huamán"
    start = timezone.now() - datetime.timedelta(hours=20)
    for index in range(15):
        hand_over(case_file, lead, exhibit, holder, f"Custodio {index}", start + datetime.timedelta(hours=index))
        holder = f"Custodio {index}"
    client = signed_in_client(lead)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("investigations:case_exhibit_detail", args=[case_file.pk, exhibit.pk]))
    page = response.content.decode()
    assert page.count('class="custody-transfer"') == 15
    assert 'id="exhibit-holder">Custodio 14<' in page
    chain = page[page.index('id="custody-chain"') :]
    assert chain.index("Custodio 0<") < chain.index("Custodio 9<") < chain.index("Custodio 14<")


def test_the_operation_and_journal_forms_offer_the_persons_of_the_case_file(case_file: Any, lead: Any) -> None:
    """The forms list each person as the case file's pages show them (role and protected name):
    with persons in the case file, these pages failed (the persons' rows were read as dicts)."""
    services.case_file_add_complaint_persons(actor=lead, case_file=case_file)
    person = case_file.persons.get(role="victim")
    client = signed_in_client(lead)
    for name in ("case_operation_add", "case_journal_add"):
        response = client.get(reverse(f"investigations:{name}", args=[case_file.pk]))
        assert response.status_code == 200, name
        page = response.content.decode()
        assert f'value="{person.pk}"' in page and "Víctima: " in page, name
        assert "Lucía" not in page  # the minor victim is shown as protected
    choices = dict(work.person_choices(case_file))
    assert choices[person.pk].startswith("Víctima: ") or choices[person.pk].startswith("Victim: ")
