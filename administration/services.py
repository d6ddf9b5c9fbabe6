"""Every write of the Administration module: validated, saved, audited, in one transaction."""

from __future__ import annotations

import csv
import datetime
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from administration.catalogue_seed import SEED
from administration.catalogues import forget_cached_catalogues
from administration.handover import HandOverRefused, handover_kinds
from administration.models import (
    CATALOGUE_CODE_LENGTH,
    STAT_CODE_MAX,
    Catalogue,
    CatalogueEntry,
    Department,
    District,
    ExtraField,
    HandOver,
    Province,
    Unit,
    User,
    next_stat_code,
    seed_stat_code,
)
from administration.policies import can_sign_in, is_national_admin_account
from audit.context import request_id_scope
from audit.events import AuditEventType
from audit.services import audit_record

AUDITED_USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "unit",
    "role",
    "expires_on",
    "document_number",
    "is_active",
)


def _value(user: User, field: str) -> Any:
    value = getattr(user, field)
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@request_id_scope()
@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    unit: Unit,
    role: str,
    expires_on: datetime.date,
    password: str,
    document_number: str = "",
) -> User:
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        unit=unit,
        role=role,
        expires_on=expires_on,
        document_number=document_number,
        must_change_password=True,
    )
    validate_password(password, user)
    user.set_password(password)
    user._change_reason = "created"
    user.save()
    audit_record(
        event=AuditEventType.USER_CREATED,
        obj=user,
        actor=actor,
        object_repr=user.username,
        details={"unit": unit.code, "role": role, "expires_on": expires_on.isoformat()},
    )
    return user


@request_id_scope()
@transaction.atomic
def user_update(*, actor: User, user: User, **changes: Any) -> User:
    """Change an account's data. A new unit or role is a hand-over: the account's open sessions
    end (User._get_session_auth_hash) and the change is audited as such."""
    unknown = set(changes) - set(AUDITED_USER_FIELDS)
    if unknown:
        raise ValueError(f"Unknown user fields: {sorted(unknown)}")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {field: _value(user, field) for field in changes}
    for field, value in changes.items():
        setattr(user, field, value)
    after = {field: _value(user, field) for field in changes}
    diff = {field: [before[field], after[field]] for field in changes if before[field] != after[field]}
    if not diff:
        return user
    user._change_reason = "updated"
    user.save()
    event = AuditEventType.USER_HANDOVER if ("unit" in diff or "role" in diff) else AuditEventType.USER_UPDATED
    if set(diff) == {"is_active"}:
        event = AuditEventType.USER_ACTIVATED if user.is_active else AuditEventType.USER_DEACTIVATED
    audit_record(event=event, obj=user, actor=actor, object_repr=user.username, details={"changes": diff})
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    return user_update(actor=actor, user=user, is_active=active)


