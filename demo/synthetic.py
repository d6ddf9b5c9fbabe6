"""Synthetic complaints for load tests and the benchmark (issue 5, point 7).

``generate_records`` makes realistic, reproducible complaints in the legacy import format
(complaints.importing): the same seed, period and reference data give the same records. What is
realistic about them:

- volume grows over the years (the original system registered 4 cases in 2004 and 150 in 2011);
- registering units are weighted: the stations of every directorate (Lima and the trafficking
  corridors of Madre de Dios, Cusco, Puno, Loreto more), the 0800 hotline and DIVINTRAP, and the
  specialised units of the directorates;
- the place of the facts is mostly in the registering unit's directorate (a station's own district
  often), sometimes elsewhere; the hotline's and DIVINTRAP's cases are all over the country;
- the facts come before the registration, with a skewed delay (most within days, a long tail of
  months and years);
- victims are mostly female, many are minors, nationalities mostly PE with VE, CO, EC, BO; suspects
  identified or not, of both sexes;
- the conducts, means and purposes follow a handful of scenarios (sexual, labour, begging, sale of
  children, organs, mixed, no assigned purpose, to be verified, related crime, not consistent) so
  that every outcome and every statistics category occurs.

``synthetic_load`` writes them FAST, for 100,000 to 1,000,000 complaints: no per-record service, no
model instance per row. It classifies with the pure rule engine (``complaints.rules.classify``,
exactly what the service stores), builds the rows as plain values and writes them with multi-row
INSERTs in batches, each batch in its own transaction, on a writer thread while the next batch is
built (MariaDB). Every column the service sets is set here too, and each batch writes its rows of
the statistics read model in its transaction (``stats.services.statistics_load``, from the same
projection the registration uses; tests compare a synthetic complaint with the same record
registered through the service). Differences, on purpose:

- **no history rows** (simple-history does not see ``bulk_create``; synthetic data has no past to
  audit) and no per-record audit event: one ``synthetic_data_generated`` event per run;
- ``frozen_at`` is the registration time (as for a complaint submitted on screen) rather than the
  moment of the load.

Numbers keep RETA's own format ``<unit>-<year>-<n:06d>`` (statistics, lists and exports treat them
like any other), continuing after what each unit already used that year. Before a year is written,
the counters of the units it uses are moved past the numbers it will take (locking the unit rows
like ``services._next_number``), so a complaint registered for real later, even during the load,
never collides with a synthetic one. Synthetic complaints are recognisable by their narrative
(``SYNTHETIC_NARRATIVE``) and by the audit event of the run.
"""

from __future__ import annotations

import datetime
import json
import queue
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from administration.models import District, Unit, User
from administration.numbering import Series, peek_next, reserve_block
from audit.events import AuditEventType
from audit.services import audit_record
from complaints.models import (
    Complaint,
    ComplaintSuspect,
    ComplaintVictim,
    Person,
)
from complaints.rules import Facts, Suspect, Victim, classify, decision_to_dict
from complaints.text import normalise
from stats.services import statistics_load

LIMA = ZoneInfo("America/Lima")
UTC = datetime.UTC
SYNTHETIC_NARRATIVE = "Denuncia sintética generada para pruebas de carga."

# ---------------------------------------------------------------- the world (reference data)

# Relative weight of each directorate's stations, by seat (population and trafficking corridors).
DIRECTORATE_WEIGHTS = {
    "DIRTEPOL-LIMA": 10.0,
    "DIRTEPOL-CALLAO": 2.0,
    "DIRTEPOL-MADRE-DE-DIOS": 3.0,
    "DIRTEPOL-CUSCO": 3.0,
    "DIRTEPOL-PUNO": 3.0,
    "DIRTEPOL-IQUITOS": 3.0,
    "DIRTEPOL-AREQUIPA": 2.0,
    "DIRTEPOL-PIURA": 2.0,
    "DIRTEPOL-TUMBES": 1.5,
    "DIRTEPOL-TACNA": 1.5,
    "DIRTEPOL-PUCALLPA": 1.5,
    "DIRTEPOL-HUANCAYO": 1.5,
    "DIRTEPOL-TRUJILLO": 1.5,
    "DIRTEPOL-CHICLAYO": 1.5,
}
DEFAULT_DIRECTORATE_WEIGHT = 1.0
# Shares of the registrations: stations, hotline, DIVINTRAP, the directorates' specialised units.
KIND_SHARES = {
    Unit.Kind.STATION: 0.68,
    Unit.Kind.HOTLINE: 0.10,
    Unit.Kind.NATIONAL_SPECIALISED: 0.14,
    Unit.Kind.REGIONAL_SPECIALISED: 0.08,
}
# Departments where the hotline's and DIVINTRAP's cases happen more (INEI codes).
HOTSPOT_DEPARTMENTS = {"15": 8.0, "17": 4.0, "08": 3.0, "21": 3.0, "16": 3.0, "07": 2.0, "04": 2.0, "20": 2.0}


