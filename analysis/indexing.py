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
- `complaints.Complaint` (its place of the facts) and `complaints.ComplaintPlace` (the other
  places of the route): district + address, no identity; scope: the complaint. A place of a
  complaint and a place of a case file with the same key meet in `candidates.thing_matches`.

Every name source gives, per token, the phonetic key joined with the date of birth (blocking of
names), and per first-name token the phonetic key joined with the year of birth.

How it is written: the sources are read as plain values (`values_list`, no model instances) for a
set or a range of identities, the keys are computed by pure functions into tuples, and the tuples
are written by multi-row INSERTs (`cursor.executemany`). The live path and the rebuild share every
function: `index_identity(identity_id)` / `index_identities(ids)` rewrite every key of some
identities, `index_records(label, pks)` the keys of some rows of one source model, `rebuild()` the
whole index in id-ordered chunks (on MariaDB outside a transaction: TRUNCATE, and the blocking
index on (key, kind, identity) and two others dropped during the load and built once at the end,
by sorting).
They are called by `analysis.index_work.drain` (the work `analysis.signals` left, on commit or by
the worker) and by `manage.py rebuild_match_index`. May
import: people, complaints, investigations (their models only), Django.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from analysis import keys
from analysis.models import STRONG_KINDS, KeyKind, MatchKey, Strength, ThingKind

__all__ = [
    "COLUMNS",
    "IDENTITY_SOURCES",
    "PLACE_SOURCES",
    "THING_SOURCES",
    "RebuildReport",
    "index_identities",
    "index_identity",
    "index_records",
    "rebuild",
]

IDENTITY_SOURCES = (
    "people.identity",
    "people.identityname",
    "people.identitydocument",
    "people.identityphone",
    "people.identityaddress",
    "complaints.person",
)
THING_SOURCES = {
    "investigations.casephone": ThingKind.CASE_PHONE.value,
    "investigations.casevehicle": ThingKind.CASE_VEHICLE.value,
    "investigations.caseaccount": ThingKind.CASE_ACCOUNT.value,
    "investigations.caseplace": ThingKind.CASE_PLACE.value,
}
# Places of complaints: the place of the facts (on the complaint) and the places of the route.
PLACE_SOURCES = ("complaints.complaint", "complaints.complaintplace")

# One row of the index, as written: a plain tuple in this column order.
COLUMNS = (
    "kind",
    "key",
    "strength",
    "qualifier",
    "identity_id",
    "thing_kind",
    "thing_id",
    "complaint_id",
    "case_file_id",
    "source_model",
    "source_pk",
)
Row = tuple

# Plain strings (not the TextChoices members): the database drivers get str values.
NAME, NAME_PHONETIC, NAME_DATE, NAME_YEAR = (KeyKind.NAME.value, KeyKind.NAME_PHONETIC.value,
                                             KeyKind.NAME_DATE.value, KeyKind.NAME_YEAR.value)  # fmt: skip
ALIAS, BIRTH_DATE, BIRTH_YEAR = KeyKind.ALIAS.value, KeyKind.BIRTH_DATE.value, KeyKind.BIRTH_YEAR.value
DOCUMENT, PHONE, PLATE, ACCOUNT, PLACE = (KeyKind.DOCUMENT.value, KeyKind.PHONE.value, KeyKind.PLATE.value,
                                          KeyKind.ACCOUNT.value, KeyKind.PLACE.value)  # fmt: skip
_STRENGTH = {kind.value: (Strength.STRONG.value if kind in STRONG_KINDS else Strength.WEAK.value) for kind in KeyKind}


def _row(
    kind: str,
    key: str,
    source_model: str,
    source_pk: int,
    identity_id: int | None = None,
    complaint_id: int | None = None,
    case_file_id: int | None = None,
    thing_kind: str = "",
    thing_id: int | None = None,
    qualifier: str = "",
) -> Row:
    return (kind, key[:160], _STRENGTH[kind], qualifier or "", identity_id, thing_kind, thing_id, complaint_id,
            case_file_id, source_model, source_pk)  # fmt: skip


