"""The history of a case file and of a person in it, as timelines (issue 11, item 9).

django-simple-history keeps a row per save of the case file and of every child with
`history = history_records()` (reta.history). Every such row carries the request id of the request
(or service call) that wrote it, so the rows of one request read as one *change*: when, who, why
(the change reason, if any) and, field by field, the old and the new value (`Change`). Rows written
without a request id are grouped by user and second instead.

Which rows: the case file's, and those of every model of the investigations app with a history and
a path to the case file (`scope_parent`, "case_file" or "case_person__case_file"...), found by
introspection: a part added later is in the history without touching this module. A person's
history: her `CasePerson` rows, the rows pointing at them (photos, measures...), and her identity's
rows (people.Identity, IdentityName, IdentityDocument, IdentityPhone, IdentityAddress).

Masking (people.privacy, as on the case file's page): a person in a case file is shown by how the
page shows her (initials, code name, "protected" for a victim); identity fields (names, documents,
phones, addresses, aliases, and the fields named in `PERSONAL_FIELDS` of any child) show as
"•••" unless the viewer revealed them (`revealed`), and never for a victim unless `reveal_victims`.

One query per model with a history, plus the lookups (users, units, complaints, persons): bounded
whatever the length of the history.

May import: investigations (models, chart_data), people models, administration and complaints models.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from administration.catalogues import CatalogueCharField, catalogue_label
from administration.models import District, Unit, User
from complaints.models import Complaint
from investigations.chart_data import person_rows
from investigations.models import CaseFile, CasePerson, CasePersonRole
from people.models import (
    Identity,
    IdentityAddress,
    IdentityDescription,
    IdentityDocument,
    IdentityName,
    IdentityPhone,
)

EMPTY = "—"
MASK = "•••"
# Fields of a case file's children and of an identity that hold personal data (shown masked unless
# revealed), and those of some models only (a phone's number; not an operation's).
PERSONAL_FIELDS = frozenset(
    {
        "first_names",
        "last_names",
        "alias",
        "document_number",
        "handle",
        "address",
        "date_of_birth",
        "physical_description",
        "description",
        "recruitment_detail",
        "notes",
        "text",
        "marks",
        "file",
        "sha256",
        "caption",
    }
)
PERSONAL_BY_MODEL = {
    "investigations.casephone": frozenset({"number"}),
    "people.identityname": frozenset({"name"}),
    "people.identitydocument": frozenset({"number"}),
    "people.identityphone": frozenset({"number"}),
}
# Fields never listed (keys computed from others, bookkeeping).
SKIPPED = frozenset({"id", "key", "name_key", "plate_key", "search_text", "form_token", "created_at", "recorded_at"})
IDENTITY_MODELS = (Identity, IdentityName, IdentityDocument, IdentityPhone, IdentityAddress, IdentityDescription)


def _identity_models() -> list[type[models.Model]]:
    """The identity's models with a history."""
    return list(IDENTITY_MODELS)


def _personal(model: type[models.Model]) -> frozenset[str]:
    return PERSONAL_FIELDS | PERSONAL_BY_MODEL.get(model._meta.label_lower, frozenset())


def _path_to_case_file(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its case file's id, following `scope_parent` ("case_file",
    "case_person" whose parent is the case file...); None when there is none."""
    parts: list[str] = []
    current = model
    while current is not CaseFile:
        parent = getattr(current, "scope_parent", None)
        if not parent or len(parts) > 4:
            return None
        for name in parent.split("__"):
            parts.append(name)
            current = current._meta.get_field(name).related_model
    return "__".join(parts) + "_id"


@dataclass(frozen=True)
class Change:
    subject: str
    field_label: str
    old: str
    new: str
    masked: bool = False


@dataclass
class HistoryGroup:
    """What one request (or one service call) changed."""

    when: datetime.datetime
    who: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class _Record:
    model: type[models.Model]
    record: Any

    @property
    def key(self) -> tuple[str, Any]:
        return (self.model._meta.label_lower, self.record.id)


# ---------------------------------------------------------------- which models


def case_history_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup of its case file's id) for the case file and each child with a history."""
    found: list[tuple[type[models.Model], str]] = [(CaseFile, "id")]
    for model in apps.get_app_config("investigations").get_models():
        if model is CaseFile or not hasattr(model, "history"):
            continue
        path = _path_to_case_file(model)
        if path:
            found.append((model, path))
    return found


def person_history_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup of the CasePerson's id) for CasePerson and the children that point at it."""
    found: list[tuple[type[models.Model], str]] = [(CasePerson, "id")]
    for model in apps.get_app_config("investigations").get_models():
        if model is CasePerson or not hasattr(model, "history"):
            continue
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model is CasePerson:
                found.append((model, f"{model_field.name}_id"))
                break
    return found


