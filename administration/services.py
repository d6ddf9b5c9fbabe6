"""Every write of the Administration module: validated, saved, audited, in one transaction."""

from __future__ import annotations

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.db.models import Count

from administration.models import Department, District, Province, Unit, User
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
