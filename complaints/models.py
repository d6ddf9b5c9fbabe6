"""Complaints (*denuncias*), the people in them, their numbering and their alerts.

A submitted complaint is frozen (SECURITY.md 10-11): the rows refuse to change outside the
amendment service, at three levels - the model (`save`/`delete`), the queryset, which is also the
base manager (`update`/`delete`, `Model.save`'s UPDATE, `bulk_update`), and, on MySQL/MariaDB,
triggers (migration 0013: UPDATE, DELETE, moving rows). The amendment service opens
`complaints.freeze.amendment()`, which lifts the guards for its own block only (complaints.freeze).
A registration links its people to their identities in one guarded UPDATE whose WHERE leaves the
frozen rows out (`FrozenGuardQuerySet.bulk_update_guarded`).

People are rows of their own (`Person`): a complaint points at its victims and alleged traffickers
through `ComplaintVictim` / `ComplaintSuspect`, which hold what is particular to this complaint
(age at the time of the facts, relation, description). A `Person` is the person *as recorded* in
this complaint and is frozen with it; when she or he is identified (a name or a document), it
points at the real person, a `people.Identity`, which case files of the Investigation module and
cross-case matching share and which grows without touching the frozen record.
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
from administration.models import District, Unit
from complaints.catalogues import DocumentType, Origin, Sex
from complaints.freeze import FrozenGuardQuerySet, FrozenRecordError, amendment_active, checked_save
from complaints.text import normalise
from people import privacy
from people.matching import is_identified
from people.models import Identity
from reta.history import history_records


class Person(models.Model):
    """A real person as recorded by the police. Identity fields are sensitive (Law 29733)."""

    first_names = models.CharField(_("first names"), max_length=120, blank=True)
    last_names = models.CharField(_("last names"), max_length=120, blank=True)
    alias = models.CharField(_("alias"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    document_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices, blank=True)
    document_number = models.CharField(_("document number"), max_length=30, blank=True)
    search_name = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_in = models.ForeignKey(
        Unit, verbose_name=_("registered by unit"), on_delete=models.PROTECT, related_name="+", null=True
    )
    # The real person, when identified; set by the registration (complaints.services._freeze) before
    # the row freezes, never changed afterwards outside an amendment.
    identity = models.ForeignKey(
        Identity,
        verbose_name=_("identity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )

    objects = FrozenGuardQuerySet.as_manager()
    history = history_records()

    frozen_lookup = (
        models.Q(complaint_victims__complaint__frozen_at__isnull=False)
        | models.Q(complaint_suspects__complaint__frozen_at__isnull=False)
        | models.Q(complaints_filed__frozen_at__isnull=False)
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        base_manager_name = "objects"  # Model.save and related access go through the freeze guard
        indexes = [models.Index(fields=["document_number"])]

    def __str__(self) -> str:
        return f"Persona #{self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        checked = self.pk is not None and not amendment_active()
        if checked and self.is_frozen():
            raise FrozenRecordError(self)
        self.search_name = normalise(" ".join([self.first_names, self.last_names, self.alias, self.document_number]))
        with checked_save(type(self) if checked else None):  # its UPDATE need not run the same check again
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if not amendment_active() and self.is_frozen():
            raise FrozenRecordError(self)
        return super().delete(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_names, self.last_names) if part)

    @property
    def initials(self) -> str:
        words = f"{self.first_names} {self.last_names}".split()
        return ".".join(word[0].upper() for word in words if word) + ("." if words else "")

    @property
    def is_identified(self) -> bool:
        """A name or a document number is recorded (people.matching.is_identified)."""
        return is_identified(self.first_names, self.last_names, self.document_number)

    def is_frozen(self) -> bool:
        return type(self).objects.filter(self.frozen_lookup, pk=self.pk).exists()


class ComplaintQuerySet(FrozenGuardQuerySet, ScopedQuerySet):
    """The freeze guard (complaints.freeze) with `visible_to(user)` (administration.access)."""


class Complaint(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    number = models.CharField(_("complaint number"), max_length=80, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    registering_unit = models.ForeignKey(
        Unit, verbose_name=_("registering unit"), on_delete=models.PROTECT, related_name="complaints"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices, default=Origin.STATION)
    other_agency_name = models.CharField(_("name of the other agency"), max_length=200, blank=True)
    paper_serial = models.CharField(_("paper form serial"), max_length=40, blank=True)
    # A paper form (origin "paper"): the day the station took the paper and the unit that took it
    # (by default the unit its serial was issued to). Timeliness counts from the facts to that
    # day, and the statistics count the complaint under that unit (issue 10, item 6).
    paper_received_on = models.DateField(_("date the paper form was received"), null=True, blank=True)
    paper_receiving_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit that took the paper form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    facts_date = models.DateField(_("date of the facts"), null=True, blank=True)
    facts_time = models.TimeField(_("time of the facts"), null=True, blank=True)
    place_district = models.ForeignKey(
        District,
        verbose_name=_("district of the facts"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place_address = models.CharField(_("address of the facts"), max_length=300, blank=True)
    place_kind = CatalogueCharField(_("kind of place"), catalogue=Catalogue.PLACE_KIND, max_length=20, blank=True)

    complainant_anonymous = models.BooleanField(_("anonymous complainant"), default=False)
    complainant = models.ForeignKey(
        Person,
        verbose_name=_("complainant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_filed",
    )
    complainant_contact = models.CharField(_("complainant's contact"), max_length=200, blank=True)
    complainant_relation = models.CharField(_("relation to the victim"), max_length=120, blank=True)

    narrative = models.TextField(_("narrative of the facts"), blank=True)
    responsible_officer = models.CharField(_("responsible officer"), max_length=200, blank=True)

    conducts = models.JSONField(_("conducts"), default=list, blank=True)
    means = models.JSONField(_("means"), default=list, blank=True)
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    case_facts = models.JSONField(_("aggravating case facts"), default=list, blank=True)
    related_facts = models.JSONField(_("related facts"), default=list, blank=True)

    # The classification (LAW.md), stored with the profile it used.
    law_profile = models.CharField(_("law profile"), max_length=10, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, blank=True, db_index=True)
    alert_priority = models.CharField(_("alert priority"), max_length=8, blank=True)
    purpose_categories = models.JSONField(_("purpose categories"), default=list, blank=True)
    classification = models.JSONField(_("classification"), default=dict, blank=True)
    competent_directorate = models.ForeignKey(
        Unit,
        verbose_name=_("competent directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Possible duplicates (complaints.duplicates): the earlier complaint of the same case, chosen by
    # the officer at review, and what the registration saw and decided (`DuplicateCheck.record`).
    # Both are set before the row freezes and frozen with it (the complaint row's freeze guard and
    # trigger cover every column).
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same case as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_complaints",
    )
    duplicate_check = models.JSONField(_("duplicate check"), default=dict, blank=True)

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("registered"), null=True, blank=True, db_index=True)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    registration_delay_days = models.IntegerField(
        _("days between the facts and the registration"), null=True, blank=True, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # One-time token of the form that created the record: sending the same form twice finds
    # the first record instead of creating a second one (SECURITY.md 26).
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    frozen_lookup = models.Q(frozen_at__isnull=False)
    objects = ComplaintQuerySet.as_manager()

    history = history_records(excluded_fields=["search_text", "form_token"])

    # Who sees a complaint (administration.access, `visible_q`): a submitted complaint is seen in
    # every scope that holds its registering unit OR its competent directorate (the directorate
    # alerted sees what happened in its territory). The statistics count the complaints of a scope
    # by this same declaration, on the read model's columns of the same names (stats.scope).
    scope_fields = ("registering_unit", "competent_directorate")

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        base_manager_name = "objects"
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["registering_unit", "submitted_at"]),
            # complaints.duplicates: the same paper form; the same place and date of the facts.
            models.Index(fields=["paper_serial"], name="complaint_paper_serial"),
            models.Index(fields=["place_district", "facts_date"], name="complaint_place_date"),
        ]

    def __str__(self) -> str:
        return self.number or f"Borrador #{self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        checked = self.pk is not None and not amendment_active()
        if checked and self.is_frozen_in_database():
            raise FrozenRecordError(self)
        with checked_save(type(self) if checked else None):  # its UPDATE need not run the same check again
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if self.frozen_at is not None or self.is_frozen_in_database():
            raise FrozenRecordError(self)
        return super().delete(*args, **kwargs)

    @property
    def counted_unit_id(self) -> int | None:
        """The unit the statistics count the complaint under: the unit that took a paper form,
        else the registering unit."""
        if self.origin == Origin.PAPER and self.paper_receiving_unit_id is not None:
            return self.paper_receiving_unit_id
        return self.registering_unit_id

    def registration_delay(self) -> int | None:
        """Days from the facts to the registration (timeliness), or to the day the paper form was
        received for a paper form that says so."""
        if self.facts_date is None or self.submitted_at is None:
            return None
        if self.origin == Origin.PAPER and self.paper_received_on is not None:
            return (self.paper_received_on - self.facts_date).days
        return (timezone.localdate(self.submitted_at) - self.facts_date).days

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_frozen_in_database(self) -> bool:
        return type(self).objects.filter(pk=self.pk, frozen_at__isnull=False).exists()

    @classmethod
    def visible_q(cls, user: Any, *, prefix: str = "") -> Q:
        """Submitted complaints one of whose `scope_fields` lies in the user's scope, or about which
        a unit of the scope was alerted (a place of the route, an escalation: the unit alerted sees
        what it must act on); drafts only in their own unit (the user's). Nothing for a user
        without a place in the tree. The statistics count by `scope_fields` alone (stats.scope):
        a complaint counts where it was registered and where its place of the facts lies."""
        scope = scope_of(user)
        if scope.is_nothing:
            return NOTHING
        in_scope = scope.q(*(field_path(prefix, name) for name in cls.scope_fields))
        if not scope.is_national:
            alerted = Alert.objects.filter(scope.q("unit")).values("complaint_id")
            in_scope |= Q(**{field_path(prefix, "pk__in"): alerted})
        submitted = Q(**{field_path(prefix, "status"): cls.Status.SUBMITTED}) & in_scope
        drafts = Q(
            **{field_path(prefix, "status"): cls.Status.DRAFT, field_path(prefix, "registering_unit"): user.unit_id}
        )
        return submitted | drafts


class ComplaintChild(models.Model):
    """A row that belongs to one complaint and is frozen with it."""

    frozen_lookup = models.Q(complaint__frozen_at__isnull=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if not amendment_active() and self.complaint.is_frozen_in_database():
            raise FrozenRecordError(self)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if not amendment_active() and self.complaint.is_frozen_in_database():
            raise FrozenRecordError(self)
        return super().delete(*args, **kwargs)


class ComplaintVictim(ComplaintChild):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="victims")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="complaint_victims")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    age = models.PositiveSmallIntegerField(_("age at the time of the facts"), null=True, blank=True)
    minor = models.BooleanField(_("minor"), null=True, blank=True, help_text=_("When the age is unknown."))
    pregnant = models.BooleanField(_("pregnant"), default=False)
    disability = models.BooleanField(_("disability"), default=False)
    legally_incapable = models.BooleanField(_("legally incapable"), default=False)
    consented = models.BooleanField(_("said she or he consented"), default=False)

    objects = FrozenGuardQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("victim")
        base_manager_name = "objects"
        verbose_name_plural = _("victims")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Víctima {self.position}"

    @property
    def is_minor(self) -> bool | None:
        """people.privacy.victim_minor: by the age, else the flag, and the identity's date of birth
        on the date of the facts; None unknown."""
        return privacy.victim_minor(self)

    @property
    def is_protected(self) -> bool:
        """A minor or of unknown age: never named (people.privacy)."""
        return privacy.victim_protected(self)


class ComplaintSuspect(ComplaintChild):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="suspects")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="complaint_suspects")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    relation_to_victim = models.CharField(_("relation to the victim"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = FrozenGuardQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("alleged trafficker")
        base_manager_name = "objects"
        verbose_name_plural = _("alleged traffickers")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Presunto tratante {self.position}"

    @property
    def identified(self) -> bool:
        return self.person.is_identified


class PlaceRole(models.TextChoices):
    """The role of a place in the route of the facts (LAW.md "Several places")."""

    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSIT = "transit", _("Transit")
    EXPLOITATION = "exploitation", _("Exploitation or destination")


class ComplaintPlace(ComplaintChild):
    """A place of the route besides the place of the facts (LAW.md "Several places").

    The complaint's own `place_district`/`place_address`/`place_kind` stay *the* place of the facts:
    the competent directorate, the scope and the statistics follow it. These rows add the other
    places of the route (where the victim was recruited, moved through, exploited), each with its
    role; the alert goes to the competent specialised unit of every place (complaints.alerts).
    Frozen with the complaint (ComplaintChild, FrozenGuardQuerySet, the triggers of migration 0017).
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="places")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    role = models.CharField(_("role in the route"), max_length=16, choices=PlaceRole.choices)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("address or reference"), max_length=300, blank=True)
    kind = CatalogueCharField(_("kind of place"), catalogue=Catalogue.PLACE_KIND, max_length=20, blank=True)

    objects = FrozenGuardQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("place of the route")
        verbose_name_plural = _("places of the route")
        base_manager_name = "objects"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Lugar {self.position}"

    # The names of the complaint's own place fields, so that the one privacy rule
    # (`{% masked place "place" %}`: a private home's address withheld) reads a row as it reads
    # the complaint.
    @property
    def place_address(self) -> str:
        return self.address

    @property
    def place_kind(self) -> str:
        return self.kind