@dataclass(frozen=True)
class World:
    """What the generator draws from, read once, in code order (so a seed gives the same data)."""

    units: tuple[Unit, ...]  # the units that register, with their weights
    unit_weights: tuple[float, ...]
    districts_by_department: dict[str, tuple[str, ...]]  # ubigeo codes
    departments: tuple[str, ...]
    department_weights: tuple[float, ...]
    jurisdiction: dict[int, tuple[str, ...]]  # directorate pk -> department codes
    directorate_of_department: dict[str, int]  # department code -> territorial directorate pk

    @classmethod
    def load(cls) -> World:
        units = list(Unit.objects.filter(is_active=True).order_by("code"))
        directorates = {unit.pk: unit for unit in units if unit.kind == Unit.Kind.TERRITORIAL_DIRECTORATE}
        jurisdiction: dict[int, list[str]] = {pk: [] for pk in directorates}
        directorate_of_department: dict[str, int] = {}
        for unit_id, department in Unit.jurisdiction.through.objects.filter(unit_id__in=directorates).values_list(
            "unit_id", "department_id"
        ):
            jurisdiction[unit_id].append(department)
            directorate_of_department[department] = unit_id
        districts: dict[str, list[str]] = {}
        for code, department in District.objects.order_by("code").values_list("code", "department_id"):
            districts.setdefault(department, []).append(code)

        registering = []
        weights = []
        by_kind: dict[str, list[Unit]] = {}
        for unit in units:
            if unit.kind in KIND_SHARES:
                by_kind.setdefault(unit.kind, []).append(unit)
        for kind, share in KIND_SHARES.items():
            members = by_kind.get(kind, [])
            unit_weights = [
                DIRECTORATE_WEIGHTS.get(directorates[u.directorate_id].code, DEFAULT_DIRECTORATE_WEIGHT)
                if u.directorate_id in directorates
                else 1.0
                for u in members
            ]
            total = sum(unit_weights)
            for unit, weight in zip(members, unit_weights, strict=True):
                registering.append(unit)
                weights.append(share * weight / total)
        if not registering:
            raise ValueError("No hay unidades que registren denuncias: cargue los datos de referencia.")
        departments = tuple(sorted(districts))
        return cls(
            units=tuple(registering),
            unit_weights=tuple(weights),
            districts_by_department={code: tuple(items) for code, items in districts.items()},
            departments=departments,
            department_weights=tuple(HOTSPOT_DEPARTMENTS.get(code, 1.0) for code in departments),
            jurisdiction={pk: tuple(sorted(codes)) for pk, codes in jurisdiction.items()},
            directorate_of_department=directorate_of_department,
        )


# ---------------------------------------------------------------- the scenarios of the facts

FIRST_NAMES_F = (
    "María", "Rosa", "Carmen", "Ana", "Juana", "Luz", "Elena", "Lucía", "Milagros", "Flor", "Yesenia", "Karina",
    "Sofía", "Valeria", "Daniela", "Camila", "Gabriela", "Nelly", "Silvia", "Patricia",
)  # fmt: skip
FIRST_NAMES_M = (
    "José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Pedro", "Víctor", "César", "Julio", "Raúl", "Walter",
    "Edwin", "Wilber", "Fredy", "Hugo", "Alberto", "Ronald", "Percy", "Richard",
)  # fmt: skip
LAST_NAMES = (
    "Quispe", "Mamani", "Huamán", "Condori", "Flores", "Sánchez", "Rojas", "García", "Chávez", "Ramos", "Torres",
    "Vargas", "Mendoza", "Castillo", "Apaza", "Ccama", "Pari", "Ticona", "Choque", "Gutiérrez", "Díaz", "Cruz",
    "Paredes", "Ríos", "Salazar", "Medina", "Espinoza", "Vásquez", "Aguilar", "Ramírez",
)  # fmt: skip
AGENCIES = ("Ministerio Público", "Defensoría del Pueblo", "Ministerio de la Mujer", "OIM", "CHS Alternativo")
NATIONALITIES = (("PE", 84.0), ("VE", 7.0), ("CO", 3.0), ("EC", 2.5), ("BO", 2.5), ("CL", 0.5), ("CN", 0.5))


