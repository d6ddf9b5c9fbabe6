"""Legacy import: complaints of the original system, one JSON object per line (issue 5, point 1).

A line looks like this (codes as in LAW.md; every field on one line in the real file)::

    {"number": "DIRTEPOL-CUSCO-CPNP-1-2010-000012", "registering_unit": "DIRTEPOL-CUSCO-CPNP-1",
     "origin": "station", "registered_at": "2010-05-03T10:15:00", "date_of_facts": "2010-04-28",
     "place": {"ubigeo": "080101", "address": "Av. El Sol 100"},
     "victims": [{"sex": "F", "age": 16, "minor": null, "nationality": "PE"}],
     "suspects": [{"sex": "M", "identified": true, "name": "Juan Pérez"}],
     "conducts": ["recruitment"], "means": ["deception"], "purposes": ["prostitution"],
     "case_facts": [], "related_facts": [], "narrative": "..."}

Optional besides: ``other_agency_name`` (required by the service when the origin is
``other_agency``), ``paper_serial``, ``responsible_officer``, ``place.kind`` (a kind-of-place code),
and the victims' flags of LAW.md (``pregnant``, ``disability``, ``legally_incapable``, ``consented``).
``registered_at`` without a UTC offset is a time in America/Lima.

How it runs (`complaints_import`):

1. Every line is read and checked first, with the reference data prefetched into dicts (units,
   districts) so that checking costs no query per line. The codes and the victims' and suspects'
   facts go through the rule engine's own reader (``facts_from_dict``), so its Spanish messages are
   the ones reported. Each bad line is reported with its number and reason.
2. A number already in the database is skipped and counted as *already present*: importing the
   same file twice imports nothing the second time. A number repeated inside the file is an error.
3. When a line is bad, nothing is imported unless ``skip_invalid`` is given.
4. The valid new records are written in ONE transaction through
   ``services.complaint_register_imported`` (classified with the profile of the date of the facts,
   frozen, keeping their own number and registration time, no alerts): a failure half-way leaves
   nothing. The units' rows are locked first, in primary-key order (``administration.numbering``),
   and a deadlock runs the whole transaction again (``reta.transactions``). Each record writes its
   history rows and a ``complaint_imported`` audit event; a file that imported something writes
   one ``complaints_import`` event with the counts.
5. A number in the format of RETA's own numbering (``<unit>-<year>-<n>``) moves that unit's counter
   for that year past ``n``, so that a complaint registered later never gets an imported number.

Cost, on SQLite (November 2026): checking 10,000 lines takes about a second; writing them takes what
the service takes per record (about 18 ms, some 44 queries with its history rows, audit event and
statistics rows), so about three minutes for 10,000. A file already imported is read and skipped
in about two seconds.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from administration import numbering
from administration.catalogues import catalogue_codes
from administration.models import Catalogue as EditableCatalogue
from administration.models import District, Unit, User
from audit.context import request_id_scope
from audit.events import AuditEventType
from audit.services import audit_record
from complaints.catalogues import Origin
from complaints.models import Complaint
from complaints.rules import FactsError, facts_from_dict
from complaints.services import (
    ComplaintData,
    ComplaintError,
    SuspectData,
    VictimData,
    complaint_register_imported,
    validate_for_submission,
)
from reta.transactions import run_with_retries

LIMA = ZoneInfo("America/Lima")

REQUIRED_FIELDS = ("number", "registering_unit", "origin", "registered_at", "date_of_facts", "place", "victims")
CODE_FIELDS = ("conducts", "means", "purposes", "case_facts", "related_facts")
OPTIONAL_FIELDS = ("suspects", *CODE_FIELDS, "narrative", "other_agency_name", "paper_serial", "responsible_officer")
RECORD_FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)
PLACE_FIELDS = ("ubigeo", "address", "kind")

# Units that never register a complaint themselves (the tree's upper nodes).
NON_REGISTERING_KINDS = frozenset({Unit.Kind.MINISTRY, Unit.Kind.MONITORING, Unit.Kind.POLICE})

# Surname particles: a name holding one is split by no rule of thumb ("María de la Cruz").
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "san", "santa", "da", "di", "van", "von"})
_MAX = {"number": 80, "address": 300, "name": 120, "other_agency_name": 200, "paper_serial": 40, "officer": 200}


class RecordError(Exception):
    """One line cannot be imported; the message (Spanish) says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Línea {self.line}: {self.message}"