def _name_rows(
    source_model: str,
    source_pk: int,
    first_names: str,
    last_names: str,
    *,
    birth_date: Any = None,
    birth_year: int | None = None,
    identity_id: int | None = None,
    complaint_id: int | None = None,
) -> list[Row]:
    """The keys of one written name: folded, phonetic, per token, joined with the birth date/year.
    (The tokens of 'first last' are the first names' then the last names': `keys.name_tokens`
    folds character by character; each part's tokens and sounds are cached.)"""
    first_tokens = keys.name_tokens(first_names)
    last_tokens = keys.name_tokens(last_names)
    tokens = first_tokens + last_tokens
    if not tokens:
        return []
    scope = (source_model, source_pk, identity_id, complaint_id)
    sounds = [keys.spanish_phonetic(token) for token in tokens]
    rows = [
        _row(NAME, f"{' '.join(first_tokens)}|{' '.join(last_tokens)}", *scope),
        _row(NAME_PHONETIC, " ".join(sorted(sounds)), *scope),
    ]
    if birth_date is not None:
        iso = birth_date.isoformat()
        rows += [_row(NAME_DATE, f"{sound}|{iso}", *scope) for sound in sorted(set(sounds) - {""})]
    year = birth_date.year if birth_date is not None else birth_year
    if year is not None:
        first_sounds = sounds[: len(first_tokens)] if last_names else sounds[:1]
        rows += [_row(NAME_YEAR, f"{sound}|{year}", *scope) for sound in sorted(set(first_sounds) - {""})]
    return rows


# ---------------------------------------------------------------- identities


@dataclass
class _Sources:
    """The values of some identities' source rows, grouped by identity, each list in the order of
    its model (the first source of a key is the one kept)."""

    identities: list[tuple] = field(default_factory=list)  # (id, first_names, last_names, date_of_birth)
    names: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))  # (pk, kind, name)
    documents: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))  # (pk, type, number)
    phones: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))  # (pk, number)
    addresses: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))  # (pk, district, address)
    # (pk, first_names, last_names, alias, document_type, document_number, complaint_id, birth_year)
    persons: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))


def _grouped(queryset: Any, into: dict[int, list[tuple]]) -> None:
    for identity_id, *values in queryset:
        into[identity_id].append(tuple(values))


def _read_sources(identities: list[tuple], which: dict[str, Any]) -> _Sources:
    """The source rows of `identities` (rows of people_identity as values); `which` filters the
    rows by their identity ({'identity_id__in': ids} or {'identity_id__gte': low, 'identity_id__lte': high})."""
    model = apps.get_model
    sources = _Sources(identities=identities)
    on = which
    _grouped(
        model("people", "IdentityName")
        ._default_manager.filter(**on)
        .order_by("identity", "kind", "recorded_at", "id")
        .values_list("identity_id", "pk", "kind", "name"),
        sources.names,
    )
    _grouped(
        model("people", "IdentityDocument")
        ._default_manager.filter(**on)
        .order_by("identity", "recorded_at", "id")
        .values_list("identity_id", "pk", "document_type", "number"),
        sources.documents,
    )
    _grouped(
        model("people", "IdentityPhone")
        ._default_manager.filter(**on)
        .order_by("identity", "recorded_at", "id")
        .values_list("identity_id", "pk", "number"),
        sources.phones,
    )
    _grouped(
        model("people", "IdentityAddress")
        ._default_manager.filter(**on)
        .order_by("identity", "recorded_at", "id")
        .values_list("identity_id", "pk", "district_id", "address"),
        sources.addresses,
    )
    persons = list(
        model("complaints", "Person")
        ._default_manager.filter(**on)
        .order_by("identity", "pk")
        .values_list("identity_id", "pk", "first_names", "last_names", "alias", "document_type", "document_number")
    )
    if persons:
        _read_persons(persons, which, sources)
    return sources