# ---------------------------------------------------------------- reading


def _records(pairs: Iterable[tuple[type[models.Model], str, Any]]) -> list[_Record]:
    rows: list[_Record] = []
    for model, lookup, value in pairs:
        history = model.history.select_related("history_user")
        query = history.filter(**{f"{lookup}__in": value} if isinstance(value, (list, set, tuple)) else {lookup: value})
        rows += [_Record(model, record) for record in query]
    return rows


@dataclass
class _Lookups:
    users: dict[Any, str] = field(default_factory=dict)
    units: dict[Any, str] = field(default_factory=dict)
    districts: dict[Any, str] = field(default_factory=dict)
    complaints: dict[Any, str] = field(default_factory=dict)
    persons: dict[Any, str] = field(default_factory=dict)  # CasePerson id -> as the case page shows
    identities: dict[Any, str] = field(default_factory=dict)  # Identity id -> the same
    other: dict[tuple[str, Any], str] = field(default_factory=dict)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED]


def _lookups(records: list[_Record], case_file: CaseFile) -> _Lookups:
    wanted: dict[Any, set[Any]] = {}
    for item in records:
        for model_field in _fields(item.model):
            if model_field.is_relation:
                value = getattr(item.record, model_field.attname)
                if value is not None:
                    wanted.setdefault(model_field.related_model, set()).add(value)
    lookups = _Lookups()
    if wanted.get(User):
        for user in User.objects.filter(pk__in=wanted[User]):
            lookups.users[user.pk] = user.get_full_name() or user.get_username()
    if wanted.get(Unit):
        lookups.units = dict(Unit.objects.filter(pk__in=wanted[Unit]).values_list("pk", "name"))
    if wanted.get(District):
        lookups.districts = dict(District.objects.filter(pk__in=wanted[District]).values_list("pk", "name"))
    if wanted.get(Complaint):
        lookups.complaints = dict(Complaint.objects.filter(pk__in=wanted[Complaint]).values_list("pk", "number"))
    for person in person_rows(case_file):
        lookups.persons[person["pk"]] = f"{person['shown']} ({person['role']})"
    identity_of = dict(CasePerson.objects.filter(case_file=case_file).values_list("pk", "identity_id"))
    for person_id, identity_id in identity_of.items():
        if person_id in lookups.persons:
            lookups.identities.setdefault(identity_id, lookups.persons[person_id])
    for model, ids in wanted.items():
        if model in (User, Unit, District, Complaint, CasePerson, Identity, CaseFile):
            continue
        if model._meta.app_label == "investigations":  # places, vehicles...: their own str()
            for row in model._default_manager.filter(pk__in=ids):
                lookups.other[(model._meta.label_lower, row.pk)] = str(row)
    return lookups


def _format(model_field: models.Field, value: Any, lookups: _Lookups) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if model_field.is_relation:
        related = model_field.related_model
        table = {
            User: lookups.users,
            Unit: lookups.units,
            District: lookups.districts,
            Complaint: lookups.complaints,
            CasePerson: lookups.persons,
            Identity: lookups.identities,
        }.get(related)
        if table is not None:
            return table.get(value, f"#{value}")
        if related is CaseFile:
            return ""
        return lookups.other.get((related._meta.label_lower, value), f"#{value}")
    if isinstance(model_field, CatalogueCharField):
        return catalogue_label(model_field.catalogue, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.DateTimeField):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d/m/Y H:i")
    if isinstance(model_field, models.DateField):
        return formats.date_format(value, "d/m/Y")
    return str(value)


def _comparable(value: Any) -> Any:
    return None if value in ("", [], {}) else value


def _diff(
    item: _Record, before: Any, lookups: _Lookups, *, subject: str, masked: frozenset[str] | set[str]
) -> list[Change]:
    changes: list[Change] = []
    record = item.record
    if record.history_type == "-":
        return [Change(subject, _("Record"), _("present"), _("removed"))]
    for model_field in _fields(item.model):
        if model_field.is_relation and model_field.related_model is CaseFile:
            continue
        if model_field.is_relation and model_field.related_model is Identity and item.model is not CasePerson:
            continue  # an identity's own rows: the subject says whose
        new = getattr(record, model_field.attname)
        old = getattr(before, model_field.attname) if before is not None else None
        if _comparable(old) == _comparable(new):
            continue
        label = str(capfirst(model_field.verbose_name))
        if model_field.name in masked:
            had, has = _comparable(old) is not None, _comparable(new) is not None
            old_text = MASK if had else EMPTY
            new_text = (f"{MASK} ({_('changed')})" if had else MASK) if has else EMPTY
            changes.append(Change(subject, label, old_text, new_text, masked=True))
            continue
        changes.append(Change(subject, label, _format(model_field, old, lookups), _format(model_field, new, lookups)))
    return changes


