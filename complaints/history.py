"""The history of a complaint, field by field (SECURITY.md 10, 12-13).

django-simple-history keeps one row per save of the complaint, its victims, its alleged traffickers
and the people behind them. This module turns those rows into *versions* a person can read: who,
when, why (the amendment reason) and, for each field, the old and the new value with its verbose
name, choice labels and the Spanish labels of the legal codes.

A version is what one service call wrote. Its records share a key: the request id every history
row carries (reta.history; the id of the request, or of the command run or service call outside a
request) and the change reason the service gave them (none for a draft save, "submitted" or
"imported" for a registration, the typed reason for an amendment), so that a draft saved and
registered in one request still reads as two versions. Several records of one object inside a
version are folded into one net change. Records written before the request id existed have none
and are grouped by the old heuristics (`_accepts`).

Names and documents of people are masked (``•••``) unless the caller may see identities, and always
for victims who were minors or whose age is unknown (SECURITY.md 15; the rule is `people.privacy`):
unmasking is done elsewhere, as a logged action. The same rule cleans the free text (narrative,
descriptions) of every name, document and contact the history holds, and withholds the address of
a private home.

`complaint_versions()` reads (a fixed number of queries, whatever the length of the history); the
rest are pure functions over plain `Entry` values, tested without a database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from administration.catalogues import CatalogueCharField, catalogue_label
from administration.models import District, Unit, User
from complaints.catalogues import COMMON_NATIONALITIES, PlaceKind
from complaints.models import Complaint, ComplaintPlace, ComplaintSuspect, ComplaintVictim, Person
from complaints.rules.codes import (
    AGGRAVATIONS_BY_CODE,
    ALERT_LABELS,
    CATEGORY_LABELS,
    DEGREE_LABELS,
    ELEMENTS,
    OUTCOME_LABELS,
    RELATED_CRIMES_BY_CODE,
    WARNING_MESSAGES,
)
from people import privacy

EMPTY = "—"
MASK = "•••"

COMPLAINT, COMPLAINANT, VICTIM, SUSPECT, PERSON = "complaint", "complainant", "victim", "suspect", "person"
PLACE = "place"  # a place of the route (ComplaintPlace)

DRAFT, REGISTERED, AMENDED, CHANGED = "draft", "registered", "amended", "changed"
KIND_LABELS = {
    DRAFT: _("Draft"),
    REGISTERED: _("Registration"),
    AMENDED: _("Amendment"),
    CHANGED: _("Change"),
}
# Change reasons written by the services themselves (not typed by a person): never shown as a
# reason; some are shown as a note of the system instead.
SYSTEM_NOTES: dict[str, Any] = {
    "submitted": None,
    "imported": _("Imported from the previous system"),
}
SYSTEM_REASONS = frozenset(SYSTEM_NOTES)


# ---------------------------------------------------------------- what the page shows


@dataclass(frozen=True)
class Change:
    """One field of one object, before and after."""

    field_label: str
    old: str
    new: str
    subject: str = ""  # "Complaint", "Victim 1", "Complainant", ...
    masked: bool = False


@dataclass(frozen=True)
class Version:
    """What one registration, amendment or draft save changed."""

    number: int  # the complaint's version after this change
    kind: str
    when: datetime.datetime
    who: str
    reason: str  # typed by the person who amended
    changes: list[Change] = field(default_factory=list)
    note: str = ""  # written by the system (an import), not typed by anyone

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


# ---------------------------------------------------------------- the plain input


@dataclass(frozen=True)
class Entry:
    """One history record, reduced to plain values (`values` is keyed by field name; foreign keys
    hold the id)."""

    model: str  # COMPLAINT, VICTIM, SUSPECT or PERSON
    object_id: Any
    history_id: int
    date: datetime.datetime
    type: str  # "+" created, "~" changed, "-" deleted
    user_id: Any
    user_name: str
    reason: str | None
    values: dict[str, Any]
    person_id: Any = None  # victims and suspects: the person behind the row
    position: int | None = None
    request_id: str = ""  # "" for records written before the column existed


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: Any
    kind: str  # text, int, bool, date, time, datetime, choice, catalogue, codes, categories, outcome,
    # alert, aggravating, related_crimes, warnings, unit, district, user, person
    choices: dict[str, Any] = field(default_factory=dict)
    catalogue: str = ""  # kind "catalogue": the editable catalogue of the codes
    identity: bool = False


@dataclass
class Lookups:
    """Display names of the rows that foreign keys point at, fetched in bulk."""

    units: dict[Any, str] = field(default_factory=dict)
    districts: dict[Any, str] = field(default_factory=dict)
    users: dict[Any, str] = field(default_factory=dict)
    complaints: dict[Any, str] = field(default_factory=dict)


# ---------------------------------------------------------------- which fields, how shown

CODE_FIELDS = frozenset({"conducts", "means", "purposes", "case_facts", "related_facts"})
# Parts of the stored classification shown as fields of their own (the rest is derived or prose).
CLASSIFICATION_PARTS: tuple[tuple[str, Any, str], ...] = (
    ("article", _("article"), "text"),
    ("aggravating", _("aggravating circumstances"), "aggravating"),
    ("related_crimes", _("related crimes"), "related_crimes"),
    ("warnings", _("warnings"), "warnings"),
)
SKIPPED = {
    # The complainant's own fields are listed under "Complainant"; the link itself says nothing.
    COMPLAINT: frozenset({"id", "version", "created_at", "classification", "search_text", "form_token", "complainant"}),
    VICTIM: frozenset({"id", "complaint", "person", "position"}),
    SUSPECT: frozenset({"id", "complaint", "person", "position"}),
    PLACE: frozenset({"id", "complaint", "position"}),
    PERSON: frozenset({"id", "search_name", "created_at", "created_in", "identity"}),
}
IDENTITY_FIELDS = {
    COMPLAINT: frozenset({"complainant_contact"}),
    PERSON: frozenset({"first_names", "last_names", "alias", "document_number"}),
}
DUPLICATE_DECISIONS = {
    "not_same": _("Not the same case as the possible duplicates shown"),
    "linked": _("Same case as an earlier complaint"),
}
FREE_TEXT_FIELDS = frozenset({"narrative", "description"})  # cleaned by people.privacy.masked_text
NATIONALITIES = dict(COMMON_NATIONALITIES)
FK_KINDS = {Unit: "unit", District: "district", User: "user", Person: "person"}
MODELS: dict[str, type[models.Model]] = {
    COMPLAINT: Complaint,
    VICTIM: ComplaintVictim,
    SUSPECT: ComplaintSuspect,
    PLACE: ComplaintPlace,
    PERSON: Person,
}


def _kind_of(model_field: models.Field) -> str:
    name = model_field.name
    if name in CODE_FIELDS:
        return "codes"
    special = {
        "purpose_categories": "categories",
        "outcome": "outcome",
        "alert_priority": "alert",
        "duplicate_of": "complaint",
        "duplicate_check": "duplicate_check",
    }
    if name in special:
        return special[name]
    if model_field.is_relation:
        return FK_KINDS.get(model_field.related_model, "text")
    if isinstance(model_field, CatalogueCharField):
        return "catalogue"
    if model_field.choices:
        return "choice"
    if name == "nationality":
        return "nationality"
    if isinstance(model_field, models.BooleanField):
        return "bool"
    if isinstance(model_field, models.DateTimeField):
        return "datetime"
    if isinstance(model_field, models.DateField):
        return "date"
    if isinstance(model_field, models.TimeField):
        return "time"
    if isinstance(model_field, models.IntegerField):
        return "int"
    return "text"


def field_specs(model: str) -> list[FieldSpec]:
    """The fields of `model` shown in the history, in form order."""
    specs = []
    for model_field in MODELS[model]._meta.concrete_fields:
        if model_field.name in SKIPPED[model]:
            continue
        specs.append(
            FieldSpec(
                name=model_field.name,
                label=model_field.verbose_name,
                kind=_kind_of(model_field),
                choices={key: label for key, label in model_field.flatchoices} if model_field.choices else {},
                catalogue=model_field.catalogue if isinstance(model_field, CatalogueCharField) else "",
                identity=model_field.name in IDENTITY_FIELDS.get(model, ()),
            )
        )
        if model == COMPLAINT and model_field.name == "purpose_categories":
            specs += [FieldSpec(name=name, label=label, kind=kind) for name, label, kind in CLASSIFICATION_PARTS]
    return specs


def _codes(values: Any) -> list[str]:
    return [str(item) for item in values or []]


def format_value(spec: FieldSpec, value: Any, lookups: Lookups) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    kind = spec.kind
    if kind == "bool":
        return str(_("Yes") if value else _("No"))
    if kind == "choice":
        return str(spec.choices.get(value, value))
    if kind == "catalogue":
        return catalogue_label(spec.catalogue, value)
    if kind == "date":
        return formats.date_format(value, "d/m/Y")
    if kind == "time":
        return formats.time_format(value, "H:i")
    if kind == "datetime":
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d/m/Y H:i")
    if kind == "codes":
        return "; ".join(ELEMENTS[code].label if code in ELEMENTS else code for code in _codes(value))
    if kind == "categories":
        return "; ".join(CATEGORY_LABELS.get(code, code) for code in _codes(value))
    if kind == "outcome":
        return OUTCOME_LABELS.get(value, str(value))
    if kind == "alert":
        return ALERT_LABELS.get(value, str(value))
    if kind == "aggravating":
        parts = []
        for item in value:
            circumstance = AGGRAVATIONS_BY_CODE.get(item.get("code"))
            label = circumstance.label if circumstance else item.get("code", "")
            degree = DEGREE_LABELS.get(item.get("degree"), "")
            parts.append(f"{label} ({degree}, art. {item.get('article', '')})" if degree else label)
        return "; ".join(parts)
    if kind == "related_crimes":
        parts = []
        for item in value:
            crime = RELATED_CRIMES_BY_CODE.get(item.get("code"))
            parts.append(f"{crime.label} (art. {item.get('article', crime.article)})" if crime else item.get("code"))
        return "; ".join(parts)
    if kind == "warnings":
        return " ".join(WARNING_MESSAGES.get(code, code) for code in _codes(value))
    if kind == "nationality":
        return str(NATIONALITIES.get(value, value))
    if kind == "unit":
        return lookups.units.get(value, f"#{value}")
    if kind == "district":
        return lookups.districts.get(value, str(value))
    if kind == "user":
        return lookups.users.get(value, f"#{value}")
    if kind == "person":
        return f"Persona #{value}"
    if kind == "complaint":  # the earlier complaint of the same case: its number, no personal data
        return lookups.complaints.get(value, f"#{value}")
    if kind == "duplicate_check":  # what was decided and how many were seen, never which
        decision = DUPLICATE_DECISIONS.get(value.get("decision", ""), _("No possible duplicate shown"))
        seen = len(value.get("seen", [])) + sum(item.get("count", 0) for item in value.get("outside", []))
        return f"{decision} ({seen})" if seen else str(decision)
    return str(value)


def _comparable(value: Any) -> Any:
    return None if value in ("", [], {}) else value


def _absent(value: Any) -> bool:
    """Nothing worth listing when a row appears or disappears (a box left unticked included)."""
    return value is None or value is False or value in ("", [], {})


def diff_values(
    specs: Iterable[FieldSpec],
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    lookups: Lookups,
    *,
    subject: str = "",
    mask: bool = False,
    masked_fields: Iterable[str] = (),
    clean: Callable[[str], str] | None = None,
) -> list[Change]:
    """The changed fields between two states of one object (None: the object did not exist).
    `masked_fields` are masked as identity fields are; `clean` rewrites free text."""
    changes = []
    for spec in specs:
        before = (old or {}).get(spec.name)
        after = (new or {}).get(spec.name)
        if _comparable(before) == _comparable(after):
            continue
        if (old is None and _absent(after)) or (new is None and _absent(before)):
            continue
        if (mask and spec.identity) or spec.name in masked_fields:
            had, has = _comparable(before) is not None, _comparable(after) is not None
            old_text = MASK if had else EMPTY
            new_text = ("{mask} ({changed})".format(mask=MASK, changed=_("changed")) if had else MASK) if has else EMPTY
            changes.append(Change(str(capfirst(spec.label)), old_text, new_text, subject, masked=True))
            continue
        old_text, new_text = format_value(spec, before, lookups), format_value(spec, after, lookups)
        if clean is not None and spec.name in FREE_TEXT_FIELDS:
            old_text, new_text = clean(old_text), clean(new_text)
        changes.append(Change(str(capfirst(spec.label)), old_text, new_text, subject))
    return changes


# ---------------------------------------------------------------- grouping records into versions


@dataclass
class _Group:
    user_id: Any
    user_name: str
    reason: str | None = None
    reason_known: bool = False
    entries: list[Entry] = field(default_factory=list)
    closed: bool = False
    kind: str = DRAFT
    number: int | None = None
    keyed: bool = False  # grouped by request id and reason, not by `_accepts`


def _accepts(group: _Group | None, entry: Entry) -> bool:
    """Fallback for records without a request id (written before migration 0007): the same user,
    the same change reason (people rows carried none then and join their neighbours), and a group
    ends with the complaint record that registers (`frozen_at` set) or amends it (`version` raised)."""
    if group is None or group.keyed or group.closed or group.user_id != entry.user_id:
        return False
    if entry.model == PERSON or not group.reason_known:
        return True
    return entry.reason == group.reason


def group_entries(entries: Iterable[Entry]) -> list[_Group]:
    """Split the records (in any order) into the service calls that wrote them, oldest first."""
    ordered = sorted(entries, key=lambda e: (e.date, e.history_id))
    groups: list[_Group] = []
    by_key: dict[tuple[str, str | None], _Group] = {}
    previous_complaint: Entry | None = None
    for entry in ordered:
        if entry.request_id:
            key = (entry.request_id, entry.reason)
            group = by_key.get(key)
            if group is None:
                group = _Group(entry.user_id, entry.user_name, reason=entry.reason, reason_known=True, keyed=True)
                by_key[key] = group
                groups.append(group)
        else:
            group = groups[-1] if groups else None
            if not _accepts(group, entry):
                group = _Group(user_id=entry.user_id, user_name=entry.user_name)
                groups.append(group)
        group.entries.append(entry)
        if entry.model != PERSON and not group.reason_known:
            group.reason, group.reason_known = entry.reason, True
        if entry.model == COMPLAINT:
            before = previous_complaint.values if previous_complaint else {}
            version = entry.values.get("version") or 1
            if previous_complaint is not None and version != (before.get("version") or 1):
                group.kind, group.closed = AMENDED, True
            elif entry.values.get("frozen_at") and not before.get("frozen_at"):
                group.kind, group.closed = REGISTERED, True
            elif entry.values.get("frozen_at") and group.kind == DRAFT:
                group.kind = CHANGED
            group.number = version
            previous_complaint = entry
    number = 1
    for group in groups:
        number = group.number if group.number is not None else number
        group.number = number
    return groups


def _subjects(entries: list[Entry]) -> tuple[dict[Any, tuple[int, int, str]], set[Any]]:
    """Who each person is in this complaint (order key and label), and the victims to mask always
    (minors, or age unknown and not known to be adult)."""
    people: dict[Any, tuple[int, int, str]] = {}
    minors: set[Any] = set()
    for entry in sorted(entries, key=lambda e: (e.date, e.history_id)):
        if entry.model == COMPLAINT and entry.values.get("complainant"):
            people.setdefault(entry.values["complainant"], (1, 0, str(_("Complainant"))))
        elif entry.model in (VICTIM, SUSPECT) and entry.person_id is not None:
            people[entry.person_id] = _row_subject(entry)
            if entry.model == VICTIM:
                if privacy.is_protected(entry.values.get("age"), entry.values.get("minor")):
                    minors.add(entry.person_id)
    return people, minors


def _row_subject(entry: Entry) -> tuple[int, int, str]:
    position = entry.position or 0
    if entry.model == PLACE:  # listed after the complaint and the complainant, before the people
        return (1, position, str(_("Place of the route {number}").format(number=position)))
    if entry.model == VICTIM:
        return (2, position, str(_("Victim {number}").format(number=position)))
    return (3, position, str(_("Alleged trafficker {number}").format(number=position)))


def _free_text_cleaner(
    entries: list[Entry], minors: set[Any], *, mask_identity: bool, shown: set[Any] = frozenset()
) -> Callable[[str], str]:
    """people.privacy.masked_text over every name, document and contact the history ever held
    (`shown`: people ids left readable, the filing station's complainant, with the contacts)."""
    people: list[Any] = []
    protected: list[Any] = []
    contacts: list[str] = []
    for entry in entries:
        if entry.model == PERSON and entry.object_id in shown and entry.object_id not in minors:
            continue
        if entry.model == PERSON:
            values = {name: entry.values.get(name) or "" for name in ("first_names", "last_names", "document_number")}
            (protected if entry.object_id in minors else people).append(SimpleNamespace(**values))
        elif entry.model == COMPLAINT and not shown:
            contacts.append(entry.values.get("complainant_contact") or "")
    return lambda text: privacy.masked_text(
        text, people=people, protected=protected, revealed=not mask_identity, contacts=contacts
    )


def build_versions(
    entries: Iterable[Entry],
    lookups: Lookups,
    *,
    mask_identity: bool = True,
    protected: Iterable[Any] = (),
    complainant_shown: bool = False,
) -> list[Version]:
    """The versions of a complaint, oldest first, from its history entries and those of its rows.
    `protected`: ids of people to mask always besides those the entries show as minors (the
    victims the rule protects today, e.g. by their identity's date of birth). `complainant_shown`:
    the complainant's name, document and contact are readable (people.privacy.Sight.complainant,
    the filing station)."""
    entries = list(entries)
    specs = {model: field_specs(model) for model in MODELS}
    people, minors = _subjects(entries)
    minors |= set(protected)
    complainants = {e.values.get("complainant") for e in entries if e.model == COMPLAINT} - {None}
    shown = complainants if complainant_shown else set()
    clean = _free_text_cleaner(entries, minors, mask_identity=mask_identity, shown=shown)
    last_seen: dict[tuple[str, Any], Entry] = {}
    versions = []
    for group in group_entries(entries):
        by_object: dict[tuple[str, Any], list[Entry]] = {}
        for entry in group.entries:
            by_object.setdefault((entry.model, entry.object_id), []).append(entry)
        sections: list[tuple[tuple[int, int, str], list[Change]]] = []
        for key, items in by_object.items():
            model, object_id = key
            base = last_seen.get(key)
            last = items[-1]
            last_seen[key] = last
            old = base.values if base is not None and base.type != "-" else None
            new = None if last.type == "-" else last.values
            if model == COMPLAINT:
                subject = (0, 0, str(_("Complaint")))
            elif model == PERSON:
                subject = people.get(object_id, (4, 0, str(_("Person"))))
            else:
                subject = _row_subject(last)
            mask = model == PERSON and ((mask_identity and object_id not in shown) or object_id in minors)
            mask = mask or (model == COMPLAINT and mask_identity and not complainant_shown)
            kind_field, address_field = ("kind", "address") if model == PLACE else ("place_kind", "place_address")
            private = PlaceKind.PRIVATE_HOME in ((old or {}).get(kind_field), (new or {}).get(kind_field))
            in_place = model in (COMPLAINT, PLACE)
            masked_fields = (address_field,) if in_place and mask_identity and private else ()
            changes = diff_values(
                specs[model], old, new, lookups, subject=subject[2], mask=mask, masked_fields=masked_fields, clean=clean
            )
            if last.type == "-" and old is not None:
                changes.insert(0, Change(str(_("Record")), str(_("present")), str(_("removed")), subject[2]))
            if changes:
                sections.append((subject, changes))
        sections.sort(key=lambda item: item[0][:2])
        reason, note = group.reason or "", ""
        if group.kind != AMENDED and reason in SYSTEM_REASONS:  # an amendment's reason is always typed
            reason, note = "", str(SYSTEM_NOTES[reason] or "")
        versions.append(
            Version(
                number=group.number or 1,
                kind=group.kind,
                when=group.entries[-1].date,
                who=group.user_name,
                reason=reason,
                changes=[change for _subject, changes in sections for change in changes],
                note=note,
            )
        )
    return versions


# ---------------------------------------------------------------- reading the records


def _entry(record: Any, model: str, names: list[str]) -> Entry:
    meta = MODELS[model]._meta
    values = {name: getattr(record, meta.get_field(name).attname) for name in names}
    user = record.history_user
    return Entry(
        model=model,
        object_id=record.id,
        history_id=record.history_id,
        date=record.history_date,
        type=record.history_type,
        user_id=record.history_user_id,
        user_name=user.get_username() if user is not None else "",
        reason=record.history_change_reason,
        values=values,
        person_id=getattr(record, "person_id", None),
        position=getattr(record, "position", None),
        request_id=record.request_id,
    )


def _stored_names(model: str) -> list[str]:
    """The fields read from each record: those shown, plus the version (to tell amendments apart)
    and the complainant (to find the person's records)."""
    kept = [f.name for f in MODELS[model]._meta.concrete_fields if f.name not in SKIPPED[model]]
    return [*kept, "version", "complainant"] if model == COMPLAINT else kept


def _complaint_values(record: Any) -> dict[str, Any]:
    classification = record.classification or {}
    return {name: classification.get(name) for name, _label, _kind in CLASSIFICATION_PARTS}


def history_entries(complaint: Complaint) -> list[Entry]:
    """Every history record of the complaint, its victims, its alleged traffickers, its places of the
    route and their people (rows since removed included): five queries."""
    entries = []
    names = _stored_names(COMPLAINT)
    for record in complaint.history.select_related("history_user"):
        entry = _entry(record, COMPLAINT, names)
        entry.values.update(_complaint_values(record))
        entries.append(entry)
    for model, row_model in ((VICTIM, ComplaintVictim), (SUSPECT, ComplaintSuspect), (PLACE, ComplaintPlace)):
        rows = row_model.history.filter(complaint_id=complaint.pk).select_related("history_user")
        entries += [_entry(record, model, _stored_names(model)) for record in rows]
    person_ids = {e.person_id for e in entries if e.person_id is not None}
    person_ids |= {e.values.get("complainant") for e in entries if e.model == COMPLAINT}
    person_ids.discard(None)
    if person_ids:
        records = Person.history.filter(id__in=person_ids).select_related("history_user")
        entries += [_entry(record, PERSON, _stored_names(PERSON)) for record in records]
    return entries


def lookups_for(entries: Iterable[Entry]) -> Lookups:
    """Names of the units, districts, users and complaints the entries point at: at most four queries."""
    wanted: dict[str, set[Any]] = {"unit": set(), "district": set(), "user": set(), "complaint": set()}
    specs = {model: field_specs(model) for model in MODELS}
    for entry in entries:
        for spec in specs[entry.model]:
            value = entry.values.get(spec.name)
            if spec.kind in wanted and value is not None:
                wanted[spec.kind].add(value)
    lookups = Lookups()
    if wanted["unit"]:
        lookups.units = dict(Unit.objects.filter(pk__in=wanted["unit"]).values_list("pk", "name"))
    if wanted["district"]:
        for district in District.objects.filter(pk__in=wanted["district"]).select_related("province", "department"):
            lookups.districts[district.pk] = f"{district.name} ({district.province.name}, {district.department.name})"
    if wanted["user"]:
        lookups.users = dict(User.objects.filter(pk__in=wanted["user"]).values_list("pk", "username"))
    if wanted["complaint"]:
        lookups.complaints = dict(Complaint.objects.filter(pk__in=wanted["complaint"]).values_list("pk", "number"))
    return lookups


def complaint_versions(
    complaint: Complaint, *, mask_identity: bool = True, complainant_shown: bool = False
) -> list[Version]:
    """The versions of `complaint`, oldest first. Pass ``mask_identity=False`` only for users who may
    see identities (people.policies.can_view_identity), ``complainant_shown`` for those who see the
    complainant (people.privacy.sight); minors stay masked regardless."""
    entries = history_entries(complaint)
    protected = {
        victim.person_id for victim in complaint.victims.select_related("person__identity") if victim.is_protected
    }
    return build_versions(
        entries,
        lookups_for(entries),
        mask_identity=mask_identity,
        protected=protected,
        complainant_shown=complainant_shown,
    )


def versions_since(versions: list[Version], number: int) -> list[Version]:
    """The amendments made after version `number` (what a conflicting editor has not seen)."""
    return [version for version in versions if version.kind == AMENDED and version.number > number]


__all__ = [
    "Change",
    "Entry",
    "Lookups",
    "Version",
    "build_versions",
    "complaint_versions",
    "diff_values",
    "field_specs",
    "format_value",
    "group_entries",
    "versions_since",
]
