"""Every write of the places and things of a case file (issue 11, item 3): places, vehicles, phones,
social-network accounts and the route's legs (add, change, remove, move a leg up or down).

Like investigations.services: each function is its own transaction (reta.transactions, retried on
contention), locks the case file's row first (`services._locked_case`: the scope and the policy
checked there, so two investigators adding or moving legs at once keep the sequences 1, 2, 3...
unique), refuses bad input with a Spanish message (`CaseFileError`, nothing saved) and writes one
audit event (`case_place_added`, `case_place_changed`, `case_place_removed`, and the same for
vehicles, phones, accounts and route legs; `route_leg_moved`).

Identifiers are normalised here again (people.identifiers), whatever the form did: the plate key,
the phone in E.164, the account's handle. A removal deletes the row; its simple-history table keeps
every version and the removal itself (append-only by trigger, migration 0005). A place or a vehicle
that a leg of the route still uses is not removed.

`data` is a dict of the model's field names (the forms' cleaned data); a field left out keeps its
value (on a change) or its default (on an addition).

May import: django, administration, audit, people (identifiers), reta, investigations (models,
services).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from administration.catalogues import CatalogueCharField
from audit.events import AuditEventType
from audit.services import audit_record
from investigations.models import (
    CaseAccount,
    CaseFile,
    CasePerson,
    CasePhone,
    CasePlace,
    CaseVehicle,
    RouteLeg,
)
from investigations.services import CaseFileError, _locked_case
from people import identifiers
from reta.transactions import retry_on_contention

__all__ = [
    "account_save",
    "leg_move",
    "leg_save",
    "phone_save",
    "place_save",
    "thing_remove",
    "vehicle_save",
]

PLACE_FIELDS = ("kind", "name", "address", "district", "latitude", "longitude", "operator", "licence", "notes")
VEHICLE_FIELDS = ("plate", "foreign", "kind", "make", "model", "colour", "owner_person", "owner_text")
PHONE_FIELDS = ("number", "holder", "notes")
ACCOUNT_FIELDS = ("network", "handle", "holder", "notes")
LEG_FIELDS = ("stage", "place", "district", "departed_on", "arrived_on", "transport", "carrier", "vehicle", "notes")

# (model, event added, changed, removed, audit name) per kind of thing.
E = AuditEventType
KINDS: dict[str, tuple[type[Model], str, str, str]] = {
    "place": (CasePlace, E.CASE_PLACE_ADDED, E.CASE_PLACE_CHANGED, E.CASE_PLACE_REMOVED),
    "vehicle": (CaseVehicle, E.CASE_VEHICLE_ADDED, E.CASE_VEHICLE_CHANGED, E.CASE_VEHICLE_REMOVED),
    "phone": (CasePhone, E.CASE_PHONE_ADDED, E.CASE_PHONE_CHANGED, E.CASE_PHONE_REMOVED),
    "account": (CaseAccount, E.CASE_ACCOUNT_ADDED, E.CASE_ACCOUNT_CHANGED, E.CASE_ACCOUNT_REMOVED),
    "leg": (RouteLeg, E.ROUTE_LEG_ADDED, E.ROUTE_LEG_CHANGED, E.ROUTE_LEG_REMOVED),
}
del E


def _error_of(error: ValidationError, field: str | None) -> CaseFileError:
    return CaseFileError(" ".join(str(message) for message in error.messages), field=field)


def _same_case(case_file: CaseFile, value: Any, field: str) -> None:
    """A person, place or vehicle pointed at belongs to this case file."""
    if value is not None and value.case_file_id != case_file.pk:
        raise CaseFileError(_("Choose one of this case file's own records."), field=field)


def _row(model: type[Model], case_file: CaseFile, pk: int | None) -> Any:
    if pk is None:
        return model(case_file=case_file)
    row = model.objects.select_for_update().filter(case_file=case_file, pk=pk).first()
    if row is None:
        raise CaseFileError(_("This record does not exist in the case file (it may have been removed)."))
    return row


def _save(
    *, actor: Any, case_file: CaseFile, kind: str, row: Any, data: dict[str, Any], fields: tuple[str, ...]
) -> Any:
    """Copy `data` onto `row`, check the model's own rules (validators, constraints), save and audit."""
    model, added, changed, _removed = KINDS[kind]
    adding = row.pk is None
    before = {name: getattr(row, name) for name in fields} if not adding else {}
    for name in fields:
        if name in data:
            setattr(row, name, data[name])
    if adding:
        row.added_by = actor
    catalogued = [field.name for field in model._meta.concrete_fields if isinstance(field, CatalogueCharField)]
    for name in catalogued:  # a required catalogue code left empty is reported as an unknown one
        if not getattr(row, name) and not model._meta.get_field(name).blank:
            raise CaseFileError(_("Choose a value from the list."), field=name)
    try:
        row.full_clean(exclude=["case_file", "added_by", "sequence"], validate_unique=False)
    except ValidationError as error:
        by_field = getattr(error, "error_dict", {})
        # An unknown catalogue code is reported first (the field's own check: CatalogueCharField).
        field = next((name for name in catalogued if name in by_field), None) or next(iter(by_field), None)
        raise _error_of(ValidationError(by_field[field]) if field else error, field) from None
    if not adding and all(getattr(row, name) == before[name] for name in fields):
        return row  # nothing changed: no new version, no event
    row.save()
    changed_fields = sorted(name for name in fields if adding or getattr(row, name) != before[name])
    audit_record(
        event=added if adding else changed,
        obj=case_file,
        actor=actor,
        details={kind: row.pk, "fields": changed_fields},
    )
    return row