def _group_key(item: _Record) -> tuple[Any, ...]:
    record = item.record
    if record.request_id:
        return ("request", record.request_id)
    moment = record.history_date.replace(microsecond=0)
    return ("second", record.history_user_id, moment)


def _groups(
    records: list[_Record],
    lookups: _Lookups,
    *,
    subject_of: Any,
    masked_of: Any,
) -> list[HistoryGroup]:
    """The records grouped by request (or by user and second), newest group first; each record
    compared with the previous record of the same row."""
    records = sorted(records, key=lambda item: (item.record.history_date, item.record.history_id))
    previous: dict[tuple[str, Any], Any] = {}
    groups: dict[tuple[Any, ...], HistoryGroup] = {}
    for item in records:
        key = _group_key(item)
        record = item.record
        group = groups.get(key)
        if group is None:
            user = record.history_user
            who = (user.get_full_name() or user.get_username()) if user is not None else _("the system")
            group = groups[key] = HistoryGroup(when=record.history_date, who=who)
        group.when = record.history_date
        reason = record.history_change_reason or ""
        if reason and reason not in group.reason:
            group.reason = f"{group.reason}; {reason}" if group.reason else reason
        before = previous.get(item.key)
        previous[item.key] = record
        group.changes += _diff(item, before, lookups, subject=subject_of(item), masked=masked_of(item))
    return sorted((g for g in groups.values() if g.changes), key=lambda g: g.when, reverse=True)


# ---------------------------------------------------------------- the case file


def case_file_history(case_file: CaseFile, *, revealed: bool = False) -> list[HistoryGroup]:
    """Every change of the case file and its children, by request, newest first. Personal fields
    of the children are masked unless `revealed` (never the fields of a person: her history page)."""
    pairs = [(model, lookup, case_file.pk) for model, lookup in case_history_models()]
    records = _records(pairs)
    lookups = _lookups(records, case_file)

    def subject_of(item: _Record) -> str:
        if item.model is CaseFile:
            return str(capfirst(CaseFile._meta.verbose_name))
        name = str(capfirst(item.model._meta.verbose_name))
        if item.model is CasePerson:
            return f"{name}: {lookups.persons.get(item.record.id, f'#{item.record.id}')}"
        return f"{name} #{item.record.id}"

    def masked_of(item: _Record) -> frozenset[str]:
        return frozenset() if item.model is CaseFile or revealed else _personal(item.model)

    return _groups(records, lookups, subject_of=subject_of, masked_of=masked_of)


# ---------------------------------------------------------------- a person


def _row_of(person: CasePerson) -> dict[str, Any]:
    return next((row for row in person_rows(person.case_file) if row["pk"] == person.pk), {})


def person_is_protected(person: CasePerson) -> bool:
    """A victim not known to be an adult (as the case file's page decides: `minor` of
    selectors.persons_of when it says, else every victim)."""
    if person.role != CasePersonRole.VICTIM:
        return False
    return _row_of(person).get("minor") is not False


def person_history(person: CasePerson, *, revealed: bool = False) -> list[HistoryGroup]:
    """Every change of the person's rows in the case file and of her identity, by request, newest
    first. Names, documents, phones and addresses are masked unless `revealed` (the caller checked
    the reveal: people.services.identity_reveal)."""
    case_file = person.case_file
    pairs: list[tuple[type[models.Model], str, Any]] = [
        (model, lookup, person.pk) for model, lookup in person_history_models()
    ]
    pairs.append((Identity, "id", person.identity_id))
    pairs += [(model, "identity_id", person.identity_id) for model in _identity_models()[1:]]
    records = _records(pairs)
    lookups = _lookups(records, case_file)

    def subject_of(item: _Record) -> str:
        name = str(capfirst(item.model._meta.verbose_name))
        return name if item.model in (CasePerson, Identity) else f"{name} #{item.record.id}"

    def masked_of(item: _Record) -> frozenset[str]:
        return frozenset() if revealed else _personal(item.model)

    return _groups(records, lookups, subject_of=subject_of, masked_of=masked_of)


def person_label(person: CasePerson) -> str:
    """How the case file's page shows the person (selectors.persons_of)."""
    return _row_of(person).get("shown") or f"#{person.pk}"


__all__ = [
    "Change",
    "HistoryGroup",
    "case_file_history",
    "case_history_models",
    "person_history",
    "person_history_models",
    "person_is_protected",
    "person_label",
]