@dataclass
class ImportRecord:
    """A checked line, ready for `complaint_register_imported`."""

    line: int
    number: str
    unit: Unit
    registered_at: datetime.datetime
    data: ComplaintData


@dataclass
class ImportReport:
    lines: int = 0  # non-blank lines read
    imported: list[str] = field(default_factory=list)  # numbers
    already_present: list[str] = field(default_factory=list)  # numbers skipped
    errors: list[LineError] = field(default_factory=list)

    @property
    def nothing_imported_because_of_errors(self) -> bool:
        return bool(self.errors) and not self.imported


@dataclass
class Catalogue:
    """The reference data a file is checked against, read once."""

    units: dict[str, Unit]
    districts: dict[str, District]
    today: datetime.date
    now: datetime.datetime

    @classmethod
    def load(cls) -> Catalogue:
        now = timezone.now()
        return cls(
            units={unit.code: unit for unit in Unit.objects.all()},
            districts={district.code: district for district in District.objects.all()},
            today=timezone.localdate(now),
            now=now,
        )


# ---------------------------------------------------------------- one line


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _text(raw: Mapping[str, Any], name: str, *, limit: int, label: str | None = None) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"«{label or name}» debe ser un texto; se recibió {_shown(value)}.")
    value = value.strip()
    if len(value) > limit:
        raise RecordError(f"«{label or name}» tiene {len(value)} caracteres; el máximo es {limit}.")
    return value


def _registered_at(value: object, catalogue: Catalogue) -> datetime.datetime:
    if not isinstance(value, str):
        raise RecordError(f"«registered_at» debe ser una fecha y hora ISO 8601; se recibió {_shown(value)}.")
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(
            f"«registered_at»: {_shown(value)} no es una fecha y hora ISO 8601 válida "
            "(p. ej. 2010-05-03T10:15:00 o 2010-05-03T10:15:00-05:00)."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LIMA)
    if moment > catalogue.now:
        raise RecordError(f"«registered_at»: la fecha de registro ({value}) es posterior a este momento.")
    return moment


def split_name(name: str) -> tuple[str, str]:
    """(first_names, last_names) of a full name, and the whole name in first_names when unsure.

    "QUISPE MAMANI, Juan Carlos" -> ("Juan Carlos", "QUISPE MAMANI"): the comma says it.
    Four words or more with no particle: the last two are the surnames (Peruvian usage, paternal and
    maternal). Fewer words, or a particle ("de la Cruz"), is ambiguous: all of it in first_names.
    """
    name = " ".join(name.split())
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        if first and last:
            return first, last
        return (first or last), ""
    words = name.split(" ")
    if len(words) >= 4 and not any(word.casefold() in _PARTICLES for word in words):
        return " ".join(words[:-2]), " ".join(words[-2:])
    return name, ""


def _suspect(number: int, raw: Mapping[str, Any], identified: bool | None, name: str | None) -> SuspectData:
    where = f"Presunto tratante {number}"
    name = (name or "").strip()
    if identified is False and name:
        raise RecordError(f"{where}: «identified» es falso pero tiene nombre ({_shown(name)}).")
    if identified is True and not name:
        raise RecordError(f"{where}: «identified» es verdadero pero falta «name».")
    first, last = split_name(name) if name else ("", "")
    if len(first) > _MAX["name"] or len(last) > _MAX["name"]:
        raise RecordError(
            f"{where}: «name» es demasiado largo (máximo {_MAX['name']} caracteres por nombres y apellidos)."
        )
    return SuspectData(first_names=first, last_names=last, sex=raw.get("sex") or "")


