"""Case files (*carpetas de investigación*) of the Investigation module.

A `CaseFile` is numbered per owning unit and year by `administration.numbering` (series
`case_file`, format `<UNIT>-CI-<YEAR>-<000001>`, investigations.services). It points at the
complaints it grew from through `CaseComplaint` (never a copy of the complaint), or names another
agency's case (`agency_name`, `agency_reference`).

Who sees a case file (`CaseFile.visible_q`, administration.access): only the investigating roles
(regional and national investigators, investigations.policies.CASE_ROLES); among them, the case
files whose owning unit lies in the user's scope (DIVINTRAP: national), and those shared with a
unit of the user's scope by a share not revoked (`CaseShare` without a `CaseShareRevocation`).
Station officers, the hotline, the administrator, the monitor and the auditor see no case file;
the station sees the number and status of a case file on its complaint's page only
(investigations.selectors.case_files_of_complaint).

Append-only (reta.guards, and on MariaDB by trigger, migration 0002): the status changes
(`CaseStatusChange`), the shares and their revocations. The case file itself (its current status
mirrors the last change), the assignments (unassignment stamps `ended_at`) keep every version in
their simple-history tables.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import NOTHING, ScopedQuerySet, field_path, scope_of
from administration.catalogues import Catalogue, CatalogueCharField
from administration.models import Unit
from administration.roles import Role
from complaints.models import Complaint
from reta.guards import AppendOnlyModel, AppendOnlyQuerySet
from reta.history import history_records

# The roles that work case files (BRIEF.md "Who uses it"); investigations.policies reads it too.
CASE_ROLES = frozenset({Role.REGIONAL_INVESTIGATOR, Role.NATIONAL_INVESTIGATOR})


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    REPORT_SENT = "report_sent", _("Report sent to the prosecutor")
    CLOSED = "closed", _("Closed / archived")


class CaseFile(models.Model):
    number = models.CharField(_("case file number"), max_length=80, unique=True)
    owning_unit = models.ForeignKey(
        Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="case_files"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lead investigator"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    agency_name = models.CharField(_("other agency"), max_length=200, blank=True)
    agency_reference = models.CharField(_("other agency's reference"), max_length=100, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    complaints = models.ManyToManyField(
        Complaint, through="CaseComplaint", related_name="case_files", verbose_name=_("complaints")
    )

    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owning_unit", "year", "sequence"], name="case_file_unit_year_sequence")
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def visible_q(cls, user: Any, *, prefix: str = "") -> Q:
        """The investigating roles only: the case files owned in the user's scope, and those shared
        (not revoked) with a unit of the scope. Nothing for anyone else."""
        if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) not in CASE_ROLES:
            return NOTHING
        scope = scope_of(user)
        if scope.is_nothing:
            return NOTHING
        if scope.is_national:
            return Q()
        owned = scope.q(field_path(prefix, "owning_unit"))
        shared_ids = CaseShare.objects.filter(scope.q("unit"), revocation__isnull=True).values("case_file_id")
        return owned | Q(**{field_path(prefix, "pk__in"): shared_ids})


class CaseComplaint(models.Model):
    """A complaint a case file grew from (the complaint is pointed at, never copied)."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="complaint_links")
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="case_file_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("complaint of a case file")
        verbose_name_plural = _("complaints of a case file")
        constraints = [models.UniqueConstraint(fields=["case_file", "complaint"], name="case_complaint_once")]

    def __str__(self) -> str:
        return f"{self.case_file_id} ← {self.complaint_id}"


class CaseStatusChange(AppendOnlyModel):
    """One step of the workflow: from, to, who, when, why. Never changed nor deleted."""

    append_only_message = "The status changes of a case file are append-only."

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=24, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=CaseStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    scope_parent = "case_file"
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change of a case file")
        verbose_name_plural = _("status changes of case files")
        base_manager_name = "objects"
        ordering = ["changed_at", "pk"]


