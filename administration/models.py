"""Reference geography (INEI UBIGEO), the unit tree, and personal accounts bound to a unit."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from administration.access import ScopedQuerySet
from administration.catalogue_seed import SEED
from administration.roles import Role
from reta.guards import AppendOnlyModel, AppendOnlyQuerySet
from reta.history import history_records


class Department(models.Model):
    code = models.CharField(_("INEI code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    capital = models.CharField(_("capital"), max_length=80)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    code = models.CharField(_("INEI code"), max_length=4, primary_key=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="provinces"
    )
    name = models.CharField(_("name"), max_length=80)
    capital = models.CharField(_("capital"), max_length=80)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.CharField(_("UBIGEO (INEI)"), max_length=6, primary_key=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="districts"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="districts"
    )
    name = models.CharField(_("name"), max_length=80)
    capital = models.CharField(_("capital"), max_length=80)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A node of the tree of command. `path` is the materialised path of codes from the root
    ("MININTER/PNP/DIRTEPOL-CUSCO/DIRTEPOL-CUSCO-CPNP-1/"): a subtree is a prefix match."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        MONITORING = "monitoring", _("monitoring secretariat")
        HOTLINE = "hotline", _("hotline")
        POLICE = "police", _("police command")
        DIRECTORATE = "directorate", _("national directorate")
        NATIONAL_SPECIALISED = "national_specialised", _("national specialised unit")
        TERRITORIAL_DIRECTORATE = "territorial_directorate", _("territorial directorate")
        REGIONAL_SPECIALISED = "regional_specialised", _("regional specialised unit")
        STATION = "station", _("police station")

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path in the tree"), max_length=500, db_index=True, editable=False)
    district = models.ForeignKey(
        District,
        verbose_name=_("district (location)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    directorate = models.ForeignKey(
        "self",
        verbose_name=_("directorate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("The territorial or national directorate this unit counts under (derived from the tree)."),
    )
    jurisdiction = models.ManyToManyField(
        Department, verbose_name=_("jurisdiction (departments)"), blank=True, related_name="directorates"
    )
    is_representative = models.BooleanField(
        _("representative station"),
        default=False,
        help_text=_("Created by the reference data; the real list of stations is loaded by administrators."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = history_records()

    # Who sees a unit (administration.access): the units of the user's scope.
    scope_fields = ("",)
    objects = ScopedQuerySet.as_manager()

    DIRECTORATE_KINDS = (Kind.TERRITORIAL_DIRECTORATE, Kind.DIRECTORATE)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.path = self.compute_path()
        if self.kind not in self.DIRECTORATE_KINDS:
            self.directorate_id = self.parent.directorate_id if self.parent_id else None
        super().save(*args, **kwargs)
        if self.kind in self.DIRECTORATE_KINDS and self.directorate_id != self.pk:
            self.directorate_id = self.pk
            type(self).objects.filter(pk=self.pk).update(directorate_id=self.pk)

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.code}/"

    def is_in_subtree_of(self, other: Unit) -> bool:
        return self.path.startswith(other.path)

    def ancestors(self) -> list[str]:
        """Codes from the root to this unit, this one included."""
        return [code for code in self.path.split("/") if code]


class RetaUserManager(UserManager.from_queryset(ScopedQuerySet)):
    """Django's manager with `visible_to(user)` (administration.access); named so that migrations
    do not depend on where UserManager lives."""


def _default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


class User(AbstractUser):
    """A personal account: one person, one unit, one role, an expiry date (SECURITY.md 1)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="users", null=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    expires_on = models.DateField(_("account expires on"), default=_default_expiry)
    document_number = models.CharField(_("police ID (CIP)"), max_length=20, blank=True)
    must_change_password = models.BooleanField(
        _("must change password at next sign-in"),
        default=False,
        help_text=_("Set when an administrator assigns a temporary password."),
    )
    # The yearly review of accounts (administration.selectors.accounts_for_review): the last time
    # a national administrator confirmed that the account is still needed.
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "self",
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = history_records(excluded_fields=["password", "last_login"])

    objects = RetaUserManager()

    # Who sees an account (administration.access): the accounts of the units of the user's scope.
    scope_fields = ("unit",)

    REQUIRED_FIELDS = ["email", "unit", "role"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.expires_on

    @property
    def requires_second_factor(self) -> bool:
        """National administrators must use TOTP; anyone may enrol voluntarily."""
        return self.role == Role.NATIONAL_ADMIN

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django drops a session whose hash no longer matches. Binding the hash to the unit and
        # the role, not only the password, makes a hand-over or a role change end every open
        # session of the account on the server (SECURITY.md 1).
        return salted_hmac(
            "administration.User.get_session_auth_hash",
            f"{self.password}|{self.unit_id}|{self.role}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class UnitCounter(models.Model):
    """The last number a unit gave in a year, in one series: complaint numbers, document numbers,
    and the case files of the Investigation module. Written only by `administration.numbering`,
    which locks the row while it numbers (not a domain record: no history)."""

    class Series(models.TextChoices):
        COMPLAINT = "complaint", _("complaint")
        DOCUMENT = "document", _("generated document")
        CASE_FILE = "case_file", _("case file")
        CASE_REPORT = "case_report", _("police report of a case file")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField(_("year"))
    series = models.CharField(_("series"), max_length=16, choices=Series.choices)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("counter of numbers")
        verbose_name_plural = _("counters of numbers")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "series"], name="unit_counter_unit_year_series")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.series} {self.year}: {self.last_number}"


class HandOverQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """Append-only (reta.guards) with `visible_to(user)` (administration.access)."""


class HandOver(AppendOnlyModel):
    """An officer moved to another unit, and what she handed over to a named colleague of the unit
    she left (administration.services.user_move). APPEND-ONLY (reta.guards, and on MariaDB by
    trigger, migration 0007_rotation_handover): a hand-over is a fact of the past.

    `items` is the list of what passed, one entry per kind, written by the hand-over contributors
    of the other modules (administration.handover):
    [{"kind": "complaint_drafts", "count": 2, "ids": [14, 15]}, ...]."""

    append_only_message = "Hand-overs are append-only: a new move makes a new hand-over."

    officer = models.ForeignKey(
        User, verbose_name=_("officer moved"), on_delete=models.PROTECT, related_name="handovers_given"
    )
    colleague = models.ForeignKey(
        User, verbose_name=_("colleague who receives"), on_delete=models.PROTECT, related_name="handovers_received"
    )
    from_unit = models.ForeignKey(Unit, verbose_name=_("unit left"), on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, verbose_name=_("new unit"), on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField(_("date of the move"))
    reason = models.TextField(_("reason"))
    items = models.JSONField(_("what was handed over"), default=list, blank=True)
    created_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)

    objects = HandOverQuerySet.as_manager()

    # Who sees a hand-over (administration.access): the scopes of both units.
    scope_fields = ("from_unit", "to_unit")

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-created_at", "-pk"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.officer} → {self.colleague} ({self.moved_on.isoformat()})"

    @property
    def total(self) -> int:
        return sum(item.get("count", 0) for item in self.items)