def _read_persons(persons: list[tuple], which: dict[str, Any], sources: _Sources) -> None:
    """A recorded person's complaint (the first it is a victim or suspect in, else the first it
    filed) and year of birth (from the first age recorded on the date of the facts)."""
    model = apps.get_model
    on = {f"person__{lookup}": value for lookup, value in which.items()}
    links: dict[int, list[tuple]] = defaultdict(list)  # person -> [(complaint_id, age, facts_date)]
    for label, age in (("ComplaintVictim", "age"), ("ComplaintSuspect", "approximate_age")):
        for person_id, *values in (
            model("complaints", label)
            ._default_manager.filter(**on)
            .order_by("position", "id")
            .values_list("person_id", "complaint_id", age, "complaint__facts_date")
        ):
            links[person_id].append(tuple(values))
    filed: dict[int, int] = {}
    for person_id, complaint_id in (
        model("complaints", "Complaint")
        ._default_manager.filter(**{f"complainant__{lookup}": value for lookup, value in which.items()})
        .order_by("-submitted_at", "-created_at", "-pk")
        .values_list("complainant_id", "pk")
    ):
        filed.setdefault(person_id, complaint_id)
    for identity_id, pk, *values in persons:
        complaint_id, birth_year = None, None
        for link_complaint, age, facts in links.get(pk, ()):
            complaint_id = complaint_id or link_complaint
            birth_year = birth_year or keys.birth_year_from_age(age or None, facts)
        if complaint_id is None:
            complaint_id = filed.get(pk)
        sources.persons[identity_id].append((pk, *values, complaint_id, birth_year))


def _identity_rows(identity: tuple, sources: _Sources) -> list[Row]:
    """Every key of one identity from its own rows and its recorded persons."""
    identity_id, first_names, last_names, dob = identity
    rows = _name_rows("people.identity", identity_id, first_names, last_names, birth_date=dob, identity_id=identity_id)
    if dob is not None:
        rows.append(_row(BIRTH_DATE, dob.isoformat(), "people.identity", identity_id, identity_id))
    for pk, kind, name in sources.names.get(identity_id, ()):
        if kind == "alias":
            alias = keys.phonetic_name(name)
            if alias:
                rows.append(_row(ALIAS, alias, "people.identityname", pk, identity_id))
        else:
            rows += _name_rows("people.identityname", pk, name, "", birth_date=dob, identity_id=identity_id)
    for pk, document_type, number in sources.documents.get(identity_id, ()):
        key = keys.document_number_key(document_type, number)
        if key:
            rows.append(_row(DOCUMENT, key, "people.identitydocument", pk, identity_id, qualifier=document_type))
    for pk, number in sources.phones.get(identity_id, ()):
        key = keys.phone_e164_key(number)
        if key:
            rows.append(_row(PHONE, key, "people.identityphone", pk, identity_id))
    for pk, district_id, address in sources.addresses.get(identity_id, ()):
        key = keys.address_key(district_id, address)
        if key:
            rows.append(_row(PLACE, key, "people.identityaddress", pk, identity_id))
    for person in sources.persons.get(identity_id, ()):
        rows += _person_rows(person, identity_id, dob)
    return _distinct(rows)


def _distinct(rows: list[Row]) -> list[Row]:
    """One row per key and scope: the identity's name written again in its name rows and in the
    records of one complaint is one key of that identity in that scope (the first source kept)."""
    seen: set[tuple] = set()
    kept = []
    for row in rows:
        mark = (row[0], row[1], row[7], row[8])  # kind, key, complaint, case file
        if mark not in seen:
            seen.add(mark)
            kept.append(row)
    return kept