@dataclass(frozen=True)
class Scenario:
    name: str
    weight: float
    conducts: tuple[str, ...]
    means: tuple[str, ...]  # empty: no means ticked
    purposes: tuple[str, ...]  # a non-empty draw from these (empty: none ticked)
    place_kinds: tuple[str, ...]
    minor_share: float  # share of minor victims
    related: tuple[str, ...] = ()
    adults_only: bool = False
    purpose_count: tuple[int, ...] = (1, 1, 1, 2)


SEXUAL = ("prostitution", "prostitution", "other_sexual_exploitation", "sexual_slavery")
LABOUR = ("forced_labour", "forced_labour", "servitude", "other_labour_exploitation", "slavery")
ACTS = ("recruitment", "transport", "transfer", "harbouring", "receipt", "retention")
DECEIT = ("deception", "deception", "fraud", "abuse_of_vulnerability", "payment_or_benefit")
FORCE = ("violence", "threat", "coercion", "deprivation_of_liberty", "abuse_of_power")

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "sexual", 44, ACTS, DECEIT + FORCE, SEXUAL, ("bar_nightclub", "brothel", "hotel", "online"), 0.5,
        related=("promotes_prostitution", "hands_over_for_sex", "lives_off_prostitution_earnings"),
    ),
    Scenario("labour", 16, ACTS, DECEIT + FORCE, LABOUR, ("mine", "farm", "logging_camp", "workshop", "market"), 0.3),
    Scenario("begging", 5, ACTS, DECEIT + FORCE, ("begging",), ("street", "market"), 0.7),
    Scenario("sale_of_children", 1.5, ACTS, DECEIT + ("payment_or_benefit",), ("sale_of_children",),
             ("private_home", "transport"), 1.0),
    Scenario("organs", 0.2, ACTS, DECEIT + FORCE, ("organ_removal",), ("private_home", "other"), 0.2),
    Scenario("mixed", 5, ACTS, DECEIT + FORCE, SEXUAL + LABOUR + ("begging",), ("bar_nightclub", "mine", "market"),
             0.4, purpose_count=(2, 2, 3)),
    Scenario("no_purpose", 14, ACTS, DECEIT + FORCE, (), ("transport", "border", "street", "other"), 0.4,
             related=("illegal_border_crossing_for_profit",)),
    Scenario("to_verify", 5, ACTS, (), SEXUAL + LABOUR, ("bar_nightclub", "mine", "farm"), 0.0, adults_only=True),
    Scenario("related_crime", 7, (), (), (), ("bar_nightclub", "hotel", "border", "online"), 0.3,
             related=("promotes_prostitution", "pays_sex_with_minor", "lives_off_prostitution_earnings",
                      "hands_over_for_sex", "child_sex_tourism", "illegal_border_crossing_for_profit")),
    Scenario("not_consistent", 2.3, (), (), (), ("private_home", "street", "other"), 0.2),
)  # fmt: skip
CASE_FACTS = (
    ("criminal_organisation", 0.08),
    ("relative_or_carer", 0.06),
    ("life_in_danger", 0.03),
    ("serious_injury", 0.02),
    ("public_office_abuse", 0.01),
    ("organisation_position", 0.02),
)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


_SCENARIO_CUM = _cumulative([s.weight for s in SCENARIOS])
_NATIONALITY_CUM = _cumulative([w for _c, w in NATIONALITIES])
_VICTIM_COUNT_CUM = _cumulative([60, 18, 8, 5, 3, 2, 1.5, 1, 1.5])  # 1..8 victims, then a rescue of 9-40
_SUSPECT_COUNT_CUM = _cumulative([22, 45, 18, 8, 4, 3])  # 0..5
_HOUR_CUM = _cumulative([1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 10, 9, 8, 9, 9, 8, 7, 5, 4, 3, 2, 2, 1])