def parse_record(raw: object, *, catalogue: Catalogue) -> tuple[str, Unit, datetime.datetime, ComplaintData]:
    """Check one decoded line; `RecordError` (Spanish message) at the first problem."""
    if not isinstance(raw, Mapping):
        raise RecordError(f"cada línea debe ser un objeto JSON; se recibió {_shown(raw)[:60]}.")
    unknown = sorted(str(key) for key in raw if key not in RECORD_FIELDS)
    if unknown:
        raise RecordError(
            f"campo desconocido {', '.join(f'«{key}»' for key in unknown)}. Campos válidos: {', '.join(RECORD_FIELDS)}."
        )
    missing = [name for name in REQUIRED_FIELDS if raw.get(name) in (None, "")]
    if missing:
        raise RecordError(f"falta {', '.join(f'«{name}»' for name in missing)}.")

    number = _text(raw, "number", limit=_MAX["number"])
    if not number or any(char.isspace() for char in number):
        raise RecordError(f"«number» no puede estar vacío ni tener espacios; se recibió {_shown(raw['number'])}.")

    unit_code = raw["registering_unit"]
    unit = catalogue.units.get(unit_code) if isinstance(unit_code, str) else None
    if unit is None:
        raise RecordError(f"unidad desconocida en «registering_unit»: {_shown(unit_code)}.")
    if unit.kind in NON_REGISTERING_KINDS:
        raise RecordError(f"la unidad {unit.code} ({unit.get_kind_display()}) no registra denuncias.")

    origin = raw["origin"]
    if origin not in Origin.values:
        raise RecordError(f"«origin» desconocido: {_shown(origin)}. Valores válidos: {', '.join(Origin.values)}.")

    registered_at = _registered_at(raw["registered_at"], catalogue)

    place = raw["place"]
    if not isinstance(place, Mapping):
        raise RecordError(f"«place» debe ser un objeto con «ubigeo» y «address»; se recibió {_shown(place)}.")
    unknown = sorted(str(key) for key in place if key not in PLACE_FIELDS)
    if unknown:
        raise RecordError(f"«place»: campo desconocido {', '.join(f'«{key}»' for key in unknown)}.")
    ubigeo = place.get("ubigeo")
    district = catalogue.districts.get(ubigeo) if isinstance(ubigeo, str) else None
    if district is None:
        raise RecordError(f"ubigeo desconocido en «place»: {_shown(ubigeo)} (se espera un distrito del INEI).")
    address = _text(place, "address", limit=_MAX["address"], label="place.address")
    place_kind = place.get("kind") or ""
    known_kinds = catalogue_codes(EditableCatalogue.PLACE_KIND)
    if place_kind and place_kind not in known_kinds:
        raise RecordError(f"«place.kind» desconocido: {_shown(place_kind)}. Valores válidos: {', '.join(known_kinds)}.")

    if not isinstance(raw["victims"], list):
        raise RecordError(f"«victims» debe ser una lista; se recibió {_shown(raw['victims'])}.")
    suspects_raw = raw.get("suspects") or []
    try:
        facts = facts_from_dict(
            {
                "date_of_facts": raw["date_of_facts"],
                "victims": raw["victims"],
                "suspects": suspects_raw,
                **{name: raw.get(name) for name in CODE_FIELDS},
            },
            today=catalogue.today,
        )
    except FactsError as error:
        raise RecordError(str(error)) from None
    registered_on = timezone.localdate(registered_at, LIMA)
    if registered_on < facts.date_of_facts:
        raise RecordError(
            f"la fecha de registro ({registered_on.isoformat()}) es anterior a la fecha de los hechos "
            f"({facts.date_of_facts.isoformat()})."
        )

    victims = []
    for position, victim in enumerate(facts.victims, start=1):
        if victim.age is not None and victim.minor is not None and victim.minor != (victim.age < 18):
            raise RecordError(
                f"Víctima {position}: la edad ({victim.age}) contradice «minor» ({_shown(victim.minor)})."
            )
        victims.append(
            VictimData(
                sex=victim.sex or "",
                age=victim.age,
                minor=victim.minor,
                nationality=victim.nationality or "",
                pregnant=victim.pregnant,
                disability=victim.disability,
                legally_incapable=victim.legally_incapable,
                consented=victim.consented,
            )
        )
    suspects = [
        _suspect(position, raw_suspect, suspect.identified, suspect.name)
        for position, (raw_suspect, suspect) in enumerate(zip(suspects_raw, facts.suspects, strict=True), start=1)
    ]

    data = ComplaintData(
        origin=origin,
        other_agency_name=_text(raw, "other_agency_name", limit=_MAX["other_agency_name"]),
        paper_serial=_text(raw, "paper_serial", limit=_MAX["paper_serial"]),
        facts_date=facts.date_of_facts,
        place_district=district,
        place_address=address,
        place_kind=place_kind,
        narrative=_text(raw, "narrative", limit=100_000),
        responsible_officer=_text(raw, "responsible_officer", limit=_MAX["officer"]),
        # The order of the file, without repetitions.
        **{name: list(dict.fromkeys(raw.get(name) or [])) for name in CODE_FIELDS},
        victims=victims,
        suspects=suspects,
    )
    try:
        validate_for_submission(data, legacy=True)
    except ComplaintError as error:
        raise RecordError(error.message) from None
    return number, unit, registered_at, data