def _person_rows(person: tuple, identity_id: int, dob: Any) -> list[Row]:
    """A recorded person of a complaint: as written there, scoped to the complaint."""
    pk, first_names, last_names, alias, document_type, document_number, complaint_id, birth_year = person
    source = ("complaints.person", pk, identity_id, complaint_id)
    rows = _name_rows(
        "complaints.person",
        pk,
        first_names,
        last_names,
        birth_date=dob,
        birth_year=birth_year,
        identity_id=identity_id,
        complaint_id=complaint_id,
    )
    if birth_year is not None:
        rows.append(_row(BIRTH_YEAR, str(birth_year), *source))
    if alias:
        key = keys.phonetic_name(alias)
        if key:
            rows.append(_row(ALIAS, key, *source))
    if document_number:
        key = keys.document_number_key(document_type, document_number)
        if key:
            rows.append(_row(DOCUMENT, key, *source, qualifier=document_type))
    return rows


_IDENTITY_FIELDS = ("pk", "first_names", "last_names", "date_of_birth")


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
def index_identities(identity_ids: Iterable[int]) -> int:
    """Rewrite every key of some identities (their rows, their recorded persons, the things they
    hold in case files). An identity that no longer exists loses its keys. Returns the keys
    written."""
    ids = sorted({pk for pk in identity_ids if pk is not None})
    if not ids:
        return 0
    # The things written under these identities are written again with the holder they have now.
    things: dict[str, set[int]] = defaultdict(set)
    for label, pk in (
        MatchKey.objects.filter(identity_id__in=ids).exclude(thing_kind="").values_list("source_model", "source_pk")
    ):
        things[label].add(pk)
    MatchKey.objects.filter(identity_id__in=ids).delete()
    Identity = apps.get_model("people", "Identity")
    identities = list(Identity._default_manager.filter(pk__in=ids).order_by("pk").values_list(*_IDENTITY_FIELDS))
    written = 0
    if identities:
        sources = _read_sources(identities, {"identity_id__in": [row[0] for row in identities]})
        rows = [row for identity in identities for row in _identity_rows(identity, sources)]
        written = _insert(rows)
    for label, pks in _held_things(ids).items():
        things[label].update(pks)
    for label, pks in things.items():
        if pks:  # index_records of nothing writes nothing (but would open and release a savepoint)
            written += index_records(label, pks)
    return written


def index_identity(identity_id: int) -> int:
    """Rewrite every key of one identity (see `index_identities`)."""
    return index_identities([identity_id])


# ---------------------------------------------------------------- things of case files


_THING_FIELDS = {
    "investigations.casephone": ("pk", "case_file_id", "holder__identity_id", "number"),
    "investigations.casevehicle": ("pk", "case_file_id", "owner_person__identity_id", "plate_key", "plate"),
    "investigations.caseaccount": ("pk", "case_file_id", "holder__identity_id", "network", "handle"),
    "investigations.caseplace": ("pk", "case_file_id", "kind", "latitude", "longitude", "district_id", "address"),
}


def _thing_rows(label: str, values: tuple) -> list[Row]:
    if label == "investigations.caseplace":
        pk, case_file_id, kind, latitude, longitude, district_id, address = values
        where = {"case_file_id": case_file_id, "thing_kind": THING_SOURCES[label], "thing_id": pk, "qualifier": kind}
        found = (keys.coordinates_key(latitude, longitude), keys.address_key(district_id, address))
        return [_row(PLACE, key, label, pk, **where) for key in found if key]
    pk, case_file_id, identity_id, *rest = values
    source = (label, pk, identity_id, None, case_file_id, THING_SOURCES[label], pk)
    rows: list[Row] = []
    if label == "investigations.casephone":
        key = keys.phone_e164_key(rest[0])
        if key:
            rows.append(_row(PHONE, key, *source))
    elif label == "investigations.casevehicle":
        plate_key, plate = rest
        key = keys.plate_match_key(plate_key or plate)
        if key:
            rows.append(_row(PLATE, key, *source))
    elif label == "investigations.caseaccount":
        network, handle = rest
        key = keys.account_key(network, handle)
        if key:
            rows.append(_row(ACCOUNT, key, *source, qualifier=network))
        if network == "whatsapp" and handle.startswith("+"):
            rows.append(_row(PHONE, keys.phone_e164_key(handle), *source))
    return rows