def _text(data: dict[str, Any], name: str) -> str:
    return (data.get(name) or "").strip()


@retry_on_contention()
def place_save(*, actor: Any, case_file: CaseFile | int, data: dict[str, Any], pk: int | None = None) -> CasePlace:
    """Add (pk None) or change a place. Latitude and longitude go together, within their ranges."""
    case_file = _locked_case(actor, case_file)
    row = _row(CasePlace, case_file, pk)
    latitude = data.get("latitude", row.latitude)
    longitude = data.get("longitude", row.longitude)
    if (latitude is None) != (longitude is None):
        raise CaseFileError(_("Give both the latitude and the longitude, or neither."), field="latitude")
    if not _text(data, "name") and not _text(data, "address") and data.get("district", row.district) is None:
        if pk is None:
            raise CaseFileError(_("Give the place's name, its address or its district."), field="name")
    return _save(actor=actor, case_file=case_file, kind="place", row=row, data=data, fields=PLACE_FIELDS)


@retry_on_contention()
def vehicle_save(*, actor: Any, case_file: CaseFile | int, data: dict[str, Any], pk: int | None = None) -> CaseVehicle:
    """Add or change a vehicle; the plate is kept as typed and its key normalised
    (people.identifiers.normalise_plate, `foreign` for a foreign plate's lenient check)."""
    case_file = _locked_case(actor, case_file)
    row = _row(CaseVehicle, case_file, pk)
    data = dict(data)
    plate = _text(data, "plate") if "plate" in data else row.plate
    foreign = bool(data.get("foreign", row.foreign))
    try:
        key = identifiers.normalise_plate(plate, foreign=foreign) if plate else ""
    except ValidationError as error:
        raise _error_of(error, "plate") from None
    data["plate"] = plate
    _same_case(case_file, data.get("owner_person"), "owner_person")
    row.plate_key = key
    return _save(
        actor=actor, case_file=case_file, kind="vehicle", row=row, data=data, fields=(*VEHICLE_FIELDS, "plate_key")
    )


@retry_on_contention()
def phone_save(*, actor: Any, case_file: CaseFile | int, data: dict[str, Any], pk: int | None = None) -> CasePhone:
    """Add or change a phone; the number is kept in E.164 (people.identifiers.normalise_phone)."""
    case_file = _locked_case(actor, case_file)
    row = _row(CasePhone, case_file, pk)
    data = dict(data)
    try:
        data["number"] = identifiers.normalise_phone(_text(data, "number") if "number" in data else row.number)
    except ValidationError as error:
        raise _error_of(error, "number") from None
    _same_case(case_file, data.get("holder"), "holder")
    return _save(actor=actor, case_file=case_file, kind="phone", row=row, data=data, fields=PHONE_FIELDS)


@retry_on_contention()
def account_save(*, actor: Any, case_file: CaseFile | int, data: dict[str, Any], pk: int | None = None) -> CaseAccount:
    """Add or change a social-network account; the handle is normalised
    (people.identifiers.normalise_account: a link or '@Name' become the handle)."""
    case_file = _locked_case(actor, case_file)
    row = _row(CaseAccount, case_file, pk)
    data = dict(data)
    network = data.get("network", row.network)
    try:
        data["handle"] = identifiers.normalise_account(
            network, _text(data, "handle") if "handle" in data else row.handle
        )
    except ValidationError as error:
        raise _error_of(error, "network" if error.code == "account_network" else "handle") from None
    _same_case(case_file, data.get("holder"), "holder")
    return _save(actor=actor, case_file=case_file, kind="account", row=row, data=data, fields=ACCOUNT_FIELDS)