def read_records(lines: Iterable[str], *, catalogue: Catalogue) -> tuple[list[ImportRecord], list[LineError], int]:
    """Every line checked: (valid records, errors, non-blank lines). Blank lines are ignored."""
    records: list[ImportRecord] = []
    errors: list[LineError] = []
    first_line_of: dict[str, int] = {}
    count = 0
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        count += 1
        try:
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as error:
                raise RecordError(f"JSON inválido ({error.msg}, columna {error.colno}).") from None
            number, unit, registered_at, data = parse_record(raw, catalogue=catalogue)
            if number in first_line_of:
                raise RecordError(f"el número {number} está repetido: ya aparece en la línea {first_line_of[number]}.")
        except RecordError as error:
            errors.append(LineError(line_number, error.message))
            continue
        first_line_of[number] = line_number
        records.append(ImportRecord(line_number, number, unit, registered_at, data))
    return records, errors, count


# ---------------------------------------------------------------- the file


def existing_numbers(numbers: Iterable[str], *, chunk: int = 900) -> set[str]:
    """Which of `numbers` are already registered (in chunks: SQLite's limit on query parameters)."""
    numbers = list(numbers)
    found: set[str] = set()
    for start in range(0, len(numbers), chunk):
        found.update(
            Complaint.objects.filter(number__in=numbers[start : start + chunk]).values_list("number", flat=True)
        )
    return found


def counters_advance(highest: Mapping[tuple[int, int], int]) -> None:
    """Move each (unit id, year) counter to at least the number given, never back
    (administration.numbering: the unit rows are locked first, so a submission at the same moment
    waits)."""
    numbering.advance_to(series=numbering.Series.COMPLAINT, highest=highest)


def own_format_sequence(number: str, unit: Unit) -> tuple[int, int] | None:
    """(year, n) when `number` is in RETA's own format for `unit` (`<unit>-<year>-<n>`)."""
    match = re.fullmatch(rf"{re.escape(unit.code)}-(\d{{4}})-(\d+)", number)
    return (int(match.group(1)), int(match.group(2))) if match else None


class ImportAborted(Exception):
    """The transaction was rolled back: nothing of the file was imported."""

    def __init__(self, error: LineError) -> None:
        self.error = error
        super().__init__(str(error))


def _import_records(new: list[ImportRecord], *, actor: User, report: ImportReport, source: str) -> list[str]:
    """Write `new` in the caller's transaction; the numbers imported. The units' rows are locked
    first, all at once in primary-key order (administration.numbering's order): a file's records
    come in any order, and locking each unit as its first record comes would let two imports, or
    an import and a registration, wait on each other. Run again whole after a deadlock
    (reta.transactions): it changes nothing outside the database, not even `report`."""
    numbering.lock_units({record.unit.pk for record in new})
    imported: list[str] = []
    highest: dict[tuple[int, int], int] = {}
    for record in new:
        try:
            complaint_register_imported(
                actor=actor,
                registering_unit=record.unit,
                number=record.number,
                registered_at=record.registered_at,
                data=record.data,
            )
        except ComplaintError as error:
            raise ImportAborted(LineError(record.line, error.message)) from error
        sequence = own_format_sequence(record.number, record.unit)
        if sequence is not None:
            key = (record.unit.pk, sequence[0])
            highest[key] = max(highest.get(key, 0), sequence[1])
        imported.append(record.number)
    counters_advance(highest)
    if imported:  # a file that imported nothing records nothing
        audit_record(
            event=AuditEventType.COMPLAINTS_IMPORT,
            actor=actor,
            object_repr=source[:200],
            details={
                "source": source,
                "lines": report.lines,
                "imported": len(imported),
                "already_present": len(report.already_present),
                "invalid": len(report.errors),
                "invalid_lines": [error.line for error in report.errors][:1000],
            },
        )
    return imported


@request_id_scope()
def complaints_import(
    *, actor: User, lines: Iterable[str], source: str = "", skip_invalid: bool = False
) -> ImportReport:
    """Check every line, then import the valid new records in one transaction (see the module doc).

    With errors and no `skip_invalid`, nothing is written and the report lists the errors. Raises
    `ImportAborted` if a record fails while writing (everything is rolled back)."""
    catalogue = Catalogue.load()
    records, errors, count = read_records(lines, catalogue=catalogue)
    report = ImportReport(lines=count, errors=errors)
    if errors and not skip_invalid:
        return report
    present = existing_numbers(record.number for record in records)
    new = [record for record in records if record.number not in present]
    report.already_present = [record.number for record in records if record.number in present]
    report.imported = run_with_retries(_import_records, new, actor=actor, report=report, source=source)
    return report