def _victim(rng: random.Random, scenario: Scenario) -> dict[str, Any]:
    sex = "F" if rng.random() < 0.84 else ("M" if rng.random() < 0.9 else None)
    minor_draw = rng.random() < scenario.minor_share
    age: int | None
    minor: bool | None = None
    if rng.random() < 0.07:  # age not recorded: minority known, or not
        age = None
        draw = rng.random()
        minor = None if scenario.adults_only or draw < 0.4 else draw < 0.4 + 0.6 * scenario.minor_share
    elif minor_draw:
        age = rng.choice((6, 9, 11, 12, 13, 13, 14, 14, 15, 15, 15, 16, 16, 16, 17, 17, 17))
    else:
        age = min(18 + int(rng.expovariate(1 / 7)), 70)
    nationality = rng.choices(NATIONALITIES, cum_weights=_NATIONALITY_CUM)[0][0]
    adult = age is not None and age >= 18
    return {
        "sex": sex,
        "age": age,
        "minor": minor,
        "nationality": nationality,
        "pregnant": sex == "F" and adult and rng.random() < 0.03,
        "disability": rng.random() < 0.015,
        "consented": adult and rng.random() < 0.06,
    }


def _person_name(rng: random.Random, sex: str | None) -> str:
    names = FIRST_NAMES_M if sex == "M" else FIRST_NAMES_F
    return f"{rng.choice(names)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"


def _suspect(rng: random.Random) -> dict[str, Any]:
    sex = "M" if rng.random() < 0.55 else ("F" if rng.random() < 0.9 else None)
    identified = rng.random() < 0.62
    return {"sex": sex, "identified": identified, "name": _person_name(rng, sex) if identified else None}


# ---------------------------------------------------------------- records

YearNumbering = Callable[[int, Mapping[Unit, int]], Mapping[int, int]]


def year_weights(from_year: int, to_year: int, *, now: datetime.datetime) -> dict[int, float]:
    """Volume grows over the years; the current year counts for the part already gone."""
    weights = {}
    for index, year in enumerate(range(from_year, to_year + 1)):
        weight = (1 + index) ** 1.2
        start = datetime.datetime(year, 1, 1, tzinfo=LIMA)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=LIMA)
        if start >= now:
            continue
        if end > now:
            weight *= (now - start) / (end - start)
        weights[year] = weight
    return weights


def generate_records(
    count: int,
    *,
    seed: int,
    world: World,
    from_year: int = 2004,
    to_year: int = 2026,
    now: datetime.datetime | None = None,
    numbering: YearNumbering | None = None,
) -> Iterator[dict[str, Any]]:
    """`count` complaints in the import format, year by year and in registration order.

    `numbering(year, {unit: how many})` gives each unit's first number for the year (the default,
    `counters_peek`, continues after the counters without moving them; `synthetic_load` reserves).
    """
    now = now or timezone.now()
    numbering = numbering or counters_peek
    weights = year_weights(from_year, to_year, now=now)
    if not weights:
        return
    years = sorted(weights)
    skeleton = random.Random(f"reta-synthetic-{seed}-years")
    per_year = Counter(skeleton.choices(years, cum_weights=_cumulative([weights[y] for y in years]), k=count))
    unit_cum = _cumulative(world.unit_weights)
    for year in years:
        n = per_year.get(year, 0)
        if not n:
            continue
        rng = random.Random(f"reta-synthetic-{seed}-{year}")
        start = datetime.datetime(year, 1, 1, tzinfo=LIMA)
        days = min((datetime.datetime(year + 1, 1, 1, tzinfo=LIMA) - start).days, (now - start).days + 1)
        moments = []
        for _ in range(n):
            day = rng.randrange(days)
            hour = rng.choices(range(24), cum_weights=_HOUR_CUM)[0]
            moment = start + datetime.timedelta(days=day, hours=hour, seconds=rng.randrange(3600))
            moments.append(min(moment, now))
        moments.sort()
        units = rng.choices(world.units, cum_weights=unit_cum, k=n)
        first = numbering(year, Counter(units))
        next_number = dict(first)
        for moment, unit in zip(moments, units, strict=True):
            sequence = next_number[unit.pk]
            next_number[unit.pk] += 1
            yield _record(rng, world, unit, f"{unit.code}-{year}-{sequence:06d}", moment)