class CaseAssignment(models.Model):
    """An investigator assigned to a case file; unassigning stamps `ended_at`/`ended_by` (the row
    and its history stay)."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="assignments")
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("investigator"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("unassigned by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    ended_at = models.DateTimeField(_("unassigned"), null=True, blank=True)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("assignment to a case file")
        verbose_name_plural = _("assignments to case files")
        ordering = ["assigned_at", "pk"]
        # One current assignment per investigator: checked by the service under the case file's
        # lock (MariaDB has no partial unique index).

    def __str__(self) -> str:
        return f"{self.case_file_id} → {self.investigator_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class CaseShare(AppendOnlyModel):
    """A case file shared with another unit (its subtree sees it). Revoked by a
    `CaseShareRevocation`: access ends at once, both rows stay."""

    append_only_message = "The shares of a case file are append-only: revoke a share instead."

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="shares")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="case_shares")
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("shared by"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("shared"), default=timezone.now)

    scope_parent = "case_file"
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("share of a case file")
        verbose_name_plural = _("shares of case files")
        base_manager_name = "objects"
        ordering = ["granted_at", "pk"]

    @property
    def revoked(self) -> CaseShareRevocation | None:
        """The revocation of this share, or None while it is in force."""
        try:
            return self.revocation
        except CaseShareRevocation.DoesNotExist:
            return None


class CaseShareRevocation(AppendOnlyModel):
    append_only_message = "The revocations of a share are append-only."

    share = models.OneToOneField(CaseShare, on_delete=models.PROTECT, related_name="revocation")
    reason = models.TextField(_("reason"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("revocation of a share")
        verbose_name_plural = _("revocations of shares")
        base_manager_name = "objects"


class CasePersonRole(models.TextChoices):
    ALLEGED_TRAFFICKER = "alleged_trafficker", _("Alleged trafficker")
    VICTIM = "victim", _("Victim")
    WHISTLEBLOWER = "whistleblower", _("Whistleblower / informant")
    WITNESS = "witness", _("Witness")
    COMPLAINANT = "complainant", _("Complainant")


class OrganisationRole(models.TextChoices):
    """The part a person plays in the trafficking organisation (issue 11 item 2)."""

    RECRUITER = "recruiter", _("Recruiter")
    DOCUMENT_HANDLER = "document_handler", _("Document handler")
    TRANSPORTER = "transporter", _("Transporter")
    RECEIVER_KEEPER = "receiver_keeper", _("Receiver / keeper")
    EXPLOITER = "exploiter", _("Exploiter")
    FINANCIER = "financier", _("Financier")


class RecruitmentMethod(models.TextChoices):
    """How a victim was recruited (or how a recruiter works)."""

    JOB_OFFER_NEWSPAPER = "job_offer_newspaper", _("False job offer in a newspaper")
    JOB_OFFER_RADIO = "job_offer_radio", _("False job offer on the radio")
    SOCIAL_NETWORK = "social_network", _("Social network")
    ACQUAINTANCE = "acquaintance", _("Acquaintance")
    FAMILY = "family", _("Family member")
    AGENCY = "agency", _("Employment or travel agency")
    OTHER = "other", _("Other method")


class CasePerson(models.Model):
    """A person in a role in a case file: a pointer at an identity of the people module (the same
    identity as the complaint's victim or alleged trafficker, never a copy). A whistleblower is
    shown by a code name; a victim as protected (people.privacy) until the reveal of item 2."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="persons")
    identity = models.ForeignKey(
        "people.Identity", verbose_name=_("identity"), on_delete=models.PROTECT, related_name="case_roles"
    )
    role = models.CharField(_("role"), max_length=24, choices=CasePersonRole.choices)
    code_name = models.CharField(_("code name"), max_length=80, blank=True)
    organisation_role = models.CharField(
        _("role in the organisation"), max_length=24, choices=OrganisationRole.choices, blank=True
    )
    recruitment_method = CatalogueCharField(
        _("recruitment method"), catalogue=Catalogue.RECRUITMENT_METHOD, max_length=24, blank=True
    )
    recruitment_detail = models.CharField(_("recruitment details"), max_length=300, blank=True)
    notes = models.TextField(_("notes on the person in the case"), blank=True)
    source_complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("from complaint"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("person in a case file")
        verbose_name_plural = _("persons in case files")
        ordering = ["role", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "identity", "role"], name="case_person_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.case_file_id}: {self.role} {self.identity_id}"


class CaseFileExtraValue(models.Model):
    """The value of a research variable (administration.ExtraField, target "case_file") for one
    case file, as text (see complaints.ComplaintExtraValue). Historised."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="extra_values")
    field = models.ForeignKey(
        "administration.ExtraField", verbose_name=_("research variable"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.TextField(_("value"), blank=True)

    history = history_records()

    class Meta:
        verbose_name = _("value of a research variable")
        verbose_name_plural = _("values of research variables")
        ordering = ["field__order", "field__code"]
        constraints = [models.UniqueConstraint(fields=["case_file", "field"], name="case_file_extra_value_unique")]

    def __str__(self) -> str:
        return f"{self.field_id}={self.value}"
