"""The demo complaints of `make run` (issue 5, point 8): the original system's published figures
(STATISTICS.md tables 1-3, seed section 3) as records, plus a few complaints of this year.

The 2004-2011 records are built at load time, deterministically, from the published cells below
and the reference data, and go through the legacy import (complaints.importing: the same checks,
then ``complaint_register_imported``: classified by the real rule engine with the profile of their
date of facts, frozen, no alerts), registered under the demo national administrator
``admin.nacional``. Building them at load time rather than committing a JSONL file keeps one source
of truth (the published cells) and cannot drift from the reference data; ``demo_records()`` gives
the same lines for anyone who wants the file. Loading twice adds nothing: their numbers are already
present (the import skips them) and the recent complaints carry a form token.

How the records reproduce the tables:

- Table 1 (cases by registering unit and year), every cell: each cell is that many complaints of the
  column's unit — LINEA-0800 for the 0800 column, DIVINTRAP for DIRINCRI, the seat's station
  (``<directorate>-CPNP-1``, every third complaint ``-CPNP-2``) for each directorate — registered
  in that year (America/Lima): 535 complaints. Totals are computed from the records, so the printed
  totals that do not add up are not reproduced: rows 2004 (printed 5, cells 4), 2005 (13/11), 2008
  (81/82), 2010 (108/107), the Puno column (29/28) and the grand total (538/535; STATISTICS.md
  says the cells sum to 536, but they sum to 535, by rows and by columns alike).
- Table 3 (purposes by year): a complaint's categories follow from the purposes ticked (trafficking
  with conducts and a means); "no assigned purpose" is trafficking with no purpose ticked, which
  cannot share a complaint with another category. In each year the ``unassigned`` complaints come
  first, then every other category is dealt to the complaints with the fewest categories so far, so
  several categories share a complaint only when the year's counts exceed its complaints.
- Table 2 (persons by year): every victim and alleged trafficker of the year, by sex, with an age on
  the right side of 18; identified suspects carry a (fictitious) name, the others none. Every
  complaint has at least one victim; people are spread unevenly (a few rescues with many victims).

Cells that cannot be reproduced (the published tables contradict themselves; no cell is faked):

- ``purposes_by_year`` 2005 ``sexual_exploitation``: published 13, reproduced 11. Table 1 has 11
  complaints in 2005 and a complaint counts once per category, so at most 11.
- ``persons_by_year`` 2009 ``suspects_unidentified_total``: published 0 beside 1 man and 0 women
  being identified; the total is computed from the people, so 1.
- The printed "Total" rows and columns are computed from the records, so they differ wherever the
  printed totals do not add up: table 1 as above; table 2 suspects being identified, men 17 (printed
  16) and total 32 (printed 30 — its own cells 16 + 15 are 31); table 3 sexual exploitation 395
  (printed 397, from the 2005 cell above).

Every other cell of the three tables is reproduced exactly (tests/complaints/test_demo_data.py).
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from administration.models import District, Unit, User
from complaints.catalogues import Origin, PlaceKind
from complaints.importing import complaints_import
from complaints.models import Complaint, PlaceRole
from complaints.services import ComplaintData, PlaceData, SuspectData, VictimData, complaint_file
from demo.synthetic import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES

LIMA = ZoneInfo("America/Lima")
DEMO_ADMIN = "admin.nacional"

# ---------------------------------------------------------------- the published cells (STATISTICS.md)

YEARS = tuple(range(2004, 2012))
# Table 1: LINEA-0800, DIRINCRI, then the 24 directorates in the order of STATISTICS.md.
TABLE1_COLUMNS = (
    "LINEA-0800",
    "DIRINCRI",
    *(
        f"DIRTEPOL-{seat}"
        for seat in (
            "PIURA CHICLAYO TRUJILLO TARAPOTO IQUITOS PUCALLPA LIMA HUANCAVELICA HUANCAYO AYACUCHO "
            "MADRE-DE-DIOS CUSCO AREQUIPA PUNO HUARAZ CAJAMARCA ICA APURIMAC PASCO TUMBES HUANUCO "
            "CALLAO MOQUEGUA TACNA"
        ).split()
    ),
)
TABLE1: dict[int, tuple[int, ...]] = {
    2004: (0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0),
    2005: (0, 4, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1),
    2006: (0, 7, 1, 3, 0, 0, 1, 1, 1, 0, 1, 0, 0, 2, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 1),
    2007: (2, 6, 0, 0, 2, 1, 3, 5, 4, 0, 2, 1, 1, 6, 8, 22, 0, 1, 0, 0, 0, 0, 3, 0, 3, 0),
    2008: (5, 16, 4, 0, 0, 0, 8, 0, 0, 0, 0, 0, 21, 12, 3, 4, 1, 1, 0, 0, 0, 0, 0, 3, 3, 1),
    2009: (3, 31, 0, 0, 0, 2, 16, 0, 0, 0, 0, 0, 5, 11, 4, 0, 0, 1, 1, 0, 0, 3, 0, 1, 1, 2),
    2010: (2, 35, 0, 0, 0, 0, 12, 3, 6, 3, 0, 0, 0, 21, 7, 1, 0, 1, 0, 2, 0, 6, 0, 0, 1, 7),
    2011: (6, 100, 5, 0, 0, 2, 15, 3, 2, 0, 1, 0, 1, 1, 2, 1, 0, 1, 0, 1, 0, 5, 0, 0, 1, 3),
}
# Table 2, as printed: suspects identified M F total, being identified M F total, victims adult
# M F total, minor M F total, total victims.
TABLE2_COLUMNS = (
    "suspects_identified_m",
    "suspects_identified_f",
    "suspects_identified_total",
    "suspects_unidentified_m",
    "suspects_unidentified_f",
    "suspects_unidentified_total",
    "victims_adult_m",
    "victims_adult_f",
    "victims_adult_total",
    "victims_minor_m",
    "victims_minor_f",
    "victims_minor_total",
    "victims_total",
)
TABLE2: dict[int, tuple[int, ...]] = {
    2004: (7, 9, 16, 5, 1, 6, 0, 2, 2, 0, 5, 5, 7),
    2005: (9, 15, 24, 0, 0, 0, 0, 8, 8, 0, 18, 18, 26),
    2006: (21, 24, 45, 4, 5, 9, 0, 30, 30, 0, 44, 44, 74),
    2007: (63, 61, 124, 4, 6, 10, 2, 63, 65, 3, 95, 98, 163),
    2008: (41, 92, 133, 2, 2, 4, 8, 56, 64, 4, 145, 149, 213),
    2009: (76, 62, 138, 1, 0, 0, 2, 79, 81, 25, 108, 133, 214),
    2010: (78, 72, 150, 1, 1, 2, 5, 141, 146, 23, 104, 127, 273),
    2011: (186, 97, 283, 0, 0, 0, 26, 503, 529, 13, 151, 164, 693),
}
# Table 3: complaints by purpose category (the categories of LAW.md).
TABLE3_COLUMNS = (
    "sexual_exploitation",
    "labour_exploitation",
    "sale_of_children",
    "begging",
    "organ_trafficking",
    "unassigned",
)
TABLE3: dict[int, tuple[int, ...]] = {
    2004: (4, 0, 0, 0, 0, 0),
    2005: (13, 0, 0, 0, 0, 0),
    2006: (30, 0, 0, 0, 0, 0),
    2007: (64, 5, 1, 0, 0, 0),
    2008: (61, 10, 4, 1, 0, 9),
    2009: (51, 24, 1, 1, 0, 12),
    2010: (60, 22, 1, 6, 0, 44),
    2011: (114, 73, 0, 32, 0, 23),
}
# The cells the data cannot reproduce (see the module doc): (table, year, column) -> (published, reproduced).
UNREPRODUCIBLE: dict[tuple[str, int, str], tuple[int, int]] = {
    ("purposes_by_year", 2005, "sexual_exploitation"): (13, 11),
    ("persons_by_year", 2009, "suspects_unidentified_total"): (0, 1),
}

# ---------------------------------------------------------------- facts by category

PURPOSES = {
    "sexual_exploitation": ("prostitution", "prostitution", "other_sexual_exploitation", "sexual_slavery"),
    "labour_exploitation": ("forced_labour", "forced_labour", "servitude", "other_labour_exploitation"),
    "sale_of_children": ("sale_of_children",),
    "begging": ("begging",),
    "organ_trafficking": ("organ_removal",),
}
PLACE_KINDS = {
    "sexual_exploitation": (PlaceKind.BAR_NIGHTCLUB, PlaceKind.BROTHEL, PlaceKind.HOTEL),
    "labour_exploitation": (PlaceKind.MINE, PlaceKind.FARM, PlaceKind.LOGGING_CAMP, PlaceKind.RESTAURANT),
    "sale_of_children": (PlaceKind.PRIVATE_HOME,),
    "begging": (PlaceKind.STREET, PlaceKind.MARKET),
    "organ_trafficking": (PlaceKind.OTHER,),
    "unassigned": (PlaceKind.TRANSPORT, PlaceKind.BORDER, PlaceKind.STREET),
}
CONDUCTS = (
    ("recruitment", "transfer"),
    ("recruitment", "transport", "harbouring"),
    ("recruitment",),
    ("harbouring", "retention"),
    ("transfer", "receipt"),
)
MEANS = (("deception",), ("deception", "abuse_of_vulnerability"), ("fraud",), ("threat", "coercion"), ("violence",))
DESCRIPTIONS = {
    "sexual_exploitation": "explotación sexual",
    "labour_exploitation": "explotación laboral",
    "sale_of_children": "venta de niños",
    "begging": "mendicidad",
    "organ_trafficking": "extracción de órganos",
    "unassigned": "trata sin fin determinado",
}
# Where the hotline's and DIVINTRAP's cases happened (INEI departments, repeated by weight).
NATIONAL_DEPARTMENTS = ("15", "15", "15", "17", "17", "08", "21", "16", "07", "04", "20", "25")
NATIONALITIES = ("PE",) * 22 + ("BO", "EC", "CO")


def _spread(total: int, slots: int, rng: random.Random, *, minimum: int) -> list[int]:
    """`total` people over `slots` complaints, at least `minimum` each, unevenly (a few large)."""
    counts = [minimum] * slots
    weights = [rng.paretovariate(1.3) for _ in range(slots)]
    for _ in range(total - minimum * slots):
        counts[rng.choices(range(slots), weights=weights)[0]] += 1
    return counts


def category_sets(year: int) -> list[frozenset[str]]:
    """The purpose categories of each complaint of `year`, from tables 1 and 3 (module doc)."""
    complaints = sum(TABLE1[year])
    published = dict(zip(TABLE3_COLUMNS, TABLE3[year], strict=True))
    unassigned = min(published["unassigned"], complaints)
    sets: list[set[str]] = [{"unassigned"} for _ in range(unassigned)]
    others: list[set[str]] = [set() for _ in range(complaints - unassigned)]
    for category in sorted(PURPOSES, key=lambda code: -published[code]):
        wanted = min(published[category], len(others))  # a complaint counts once per category
        for target in sorted(range(len(others)), key=lambda i: len(others[i]))[:wanted]:
            others[target].add(category)
    return [frozenset(items) for items in sets + others]


def _stations(directorate: str) -> list[str]:
    codes = Unit.objects.filter(kind=Unit.Kind.STATION, code__startswith=f"{directorate}-CPNP-").values_list(
        "code", flat=True
    )
    return sorted(codes, key=lambda code: int(code.rsplit("-", 1)[1]))


def _year_records(year: int, context: dict[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(f"reta-demo-{year}")
    units: list[str] = []
    for column, count in zip(TABLE1_COLUMNS, TABLE1[year], strict=True):
        if column == "LINEA-0800":
            units += [column] * count
        elif column == "DIRINCRI":
            units += ["DIVINTRAP"] * count
        else:
            stations = context["stations"][column]
            units += [stations[1] if i % 3 == 2 and len(stations) > 1 else stations[0] for i in range(count)]
    categories = category_sets(year)
    rng.shuffle(categories)
    n = len(units)

    # Victims: each complaint at least one; minors first where the purpose makes them likely.
    cells = dict(zip(TABLE2_COLUMNS, TABLE2[year], strict=True))
    minors = [("M", True)] * cells["victims_minor_m"] + [("F", True)] * cells["victims_minor_f"]
    adults = [("M", False)] * cells["victims_adult_m"] + [("F", False)] * cells["victims_adult_f"]
    rng.shuffle(minors)
    rng.shuffle(adults)
    victim_counts = _spread(len(minors) + len(adults), n, rng, minimum=1)
    victims: list[list[tuple[str, bool]]] = [[] for _ in range(n)]
    prefers_minors = [bool(cats & {"sale_of_children", "begging"}) for cats in categories]
    for index in sorted(range(n), key=lambda i: not prefers_minors[i]):
        for _ in range(victim_counts[index]):
            if minors and (
                prefers_minors[index] or not adults or rng.random() < len(minors) / (len(minors) + len(adults))
            ):
                victims[index].append(minors.pop())
            else:
                victims[index].append(adults.pop())

    suspects_pool = (
        [("M", True)] * cells["suspects_identified_m"]
        + [("F", True)] * cells["suspects_identified_f"]
        + [("M", False)] * cells["suspects_unidentified_m"]
        + [("F", False)] * cells["suspects_unidentified_f"]
    )
    rng.shuffle(suspects_pool)
    suspect_counts = _spread(len(suspects_pool), n, rng, minimum=0)

    start = datetime.datetime(year, 1, 1, tzinfo=LIMA)
    days = (datetime.datetime(year + 1, 1, 1, tzinfo=LIMA) - start).days
    records = []
    for index, unit in enumerate(units):
        day = int((index + rng.random()) * days / n)
        registered_at = start + datetime.timedelta(days=day, hours=rng.randrange(8, 19), minutes=rng.randrange(60))
        delay = int(rng.expovariate(1 / 12)) if rng.random() < 0.85 else rng.randrange(60, 400)
        facts_date = registered_at.date() - datetime.timedelta(days=delay)
        records.append(
            _record(
                rng,
                context,
                unit,
                registered_at,
                facts_date,
                categories[index],
                victims[index],
                suspects_pool,
                suspect_counts[index],
            )
        )
    records.sort(key=lambda record: record["registered_at"])
    sequence: dict[str, int] = {}
    for record in records:
        sequence[record["registering_unit"]] = sequence.get(record["registering_unit"], 0) + 1
        record["number"] = f"{record['registering_unit']}-{year}-{sequence[record['registering_unit']]:06d}"
    return records


def _record(
    rng: random.Random,
    context: dict[str, Any],
    unit: str,
    registered_at: datetime.datetime,
    facts_date: datetime.date,
    categories: frozenset[str],
    victims: Sequence[tuple[str, bool]],
    suspects_pool: list[tuple[str, bool]],
    suspect_count: int,
) -> dict[str, Any]:
    if unit == "LINEA-0800":
        origin = Origin.HOTLINE
    elif unit == "DIVINTRAP" and rng.random() < 0.3:
        origin = Origin.OTHER_AGENCY
    else:
        origin = Origin.STATION
    if unit in ("LINEA-0800", "DIVINTRAP"):
        department = rng.choice(NATIONAL_DEPARTMENTS)
        ubigeo = rng.choice(context["districts"][department])
    else:
        directorate = unit.rsplit("-CPNP-", 1)[0]
        own = context["unit_districts"][unit]
        if rng.random() < 0.7 and own:
            ubigeo = own
        else:
            ubigeo = rng.choice(context["districts"][rng.choice(context["jurisdiction"][directorate])])

    purposes = sorted({rng.choice(PURPOSES[category]) for category in categories if category in PURPOSES})
    main = sorted(categories)[0] if categories else "unassigned"
    related = ["hands_over_for_sex"] if "sexual_exploitation" in categories and rng.random() < 0.2 else []
    people = []
    for sex, minor in victims:
        age = rng.randrange(10, 18) if minor else rng.randrange(18, 36)
        people.append({"sex": sex, "age": age, "minor": None, "nationality": rng.choice(NATIONALITIES)})
    suspects = []
    for _ in range(suspect_count):
        sex, identified = suspects_pool.pop()
        name = None
        if identified:
            first = rng.choice(FIRST_NAMES_M if sex == "M" else FIRST_NAMES_F)
            name = f"{first} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
        suspects.append({"sex": sex, "identified": identified, "name": name})
    described = " y ".join(DESCRIPTIONS[category] for category in sorted(categories)) or "hechos por calificar"
    record = {
        "number": "",  # numbered in registration order (`_year_records`)
        "registering_unit": unit,
        "origin": origin,
        "registered_at": registered_at.isoformat(timespec="seconds"),
        "date_of_facts": facts_date.isoformat(),
        "place": {"ubigeo": ubigeo, "address": "", "kind": rng.choice(PLACE_KINDS[main])},
        "victims": people,
        "suspects": suspects,
        "conducts": list(rng.choice(CONDUCTS)),
        "means": list(rng.choice(MEANS)),
        "purposes": purposes,
        "case_facts": ["criminal_organisation"] if rng.random() < 0.1 else [],
        "related_facts": related,
        "narrative": (
            "Caso de demostración que reproduce las cifras publicadas por el sistema RETA original "
            f"(2004-2011): {described}."
        ),
    }
    if origin == Origin.OTHER_AGENCY:
        record["other_agency_name"] = rng.choice(("Ministerio Público", "Defensoría del Pueblo", "CHS Alternativo"))
    return record


def _context() -> dict[str, Any]:
    districts: dict[str, list[str]] = {}
    for code, department in District.objects.order_by("code").values_list("code", "department_id"):
        districts.setdefault(department, []).append(code)
    jurisdiction = {
        unit.code: sorted(unit.jurisdiction.values_list("code", flat=True))
        for unit in Unit.objects.filter(code__in=TABLE1_COLUMNS[2:])
    }
    stations = {column: _stations(column) for column in TABLE1_COLUMNS[2:]}
    unit_districts = dict(
        Unit.objects.filter(code__in=[code for codes in stations.values() for code in codes[:2]]).values_list(
            "code", "district_id"
        )
    )
    return {
        "districts": districts,
        "jurisdiction": jurisdiction,
        "stations": stations,
        "unit_districts": unit_districts,
    }


def demo_records() -> Iterator[dict[str, Any]]:
    """The 535 records of 2004-2011 in the import format, year by year, in registration order."""
    context = _context()
    for year in YEARS:
        yield from _year_records(year, context)


# ---------------------------------------------------------------- this year's complaints


@dataclass(frozen=True)
class Recent:
    """A complaint of this year, filed on screen by a demo account."""

    username: str
    days_ago: int
    origin: str
    ubigeo: str
    address: str
    place_kind: str
    purposes: tuple[str, ...]
    victim: tuple[str, str, str, int]  # first names, last names, sex, age
    recruited_in: tuple[str, str] | None = None  # the route's recruitment place: ubigeo, address


RECENT: tuple[Recent, ...] = (
    Recent(
        "oficial.cusco",
        9,
        Origin.STATION,
        "170101",
        "Av. León Velarde 1020, bar «El Dorado»",
        PlaceKind.BAR_NIGHTCLUB,
        ("prostitution",),
        ("Lucía", "Condori Apaza", "F", 16),
        ("080101", "Paradero de la Av. El Sol, Cusco (aviso de empleo en un diario)"),
    ),
    Recent(
        "oficial.cusco",
        4,
        Origin.STATION,
        "080101",
        "Terminal terrestre, Av. Velasco Astete s/n",
        PlaceKind.TRANSPORT,
        ("forced_labour",),
        ("Edwin", "Ccama Pari", "M", 17),
    ),
    Recent(
        "operador.0800",
        2,
        Origin.HOTLINE,
        "150101",
        "Jr. Ica 455, Cercado de Lima",
        PlaceKind.HOTEL,
        ("prostitution",),
        ("María", "Ticona Flores", "F", 24),
    ),
    Recent(
        "oficial.lima",
        1,
        Origin.STATION,
        "150101",
        "Mercado Central, Jr. Ayacucho",
        PlaceKind.MARKET,
        ("begging",),
        ("Luz", "Apaza Choque", "F", 11),
    ),
)


def _recent_data(today: datetime.date, recent: Recent) -> ComplaintData:
    first, last, sex, age = recent.victim
    return ComplaintData(
        origin=recent.origin,
        facts_date=today - datetime.timedelta(days=recent.days_ago),
        place_district=District.objects.get(code=recent.ubigeo),
        place_address=recent.address,
        place_kind=recent.place_kind,
        complainant_anonymous=True,
        narrative="Caso de demostración: la víctima fue captada con una falsa oferta de trabajo y trasladada.",
        responsible_officer="S3 PNP Rosa Huamán Quispe",
        conducts=["recruitment", "transfer"],
        means=["deception"],
        purposes=list(recent.purposes),
        victims=[VictimData(first_names=first, last_names=last, sex=sex, age=age, nationality="PE")],
        suspects=[SuspectData(alias="La Tía", sex="F", approximate_age=45)],
        places=_route(recent),
    )


def _route(recent: Recent) -> list[PlaceData]:
    """The Madre de Dios complaint's recruitment in Cusco: Cusco's specialised unit is alerted too
    (complaints.alerts), and opens the demo case file from that alert."""
    if recent.recruited_in is None:
        return []
    ubigeo, address = recent.recruited_in
    district = District.objects.get(code=ubigeo)
    return [PlaceData(role=PlaceRole.RECRUITMENT, district=district, address=address, kind=PlaceKind.STREET)]


def _recent_ensure() -> int:
    """This year's complaints, filed through the real form service (numbered, alerts raised); the
    form token makes a second run find them instead of filing them again."""
    today = timezone.localdate()
    created = 0
    for index, recent in enumerate(RECENT, start=1):
        token = f"demo-recent-{index}"
        if Complaint.objects.filter(form_token=token).exists():
            continue
        actor = User.objects.get(username=recent.username)
        complaint_file(actor=actor, data=_recent_data(today, recent), form_token=token)
        created += 1
    return created


@transaction.atomic
def demo_complaints_ensure() -> dict[str, int]:
    """Load the demo complaints that are missing (needs the demo accounts). Idempotent."""
    actor = User.objects.get(username=DEMO_ADMIN)
    lines = (json.dumps(record, ensure_ascii=False) for record in demo_records())
    report = complaints_import(actor=actor, lines=lines, source="demo 2004-2011")
    if report.errors:  # a bug of this module: the published figures must import cleanly
        raise ValueError("; ".join(str(error) for error in report.errors[:5]))
    return {"imported": len(report.imported), "present": len(report.already_present), "recent": _recent_ensure()}
