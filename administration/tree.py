"""The unit tree over time: every change of the tree a national administrator makes (create,
rename, move, merge, split a directorate) and the bulk load of police stations from a CSV file.

Each operation is one transaction, audited (`unit_tree_changed`, `stations_loaded`), and dated:
the tree of command (`Unit.parent`, `Unit.path`, `Unit.directorate`) becomes the new one at once,
for access as for everything else, and a `UnitPlacement` row per unit whose parent or directorate
changed keeps where it stood before the date, for the statistics by the tree of the registration
date (stats.units). Records keep the unit they were registered in: nothing here touches them.

Bad input raises `ValidationError` (messages by form field, in the interface language) and saves
nothing; an actor who is not a national administrator raises `PermissionDenied`.

May import: `audit` and the `reta` kernel (as the rest of administration).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from administration.models import Department, District, Jurisdiction, Province, Unit, UnitPlacement, User
from administration.policies import is_national_admin_account
from administration.selectors import DISTRICT, PROVINCE, jurisdiction_pieces_of
from audit.context import request_id_scope
from audit.events import AuditEventType
from audit.services import audit_record

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,63}$")
ONE_DAY = datetime.timedelta(days=1)


def _require_admin(actor: User) -> None:
    if not is_national_admin_account(actor):
        raise PermissionDenied


def _date_errors(on: datetime.date | None, name: str = "on") -> dict[str, list[str]]:
    if on is None:
        return {name: [_("Give the date from which the change applies.")]}
    if on > timezone.localdate():
        return {name: [_("The date cannot be in the future: the tree changes now, from that date.")]}
    return {}


def _code_errors(code: str, name: str = "code") -> dict[str, list[str]]:
    if not CODE_PATTERN.match(code or ""):
        return {name: [_("The code takes capital letters, digits and hyphens (e.g. DIRTEPOL-LIMA-CPNP-9).")]}
    if Unit.objects.filter(code=code).exists():
        return {name: [_("The code {code} is already used by another unit.").format(code=code)]}
    return {}


def _audit(actor: User, unit: Unit, operation: str, on: datetime.date | None, **details: Any) -> None:
    audit_record(
        event=AuditEventType.UNIT_TREE_CHANGED,
        obj=unit,
        actor=actor,
        object_repr=unit.code,
        details={"operation": operation, "on": on.isoformat() if on else None, **details},
    )


def _record_placement(unit: Unit, *, parent_id: int | None, directorate_id: int | None, on: datetime.date) -> None:
    """Close where `unit` stood until the day before `on` (parent_id, directorate_id: the old
    values), and open where it stands now from `on`."""
    current = unit.placements.filter(valid_to__isnull=True).order_by("-valid_from").first()
    since = current.valid_from if current is not None else unit.valid_from
    if since is not None and since >= on:
        raise ValidationError(
            {
                "on": [
                    _("{unit} already changed place in the tree on {date}: give a later date.").format(
                        unit=unit.name, date=since.strftime("%d/%m/%Y")
                    )
                ]
            }
        )
    if current is None:
        UnitPlacement.objects.create(
            unit=unit, parent_id=parent_id, directorate_id=directorate_id, valid_from=since, valid_to=on - ONE_DAY
        )
    else:
        current.valid_to = on - ONE_DAY
        current.save(update_fields=["valid_to"])
    UnitPlacement.objects.create(unit=unit, parent_id=unit.parent_id, directorate_id=unit.directorate_id, valid_from=on)


def _reparent(unit: Unit, parent: Unit, on: datetime.date, reason: str) -> int:
    """Put `unit` under `parent` and recompute the path and directorate of its whole subtree,
    recording a placement for every unit whose parent or directorate changed. Returns how many
    units changed."""
    subtree = list(Unit.objects.select_for_update().filter(path__startswith=unit.path).order_by("path"))
    before = {node.pk: (node.parent_id, node.directorate_id) for node in subtree}
    saved: dict[int, Unit] = {parent.pk: parent}
    changed = 0
    for node in subtree:
        if node.pk == unit.pk:
            node.parent = parent
        else:
            node.parent = saved[node.parent_id]
        node._change_reason = reason
        node.save()
        node.refresh_from_db(fields=["directorate"])
        saved[node.pk] = node
        old_parent, old_directorate = before[node.pk]
        if (old_parent, old_directorate) != (node.parent_id, node.directorate_id):
            _record_placement(node, parent_id=old_parent, directorate_id=old_directorate, on=on)
            changed += 1
    return changed


# ---------------------------------------------------------------- create, rename, move, merge


@request_id_scope()
@transaction.atomic
def unit_create(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    district: District | None = None,
    valid_from: datetime.date | None,
) -> Unit:
    _require_admin(actor)
    code, name = (code or "").strip().upper(), (name or "").strip()
    errors = {**_code_errors(code), **_date_errors(valid_from, "valid_from")}
    if not name:
        errors["name"] = [_("Give the name of the unit.")]
    if kind not in Unit.Kind.values:
        errors["kind"] = [_("Choose the kind of unit.")]
    if parent is None:
        errors["parent"] = [_("Choose the unit it depends on.")]
    elif not parent.is_active:
        errors["parent"] = [_("The unit it depends on is not active.")]
    if errors:
        raise ValidationError(errors)
    unit = Unit(code=code, name=name, kind=kind, parent=parent, district=district, valid_from=valid_from)
    unit._change_reason = "created"
    unit.save()
    _audit(actor, unit, "create", valid_from, parent=parent.code, kind=kind, name=name)
    return unit


@request_id_scope()
@transaction.atomic
def unit_rename(*, actor: User, unit: Unit, name: str, on: datetime.date | None) -> Unit:
    """A new name from `on`; the old one stays in the unit's history (django-simple-history)."""
    _require_admin(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name = (name or "").strip()
    errors = _date_errors(on)
    if not name:
        errors["name"] = [_("Give the new name of the unit.")]
    elif name == unit.name:
        errors["name"] = [_("The new name is the current one.")]
    if errors:
        raise ValidationError(errors)
    old = unit.name
    unit.name = name
    unit._change_reason = f"renamed on {on.isoformat()} (was: {old})"
    unit.save()
    _audit(actor, unit, "rename", on, old_name=old, new_name=name)
    return unit


def _move_target_errors(unit: Unit, parent: Unit | None, name: str = "parent") -> dict[str, list[str]]:
    if parent is None:
        return {name: [_("Choose the unit it will depend on.")]}
    if not parent.is_active:
        return {name: [_("The unit it will depend on is not active.")]}
    if parent.pk == unit.pk or parent.path.startswith(unit.path):
        return {name: [_("A unit cannot depend on itself or on one of its own units.")]}
    return {}


@request_id_scope()
@transaction.atomic
def unit_move(*, actor: User, unit: Unit, parent: Unit | None, on: datetime.date | None) -> Unit:
    """`unit` and its whole subtree depend on `parent` from `on`: the paths of every descendant
    change at once (access follows the current tree)."""
    _require_admin(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    errors = {**_move_target_errors(unit, parent), **_date_errors(on)}
    if not errors and parent.pk == unit.parent_id:
        errors["parent"] = [_("The unit already depends on {unit}.").format(unit=parent.name)]
    if errors:
        raise ValidationError(errors)
    old_parent = unit.parent
    changed = _reparent(unit, parent, on, f"moved on {on.isoformat()}")
    unit.refresh_from_db()
    _audit(
        actor, unit, "move", on, old_parent=old_parent.code if old_parent else None, parent=parent.code, units=changed
    )
    return unit


@request_id_scope()
@transaction.atomic
def unit_merge(*, actor: User, absorbed: Unit, into: Unit | None, on: datetime.date | None) -> Unit:
    """`absorbed` ends the day before `on` (valid_to, inactive); its units depend on `into` from
    `on`, and a directorate's departments pass to `into`. Its accounts must be moved first."""
    _require_admin(actor)
    absorbed = Unit.objects.select_for_update().get(pk=absorbed.pk)
    errors = {**_move_target_errors(absorbed, into, "into"), **_date_errors(on)}
    if not absorbed.is_active:
        errors["into"] = [_("{unit} is no longer active.").format(unit=absorbed.name)]
    if absorbed.parent_id is None:
        errors["into"] = [_("The root of the tree cannot be merged.")]
    if absorbed.users.filter(is_active=True).exists():
        errors.setdefault("into", []).append(
            _("{unit} still has active accounts: move them to another unit first.").format(unit=absorbed.name)
        )
    if errors:
        raise ValidationError(errors)
    children = list(absorbed.children.order_by("code"))
    for child in children:
        _reparent(child, into, on, f"merged into {into.code} on {on.isoformat()}")
    held = _held_pieces(absorbed)
    if held.rows() and into.kind in Unit.DIRECTORATE_KINDS:
        _pass_jurisdiction(absorbed, into, held, on)
    absorbed.valid_to = on - ONE_DAY
    absorbed.is_active = False
    absorbed._change_reason = f"merged into {into.code} on {on.isoformat()}"
    absorbed.save()
    _audit(actor, absorbed, "merge", on, into=into.code, children=[child.code for child in children])
    return into


# ---------------------------------------------------------------- split a directorate


# The name of a directorate's trafficking unit, as in the reference data
# (tools/build_reference_fixtures.py; tests/administration/test_unit_tree.py checks they agree).
SPECIALISED_UNIT_NAME = "Departamento de Investigación de Trata de Personas — {directorate}"
SPECIALISED_SUFFIX = "-TRATA"
ROMAN_NUMERAL = re.compile(r"^[IVXLC]+\s+")


def specialised_unit_name(directorate_name: str) -> str:
    """ "VII DIRTEPOL Lima" → "Departamento de Investigación de Trata de Personas — DIRTEPOL Lima"."""
    return SPECIALISED_UNIT_NAME.format(directorate=ROMAN_NUMERAL.sub("", directorate_name.strip()))


@dataclass(frozen=True)
class Pieces:
    """Places of a jurisdiction that pass from one directorate to another: whole departments,
    provinces, districts."""

    departments: tuple[Department, ...] = ()
    provinces: tuple[Province, ...] = ()
    districts: tuple[District, ...] = ()

    def rows(self) -> list[tuple[str, dict[str, Any]]]:
        """(field, the Jurisdiction columns of the place) of every piece."""
        return (
            [
                ("departments", {"department_id": d.pk, "province_id": None, "district_id": None})
                for d in self.departments
            ]
            + [
                ("provinces", {"department_id": p.department_id, "province_id": p.pk, "district_id": None})
                for p in self.provinces
            ]
            + [
                ("districts", {"department_id": d.department_id, "province_id": d.province_id, "district_id": d.pk})
                for d in self.districts
            ]
        )

    def codes(self) -> dict[str, list[str]]:
        return {
            "departments": sorted(d.pk for d in self.departments),
            "provinces": sorted(p.pk for p in self.provinces),
            "districts": sorted(d.pk for d in self.districts),
        }


def jurisdiction_errors(directorate: Unit, pieces: Pieces, on: datetime.date | None) -> dict[str, list[str]]:
    """Why these pieces cannot pass from `directorate` to another directorate from `on` (by form
    field, in the interface language; {} when they can). Refused: a piece `directorate` is not
    competent for that day (at the piece's own level: another directorate's province stays
    another's); a province or district inside a department or province chosen too (the same
    territory twice: an ambiguous piece); a piece whose level already changed on or after `on`
    (two pieces of one place at one level would overlap in time); and a place where the pieces
    valid that day are ambiguous already. A constant number of queries whatever the number of
    pieces: the directorate's departments, the pieces valid that day (two, `jurisdiction_pieces_of`)
    and the later pieces of all the places. Called by `directorate_split` only (the form shows its
    messages)."""
    errors: dict[str, list[str]] = {}
    if on is None:
        return errors

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    chosen_departments = {d.pk for d in pieces.departments}
    if pieces.departments:
        own = set(directorate.jurisdiction.values_list("pk", flat=True))
        for department in pieces.departments:
            if department.pk not in own:
                refuse(
                    "departments",
                    _("The department {place} is not in the jurisdiction of {directorate}.").format(
                        place=department.name, directorate=directorate.name
                    ),
                )
    chosen_provinces = {p.pk for p in pieces.provinces}
    asked: list[tuple[str, Province | District, str]] = []  # (field, place, level) to read on `on`
    for name, places, level in (
        ("provinces", pieces.provinces, PROVINCE),
        ("districts", pieces.districts, DISTRICT),
    ):
        for place in places:
            if place.department_id in chosen_departments:
                refuse(
                    name,
                    _(
                        "{place} lies in the department {department}, which passes whole already: choose the "
                        "department or its parts, not both."
                    ).format(place=place.name, department=place.department.name),
                )
            elif level == DISTRICT and place.province_id in chosen_provinces:
                refuse(
                    name,
                    _(
                        "The district {place} lies in the province {province}, which passes whole already: "
                        "choose the province or its districts, not both."
                    ).format(place=place.name, province=place.province.name),
                )
            else:
                asked.append((name, place, level))
    samples = [(place.pk if level == DISTRICT else f"{place.pk}01", level) for _name, place, level in asked]
    for (name, place, _level), (_found, competent) in zip(asked, jurisdiction_pieces_of(samples, on=on), strict=True):
        if len(competent) > 1:
            refuse(
                name,
                _("The jurisdiction over {place} is ambiguous on {date}: {directorates}.").format(
                    place=place.name,
                    date=on.strftime("%d/%m/%Y"),
                    directorates=", ".join(sorted(unit.name for unit in competent)),
                ),
            )
        elif [unit.pk for unit in competent] != [directorate.pk]:
            refuse(
                name,
                _("{place} is not in the jurisdiction of {directorate} on {date}.").format(
                    place=place.name, directorate=directorate.name, date=on.strftime("%d/%m/%Y")
                ),
            )
    for name, later in zip(
        (name for name, _columns in pieces.rows()), _later_pieces(directorate, pieces, on), strict=True
    ):
        if later is not None:
            place = later.district or later.province or later.department
            changed = later.valid_from or on
            refuse(
                name,
                _("The jurisdiction over {place} already changed on {date}: give a later date.").format(
                    place=place.name, date=changed.strftime("%d/%m/%Y")
                ),
            )
    return errors


def _later_pieces(directorate: Unit, pieces: Pieces, on: datetime.date) -> list[Jurisdiction | None]:
    """For each piece (`Pieces.rows`, in order), the latest Jurisdiction row of the same place and
    level that starts or ends on or after `on` - other than `directorate`'s own open row that
    started before - or None: one query for all the pieces."""
    rows = pieces.rows()
    if not rows:
        return []
    same_place = Q(pk__in=[])
    for _name, columns in rows:
        same_place |= Q(**columns)
    found = list(
        Jurisdiction.objects.filter(same_place)
        .filter(Q(valid_from__gte=on) | Q(valid_to__gte=on))
        .exclude(directorate=directorate, valid_to__isnull=True, valid_from__lt=on)
        .exclude(directorate=directorate, valid_to__isnull=True, valid_from__isnull=True)
        .select_related("department", "province", "district")
        .order_by("pk")
    )
    latest: list[Jurisdiction | None] = []
    for _name, columns in rows:
        key = (columns["department_id"], columns["province_id"], columns["district_id"])
        matching = [row for row in found if (row.department_id, row.province_id, row.district_id) == key]
        # as order_by("-valid_from").first(): the latest start, a row without a start last
        matching.sort(key=lambda row: (row.valid_from is not None, row.valid_from or on), reverse=True)
        latest.append(matching[0] if matching else None)
    return latest


def _pass_jurisdiction(old: Unit, new: Unit, pieces: Pieces, on: datetime.date) -> None:
    """The pieces pass from `old` to `new` from `on`: dated Jurisdiction rows (the old
    directorate's row of that place and level closed the day before; for a department it held with
    no row yet, one opened without a start and closed) and the current departments of each
    (`Unit.jurisdiction`). A province or district `old` held through its department gets no
    closing row: the new, finer piece wins from `on` (administration.selectors)."""
    for _name, columns in pieces.rows():
        current = Jurisdiction.objects.filter(directorate=old, valid_to=None, **columns).first()
        if current is not None:
            current.valid_to = on - ONE_DAY
            current.save()
        elif columns["province_id"] is None:
            Jurisdiction.objects.create(directorate=old, valid_to=on - ONE_DAY, **columns)
        Jurisdiction.objects.create(directorate=new, valid_from=on, **columns)
    departments = [department.pk for department in pieces.departments]
    if departments:
        old.jurisdiction.remove(*departments)
        new.jurisdiction.add(*departments)


def _held_pieces(directorate: Unit) -> Pieces:
    """Everything `directorate` holds now: its departments and its open province and district rows."""
    rows = Jurisdiction.objects.filter(directorate=directorate, valid_to=None, province__isnull=False)
    return Pieces(
        departments=tuple(directorate.jurisdiction.order_by("code")),
        provinces=tuple(row.province for row in rows.filter(district=None).select_related("province")),
        districts=tuple(row.district for row in rows.exclude(district=None).select_related("district")),
    )


@request_id_scope()
@transaction.atomic
def directorate_split(
    *,
    actor: User,
    directorate: Unit,
    code: str,
    name: str,
    units: list[Unit],
    on: datetime.date | None,
    departments: list[Department] | None = None,
    provinces: list[Province] | None = None,
    districts: list[District] | None = None,
    district: District | None = None,
) -> Unit:
    """Split `directorate` in two from `on`: a new directorate (same kind and parent, valid from
    `on`) takes `units` (units that depend directly on the old one, with their subtrees) and the
    `departments`, `provinces` and `districts` of its jurisdiction (`jurisdiction_errors`), and
    gets its own trafficking unit, `<code>-TRATA` (as every directorate of the reference data),
    which receives the alerts of its jurisdiction; the old one keeps the rest and its own dates."""
    _require_admin(actor)
    directorate = Unit.objects.select_for_update().get(pk=directorate.pk)
    code, name = (code or "").strip().upper(), (name or "").strip()
    errors = {**_code_errors(code), **_date_errors(on)}
    specialised_code = f"{code}{SPECIALISED_SUFFIX}"
    if "code" not in errors:
        if len(specialised_code) > Unit._meta.get_field("code").max_length:
            errors["code"] = [
                _("The code is too long: its trafficking unit, {code}, must fit in 64 characters.").format(
                    code=specialised_code
                )
            ]
        elif Unit.objects.filter(code=specialised_code).exists():
            errors["code"] = [
                _("The code {code} of its trafficking unit is already used by another unit.").format(
                    code=specialised_code
                )
            ]
    if directorate.kind not in Unit.DIRECTORATE_KINDS:
        errors["directorate"] = [_("Only a directorate can be split.")]
    if not name:
        errors["name"] = [_("Give the name of the new directorate.")]
    if not units:
        errors["units"] = [_("Choose the units that pass to the new directorate.")]
    elif any(unit.parent_id != directorate.pk for unit in units):
        errors["units"] = [
            _("Only units that depend directly on {directorate} can pass to the new directorate.").format(
                directorate=directorate.name
            )
        ]
    elif any(unit.kind == Unit.Kind.REGIONAL_SPECIALISED for unit in units):
        errors["units"] = [
            _("The trafficking unit stays with {directorate}: the new directorate gets its own, {code}.").format(
                directorate=directorate.name, code=specialised_code
            )
        ]
    elif len(units) == directorate.children.count():
        errors["units"] = [_("Leave at least one unit in {directorate}.").format(directorate=directorate.name)]
    pieces = Pieces(tuple(departments or ()), tuple(provinces or ()), tuple(districts or ()))
    for field_name, messages in jurisdiction_errors(directorate, pieces, on).items():
        errors.setdefault(field_name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    reason = f"split from {directorate.code} on {on.isoformat()}"
    new = Unit(
        code=code,
        name=name,
        kind=directorate.kind,
        parent=directorate.parent,
        district=district or directorate.district,
        valid_from=on,
    )
    new._change_reason = reason
    new.save()
    new.refresh_from_db()
    specialised = Unit(
        code=specialised_code,
        name=specialised_unit_name(name),
        kind=Unit.Kind.REGIONAL_SPECIALISED,
        parent=new,
        district=new.district,
        valid_from=on,
    )
    specialised._change_reason = reason
    specialised.save()
    moved = 0
    for unit in sorted(units, key=lambda unit: unit.code):
        moved += _reparent(unit, new, on, reason)
    if pieces.rows():
        _pass_jurisdiction(directorate, new, pieces, on)
    codes = pieces.codes()
    _audit(
        actor,
        new,
        "split",
        on,
        old_directorate=directorate.code,
        units=sorted(unit.code for unit in units),
        specialised_unit=specialised.code,
        units_changed=moved,
        **codes,
    )
    _audit(
        actor,
        specialised,
        "create",
        on,
        parent=new.code,
        kind=specialised.kind,
        name=specialised.name,
        split_from=directorate.code,
    )
    return new


# ---------------------------------------------------------------- bulk load of police stations

STATION_COLUMNS = ("code", "name", "parent", "district")


@dataclass
class StationLoad:
    """What a CSV file of stations would create (dry run) or created, and every error by line."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_stations(text: str) -> StationLoad:
    result = StationLoad()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header] != list(STATION_COLUMNS):
        result.errors.append(
            (1, _("The first line must be the header: {columns}.").format(columns=",".join(STATION_COLUMNS)))
        )
        return result
    existing = {code: pk for code, pk in Unit.objects.values_list("code", "pk")}
    districts = set(District.objects.values_list("code", flat=True))
    in_file: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(STATION_COLUMNS):
            result.errors.append(
                (
                    line,
                    _("The line has {n} columns, not {expected}.").format(n=len(cells), expected=len(STATION_COLUMNS)),
                )
            )
            continue
        code, name, parent, district = (cell.strip() for cell in cells)
        code, parent = code.upper(), parent.upper()
        problems = []
        if not CODE_PATTERN.match(code):
            problems.append(
                _("the code {code} is not valid (capital letters, digits and hyphens)").format(code=code or "—")
            )
        elif code in existing:
            problems.append(_("the code {code} already exists").format(code=code))
        elif code in in_file:
            problems.append(_("the code {code} is repeated (line {first})").format(code=code, first=in_file[code]))
        if not name:
            problems.append(_("the name is empty"))
        if parent not in existing and parent not in in_file:
            problems.append(_("the parent unit {code} does not exist").format(code=parent or "—"))
        if district not in districts:
            problems.append(_("the district {code} is not an INEI ubigeo").format(code=district or "—"))
        if problems:
            result.errors.append((line, "; ".join(problems)))
        if CODE_PATTERN.match(code) and code not in in_file:
            in_file[code] = line
        result.rows.append({"line": line, "code": code, "name": name, "parent": parent, "district": district})
    if not result.rows and not result.errors:
        result.errors.append((1, _("The file has no stations.")))
    return result


@request_id_scope()
@transaction.atomic
def stations_load(*, actor: User, text: str, valid_from: datetime.date, dry_run: bool) -> StationLoad:
    """Read a CSV of police stations (code,name,parent,district; UTF-8, with that header) and,
    unless `dry_run`, create them all, or none when any line has an error."""
    _require_admin(actor)
    result = _read_stations(text)
    if dry_run or not result.ok:
        return result
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={row["parent"] for row in result.rows})}
    for row in result.rows:
        unit = Unit(
            code=row["code"],
            name=row["name"],
            kind=Unit.Kind.STATION,
            parent=units[row["parent"]],
            district_id=row["district"],
            valid_from=valid_from,
        )
        unit._change_reason = "loaded from a CSV file"
        unit.save()
        units[unit.code] = unit
    result.created = len(result.rows)
    audit_record(
        event=AuditEventType.STATIONS_LOADED,
        actor=actor,
        object_repr=_("{n} stations").format(n=result.created),
        details={"codes": [row["code"] for row in result.rows], "valid_from": valid_from.isoformat()},
    )
    return result