def _place(rng: random.Random, world: World, unit: Unit) -> str:
    own = world.jurisdiction.get(unit.directorate_id or -1)
    if own and rng.random() < 0.85:
        if unit.kind == Unit.Kind.STATION and unit.district_id and rng.random() < 0.6:
            return unit.district_id
        department = rng.choice(own)
    else:
        department = rng.choices(world.departments, weights=world.department_weights)[0]
    return rng.choice(world.districts_by_department[department])


def _record(rng: random.Random, world: World, unit: Unit, number: str, moment: datetime.datetime) -> dict[str, Any]:
    scenario = rng.choices(SCENARIOS, cum_weights=_SCENARIO_CUM)[0]
    local_day = moment.astimezone(LIMA).date()
    if rng.random() < 0.85:
        delay = int(rng.expovariate(1 / 9))
    else:
        delay = rng.randrange(30, 1500)
    facts_date = local_day - datetime.timedelta(days=delay)

    if unit.kind == Unit.Kind.HOTLINE:
        origin = "hotline"
    elif unit.kind == Unit.Kind.NATIONAL_SPECIALISED and rng.random() < 0.4:
        origin = "other_agency"
    elif unit.kind == Unit.Kind.STATION and rng.random() < 0.12:
        origin = "paper"
    else:
        origin = "station"

    victim_count = rng.choices(range(1, 10), cum_weights=_VICTIM_COUNT_CUM)[0]
    if victim_count == 9:
        victim_count = rng.randrange(9, 41)
    suspect_count = rng.choices(range(6), cum_weights=_SUSPECT_COUNT_CUM)[0]
    victims = [_victim(rng, scenario) for _ in range(victim_count)]
    suspects = [_suspect(rng) for _ in range(suspect_count)]

    conducts = sorted(set(rng.sample(scenario.conducts, rng.choice((1, 2, 2, 3))))) if scenario.conducts else []
    means = sorted(set(rng.sample(scenario.means, rng.choice((1, 1, 2))))) if scenario.means else []
    purposes: list[str] = []
    if scenario.purposes:
        how_many = min(rng.choice(scenario.purpose_count), len(set(scenario.purposes)))
        while len(purposes) < how_many:
            purpose = rng.choice(scenario.purposes)
            if purpose not in purposes:
                purposes.append(purpose)
        purposes.sort()
    related = sorted({fact for fact in scenario.related if rng.random() < 0.25})
    if scenario.name == "related_crime" and not related:
        related = [rng.choice(scenario.related)]
    if scenario.name == "no_purpose" and facts_date >= datetime.date(2014, 10, 22) and rng.random() < 0.3:
        purposes = ["other_analogous_exploitation"]
    case_facts = sorted(code for code, share in CASE_FACTS if scenario.conducts and rng.random() < share)

    record: dict[str, Any] = {
        "number": number,
        "registering_unit": unit.code,
        "origin": origin,
        "registered_at": moment.astimezone(LIMA).isoformat(timespec="seconds"),
        "date_of_facts": facts_date.isoformat(),
        "place": {
            "ubigeo": _place(rng, world, unit),
            "address": f"Jr. {rng.choice(LAST_NAMES)} {rng.randrange(1, 2000)}",
            "kind": rng.choice(scenario.place_kinds),
        },
        "victims": victims,
        "suspects": suspects,
        "conducts": conducts,
        "means": means,
        "purposes": purposes,
        "case_facts": case_facts,
        "related_facts": related,
        "narrative": SYNTHETIC_NARRATIVE,
        "responsible_officer": f"S3 PNP {_person_name(rng, 'M' if rng.random() < 0.6 else 'F')}",
    }
    if origin == "other_agency":
        record["other_agency_name"] = rng.choice(AGENCIES)
    return record


# ---------------------------------------------------------------- numbering


def counters_peek(year: int, units: Mapping[Unit, int]) -> dict[int, int]:
    """Each unit's next number in `year`, without reserving it (for a file to import later)."""
    return peek_next(series=Series.COMPLAINT, year=year, units=units)