class UnitPlacement(models.Model):
    """Where a unit stood in the tree over time: its parent and the directorate it counted under,
    from `valid_from` to `valid_to` (both days included; open at either end when empty). Written by
    every operation of the tree (administration.tree) for each unit whose parent or directorate
    changes; a unit without placements has always stood where it stands now.

    The statistics read it to count a record under the directorate of its registering unit on the
    day it was registered ("tree of the registration date", stats.units); access never reads it:
    the tree of command is always the current one (`Unit.path`)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="placements")
    parent = models.ForeignKey(
        Unit, verbose_name=_("parent unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    directorate = models.ForeignKey(
        Unit, verbose_name=_("directorate"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement of a unit in the tree")
        verbose_name_plural = _("placements of units in the tree")
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.directorate_id} ({self.valid_from} – {self.valid_to})"

    def holds(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Jurisdiction(models.Model):
    """A piece of a directorate's territory over time: a department, or one province or district
    of it, from `valid_from` to `valid_to` (days included; open when empty). Written when a
    directorate is split (administration.tree); `Unit.jurisdiction` keeps the current departments."""

    directorate = models.ForeignKey(
        Unit, verbose_name=_("directorate"), on_delete=models.PROTECT, related_name="jurisdictions"
    )
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT)
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT, null=True, blank=True)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = history_records()

    class Meta:
        verbose_name = _("jurisdiction of a directorate")
        verbose_name_plural = _("jurisdictions of directorates")
        ordering = ["directorate", "department", "valid_from"]

    def __str__(self) -> str:
        place = self.district or self.province or self.department
        return f"{self.directorate_id}: {place}"


# ---------------------------------------------------------------- editable catalogues


class Catalogue(models.TextChoices):
    """The catalogues national administrators edit (administration.catalogues). Only lists that are
    not law and whose codes are stored as plain strings: the legal elements of Law 28950 stay in
    the rule engine (complaints/rules), read by lawyers."""

    PLACE_KIND = "place_kind", _("Kinds of place (complaints)")
    CASE_PLACE_KIND = "case_place_kind", _("Kinds of place (case files)")
    DILIGENCE_TYPE = "diligence_type", _("Kinds of diligencia")
    RECRUITMENT_METHOD = "recruitment_method", _("Recruitment methods")
    TRANSPORT = "transport", _("Means of transport")
    VICTIM_OUTCOME = "victim_outcome", _("Results for victims")


# The longest code each catalogue's records can store (the max_length of the fields holding it).
CATALOGUE_CODE_LENGTH: dict[str, int] = {
    Catalogue.PLACE_KIND: 20,
    Catalogue.CASE_PLACE_KIND: 16,
    Catalogue.DILIGENCE_TYPE: 32,
    Catalogue.RECRUITMENT_METHOD: 24,
    Catalogue.TRANSPORT: 16,
    Catalogue.VICTIM_OUTCOME: 20,
}


class CatalogueCodeError(Exception):
    """Code tried to change the code of a catalogue entry (codes never change meaning)."""


# The largest statistics code of a catalogue entry: the statistics read model stores it in one
# byte (stats.models.StatCodeField), 0 meaning "not recorded".
STAT_CODE_MAX = 255


def seed_stat_code(catalogue: str, code: str) -> int | None:
    """The statistics code of a starting entry (administration.catalogue_seed.SEED): its position
    in its catalogue's part of SEED + 1, the code the statistics read model gave it when its
    kinds were a fixed tuple (stats.codes), so that rows already written keep their meaning."""
    codes = [row[1] for row in SEED if row[0] == catalogue]
    return codes.index(code) + 1 if code in codes else None


def next_stat_code(catalogue: str) -> int:
    """The statistics code of the next entry added to a catalogue: past every code given and past
    the codes reserved for the starting entries (even those missing from this database)."""
    reserved = sum(1 for row in SEED if row[0] == catalogue)
    given = CatalogueEntry.objects.filter(catalogue=catalogue).aggregate(top=models.Max("stat_code"))["top"] or 0
    return max(reserved, given) + 1


class CatalogueEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if {"code", "catalogue", "target", "kind", "stat_code"} & set(kwargs):
            raise CatalogueCodeError("The code of a catalogue entry never changes.")
        return super().update(**kwargs)


class CatalogueEntry(models.Model):
    """One value of a catalogue: a stable code (immutable once created: records store it) with its
    labels in Spanish and English, its place in the list, and whether new forms still offer it
    (a deactivated entry keeps its label for the records that use it). Historised."""

    catalogue = models.CharField(_("catalogue"), max_length=32, choices=Catalogue.choices)
    code = models.CharField(_("code"), max_length=32)
    label_es = models.CharField(_("label in Spanish"), max_length=120)
    label_en = models.CharField(_("label in English"), max_length=120)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered in new forms"), default=True)
    # The entry's code in the statistics read model (stats): given once when the entry is created
    # (the starting entries keep the positional codes they had, `seed_stat_code`; an addition gets
    # the next one, `next_stat_code`) and never changed or reused, whatever the order or the
    # entry's state. Not historised: it never changes.
    stat_code = models.PositiveSmallIntegerField(_("statistics code"), editable=False)

    objects = CatalogueEntryQuerySet.as_manager()
    history = history_records(excluded_fields=["stat_code"])

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["catalogue", "order", "code"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="catalogue_entry_unique_code"),
            models.UniqueConstraint(fields=["catalogue", "stat_code"], name="catalogue_entry_unique_stat_code"),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue}:{self.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values("catalogue", "code", "stat_code").first()
            if stored and (stored["catalogue"], stored["code"], stored["stat_code"]) != (
                self.catalogue,
                self.code,
                self.stat_code,
            ):
                raise CatalogueCodeError("The code of a catalogue entry never changes.")
        elif self.stat_code is None:
            self.stat_code = seed_stat_code(self.catalogue, self.code) or next_stat_code(self.catalogue)
        if not 1 <= self.stat_code <= STAT_CODE_MAX:
            raise CatalogueCodeError(f"A catalogue holds at most {STAT_CODE_MAX} entries (statistics codes).")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.label_en if (get_language() or "es").startswith("en") else self.label_es


# ---------------------------------------------------------------- new variables for research


class ExtraField(models.Model):
    """A variable for research an administrator adds to complaints (or case files): a typed field
    with its labels and validation, on the forms from `valid_from` onwards. Its values are rows of
    `complaints.ComplaintExtraValue` (frozen with the complaint). Code, target and kind never change
    once created (the values are read by them); labels, validation and dates may (historised)."""

    class Target(models.TextChoices):
        COMPLAINT = "complaint", _("Complaints")
        CASE_FILE = "case_file", _("Case files")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        YES_NO = "yes_no", _("Yes / no")
        CHOICE = "choice", _("Choice from a list")

    target = models.CharField(_("applies to"), max_length=16, choices=Target.choices, default=Target.COMPLAINT)
    code = models.CharField(_("code"), max_length=40)
    label_es = models.CharField(_("label in Spanish"), max_length=120)
    label_en = models.CharField(_("label in English"), max_length=120)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.DecimalField(_("minimum"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    # [[code, label in Spanish, label in English], ...] for a choice.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    valid_from = models.DateField(_("on the forms from"))
    active = models.BooleanField(_("on the forms"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = CatalogueEntryQuerySet.as_manager()  # refuses update(code=...) too
    history = history_records()

    class Meta:
        verbose_name = _("research variable")
        verbose_name_plural = _("research variables")
        ordering = ["target", "order", "code"]
        base_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["target", "code"], name="extra_field_unique_code")]

    def __str__(self) -> str:
        return f"{self.target}:{self.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values("target", "code", "kind").first()
            if stored and (stored["target"], stored["code"], stored["kind"]) != (self.target, self.code, self.kind):
                raise CatalogueCodeError("The code, target and type of a research variable never change.")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.label_en if (get_language() or "es").startswith("en") else self.label_es

    def choice_list(self) -> list[tuple[str, str]]:
        """(code, label in the user's language) of a choice field."""
        from django.utils.translation import get_language

        english = (get_language() or "es").startswith("en")
        return [(row[0], row[2] if english else row[1]) for row in self.choices]

    def display(self, value: str) -> str:
        """A stored value as people read it."""
        from django.utils.translation import gettext

        if value == "":
            return ""
        if self.kind == self.Kind.YES_NO:
            return gettext("Yes") if value == "yes" else gettext("No")
        if self.kind == self.Kind.CHOICE:
            return dict(self.choice_list()).get(value, value)
        if self.kind == self.Kind.DATE:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        return value
