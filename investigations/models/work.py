"""The investigation work of a case file (issue 11 item 4): tasks assigned to investigators,
police operations (*operativos*), exhibits (*evidencias*) with their chain of custody, the
diligencias of the Reporting module attached to the case file, and the investigator's journal.

- `CaseTask`: a line of enquiry for an investigator currently assigned to the case file, with a
  deadline (`due_on`); open, done or cancelled. Overdue: open and `due_on` before today
  (`timezone.localdate()`). History kept (simple-history).
- `Operation`: an *operativo*, numbered within its case file (`number`), with the participating
  units, the counts of persons rescued and arrested (and, optionally, which persons of the case
  file they were), and the items seized. History kept.
- `Exhibit`: a piece of evidence, coded per case file ("EV-001", `sequence` taken under the case
  file's row lock by investigations.work), optionally seized in an `Operation`. History kept.
- `CustodyTransfer`: one hand-over of an exhibit (from, to, when, why). APPEND-ONLY. The
  exhibit's current holder is the last transfer's `to_holder` (the initial holder before any).
- `CaseDiligence`: a diligencia (diligences.models.Diligence) of a complaint that is not linked to
  the case file, attached by an investigator. APPEND-ONLY. The diligencias of the linked complaints
  are listed without a row here.
- `JournalEntry`: a dated, immutable entry of the investigator's journal (note, statement,
  other). APPEND-ONLY; a correction is a new entry whose `corrects` points at the old one.

Append-only rows refuse change in the ORM (reta.guards) and, on MySQL/MariaDB, by BEFORE UPDATE
and BEFORE DELETE triggers (migration 0006_work), as do the history tables of the other three.

Every model is seen by whoever sees its case file (`scope_parent`, administration.access).
Imports administration, diligences (by label), reta; the case file models of this package.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import ScopedQuerySet
from administration.models import District, Unit
from investigations.models.case_files import CaseFile, CasePerson
from reta.guards import AppendOnlyModel, AppendOnlyQuerySet
from reta.history import history_records

EXHIBIT_CODE_PREFIX = "EV"


class WorkAppendOnlyQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """Append-only (reta.guards) with `visible_to(user)` (administration.access)."""


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CaseTask(models.Model):
    """A task or line of enquiry assigned to an investigator of the case file, with a deadline."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("task of a case file")
        verbose_name_plural = _("tasks of case files")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        """Open and past its deadline (today's date in the project's time zone)."""
        return self.status == TaskStatus.OPEN and self.due_on < timezone.localdate()