class ComplaintExtraValue(ComplaintChild):
    """The value of a research variable (administration.ExtraField) for one complaint, as text:
    a number in decimal notation, a date in ISO form, "yes"/"no", a choice's code. Frozen with the
    complaint (the one freeze guard, complaints.freeze); historised."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extra_values")
    field = models.ForeignKey(
        "administration.ExtraField", verbose_name=_("research variable"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.TextField(_("value"), blank=True)

    objects = FrozenGuardQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("value of a research variable")
        verbose_name_plural = _("values of research variables")
        base_manager_name = "objects"
        ordering = ["field__order", "field__code"]
        constraints = [models.UniqueConstraint(fields=["complaint", "field"], name="complaint_extra_value_unique")]

    def __str__(self) -> str:
        return f"{self.field_id}={self.value}"


class Alert(models.Model):
    """An alert raised to one unit about one complaint. Not frozen: the acknowledgement, and the
    escalation (`overdue_at`), update it; every version is in its history."""

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")

    class Basis(models.TextChoices):
        """Why this unit received the alert (complaints.alerts.alert_receivers)."""

        PLACE = "place", _("competent for a place of the facts")
        NATIONAL = "national", _("national trafficking division")
        NO_ACCOUNT = "no_account", _("a unit alerted has no active account")
        ESCALATION = "escalation", _("not acknowledged in time")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="alerts")
    unit = models.ForeignKey(Unit, verbose_name=_("unit alerted"), on_delete=models.PROTECT, related_name="alerts")
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices)
    outcome = models.CharField(_("outcome"), max_length=24)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    basis = models.CharField(_("why this unit"), max_length=16, choices=Basis.choices, blank=True)
    # The roles of the places this unit is competent for ("facts" for the place of the facts).
    place_roles = models.JSONField(_("places"), default=list, blank=True)
    # The unit had no active account that could acknowledge the alert when it was raised: its
    # directorate and DIVINTRAP were alerted too (complaints.alerts).
    no_account = models.BooleanField(_("unit without an active account"), default=False)
    # NO_ACCOUNT: the unit without an active account this alert stands in for.
    instead_of = models.ForeignKey(
        Unit,
        verbose_name=_("in place of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # ESCALATION: the alert that was not acknowledged in time; that one gets `overdue_at`.
    escalated_from = models.ForeignKey(
        "self",
        verbose_name=_("escalated from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
    )
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True, db_index=True)

    history = history_records()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["acknowledged_at", "-created_at"]
        indexes = [models.Index(fields=["unit", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.complaint} → {self.unit.code}"

    @classmethod
    def visible_q(cls, user: Any, *, prefix: str = "") -> Q:
        """An alert is raised to one unit, not down the tree (administration.access): the inbox of
        the user's own unit; nothing for a user without a unit."""
        if not getattr(user, "is_authenticated", False) or not user.unit_id:
            return NOTHING
        return Q(**{field_path(prefix, "unit"): user.unit_id})


class PendingEntry(models.Model):
    """What a complaint form held when it was sent after its session had expired
    (`complaints.pending`): kept for the user the form was opened by, handed back to that user
    alone on the form after signing in again, then deleted; expires after
    `RETA_PENDING_ENTRY_HOURS`. Not a complaint (no number, no audit of the facts): the sent fields
    as they came, so that the page is rebuilt exactly as it was."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    form_token = models.CharField(max_length=64)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, null=True, blank=True, related_name="+", help_text=_("The draft edited.")
    )
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("form kept after the session expired")
        verbose_name_plural = _("forms kept after the session expired")
        constraints = [models.UniqueConstraint(fields=["user", "form_token"], name="pending_entry_user_token")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.form_token}"

    @classmethod
    def visible_q(cls, user: Any, *, prefix: str = "") -> Q:
        """Only the user's own: nobody else ever sees what another user typed."""
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        return Q(**{field_path(prefix, "user"): user.pk})