def counters_reserve(year: int, units: Mapping[Unit, int]) -> dict[int, int]:
    """Move each unit's counter for `year` past the numbers it will take; its first number each.

    administration.numbering locks the unit rows first, so that a submission running at the same
    time waits and then numbers after the reserved block."""
    return reserve_block(series=Series.COMPLAINT, year=year, amounts=units)


# ---------------------------------------------------------------- rows


def _victim_facts(item: Mapping[str, Any]) -> Victim:
    return Victim(
        age=item.get("age"),
        minor=item.get("minor"),
        sex=item.get("sex"),
        pregnant=bool(item.get("pregnant")),
        disability=bool(item.get("disability")),
        legally_incapable=bool(item.get("legally_incapable")),
        consented=bool(item.get("consented")),
        nationality=item.get("nationality"),
    )


def record_facts(record: Mapping[str, Any]) -> Facts:
    """The rule engine's view of an import-format record (the same as `services.complaint_facts`
    gives once the record is stored)."""
    from complaints.importing import split_name

    suspects = []
    for item in record.get("suspects") or []:
        first, last = split_name(item["name"]) if item.get("name") else ("", "")
        suspects.append(Suspect(sex=item.get("sex"), identified=bool(first or last)))
    return Facts(
        date_of_facts=datetime.date.fromisoformat(record["date_of_facts"]),
        victims=tuple(_victim_facts(item) for item in record["victims"]),
        suspects=tuple(suspects),
        conducts=record.get("conducts") or (),
        means=record.get("means") or (),
        purposes=record.get("purposes") or (),
        case_facts=record.get("case_facts") or (),
        related_facts=record.get("related_facts") or (),
    )