@retry_on_contention()
def leg_save(*, actor: Any, case_file: CaseFile | int, data: dict[str, Any], pk: int | None = None) -> RouteLeg:
    """Add a leg at the end of the route (pk None) or change one (its place in the order stays:
    `leg_move` moves it). A place of the case or a district is required (both may be given);
    arrived on or after departed."""
    case_file = _locked_case(actor, case_file)
    row = _row(RouteLeg, case_file, pk)
    place = data.get("place", row.place if pk else None)
    district = data.get("district", row.district if pk else None)
    _same_case(case_file, place, "place")
    _same_case(case_file, data.get("vehicle"), "vehicle")
    if place is None and district is None:
        raise CaseFileError(_("Choose a place of the case file or a district."), field="district")
    departed = data.get("departed_on", row.departed_on)
    arrived = data.get("arrived_on", row.arrived_on)
    if departed and arrived and arrived < departed:
        raise CaseFileError(_("The arrival cannot be before the departure."), field="arrived_on")
    if pk is None:
        last = RouteLeg.objects.filter(case_file=case_file).aggregate(last=Max("sequence"))["last"]
        row.sequence = (last or 0) + 1
    return _save(actor=actor, case_file=case_file, kind="leg", row=row, data=data, fields=LEG_FIELDS)


@retry_on_contention()
def leg_move(*, actor: Any, case_file: CaseFile | int, pk: int, direction: str) -> RouteLeg:
    """Swap a leg with the one before it (`direction` "up") or after it ("down"). The case file's
    lock serialises concurrent moves; the unique (case file, sequence) pair is kept at every step
    by parking the leg on 0 during the swap."""
    if direction not in ("up", "down"):
        raise CaseFileError(_("Move a leg up or down."))
    case_file = _locked_case(actor, case_file)
    legs = list(RouteLeg.objects.select_for_update().filter(case_file=case_file).order_by("sequence"))
    index = next((i for i, leg in enumerate(legs) if leg.pk == pk), None)
    if index is None:
        raise CaseFileError(_("This record does not exist in the case file (it may have been removed)."))
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(legs):
        raise CaseFileError(_("This leg is already at that end of the route."))
    leg, other = legs[index], legs[other_index]
    mine, theirs = leg.sequence, other.sequence
    leg.sequence = 0
    leg.save(update_fields=["sequence"])
    other.sequence = mine
    other.save(update_fields=["sequence"])
    leg.sequence = theirs
    leg.save(update_fields=["sequence"])
    audit_record(
        event=AuditEventType.ROUTE_LEG_MOVED,
        obj=case_file,
        actor=actor,
        details={"leg": leg.pk, "from": mine, "to": theirs},
    )
    return leg


@retry_on_contention()
def thing_remove(*, actor: Any, case_file: CaseFile | int, kind: str, pk: int) -> None:
    """Remove a place, vehicle, phone, account or leg (`kind`: a key of `KINDS`). The history keeps
    it. A place or vehicle still used by a leg is refused; removing a leg closes the gap in the
    order (the later legs move up one)."""
    if kind not in KINDS:
        raise CaseFileError(_("Unknown kind of record."))
    case_file = _locked_case(actor, case_file)
    model, _added, _changed, removed = KINDS[kind]
    row = _row(model, case_file, pk)
    if kind == "place" and RouteLeg.objects.filter(place=row).exists():
        raise CaseFileError(_("A leg of the route goes to this place: change or remove that leg first."))
    if kind == "vehicle" and RouteLeg.objects.filter(vehicle=row).exists():
        raise CaseFileError(_("A leg of the route uses this vehicle: change or remove that leg first."))
    sequence = getattr(row, "sequence", None)
    row.delete()
    if kind == "leg":
        for later in (
            RouteLeg.objects.select_for_update().filter(case_file=case_file, sequence__gt=sequence).order_by("sequence")
        ):
            later.sequence -= 1
            later.save(update_fields=["sequence"])
    audit_record(event=removed, obj=case_file, actor=actor, details={kind: pk})


def holders_of(case_file: CaseFile) -> Any:
    """The persons of the case file a phone, account or vehicle may belong to (a form's choices)."""
    return CasePerson.objects.filter(case_file=case_file).select_related("identity")