# ---------------------------------------------------------------- places of complaints


_PLACE_FIELDS = {
    "complaints.complaint": ("pk", "place_district_id", "place_address", "place_kind"),
    "complaints.complaintplace": ("pk", "district_id", "address", "kind", "complaint_id"),
}


def _place_rows(label: str, values: tuple) -> list[Row]:
    """The place of the facts of a complaint, or a place of its route: district + address."""
    pk, district_id, address, kind, *complaint = values
    complaint_id = complaint[0] if complaint else pk
    key = keys.address_key(district_id, address)
    return [_row(PLACE, key, label, pk, complaint_id=complaint_id, qualifier=kind)] if key else []


_ROW_SOURCES: dict[str, tuple[tuple[str, ...], Callable[[str, tuple], list[Row]]]] = {
    **{label: (fields, _thing_rows) for label, fields in _THING_FIELDS.items()},
    **{label: (fields, _place_rows) for label, fields in _PLACE_FIELDS.items()},
}


def _record_values(label: str, queryset: Any) -> Any:
    return queryset.values_list(*_ROW_SOURCES[label][0])


@transaction.atomic
def index_records(label: str, pks: Iterable[int]) -> int:
    """Rewrite the keys of some rows of one source model ('investigations.casephone',
    'complaints.complaintplace'...; a people or complaints.person label re-indexes the identities
    of those rows). Rows that no longer exist lose their keys. Returns the keys written."""
    pks = sorted(set(pks))
    if not pks:
        return 0
    if label in _ROW_SOURCES:
        MatchKey.objects.filter(source_model=label, source_pk__in=pks).delete()
        fields, compute = _ROW_SOURCES[label]
        queryset = apps.get_model(label)._base_manager.filter(pk__in=pks).order_by("pk")
        return _insert([row for values in _record_values(label, queryset) for row in compute(label, values)])
    if label in IDENTITY_SOURCES:
        identity_ids = identities_of(label, pks)
        MatchKey.objects.filter(source_model=label, source_pk__in=pks).delete()
        return index_identities(identity_ids)
    raise ValueError(f"Not a source of the match index: {label}")


def identities_of(label: str, pks: Iterable[int]) -> set[int]:
    """The identities whose keys rows of an identity source are written under (in the index) and
    name now (in the rows): both are re-indexed when the rows change."""
    pks = list(pks)
    found = set(MatchKey.objects.filter(source_model=label, source_pk__in=pks).values_list("identity_id", flat=True))
    if label == "people.identity":
        found |= set(pks)
    else:
        model = apps.get_model(label)
        found |= set(model._base_manager.filter(pk__in=pks).values_list("identity_id", flat=True))
    return {pk for pk in found if pk is not None}


# ---------------------------------------------------------------- writing


def _insert(rows: list[Row], batch_size: int = 5000) -> int:
    """Multi-row INSERTs: on MariaDB/MySQL written here with the driver's C escaping (the
    driver's own executemany formats each value in Python, a third of the rebuild's time); on
    other databases `cursor.executemany`."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    table, columns = quote(MatchKey._meta.db_table), ", ".join(quote(column) for column in COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "mysql":
            literal = connection.connection.string_literal
            head = f"INSERT INTO {table} ({columns}) VALUES ".encode()  # noqa: S608
            for start in range(0, len(rows), batch_size):
                values = b",".join(
                    b"(" + b",".join(_mysql_value(value, literal) for value in row) + b")"
                    for row in rows[start : start + batch_size]
                )
                cursor.execute(head + values)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
            for start in range(0, len(rows), batch_size):
                cursor.executemany(sql, rows[start : start + batch_size])
    return len(rows)


def _mysql_value(value: Any, literal: Callable[[str], bytes]) -> bytes:
    if value is None:
        return b"NULL"
    if type(value) is int:
        return str(value).encode()
    return literal(value)


# ---------------------------------------------------------------- the whole index


@dataclass
class RebuildReport:
    identities: int = 0
    things: int = 0
    places: int = 0
    keys: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.keys.values())


def _chunks(queryset: Any, fields: tuple[str, ...], size: int) -> Iterator[list[tuple]]:
    """The rows of `queryset` as values (`fields`, the first the pk), in pk order, `size` at a time."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.order_by("pk").values_list(*fields)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


