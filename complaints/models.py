"""Complaints (*denuncias*), the people in them, their numbering and their alerts.

A submitted complaint is frozen (SECURITY.md 10-11): the rows refuse to change outside the
amendment service, at three levels - the model (`save`/`delete`), the queryset
(`update`/`delete`) and, on MySQL/MariaDB, a trigger (migration 0002). The amendment service opens
`complaints.freeze.amendment()`, which lifts the three guards for its own transaction only.

People are rows of their own (`Person`): a complaint points at its victims and alleged traffickers
through `ComplaintVictim` / `ComplaintSuspect`, which hold what is particular to this complaint
(age at the time of the facts, relation, description). A case file of the Investigation module
points at the same `Person` rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.models import District, Unit
from complaints.catalogues import DocumentType, Origin, PlaceKind, Sex
from complaints.freeze import FrozenGuardQuerySet, FrozenRecordError, amendment_active
from complaints.text import normalise
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
        indexes = [models.Index(fields=["document_number"])]

    def __str__(self) -> str:
        return f"Persona #{self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if self.pk is not None and not amendment_active() and self.is_frozen():
            raise FrozenRecordError(self)
        self.search_name = normalise(" ".join([self.first_names, self.last_names, self.alias, self.document_number]))
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

    def is_frozen(self) -> bool:
        return type(self).objects.filter(self.frozen_lookup, pk=self.pk).exists()


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
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices, blank=True)

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
    objects = FrozenGuardQuerySet.as_manager()

    history = history_records(excluded_fields=["search_text", "form_token"])

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["registering_unit", "submitted_at"])]

    def __str__(self) -> str:
        return self.number or f"Borrador #{self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if self.pk is not None and not amendment_active() and self.is_frozen_in_database():
            raise FrozenRecordError(self)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if self.frozen_at is not None or self.is_frozen_in_database():
            raise FrozenRecordError(self)
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_frozen_in_database(self) -> bool:
        return type(self).objects.filter(pk=self.pk, frozen_at__isnull=False).exists()


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
        verbose_name_plural = _("victims")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Víctima {self.position}"

    @property
    def is_minor(self) -> bool | None:
        return self.age < 18 if self.age is not None else self.minor


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
        verbose_name_plural = _("alleged traffickers")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Presunto tratante {self.position}"

    @property
    def identified(self) -> bool:
        return bool(self.person.full_name or self.person.document_number)


class Alert(models.Model):
    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")

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

    history = history_records()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["acknowledged_at", "-created_at"]
        indexes = [models.Index(fields=["unit", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.complaint} → {self.unit.code}"


# ---------------------------------------------------------------- statistics read model
# Derived rows written in the transaction of every registration and amendment (complaints.services:
# `_index_statistics`; `statistics_rebuild` for data loaded without the services), so that every
# statistics table is ONE scan of ONE narrow table (complaints.statistics). Compact on purpose: at a
# million complaints they must fit in MariaDB's buffer pool. Values are small integer codes and
# bitmasks whose meaning is fixed in complaints.statistics (CODES); no personal data, no free text
# (SECURITY.md 16). Not frozen and without history: they are rebuilt from the frozen records.


class StatCodeField(models.SmallIntegerField):
    """A code or bitmask of the statistics read model, 0-255: one byte on MySQL/MariaDB."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "mysql":
            return "tinyint unsigned"
        return super().db_type(connection)


class StatFacts(models.Model):
    """The complaint-level variables, on every row of the read model (no join to count victims by
    the outcome of their complaint). Multi-valued ones are bitmasks: a complaint counts once under
    each value it has."""

    # No database constraint, hence no index led by the unit: MariaDB would walk such an index to
    # GROUP BY the unit and fetch every row from it; the covering indexes below serve scoped reads.
    # DO_NOTHING: the complaint's own registering_unit already protects the unit (and a PROTECT
    # check here would scan these tables, which have no index led by the unit).
    registering_unit = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    year = models.PositiveSmallIntegerField(_("year of registration"))  # in America/Lima
    month = StatCodeField(_("month of registration"))
    department = StatCodeField(_("department of the facts"))  # INEI code as a number, 0 unknown
    origin = StatCodeField(_("origin"))
    outcome = StatCodeField(_("outcome"))
    place_kind = StatCodeField(_("kind of place"))
    categories = StatCodeField(_("purpose categories"))  # bitmask
    conducts = StatCodeField(_("conducts"))  # bitmask
    means = models.PositiveSmallIntegerField(_("means"))  # bitmask
    victim_sexes = StatCodeField(_("sexes of the victims"))  # bitmask
    victim_ages = StatCodeField(_("age bands of the victims"))  # bitmask
    victim_nationalities = models.PositiveSmallIntegerField(_("nationalities of the victims"))  # bitmask

    class Meta:
        abstract = True