class Operation(models.Model):
    """A police operation (*operativo*) of the case file."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="operations")
    number = models.PositiveIntegerField(_("operation number"))
    occurred_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    units = models.ManyToManyField(Unit, verbose_name=_("participating units"), related_name="+", blank=True)
    persons_rescued = models.PositiveIntegerField(_("persons rescued"), default=0)
    persons_arrested = models.PositiveIntegerField(_("persons arrested"), default=0)
    rescued_persons = models.ManyToManyField(
        CasePerson, verbose_name=_("rescued persons of the case file"), related_name="rescued_in", blank=True
    )
    arrested_persons = models.ManyToManyField(
        CasePerson, verbose_name=_("arrested persons of the case file"), related_name="arrested_in", blank=True
    )
    items_seized = models.TextField(_("items seized"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case_file", "number"], name="operation_number_per_case")]

    def __str__(self) -> str:
        return f"Operativo {self.number}"


class ExhibitKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    DEVICE = "device", _("Phone or electronic device")
    MONEY = "money", _("Money")
    DRUG = "drug", _("Drug")
    WEAPON = "weapon", _("Weapon")
    CLOTHING = "clothing", _("Clothing")
    DIGITAL_COPY = "digital_copy", _("Digital copy")
    OTHER = "other", _("Other")


def exhibit_code(sequence: int) -> str:
    return f"{EXHIBIT_CODE_PREFIX}-{sequence:03d}"


class Exhibit(models.Model):
    """A piece of evidence of the case file; its chain of custody is its `transfers`."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="exhibits")
    sequence = models.PositiveIntegerField(_("number in the case file"))
    code = models.CharField(_("code"), max_length=20)
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind"), max_length=16, choices=ExhibitKind.choices)
    seized_on = models.DateField(_("seized on"))
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("seized in operation"),
        on_delete=models.PROTECT,
        related_name="exhibits",
        null=True,
        blank=True,
    )
    seized_from = models.CharField(_("seized from"), max_length=300, blank=True)
    initial_holder = models.CharField(_("first holder"), max_length=200)
    initial_holder_unit = models.ForeignKey(
        Unit, verbose_name=_("first holder's unit"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    storage_place = models.CharField(_("storage place"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("exhibit")
        verbose_name_plural = _("exhibits")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "sequence"], name="exhibit_sequence_per_case"),
            models.UniqueConstraint(fields=["case_file", "code"], name="exhibit_code_per_case"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def current_holder(self) -> str:
        """The last hand-over's receiver, or the first holder. Uses the `last_to_holder`
        annotation of investigations.work.exhibits_with_holder when present (no query)."""
        if hasattr(self, "last_to_holder"):
            return self.last_to_holder or self.initial_holder
        last = self.transfers.order_by("-handed_at", "-pk").first()
        return last.to_holder if last else self.initial_holder


class CustodyTransfer(AppendOnlyModel):
    """One hand-over of an exhibit in its chain of custody. Never changed nor deleted."""

    append_only_message = "The chain of custody is append-only: record a new hand-over."

    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="transfers")
    from_holder = models.CharField(_("handed over by"), max_length=200)
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("unit handing over"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    to_holder = models.CharField(_("received by"), max_length=200)
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    handed_at = models.DateTimeField(_("handed over"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    scope_parent = "exhibit"
    objects = WorkAppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("custody hand-over")
        verbose_name_plural = _("custody hand-overs")
        base_manager_name = "objects"
        ordering = ["handed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_holder} → {self.to_holder}"


class CaseDiligence(AppendOnlyModel):
    """A diligencia of a complaint not linked to the case file, attached to it."""

    append_only_message = "The diligencias attached to a case file are append-only."

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="diligence_links")
    diligence = models.ForeignKey(
        "diligences.Diligence", verbose_name=_("diligencia"), on_delete=models.PROTECT, related_name="+"
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("attached by"), on_delete=models.PROTECT, related_name="+"
    )
    attached_at = models.DateTimeField(_("attached"), default=timezone.now)

    scope_parent = "case_file"
    objects = WorkAppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("diligencia attached to a case file")
        verbose_name_plural = _("diligencias attached to case files")
        base_manager_name = "objects"
        ordering = ["attached_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case_file", "diligence"], name="case_diligence_once")]


class JournalKind(models.TextChoices):
    NOTE = "note", _("Note")
    STATEMENT = "statement", _("Statement")
    OTHER = "other", _("Other")


class JournalEntry(AppendOnlyModel):
    """A dated entry of the investigator's journal, numbered per case file (`sequence`, "#n").
    Never changed: a correction is a new entry pointing at the one it corrects."""

    append_only_message = "The journal is append-only: write a correction."

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="journal_entries")
    sequence = models.PositiveIntegerField(_("entry number"))
    entry_date = models.DateField(_("date of the fact"))
    kind = models.CharField(_("kind"), max_length=12, choices=JournalKind.choices, default=JournalKind.NOTE)
    person = models.ForeignKey(
        CasePerson,
        verbose_name=_("person making the statement"),
        on_delete=models.PROTECT,
        related_name="journal_entries",
        null=True,
        blank=True,
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects entry"),
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
    )

    scope_parent = "case_file"
    objects = WorkAppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        base_manager_name = "objects"
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "sequence"], name="journal_sequence_per_case"),
            # An entry is corrected once; a later mistake corrects the correction.
            models.UniqueConstraint(fields=["corrects"], name="journal_corrected_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence}"

    @property
    def is_statement(self) -> bool:
        return self.kind == JournalKind.STATEMENT