@request_id_scope()
@transaction.atomic
def user_reset_password(*, actor: User, user: User, temporary_password: str) -> User:
    """An administrator sets a temporary password; the owner must change it at next sign-in.
    Changing the password also ends the account's open sessions."""
    user = User.objects.select_for_update().get(pk=user.pk)
    validate_password(temporary_password, user)
    user.set_password(temporary_password)
    user.must_change_password = True
    user._change_reason = "password reset by administrator"
    user.save()
    axes_reset(username=user.username)
    audit_record(event=AuditEventType.PASSWORD_RESET_BY_ADMIN, obj=user, actor=actor, object_repr=user.username)
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Release a locked account before its 10 minutes are over."""
    removed = axes_reset(username=user.username)
    audit_record(
        event=AuditEventType.USER_UNLOCKED,
        obj=user,
        actor=actor,
        object_repr=user.username,
        details={"attempts": removed},
    )
    return removed


@request_id_scope()
@transaction.atomic
def user_change_own_password(*, user: User, new_password: str) -> User:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user._change_reason = "password changed by owner"
    user.save()
    audit_record(event=AuditEventType.PASSWORD_CHANGED, obj=user, actor=user, object_repr=user.username)
    return user


# --- Rotation: an officer moves to another unit and hands her work over -----------------------------


def _move_errors(
    *, officer: User, to_unit: Unit | None, colleague: User | None, moved_on: datetime.date | None, reason: str
) -> dict[str, list[str]]:
    """What is wrong with a move, by form field (empty when it may go ahead)."""
    errors: dict[str, list[str]] = {}
    old_unit = officer.unit
    if to_unit is None:
        errors["to_unit"] = [_("Choose the new unit.")]
    elif not to_unit.is_active:
        errors["to_unit"] = [_("The new unit is not active.")]
    elif to_unit.pk == officer.unit_id:
        errors["to_unit"] = [_("The officer already belongs to this unit: choose another unit.")]
    if colleague is None:
        errors["colleague"] = [_("Name the colleague who receives the hand-over.")]
    elif colleague.pk == officer.pk:
        errors["colleague"] = [_("The hand-over goes to a colleague, not to the officer who moves.")]
    elif colleague.unit_id != officer.unit_id:
        errors["colleague"] = [
            _("{name} belongs to another unit: choose an account of {unit}.").format(
                name=colleague.get_username(), unit=old_unit.name if old_unit else "—"
            )
        ]
    elif not can_sign_in(colleague):
        errors["colleague"] = [
            _(
                "The account of {name} is not active (deactivated or expired): choose an active account of {unit}."
            ).format(name=colleague.get_username(), unit=old_unit.name)
        ]
    if moved_on is None:
        errors["moved_on"] = [_("Give the date of the move.")]
    elif moved_on > timezone.localdate():
        errors["moved_on"] = [_("The date of the move cannot be in the future: the move takes effect now.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason of the move.")]
    return errors


@request_id_scope()
@transaction.atomic
def user_move(
    *,
    actor: User,
    officer: User,
    to_unit: Unit | None,
    colleague: User | None,
    moved_on: datetime.date | None,
    reason: str,
) -> HandOver:
    """Move `officer` to `to_unit` and hand her work in her old unit over to `colleague`, a named,
    active account of that unit, all or nothing.

    - Her unit changes: every request computes her scope from her current unit, so the old unit's
      records are out of her reach at once; her open sessions end too (the session hash is bound
      to the unit, User._get_session_auth_hash).
    - Each module registered in administration.handover passes its part (her drafts, her case-file
      assignments and tasks; the unit's unacknowledged alerts are listed to the colleague).
    - A `HandOver` row (append-only) lists what passed; the event `handover` is audited.

    Raises ValidationError (messages by form field) when the move is not valid, PermissionDenied
    when the actor may not manage accounts; nothing is saved in either case."""
    if not is_national_admin_account(actor):
        raise PermissionDenied
    officer = User.objects.select_for_update().select_related("unit").get(pk=officer.pk)
    if colleague is not None:
        colleague = User.objects.select_for_update().select_related("unit").get(pk=colleague.pk)
    reason = (reason or "").strip()
    errors = _move_errors(officer=officer, to_unit=to_unit, colleague=colleague, moved_on=moved_on, reason=reason)
    if errors:
        raise ValidationError(errors)
    assert to_unit is not None and colleague is not None and moved_on is not None  # checked above
    old_unit = officer.unit
    officer.unit = to_unit
    officer._change_reason = "moved to another unit (hand-over)"
    officer.save()
    items = []
    for registered in handover_kinds():
        try:
            ids = registered.contributor(actor=actor, officer=officer, colleague=colleague, old_unit=old_unit)
        except HandOverRefused as refused:
            raise ValidationError({"colleague": [str(refused.message)]}) from refused
        if ids:
            items.append({"kind": registered.kind, "count": len(ids), "ids": sorted(ids)})
    handover = HandOver.objects.create(
        officer=officer,
        colleague=colleague,
        from_unit=old_unit,
        to_unit=to_unit,
        moved_on=moved_on,
        reason=reason,
        items=items,
        created_by=actor,
    )
    audit_record(
        event=AuditEventType.HANDOVER,
        obj=officer,
        actor=actor,
        object_repr=officer.username,
        details={
            "handover": handover.pk,
            "from_unit": old_unit.code,
            "to_unit": to_unit.code,
            "colleague": colleague.username,
            "moved_on": moved_on.isoformat(),
            # not "items": templates read `details.items` as the dict's method
            "handed_over": {item["kind"]: item["ids"] for item in items},
        },
    )
    return handover


@request_id_scope()
@transaction.atomic
def user_mark_reviewed(*, actor: User, user: User) -> User:
    """The yearly review: a national administrator confirms that the account is still needed."""
    if not is_national_admin_account(actor):
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    user.reviewed_at = timezone.now()
    user.reviewed_by = actor
    user._change_reason = "reviewed"
    user.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_record(
        event=AuditEventType.ACCOUNT_REVIEWED,
        obj=user,
        actor=actor,
        object_repr=user.username,
        details={"last_login": user.last_login.isoformat() if user.last_login else None},
    )
    return user


# --- Reference data: the INEI geography and the unit tree -----------------------------------------

REFERENCE_FIXTURES_DIR = "fixtures"  # under settings.BASE_DIR; written by tools/build_reference_fixtures.py
_PLACE_FIELDS = {
    Department: ("name", "capital", "latitude", "longitude"),
    Province: ("department_id", "name", "capital", "latitude", "longitude"),
    District: ("province_id", "department_id", "name", "capital", "latitude", "longitude"),
}


def _read_fixture(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)


def _name_corrections(path: Path, rows: list[dict[str, Any]]) -> dict[str, str]:
    """{code: corrected name} from fixtures/ubigeo/name_corrections.csv (accents the source lost,
    "La Convencion" -> "La Convención"; its sources: fixtures/ubigeo/NAME_CORRECTIONS.md). A row
    whose name in the source no longer matches the fixture's stops the load: a correction is never
    applied to a name it was not written for."""
    if not path.is_file():
        return {}
    names = {row["code"]: row["display_name"] for row in rows}
    corrections = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if names.get(row["code"]) != row["name_in_source"]:
                raise ValueError(
                    f"{path.name}, line {line}: {row['code']} is {names.get(row['code'])!r} in the fixtures, "
                    f"not {row['name_in_source']!r}"
                )
            corrections[row["code"]] = row["corrected_name"]
    return corrections


def _place_values(row: dict[str, Any], fallback: dict[str, Any] | None = None) -> dict[str, Any]:
    """Model values of a place of the fixture. Unknown coordinates (a few districts created after
    the source's survey) take the province capital's: the model has no room for "unknown"."""
    values = {
        "code": row["code"],
        "name": row["display_name"],
        "capital": row["capital"] or "",
        "latitude": row["latitude"],
        "longitude": row["longitude"],
    }
    if "department" in row:
        values["department_id"] = row["department"]
    if "province" in row:
        values["province_id"] = row["province"]
    if fallback and (values["latitude"] is None or values["longitude"] is None):
        values["latitude"], values["longitude"] = fallback["latitude"], fallback["longitude"]
    return values


def _places_sync(model: type[models.Model], rows: list[dict[str, Any]]) -> int:
    """Create the missing rows, update the changed ones, in bulk (the places have no history).
    Rows absent from the fixture are left alone. Returns how many rows were written."""
    fields = _PLACE_FIELDS[model]
    existing = model.objects.in_bulk()
    to_create, to_update = [], []
    for values in rows:
        obj = existing.get(values["code"])
        if obj is None:
            to_create.append(model(**values))
            continue
        if any(getattr(obj, field) != values[field] for field in fields):
            for field in fields:
                setattr(obj, field, values[field])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    model.objects.bulk_update(to_update, fields, batch_size=500)
    return len(to_create) + len(to_update)


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()
    pending = list(rows)
    while pending:
        ready = [row for row in pending if row["parent"] is None or row["parent"] in placed]
        if not ready:
            raise ValueError(f"Units whose parent is missing or in a cycle: {[row['code'] for row in pending]}")
        ordered.extend(ready)
        placed.update(row["code"] for row in ready)
        pending = [row for row in pending if row["code"] not in placed]
    return ordered


def _units_sync(rows: list[dict[str, Any]]) -> int:
    """update_or_create by code, parents first, through Unit.save() so that `path`, `directorate`
    and the history are right. A unit that already matches the fixture is not saved again."""
    existing = {unit.code: unit for unit in Unit.objects.prefetch_related("jurisdiction")}
    done: dict[str, Unit] = {}
    written = 0
    for row in _parents_first(rows):
        parent = done[row["parent"]] if row["parent"] else None
        unit = existing.get(row["code"])
        is_new = unit is None
        if is_new:
            unit = Unit(code=row["code"])
        wanted = {
            "name": row["name"],
            "kind": row["kind"],
            "parent_id": parent.pk if parent else None,
            "district_id": row["district"],
            "is_representative": row["is_representative"],
        }
        path = f"{parent.path if parent else ''}{unit.code}/"
        if row["kind"] in Unit.DIRECTORATE_KINDS:
            directorate_id = unit.pk
        else:
            directorate_id = parent.directorate_id if parent else None
        changed = (
            is_new
            or unit.path != path
            or unit.directorate_id != directorate_id
            or any(getattr(unit, field) != value for field, value in wanted.items())
        )
        if changed:
            for field, value in wanted.items():
                setattr(unit, field, value)
            unit.parent = parent
            unit._change_reason = "reference data"
            unit.save()
        jurisdiction = set(row["jurisdiction"])
        if jurisdiction != (set() if is_new else {department.pk for department in unit.jurisdiction.all()}):
            unit.jurisdiction.set(sorted(jurisdiction))
            changed = True
        written += changed
        done[unit.code] = unit
    return written


@request_id_scope()
def reference_data_load(*, base_dir: Path | None = None) -> dict[str, Any]:
    """Load the project's reference data (fixtures/ubigeo/*.json, fixtures/units.json) into the
    database: idempotent, in one transaction. Reads nothing outside `base_dir` (settings.BASE_DIR).

    Returns the counts in the database afterwards and what this run wrote:
    {"departments": 25, "provinces": 196, "districts": 1893, "units": 250,
     "units_by_kind": {"station": 196, ...}, "written": {"districts": 0, ...}, "source": "<dir>"}.
    """
    source = Path(base_dir if base_dir is not None else settings.BASE_DIR) / REFERENCE_FIXTURES_DIR
    files = {
        "departments": source / "ubigeo" / "departments.json",
        "provinces": source / "ubigeo" / "provinces.json",
        "districts": source / "ubigeo" / "districts.json",
        "units": source / "units.json",
    }
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"Reference data not found: {', '.join(missing)}")
    data = {name: _read_fixture(path) for name, path in files.items()}

    departments = [_place_values(row) for row in data["departments"]]
    provinces = [_place_values(row) for row in data["provinces"]]
    province_by_code = {row["code"]: row for row in provinces}
    districts = [_place_values(row, province_by_code.get(row["province"])) for row in data["districts"]]
    # Accents restored where the source lost them; existing rows are updated like any other change.
    corrections = _name_corrections(
        source / "ubigeo" / "name_corrections.csv", data["departments"] + data["provinces"] + data["districts"]
    )
    for values in (*departments, *provinces, *districts):
        values["name"] = corrections.get(values["code"], values["name"])

    with transaction.atomic():
        written = {
            "departments": _places_sync(Department, departments),
            "provinces": _places_sync(Province, provinces),
            "districts": _places_sync(District, districts),
            "units": _units_sync(data["units"]),
            "catalogue_entries": catalogues_seed(),
        }
    by_kind = dict(Unit.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    return {
        "departments": Department.objects.count(),
        "provinces": Province.objects.count(),
        "districts": District.objects.count(),
        "units": sum(by_kind.values()),
        "units_by_kind": {kind: by_kind.get(kind, 0) for kind in Unit.Kind.values},
        "written": written,
        "source": str(source),
    }


# ---------------------------------------------------------------- editable catalogues


def catalogues_seed() -> int:
    """Create the entries of `administration.catalogue_seed.SEED` that are missing (a database
    restored from before migration 0009, or emptied by a test's flush); an entry present is left as
    the administrators made it (labels, order, active). Returns how many were created."""
    present = set(CatalogueEntry.objects.values_list("catalogue", "code"))
    missing = [
        CatalogueEntry(
            catalogue=name,
            code=code,
            label_es=es,
            label_en=en,
            order=order,
            stat_code=seed_stat_code(name, code),
        )
        for name, code, es, en, order in SEED
        if (name, code) not in present
    ]
    CatalogueEntry.objects.bulk_create(missing)
    forget_cached_catalogues()
    return len(missing)


class CatalogueError(Exception):
    """A catalogue entry refused, with a Spanish message for `field`."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


CATALOGUE_CODE = re.compile(r"[a-z][a-z0-9_]*")


def _catalogue_labels(label_es: str, label_en: str) -> tuple[str, str]:
    label_es, label_en = label_es.strip(), label_en.strip()
    if not label_es:
        raise CatalogueError(_("Write the label in Spanish."), field="label_es")
    if not label_en:
        raise CatalogueError(_("Write the label in English."), field="label_en")
    return label_es, label_en


@request_id_scope()
@transaction.atomic
def catalogue_entry_add(
    *,
    actor: User,
    catalogue: str,
    code: str,
    label_es: str,
    label_en: str,
    order: int = 0,
) -> CatalogueEntry:
    """Add a value to a catalogue. Its code is stored by records: it never changes afterwards."""
    if not is_national_admin_account(actor):
        raise PermissionDenied
    if catalogue not in Catalogue.values:
        raise CatalogueError(_("Unknown catalogue."), field="catalogue")
    code = code.strip()
    limit = CATALOGUE_CODE_LENGTH[catalogue]
    if not CATALOGUE_CODE.fullmatch(code) or len(code) > limit:
        raise CatalogueError(
            _(
                "The code is lower-case letters, digits and underscores, starting with a letter, "
                "at most {limit} characters."
            ).format(limit=limit),
            field="code",
        )
    if CatalogueEntry.objects.filter(catalogue=catalogue, code=code).exists():
        raise CatalogueError(_("This code is already in the catalogue: codes never change meaning."), field="code")
    label_es, label_en = _catalogue_labels(label_es, label_en)
    # The catalogue's rows are locked so that two additions at once never get the same
    # statistics code (the unique constraint would refuse the second).
    list(CatalogueEntry.objects.select_for_update().filter(catalogue=catalogue).values_list("pk", flat=True))
    stat_code = seed_stat_code(catalogue, code) or next_stat_code(catalogue)
    if stat_code > STAT_CODE_MAX:
        raise CatalogueError(
            _("This catalogue already has {limit} entries, the most the statistics can count.").format(
                limit=STAT_CODE_MAX
            ),
            field="code",
        )
    entry = CatalogueEntry(
        catalogue=catalogue,
        code=code,
        stat_code=stat_code,
        label_es=label_es,
        label_en=label_en,
        order=order,
    )
    entry.save()
    audit_record(
        event=AuditEventType.CATALOGUE_ENTRY_ADDED,
        obj=entry,
        actor=actor,
        object_repr=str(entry),
        details={"catalogue": catalogue, "code": code, "label_es": label_es, "label_en": label_en},
    )
    forget_cached_catalogues()
    return entry


@request_id_scope()
@transaction.atomic
def catalogue_entry_update(
    *, actor: User, entry: CatalogueEntry, label_es: str, label_en: str, order: int, active: bool
) -> CatalogueEntry:
    """Relabel, reorder, deactivate or reactivate an entry (historised); never its code."""
    if not is_national_admin_account(actor):
        raise PermissionDenied
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    label_es, label_en = _catalogue_labels(label_es, label_en)
    before = {"label_es": entry.label_es, "label_en": entry.label_en, "order": entry.order, "active": entry.active}
    after = {"label_es": label_es, "label_en": label_en, "order": order, "active": active}
    changes = {name: [before[name], value] for name, value in after.items() if before[name] != value}
    if not changes:
        return entry
    for name, value in after.items():
        setattr(entry, name, value)
    entry.save()
    audit_record(
        event=AuditEventType.CATALOGUE_ENTRY_CHANGED,
        obj=entry,
        actor=actor,
        object_repr=str(entry),
        details={"changes": changes},
    )
    forget_cached_catalogues()
    return entry


# ---------------------------------------------------------------- research variables

EXTRA_SETTINGS = ("label_es", "label_en", "required", "min_value", "max_value", "max_length", "choices")


def _extra_settings(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Check a research variable's labels and validation; give the settings to store."""
    label_es, label_en = _catalogue_labels(values.get("label_es", ""), values.get("label_en", ""))
    settings_ = {
        "label_es": label_es,
        "label_en": label_en,
        "required": bool(values.get("required")),
        "min_value": values.get("min_value") if kind == ExtraField.Kind.NUMBER else None,
        "max_value": values.get("max_value") if kind == ExtraField.Kind.NUMBER else None,
        "max_length": values.get("max_length") if kind == ExtraField.Kind.TEXT else None,
        "choices": [list(row) for row in values.get("choices") or []] if kind == ExtraField.Kind.CHOICE else [],
    }
    low, high = settings_["min_value"], settings_["max_value"]
    if low is not None and high is not None and low > high:
        raise CatalogueError(_("The minimum is greater than the maximum."), field="max_value")
    if kind == ExtraField.Kind.CHOICE:
        codes = [row[0] for row in settings_["choices"]]
        if not codes:
            raise CatalogueError(_("A list needs at least one choice."), field="choices")
        if len(set(codes)) != len(codes) or not all(CATALOGUE_CODE.fullmatch(code) for code in codes):
            raise CatalogueError(
                _("The codes of the choices are distinct lower-case letters, digits and underscores."), field="choices"
            )
    return settings_


@request_id_scope()
@transaction.atomic
def extra_field_add(
    *,
    actor: User,
    code: str,
    kind: str,
    valid_from: datetime.date,
    order: int = 0,
    target: str = ExtraField.Target.COMPLAINT,
    **values: Any,
) -> ExtraField:
    """Define a research variable of complaints or case files. Code, target and type never change."""
    if not is_national_admin_account(actor):
        raise PermissionDenied
    code = code.strip()
    if not CATALOGUE_CODE.fullmatch(code) or len(code) > 40:
        raise CatalogueError(
            _(
                "The code is lower-case letters, digits and underscores, starting with a letter, "
                "at most {limit} characters."
            ).format(limit=40),
            field="code",
        )
    if kind not in ExtraField.Kind.values:
        raise CatalogueError(_("Choose the type."), field="kind")
    if target not in ExtraField.Target.values:
        raise CatalogueError(_("Unknown catalogue."), field="target")
    if ExtraField.objects.filter(target=target, code=code).exists():
        raise CatalogueError(_("This code is already in use: codes never change meaning."), field="code")
    variable = ExtraField(
        target=target,
        code=code,
        kind=kind,
        valid_from=valid_from,
        order=order,
        **_extra_settings(kind, values),
    )
    variable.save()
    audit_record(
        event=AuditEventType.EXTRA_FIELD_ADDED,
        obj=variable,
        actor=actor,
        object_repr=str(variable),
        details={"code": code, "kind": kind, "valid_from": valid_from.isoformat()},
    )
    return variable


@request_id_scope()
@transaction.atomic
def extra_field_update(
    *, actor: User, variable: ExtraField, valid_from: datetime.date, active: bool, order: int, **values: Any
) -> ExtraField:
    """Change a research variable's labels, validation, date, order or whether forms show it."""
    if not is_national_admin_account(actor):
        raise PermissionDenied
    variable = ExtraField.objects.select_for_update().get(pk=variable.pk)
    after = {**_extra_settings(variable.kind, values), "valid_from": valid_from, "active": active, "order": order}
    changes = {
        name: [str(getattr(variable, name)), str(value)]
        for name, value in after.items()
        if getattr(variable, name) != value
    }
    if not changes:
        return variable
    for name, value in after.items():
        setattr(variable, name, value)
    variable.save()
    audit_record(
        event=AuditEventType.EXTRA_FIELD_CHANGED,
        obj=variable,
        actor=actor,
        object_repr=str(variable),
        details={"changes": changes},
    )
    return variable