class _Table:
    """A plain multi-row INSERT of every concrete column of `model`, rows given as {attname: value}
    (the ORM's per-object work would cost more than everything else at a million complaints).
    Columns missing from a row take the field's default; ids are given by the caller."""

    PREPARED = (models.DateTimeField, models.DateField, models.TimeField, models.JSONField)

    def __init__(self, model: type[models.Model]) -> None:
        opts = model._meta
        self.model = model
        self.fields = list(opts.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        now = timezone.now()
        self.defaults = {
            f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in self.fields
        }
        self.prepared = [(i, f) for i, f in enumerate(self.fields) if isinstance(f, self.PREPARED)]
        qn = connection.ops.quote_name
        self.pk_column = qn(opts.pk.column)
        self.table = qn(opts.db_table)
        columns = ", ".join(qn(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {self.table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names from _meta)

    def next_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({self.pk_column}) FROM {self.table}")  # noqa: S608 (names from _meta)
            return (cursor.fetchone()[0] or 0) + 1

    def params(self, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
        """The values of `rows` in column order, ready for the database."""
        defaults, attnames, prepared = self.defaults, self.attnames, self.prepared
        params = []
        for row in rows:
            values = [row.get(name, defaults[name]) for name in attnames]
            for index, field in prepared:
                values[index] = field.get_db_prep_save(values[index], connection)
            params.append(values)
        return params


@dataclass
class _Batch:
    """One batch ready to write: (INSERT, rows) in foreign-key order, and its complaint ids."""

    inserts: list[tuple[str, list[list[Any]]]]
    first_complaint: int
    last_complaint: int

    def write(self) -> int:
        """Persons, complaints (not frozen yet: the database refuses new people in a frozen
        complaint), victims and suspects; then the batch is frozen and its statistics rows are
        written (stats.services.statistics_load). One transaction, on the calling thread's
        connection."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                for sql, params in self.inserts:
                    if params:
                        cursor.executemany(sql, params)
            Complaint.objects.filter(
                pk__gte=self.first_complaint, pk__lte=self.last_complaint, frozen_at__isnull=True
            ).update(frozen_at=F("submitted_at"))
            statistics_load(complaint_ids=list(range(self.first_complaint, self.last_complaint + 1)))
        return self.last_complaint - self.first_complaint + 1


class _Rows:
    """The rows of one batch, built as plain values and written with a few multi-row INSERTs."""

    def __init__(self, *, world: World, units: Mapping[str, Unit], districts: Mapping[str, District], author: User):
        self.world = world
        self.units = units
        self.districts = districts
        self.author = author
        self.today = timezone.localdate()
        self.tables = {model: _Table(model) for model in (Person, Complaint, ComplaintVictim, ComplaintSuspect)}
        self._clear()

    def _clear(self) -> None:
        self.persons: list[dict[str, Any]] = []
        self.complaints: list[dict[str, Any]] = []
        self.victims: list[dict[str, Any]] = []  # complaint and person: indexes in this batch
        self.suspects: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self.complaints)

    def _person(
        self, unit: Unit, when: datetime.datetime, first_names: str = "", last_names: str = "", **values: Any
    ) -> int:
        self.persons.append(
            {
                "first_names": first_names,
                "last_names": last_names,
                "search_name": normalise(f"{first_names} {last_names}"),
                "created_in_id": unit.pk,
                "created_at": when,
                **values,
            }
        )
        return len(self.persons) - 1

    def add(self, record: Mapping[str, Any]) -> None:
        from complaints.importing import split_name

        unit = self.units[record["registering_unit"]]
        registered_at = datetime.datetime.fromisoformat(record["registered_at"])
        if registered_at.tzinfo is None:
            registered_at = registered_at.replace(tzinfo=LIMA)
        facts = record_facts(record)
        result = decision_to_dict(classify(facts, today=self.today))
        district = self.districts[record["place"]["ubigeo"]]
        index = len(self.complaints)
        names: list[str] = [record["number"]]
        for position, item in enumerate(record["victims"], start=1):
            sex, nationality = item.get("sex") or "", item.get("nationality") or ""
            person = self._person(unit, registered_at, sex=sex, nationality=nationality)
            self.victims.append(
                {
                    "complaint_id": index,
                    "person_id": person,
                    "position": position,
                    "age": item.get("age"),
                    "minor": item.get("minor"),
                    "pregnant": bool(item.get("pregnant")),
                    "disability": bool(item.get("disability")),
                    "legally_incapable": bool(item.get("legally_incapable")),
                    "consented": bool(item.get("consented")),
                }
            )
        for position, item in enumerate(record.get("suspects") or [], start=1):
            first, last = split_name(item["name"]) if item.get("name") else ("", "")
            names += [first, last]
            sex = item.get("sex") or ""
            person = self._person(unit, registered_at, first, last, sex=sex)
            self.suspects.append({"complaint_id": index, "person_id": person, "position": position})
        self.complaints.append(
            {
                "number": record["number"],
                "status": Complaint.Status.SUBMITTED,
                "registering_unit_id": unit.pk,
                "author_id": self.author.pk,
                "origin": record["origin"],
                "other_agency_name": record.get("other_agency_name") or "",
                "paper_serial": record.get("paper_serial") or "",
                "facts_date": facts.date_of_facts,
                "place_district_id": district.pk,
                "place_address": record["place"].get("address") or "",
                "place_kind": record["place"].get("kind") or "",
                "narrative": record.get("narrative") or "",
                "responsible_officer": record.get("responsible_officer") or "",
                "conducts": list(record.get("conducts") or []),
                "means": list(record.get("means") or []),
                "purposes": list(record.get("purposes") or []),
                "case_facts": list(record.get("case_facts") or []),
                "related_facts": list(record.get("related_facts") or []),
                "law_profile": result["law"],
                "outcome": result["outcome"],
                "alert_priority": result["alert"] or "",
                "purpose_categories": result["purpose_categories"],
                "classification": result,
                "competent_directorate_id": self.world.directorate_of_department[district.department_id],
                "created_at": registered_at,
                "submitted_at": registered_at,
                "frozen_at": None,  # set once the people are in (below)
                "registration_delay_days": (timezone.localdate(registered_at, LIMA) - facts.date_of_facts).days,
                "search_text": normalise(" ".join(name for name in names if name)),
            }
        )

    def table(self, model: type[models.Model]) -> _Table:
        if model not in self.tables:
            self.tables[model] = _Table(model)
        return self.tables[model]

    def take(self, next_ids: dict[type[models.Model], int]) -> _Batch:
        """The batch's rows with their ids (from `next_ids`, read from the tables the first time a
        model is met, then moved on)."""

        def number(rows: list[dict[str, Any]], model: type[models.Model]) -> int:
            if model not in next_ids:
                next_ids[model] = self.table(model).next_id()
            base = next_ids[model]
            for offset, row in enumerate(rows):
                row["id"] = base + offset
            next_ids[model] = base + len(rows)
            return base

        person_base = number(self.persons, Person)
        complaint_base = number(self.complaints, Complaint)
        for links, model in ((self.victims, ComplaintVictim), (self.suspects, ComplaintSuspect)):
            number(links, model)
            for row in links:
                row["complaint_id"] += complaint_base
                row["person_id"] += person_base
        rows_by_model = {
            Person: self.persons,
            Complaint: self.complaints,
            ComplaintVictim: self.victims,
            ComplaintSuspect: self.suspects,
        }
        inserts = [(self.table(model).sql, self.table(model).params(rows)) for model, rows in rows_by_model.items()]
        batch = _Batch(inserts, complaint_base, complaint_base + len(self.complaints) - 1)
        self._clear()
        return batch


class _Writer:
    """Writes batches on a thread of its own (its own connection) while the caller builds the next
    one, so that the database and Python work at the same time. Inline (no thread) when the caller
    is inside a transaction (tests: another connection would not see its rows) or on SQLite."""

    def __init__(self, *, threaded: bool) -> None:
        self.threaded = threaded
        self.written = 0
        self.error: BaseException | None = None
        if threaded:
            self.queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._run, name="synthetic-writer", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                self.written += batch.write()
                self.queue.task_done()
        except BaseException as error:  # noqa: BLE001 - handed over to the caller's thread
            self.error = error
            self.queue.task_done()
            while self.queue.get() is not None:  # let the producer finish putting
                self.queue.task_done()
        finally:
            connection.close()

    def drain(self) -> None:
        """Wait until every batch handed over is written (no transaction of the writer is open):
        before the caller locks unit rows to reserve numbers, which the writer's inserts also lock
        (foreign keys), so the two never wait for each other."""
        if self.threaded:
            self.queue.join()
        if self.error is not None:
            self.close()

    def put(self, batch: _Batch) -> None:
        if not self.threaded:
            self.written += batch.write()
            return
        if self.error is not None:
            self.close()
        self.queue.put(batch)

    def close(self) -> int:
        if self.threaded and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error
        return self.written


def synthetic_load(
    *,
    count: int,
    seed: int,
    author: User,
    from_year: int = 2004,
    to_year: int = 2026,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Generate `count` complaints and write them (see the module doc). Returns how many."""
    world = World.load()
    writer = _Writer(threaded=connection.vendor == "mysql" and not connection.in_atomic_block)

    def numbering(year: int, units: Mapping[Unit, int]) -> Mapping[int, int]:
        writer.drain()
        return counters_reserve(year, units)

    records = generate_records(count, seed=seed, world=world, from_year=from_year, to_year=to_year, numbering=numbering)
    written = records_write(
        records, author=author, world=world, batch_size=batch_size, progress=progress, writer=writer
    )
    audit_record(
        event=AuditEventType.SYNTHETIC_DATA_GENERATED,
        actor=author,
        object_repr=f"{written} denuncias sintéticas",
        details={"complaints": written, "seed": seed, "from_year": from_year, "to_year": to_year},
    )
    return written


def records_write(
    records: Iterable[Mapping[str, Any]],
    *,
    author: User,
    world: World | None = None,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    writer: _Writer | None = None,
) -> int:
    """Write import-format records (already checked: they come from `generate_records`) the fast way.

    Ids continue after each table's highest, read once: run it on a database nobody else is writing
    complaints to at the same moment (a try-out or benchmark database). A clash would make a batch
    fail, never mix rows; the numbers, in any case, are reserved race-free (`counters_reserve`)."""
    rows = _Rows(
        world=world or World.load(),
        units={unit.code: unit for unit in Unit.objects.all()},
        districts={district.code: district for district in District.objects.all()},
        author=author,
    )
    next_ids: dict[type[models.Model], int] = {}
    writer = writer or _Writer(threaded=connection.vendor == "mysql" and not connection.in_atomic_block)
    produced = 0
    try:
        for record in records:
            rows.add(record)
            if len(rows) >= batch_size:
                produced += len(rows)
                writer.put(rows.take(next_ids))
                if progress:
                    progress(produced)
        if len(rows):
            produced += len(rows)
            writer.put(rows.take(next_ids))
            if progress:
                progress(produced)
    finally:
        written = writer.close()
    return written


def records_to_jsonl(records: Iterator[Mapping[str, Any]]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"