# Indexes written in random order (the keys) or not needed while loading: dropped during a bulk
# rebuild and built again at the end, by sorting, in one ALTER TABLE. The index on (identity,
# kind) stays: the foreign key to the identity needs it, and it is written in order.
DEFERRED_INDEXES = ("analysis_key_kind", "analysis_source", "analysis_thing")


def _deferred_indexes() -> list[Any]:
    return [index for index in MatchKey._meta.indexes if index.name in DEFERRED_INDEXES]


def _present_indexes() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, MatchKey._meta.db_table))


def _alter_indexes(*, add: bool) -> None:
    quote = connection.ops.quote_name
    present = _present_indexes()
    clauses = []
    for index in _deferred_indexes():
        if add and index.name not in present:
            columns = ", ".join(quote(MatchKey._meta.get_field(name).column) for name in index.fields)
            clauses.append(f"ADD INDEX {quote(index.name)} ({columns})")
        elif not add and index.name in present:
            clauses.append(f"DROP INDEX {quote(index.name)}")
    if clauses:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {quote(MatchKey._meta.db_table)} {', '.join(clauses)}")


def _empty(*, bulk: bool) -> None:
    if bulk:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE TABLE {connection.ops.quote_name(MatchKey._meta.db_table)}")
    else:
        MatchKey.objects.all().delete()


def rebuild(
    *, chunk_size: int = 20_000, progress: Any = None, batch_size: int = 10_000, defer_index: bool = True
) -> RebuildReport:
    """Empty the index and write it again from every source, `chunk_size` identities or rows at a
    time (each chunk in its own transaction).

    On MariaDB outside a transaction (the command, the benchmark) the table is emptied by TRUNCATE
    and, with `defer_index`, the indexes of `DEFERRED_INDEXES` — the blocking index (key, kind,
    identity) is written in random order — are dropped during the load and built again at the
    end (always: a `finally`; a rebuild killed half-way is repaired by the next one). Inside a
    transaction (tests) or on another database: DELETE and the indexes kept."""
    started = time.perf_counter()
    report = RebuildReport()
    bulk = connection.vendor == "mysql" and not connection.in_atomic_block
    _empty(bulk=bulk)
    deferred = bulk and defer_index
    if deferred:
        _alter_indexes(add=False)
    try:
        Identity = apps.get_model("people", "Identity")
        for identities in _chunks(Identity._default_manager.all(), _IDENTITY_FIELDS, chunk_size):
            low, high = identities[0][0], identities[-1][0]
            sources = _read_sources(identities, {"identity_id__gte": low, "identity_id__lte": high})
            rows = [row for identity in identities for row in _identity_rows(identity, sources)]
            with transaction.atomic():
                _insert(rows, batch_size)
            report.identities += len(identities)
            report.keys.update(row[0] for row in rows)
            if progress:
                progress(report)
        report.timings["identities"] = time.perf_counter() - started
        for label, (fields, compute) in _ROW_SOURCES.items():
            for values in _chunks(apps.get_model(label)._base_manager.all(), fields, chunk_size):
                rows = [row for value in values for row in compute(label, value)]
                with transaction.atomic():
                    _insert(rows, batch_size)
                if label in THING_SOURCES:
                    report.things += len(values)
                else:
                    report.places += len(values)
                report.keys.update(row[0] for row in rows)
        report.timings["things_and_places"] = time.perf_counter() - started - report.timings["identities"]
    finally:
        if deferred:
            index_started = time.perf_counter()
            _alter_indexes(add=True)
            report.timings["indexes"] = time.perf_counter() - index_started
    report.seconds = time.perf_counter() - started
    return report
