"""Printed carbonless complaint forms (BRIEF.md workflow 3): batches of serial numbers issued to
units, and one row per serial (one printed form set), marked when the paper is entered as a
complaint. The rules live in `paperforms.services` (writes), `paperforms.selectors` (reads) and
`paperforms.policies`.

Tables: the models were created by `administration` (migration administration/0002) and moved
here by state only (paperforms/0001, administration/0005), so they keep their tables —
`administration_paperformbatch`, `administration_paperformserial` and their historical tables —
named in `Meta.db_table` and `history_records(table_name=...)`. Keeping the names makes the move
free on a live database (no data copied, no index, constraint or history renamed) and keeps the
index and constraint names the state expects.

Owns: `PaperFormBatch`, `PaperFormSerial`. Imports `administration.models`; the complaint a form
became is referred to by its label ("complaints.Complaint"), never imported.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import ScopedQuerySet
from administration.models import Unit, User
from reta.history import history_records


class PaperFormBatch(models.Model):
    """A batch of serial numbers issued to a unit: one printed form set per serial."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("issued to"), on_delete=models.PROTECT, related_name="paper_form_batches"
    )
    first_serial = models.CharField(_("first serial"), max_length=20)
    last_serial = models.CharField(_("last serial"), max_length=20)
    count = models.PositiveIntegerField(_("number of forms"))
    issued_by = models.ForeignKey(
        User, verbose_name=_("issued by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A plain-text copy: the command line may issue without an account (paperforms.services).
    issued_by_name = models.CharField(_("issued by (name)"), max_length=150, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, db_index=True)
    # One-time token of the issue form: sending it twice finds the first batch (SECURITY.md 26).
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    history = history_records(excluded_fields=["form_token"], table_name="administration_historicalpaperformbatch")

    # Who sees a batch (administration.access): the units of the user's scope see their batches.
    scope_fields = ("unit",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "administration_paperformbatch"
        verbose_name = _("batch of paper forms")
        verbose_name_plural = _("batches of paper forms")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.first_serial} – {self.last_serial}"


class PaperFormSerial(models.Model):
    """One printed form set (original and two copies share the serial). `entered_complaint` is
    set once, when the paper is entered as a complaint; a serial is never entered twice."""

    serial = models.CharField(_("serial number"), max_length=20, unique=True)
    number = models.PositiveIntegerField(_("sequence number"), unique=True, editable=False)
    batch = models.ForeignKey(PaperFormBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="serials")
    # Denormalised from the batch: the register counts outstanding forms per unit.
    unit = models.ForeignKey(
        Unit, verbose_name=_("issued to"), on_delete=models.PROTECT, related_name="paper_form_serials"
    )
    entered_complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("entered as complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paper_forms",
    )
    entered_at = models.DateTimeField(_("entered"), null=True, blank=True)

    history = history_records(table_name="administration_historicalpaperformserial")

    # Who sees a serial (administration.access): the scope of the unit it was issued to.
    scope_fields = ("unit",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "administration_paperformserial"
        verbose_name = _("paper form serial")
        verbose_name_plural = _("paper form serials")
        ordering = ["number"]
        constraints = [
            # One paper form per complaint (several NULLs are allowed by every backend).
            models.UniqueConstraint(fields=["entered_complaint"], name="paper_form_one_per_complaint"),
        ]
        indexes = [models.Index(fields=["unit", "entered_at"])]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_entered(self) -> bool:
        return self.entered_complaint_id is not None