# The complaint's people as the published table 2 counts them (STATISTICS.md): alleged traffickers
# identified or not, victims adult or minor, by sex (m, f, x: not recorded); victims whose
# minority is unknown count only in the total. Summed per year from one index.
PERSON_COUNTERS: tuple[str, ...] = (
    "suspects_identified_m",
    "suspects_identified_f",
    "suspects_identified_x",
    "suspects_unidentified_m",
    "suspects_unidentified_f",
    "suspects_unidentified_x",
    "victims_adult_m",
    "victims_adult_f",
    "victims_adult_x",
    "victims_minor_m",
    "victims_minor_f",
    "victims_minor_x",
    "victims_unknown",
)


class StatComplaint(StatFacts):
    """One row per submitted complaint, with the counts of its people (PERSON_COUNTERS)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, primary_key=True, related_name="stat")
    suspects_identified_m = StatCodeField(default=0)
    suspects_identified_f = StatCodeField(default=0)
    suspects_identified_x = StatCodeField(default=0)
    suspects_unidentified_m = StatCodeField(default=0)
    suspects_unidentified_f = StatCodeField(default=0)
    suspects_unidentified_x = StatCodeField(default=0)
    victims_adult_m = StatCodeField(default=0)
    victims_adult_f = StatCodeField(default=0)
    victims_adult_x = StatCodeField(default=0)
    victims_minor_m = StatCodeField(default=0)
    victims_minor_f = StatCodeField(default=0)
    victims_minor_x = StatCodeField(default=0)
    victims_unknown = StatCodeField(default=0)

    class Meta:
        verbose_name = _("statistics row of a complaint")
        verbose_name_plural = _("statistics rows of complaints")
        # Covering indexes: the published tables and the overview read no row of the table.
        indexes = [
            models.Index(fields=["year", "registering_unit", "outcome", "department"], name="stat_complaint_year_unit"),
            models.Index(fields=["year", "categories", "registering_unit"], name="stat_complaint_year_categories"),
            models.Index(fields=["year", *PERSON_COUNTERS], name="stat_complaint_year_persons"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.year}"


class StatVictim(StatFacts):
    """One row per victim of a submitted complaint: sex, age band, minority, nationality; never a name."""

    record = models.ForeignKey(
        StatComplaint, on_delete=models.CASCADE, related_name="victims", db_column="complaint_id"
    )
    sex = StatCodeField(_("sex"))
    age_band = StatCodeField(_("age band"))
    minor = models.BooleanField(_("minor"), null=True)  # by the age, else the minor flag; None unknown
    nationality = StatCodeField(_("nationality"))

    class Meta:
        verbose_name = _("statistics row of a victim")
        verbose_name_plural = _("statistics rows of victims")
        indexes = [
            models.Index(fields=["year", "sex", "minor", "age_band", "registering_unit"], name="stat_victim_year_sex"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} victim"


class StatSuspect(StatFacts):
    """One row per alleged trafficker of a submitted complaint: sex, and whether a name or a
    document identifies the person; never the name."""

    record = models.ForeignKey(
        StatComplaint, on_delete=models.CASCADE, related_name="suspects", db_column="complaint_id"
    )
    sex = StatCodeField(_("sex"))
    identified = models.BooleanField(_("identified"))

    class Meta:
        verbose_name = _("statistics row of an alleged trafficker")
        verbose_name_plural = _("statistics rows of alleged traffickers")
        indexes: list = []  # persons_by_year sums StatComplaint's counters; crosstabs scan the table

    def __str__(self) -> str:
        return f"{self.record_id} suspect"
