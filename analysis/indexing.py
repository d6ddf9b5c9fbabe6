"""Writing the match index (`analysis.models.MatchKey`) from the records.

Sources and what each gives (`analysis.keys` builds the keys):

- `people.Identity`: its name (first names | last names), date of birth.
- `people.IdentityName`: names (as the identity's) and aliases; `IdentityDocument`: documents;
  `IdentityPhone`: phones; `IdentityAddress`: district + address.
- `complaints.Person` (a recorded person with an identity): the name, alias and document as
  recorded, and the year of birth from the age recorded in the complaint (victim's age, suspect's
  approximate age) on the date of the facts; scope: the complaint.
- `investigations.CasePhone` / `CaseVehicle` / `CaseAccount` / `CasePlace`: the thing, with the
  identity of its holder or owner when it is a person of the case; scope: the case file. A
  WhatsApp account also gives its phone.

Every name source gives, per token, the phonetic key joined with the date of birth (blocking of
names), and per first-name token the phonetic key joined with the year of birth.

`index_identity(identity_id)` rewrites every key of one identity, `index_records(label, pks)`
the keys of some rows of one source model, `rebuild()` the whole index in chunks. They are
called on commit by `analysis.signals` and by `manage.py rebuild_match_index`. May import:
people, complaints, investigations (their models only), Django.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

from analysis import keys
from analysis.models import STRONG_KINDS, KeyKind, MatchKey, Strength, ThingKind

__all__ = ["IDENTITY_SOURCES", "THING_SOURCES", "RebuildReport", "index_identity", "index_records", "rebuild"]

IDENTITY_SOURCES = (
    "people.identity",
    "people.identityname",
    "people.identitydocument",
    "people.identityphone",
    "people.identityaddress",
    "complaints.person",
)
THING_SOURCES = {
    "investigations.casephone": ThingKind.CASE_PHONE,
    "investigations.casevehicle": ThingKind.CASE_VEHICLE,
    "investigations.caseaccount": ThingKind.CASE_ACCOUNT,
    "investigations.caseplace": ThingKind.CASE_PLACE,
}


def _label(instance: Any) -> str:
    return instance._meta.label_lower


def _row(source: Any, kind: str, key: str, **extra: Any) -> MatchKey:
    return MatchKey(
        kind=kind,
        key=key[:160],
        strength=Strength.STRONG if kind in STRONG_KINDS else Strength.WEAK,
        source_model=_label(source),
        source_pk=source.pk,
        **extra,
    )


def _name_rows(
    source: Any,
    first_names: str,
    last_names: str,
    *,
    birth_date: Any = None,
    birth_year: int | None = None,
    **extra: Any,
) -> list[MatchKey]:
    """The keys of one written name: folded, phonetic, per token, joined with the birth date/year."""
    full = f"{first_names} {last_names}".strip()
    tokens = keys.name_tokens(full)
    if not tokens:
        return []
    first_tokens = keys.name_tokens(first_names) if last_names else tokens[:1]
    written = f"{' '.join(keys.name_tokens(first_names))}|{' '.join(keys.name_tokens(last_names))}"
    rows = [
        _row(source, KeyKind.NAME, written, **extra),
        _row(source, KeyKind.NAME_PHONETIC, keys.phonetic_name(full), **extra),
    ]
    phonetic = sorted({keys.spanish_phonetic(token) for token in tokens} - {""})
    if birth_date is not None:
        rows += [_row(source, KeyKind.NAME_DATE, f"{token}|{birth_date.isoformat()}", **extra) for token in phonetic]
    year = birth_date.year if birth_date is not None else birth_year
    if year is not None:
        first_phonetic = sorted({keys.spanish_phonetic(token) for token in first_tokens} - {""})
        rows += [_row(source, KeyKind.NAME_YEAR, f"{token}|{year}", **extra) for token in first_phonetic]
    return rows


# ---------------------------------------------------------------- identities


def _identity_rows(identity: Any) -> list[MatchKey]:
    """Every key of an identity from its own rows and its recorded persons (prefetched or not)."""
    rows: list[MatchKey] = []
    ident = {"identity_id": identity.pk}
    dob = identity.date_of_birth
    rows += _name_rows(identity, identity.first_names, identity.last_names, birth_date=dob, **ident)
    if dob is not None:
        rows.append(_row(identity, KeyKind.BIRTH_DATE, dob.isoformat(), **ident))
    for name in identity.names.all():
        if name.kind == "alias":
            alias = keys.phonetic_name(name.name)
            if alias:
                rows.append(_row(name, KeyKind.ALIAS, alias, **ident))
        else:
            rows += _name_rows(name, name.name, "", birth_date=dob, **ident)
    for document in identity.documents.all():
        key = keys.document_number_key(document.document_type, document.number)
        if key:
            rows.append(_row(document, KeyKind.DOCUMENT, key, qualifier=document.document_type or "", **ident))
    for phone in identity.phones.all():
        key = keys.phone_e164_key(phone.number)
        if key:
            rows.append(_row(phone, KeyKind.PHONE, key, **ident))
    for address in identity.addresses.all():
        key = keys.address_key(address.district_id, address.address)
        if key:
            rows.append(_row(address, KeyKind.PLACE, key, **ident))
    for person in identity.records.all():
        rows += _person_rows(person, identity)
    return _distinct(rows)


def _distinct(rows: list[MatchKey]) -> list[MatchKey]:
    """One row per key and scope: the identity's name written again in its name rows and in the
    records of one complaint is one key of that identity in that scope (the first source kept)."""
    seen: set[tuple] = set()
    kept = []
    for row in rows:
        mark = (row.kind, row.key, row.complaint_id, row.case_file_id)
        if mark not in seen:
            seen.add(mark)
            kept.append(row)
    return kept


def _person_rows(person: Any, identity: Any) -> list[MatchKey]:
    """A recorded person of a complaint: as written there, scoped to the complaint."""
    complaint_id, birth_year = None, None
    for link in [*person.complaint_victims.all(), *person.complaint_suspects.all()]:
        complaint_id = complaint_id or link.complaint_id
        age = getattr(link, "age", None) or getattr(link, "approximate_age", None)
        facts = link.complaint.facts_date
        birth_year = birth_year or keys.birth_year_from_age(age, facts)
    if complaint_id is None:
        filed = list(person.complaints_filed.all())
        complaint_id = filed[0].pk if filed else None
    extra = {"identity_id": identity.pk, "complaint_id": complaint_id}
    rows = _name_rows(
        person, person.first_names, person.last_names, birth_date=identity.date_of_birth, birth_year=birth_year, **extra
    )
    if birth_year is not None:
        rows.append(_row(person, KeyKind.BIRTH_YEAR, str(birth_year), **extra))
    if person.alias:
        alias = keys.phonetic_name(person.alias)
        if alias:
            rows.append(_row(person, KeyKind.ALIAS, alias, **extra))
    if person.document_number:
        key = keys.document_number_key(person.document_type, person.document_number)
        if key:
            rows.append(_row(person, KeyKind.DOCUMENT, key, qualifier=person.document_type or "", **extra))
    return rows


def _identities(ids: Iterable[int]) -> Any:
    Identity = apps.get_model("people", "Identity")
    return Identity.objects.filter(pk__in=list(ids)).prefetch_related(
        "names",
        "documents",
        "phones",
        "addresses",
        "records__complaint_victims__complaint",
        "records__complaint_suspects__complaint",
        "records__complaints_filed",
    )


def _held_things(identity_ids: list[int]) -> dict[str, list[int]]:
    """The things of case files whose holder (or owner) is a person of the case with one of
    these identities."""
    found: dict[str, list[int]] = {}
    for label, holder in (
        ("investigations.casephone", "holder__identity_id__in"),
        ("investigations.casevehicle", "owner_person__identity_id__in"),
        ("investigations.caseaccount", "holder__identity_id__in"),
    ):
        model = apps.get_model(label)
        found[label] = list(model._base_manager.filter(**{holder: identity_ids}).values_list("pk", flat=True))
    return found


@transaction.atomic
def index_identity(identity_id: int) -> int:
    """Rewrite every key of one identity (its rows, its recorded persons, the things it holds in
    case files). An identity that no longer exists loses its keys. Returns the keys written."""
    MatchKey.objects.filter(identity_id=identity_id).delete()
    identity = _identities([identity_id]).first()
    if identity is None:
        return 0
    rows = _identity_rows(identity)
    MatchKey.objects.bulk_create(rows, batch_size=1000)
    written = len(rows)
    for label, pks in _held_things([identity_id]).items():
        written += index_records(label, pks)
    return written


# ---------------------------------------------------------------- things of case files


def _thing_rows(label: str, thing: Any) -> list[MatchKey]:
    extra = {"thing_kind": THING_SOURCES[label], "thing_id": thing.pk, "case_file_id": thing.case_file_id}
    holder = getattr(thing, "holder", None) if label != "investigations.casevehicle" else thing.owner_person
    extra["identity_id"] = holder.identity_id if holder is not None else None
    rows: list[MatchKey] = []
    if label == "investigations.casephone":
        key = keys.phone_e164_key(thing.number)
        if key:
            rows.append(_row(thing, KeyKind.PHONE, key, **extra))
    elif label == "investigations.casevehicle":
        key = keys.plate_match_key(thing.plate_key or thing.plate)
        if key:
            rows.append(_row(thing, KeyKind.PLATE, key, **extra))
    elif label == "investigations.caseaccount":
        key = keys.account_key(thing.network, thing.handle)
        if key:
            rows.append(_row(thing, KeyKind.ACCOUNT, key, qualifier=thing.network, **extra))
        if thing.network == "whatsapp" and thing.handle.startswith("+"):
            rows.append(_row(thing, KeyKind.PHONE, keys.phone_e164_key(thing.handle), **extra))
    elif label == "investigations.caseplace":
        for key in (
            keys.coordinates_key(thing.latitude, thing.longitude),
            keys.address_key(thing.district_id, thing.address),
        ):
            if key:
                rows.append(_row(thing, KeyKind.PLACE, key, qualifier=thing.kind, **extra))
    return rows


def _things(label: str, pks: Iterable[int]) -> Any:
    model = apps.get_model(label)
    holder = "owner_person" if label == "investigations.casevehicle" else "holder"
    queryset = model._base_manager.filter(pk__in=list(pks))
    return queryset.select_related(holder) if label != "investigations.caseplace" else queryset


@transaction.atomic
def index_records(label: str, pks: Iterable[int]) -> int:
    """Rewrite the keys of some rows of one source model ('investigations.casephone'...; a people
    or complaints label re-indexes the identities of those rows). Rows that no longer exist lose
    their keys. Returns the keys written."""
    pks = list(pks)
    if not pks:
        return 0
    if label in THING_SOURCES:
        MatchKey.objects.filter(source_model=label, source_pk__in=pks).delete()
        rows = [row for thing in _things(label, pks) for row in _thing_rows(label, thing)]
        MatchKey.objects.bulk_create(rows, batch_size=1000)
        return len(rows)
    if label in IDENTITY_SOURCES:
        # The key rows of those sources name their identity; the records name theirs now.
        model = apps.get_model(label)
        identity_ids = set(
            MatchKey.objects.filter(source_model=label, source_pk__in=pks).values_list("identity_id", flat=True)
        )
        if label == "people.identity":
            identity_ids |= set(pks)
        else:
            identity_ids |= set(model._base_manager.filter(pk__in=pks).values_list("identity_id", flat=True))
        MatchKey.objects.filter(source_model=label, source_pk__in=pks).delete()
        return sum(index_identity(identity_id) for identity_id in identity_ids if identity_id is not None)
    raise ValueError(f"Not a source of the match index: {label}")


# ---------------------------------------------------------------- the whole index


@dataclass
class RebuildReport:
    identities: int = 0
    things: int = 0
    keys: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.keys.values())


def _chunks(queryset: Any, size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        pks = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def rebuild(*, chunk_size: int = 2000, progress: Any = None) -> RebuildReport:
    """Empty the index and write it again from every source, `chunk_size` identities or things at
    a time (each chunk in its own transaction)."""
    started = time.perf_counter()
    report = RebuildReport()
    MatchKey.objects.all().delete()
    Identity = apps.get_model("people", "Identity")
    for pks in _chunks(Identity.objects.all(), chunk_size):
        rows = [row for identity in _identities(pks) for row in _identity_rows(identity)]
        with transaction.atomic():
            MatchKey.objects.bulk_create(rows, batch_size=5000)
        report.identities += len(pks)
        report.keys.update(row.kind for row in rows)
        if progress:
            progress(report)
    for label in THING_SOURCES:
        for pks in _chunks(apps.get_model(label)._base_manager.all(), chunk_size):
            rows = [row for thing in _things(label, pks) for row in _thing_rows(label, thing)]
            with transaction.atomic():
                MatchKey.objects.bulk_create(rows, batch_size=5000)
            report.things += len(pks)
            report.keys.update(row.kind for row in rows)
    report.seconds = time.perf_counter() - started
    return report
