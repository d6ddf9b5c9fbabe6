"""Places and things of a case file (issue 11, item 3): places and facilities, vehicles, phones,
social-network accounts, and the route as ordered legs (recruitment → transit → destination).

Working records: they are edited and removed through investigations.things (audited, under the
case file's lock); every version, the removal included, stays in their simple-history tables.
Identifiers are kept as typed where the officer typed them (`CaseVehicle.plate`) next to their
canonical form from people.identifiers (`plate_key`, `CasePhone.number`, `CaseAccount.handle`).

May import: django, administration.models, people (catalogues, identifiers), reta, and the case
file models of this package.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import ScopedQuerySet
from administration.catalogues import Catalogue, CatalogueCharField
from administration.models import District
from investigations.models.case_files import CaseFile, CasePerson
from people.catalogues import SocialNetwork
from reta.history import history_records

__all__ = [
    "CaseAccount",
    "CasePhone",
    "CasePlace",
    "CaseVehicle",
    "LegStage",
    "PlaceKind",
    "RouteLeg",
    "VehicleKind",
]

LATITUDE_VALIDATORS = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
LONGITUDE_VALIDATORS = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


class PlaceKind(models.TextChoices):
    BAR = "bar", _("Bar")
    NIGHTCLUB = "nightclub", _("Nightclub")
    MINE_CAMP = "mine_camp", _("Mining camp")
    HOTEL = "hotel", _("Hotel / lodging")
    PRIVATE_HOME = "private_home", _("Private home")
    BROTHEL = "brothel", _("Brothel")
    RESTAURANT = "restaurant", _("Restaurant")
    AGENCY = "agency", _("Agency / office")
    PORT = "port", _("Port / terminal")
    OTHER = "other", _("Other place")


class CasePlace(models.Model):
    """A place or facility of the case. A private home's address is withheld on pages unless
    revealed (people.privacy.masked_place)."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="places")
    kind = CatalogueCharField(_("kind of place"), catalogue=Catalogue.CASE_PLACE_KIND, max_length=16)
    name = models.CharField(_("name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE_VALIDATORS
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE_VALIDATORS
    )
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    licence = models.CharField(_("municipal licence"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("place of a case file")
        verbose_name_plural = _("places of case files")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    @property
    def is_private_home(self) -> bool:
        return self.kind == PlaceKind.PRIVATE_HOME


class VehicleKind(models.TextChoices):
    CAR = "car", _("Car")
    TRUCK = "truck", _("Truck")
    BUS = "bus", _("Bus")
    MOTORCYCLE = "motorcycle", _("Motorcycle / mototaxi")
    BOAT = "boat", _("Boat")
    OTHER = "other", _("Other vehicle")


class CaseVehicle(models.Model):
    """A vehicle: the plate as typed and its canonical key (people.identifiers.normalise_plate),
    which cross-case matching compares."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="vehicles")
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    plate_key = models.CharField(_("plate (normalised)"), max_length=20, blank=True, db_index=True)
    foreign = models.BooleanField(_("foreign plate"), default=False)
    kind = models.CharField(_("kind of vehicle"), max_length=16, choices=VehicleKind.choices)
    make = models.CharField(_("make"), max_length=80, blank=True)
    model = models.CharField(_("model"), max_length=80, blank=True)
    colour = models.CharField(_("colour"), max_length=60, blank=True)
    owner_person = models.ForeignKey(
        CasePerson,
        verbose_name=_("owner (person of the case)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    owner_text = models.CharField(_("owner (other)"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("vehicle of a case file")
        verbose_name_plural = _("vehicles of case files")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.plate_key or self.get_kind_display()


class CasePhone(models.Model):
    """A phone number of the case in E.164 (people.identifiers.normalise_phone)."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20, db_index=True)
    holder = models.ForeignKey(
        CasePerson, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("phone of a case file")
        verbose_name_plural = _("phones of case files")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.number


class CaseAccount(models.Model):
    """A social-network account: the network and its canonical handle
    (people.identifiers.normalise_account)."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="accounts")
    network = models.CharField(_("social network"), max_length=16, choices=SocialNetwork.choices)
    handle = models.CharField(_("account"), max_length=300, db_index=True)
    holder = models.ForeignKey(
        CasePerson, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("account of a case file")
        verbose_name_plural = _("accounts of case files")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.network}:{self.handle}"


class LegStage(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSIT = "transit", _("Transit")
    DESTINATION = "destination", _("Destination")


class RouteLeg(models.Model):
    """One leg of the route: where (a place of the case, or a district, or both), when, how. The
    legs are ordered by `sequence` (1, 2, ... unique per case file; investigations.things keeps
    them so under the case file's lock)."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="route_legs")
    sequence = models.PositiveIntegerField(_("order"))
    stage = models.CharField(_("stage"), max_length=16, choices=LegStage.choices)
    place = models.ForeignKey(
        CasePlace, verbose_name=_("place"), on_delete=models.PROTECT, related_name="legs", null=True, blank=True
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    departed_on = models.DateField(_("departed"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived"), null=True, blank=True)
    transport = CatalogueCharField(_("transport"), catalogue=Catalogue.TRANSPORT, max_length=16, blank=True)
    carrier = models.CharField(_("carrier"), max_length=200, blank=True)
    vehicle = models.ForeignKey(
        CaseVehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="legs", null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    scope_parent = "case_file"
    objects = ScopedQuerySet.as_manager()
    history = history_records()

    class Meta:
        verbose_name = _("leg of a route")
        verbose_name_plural = _("legs of routes")
        ordering = ["case_file", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "sequence"], name="route_leg_sequence_once"),
            models.CheckConstraint(
                condition=models.Q(place__isnull=False) | models.Q(district__isnull=False),
                name="route_leg_place_or_district",
            ),
            models.CheckConstraint(
                condition=models.Q(departed_on__isnull=True)
                | models.Q(arrived_on__isnull=True)
                | models.Q(arrived_on__gte=models.F("departed_on")),
                name="route_leg_arrived_after_departed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_file_id} #{self.sequence}"

    @property
    def department_code(self) -> str:
        """The INEI department code (2 digits) of the leg: its district's, else its place's."""
        code = self.district_id or (self.place.district_id if self.place_id and self.place else None) or ""
        return code[:2]
