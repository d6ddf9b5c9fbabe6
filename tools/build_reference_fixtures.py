#!/usr/bin/env python3
"""Build RETA's reference fixtures from the INEI UBIGEO tables (a developer tool, run by hand).

    python tools/build_reference_fixtures.py [--source DIR] [--output DIR]

Reads `ubigeo_departamento.csv`, `ubigeo_provincia.csv` and `ubigeo_distrito.csv` (jmcastagnetto/
ubigeo-peru-aumentado, MIT) from --source and writes, under --output (the project's `fixtures/`):

- `ubigeo/departments.json`, `ubigeo/provinces.json`, `ubigeo/districts.json`: one object per place,
  keyed by its INEI code (2, 4 and 6 digits);
- `units.json`: the unit tree of the design document UNITS.md, parents before children.

The product never reads the CSV files: `manage.py load_reference_data` loads the JSON written here,
which is committed. No Django import: this runs with any Python 3.11.

Choices made on the source data (see also the report printed at the end):
- `name` keeps the CSV's upper-case name unchanged; `display_name` is that name title-cased in
  Spanish style (lower-case particles de/del/la/las/los/y, except as first word), with accents and
  "ñ" taken from a *whole-name* accent-insensitive match among the place's own capital, the
  capitals of the places around it, or the parent's display name (department names: the five
  accented ones are spelt out below). Nothing is guessed word by word.
- `capital` is the CSV's capital unchanged (whitespace collapsed: two capitals wrap over two lines);
  "NA" becomes null, and so do unknown coordinates ("NA").
- One district of the CSV has no INEI code ("NA"): San Antonio, Mariscal Nieto, Moquegua (RENIEC
  170107), created in 2021; INEI gives it 180107, the next free code of its province (listed in
  INEI_CODE_FOR_MISSING below).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

DEFAULT_SOURCE = Path("/work/shared/data/ubigeo")
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "fixtures"

# (department, province, district) as in the CSV -> INEI code, for rows whose `inei` is "NA".
INEI_CODE_FOR_MISSING = {("MOQUEGUA", "MARISCAL NIETO", "SAN ANTONIO"): "180107"}

# Department names whose accents cannot be read from any capital.
DEPARTMENT_DISPLAY_NAMES = {
    "02": "Áncash",
    "03": "Apurímac",
    "10": "Huánuco",
    "12": "Junín",
    "22": "San Martín",
}

PARTICLES = {"de", "del", "la", "las", "los", "y"}

# The unit tree above the territorial directorates (UNITS.md).
NATIONAL_UNITS = [
    ("MININTER", "Ministerio del Interior", "ministry", None),
    ("SPDH", "Secretaría Permanente de la Comisión Nacional de Derechos Humanos", "monitoring", "MININTER"),
    ("LINEA-0800", "Línea 0800-23232 contra la trata de personas", "hotline", "SPDH"),
    ("PNP", "Policía Nacional del Perú", "police", "MININTER"),
    ("DIRINCRI", "Dirección de Investigación Criminal y Apoyo a la Justicia", "directorate", "PNP"),
    ("DIVINTRAP", "División de Investigación de Trata de Personas", "national_specialised", "DIRINCRI"),
]

# code, name (UNITS.md), seat (city), departments of its jurisdiction (INEI), district of the seat.
# The seat district is the district whose capital is the seat: checked against the CSV below.
TERRITORIAL_DIRECTORATES = [
    ("DIRTEPOL-PIURA", "I DIRTEPOL Piura", "Piura", ["20"], "200101"),
    ("DIRTEPOL-CHICLAYO", "II DIRTEPOL Chiclayo", "Chiclayo", ["14"], "140101"),
    ("DIRTEPOL-TRUJILLO", "III DIRTEPOL La Libertad", "Trujillo", ["13"], "130101"),
    ("DIRTEPOL-TARAPOTO", "IV DIRTEPOL Tarapoto", "Tarapoto", ["22", "01"], "220901"),
    ("DIRTEPOL-IQUITOS", "V DIRTEPOL Iquitos", "Iquitos", ["16"], "160101"),
    ("DIRTEPOL-PUCALLPA", "VI DIRTEPOL Pucallpa", "Pucallpa", ["25"], "250101"),
    ("DIRTEPOL-LIMA", "VII DIRTEPOL Lima", "Lima", ["15"], "150101"),
    ("DIRTEPOL-HUANCAVELICA", "DIRTEPOL Huancavelica", "Huancavelica", ["09"], "090101"),
    ("DIRTEPOL-HUANCAYO", "VIII DIRTEPOL Junín (Huancayo)", "Huancayo", ["12"], "120101"),
    ("DIRTEPOL-AYACUCHO", "IX DIRTEPOL Ayacucho", "Ayacucho", ["05"], "050101"),
    ("DIRTEPOL-MADRE-DE-DIOS", "DIRTEPOL Madre de Dios", "Puerto Maldonado", ["17"], "170101"),
    ("DIRTEPOL-CUSCO", "X DIRTEPOL Cusco", "Cusco", ["08"], "080101"),
    ("DIRTEPOL-AREQUIPA", "XI DIRTEPOL Arequipa", "Arequipa", ["04"], "040101"),
    ("DIRTEPOL-PUNO", "XII DIRTEPOL Puno", "Puno", ["21"], "210101"),
    ("DIRTEPOL-HUARAZ", "XIII DIRTEPOL Huaraz", "Huaraz", ["02"], "020101"),
    ("DIRTEPOL-CAJAMARCA", "XIV DIRTEPOL Cajamarca", "Cajamarca", ["06"], "060101"),
    ("DIRTEPOL-ICA", "XV DIRTEPOL Ica", "Ica", ["11"], "110101"),
    ("DIRTEPOL-APURIMAC", "XVI DIRTEPOL Apurímac", "Abancay", ["03"], "030101"),
    ("DIRTEPOL-PASCO", "XVII DIRTEPOL Pasco", "Cerro de Pasco", ["19"], "190101"),
    ("DIRTEPOL-TUMBES", "XVIII DIRTEPOL Tumbes", "Tumbes", ["24"], "240101"),
    ("DIRTEPOL-HUANUCO", "XIX DIRTEPOL Huánuco", "Huánuco", ["10"], "100101"),
    ("DIRTEPOL-CALLAO", "XX DIRTEPOL Callao", "Callao", ["07"], "070101"),
    ("DIRTEPOL-MOQUEGUA", "DIRTEPOL Moquegua", "Moquegua", ["18"], "180101"),
    ("DIRTEPOL-TACNA", "DIRTEPOL Tacna", "Tacna", ["23"], "230101"),
]

SPECIALISED_UNIT_NAME = "Departamento de Investigación de Trata de Personas — {directorate}"
STATION_NAME = "Comisaría PNP {capital}"

ROMAN_NUMERAL = re.compile(r"^[IVXLC]+\s+")


# --- text helpers -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Upper case without accents (ñ folds to n): for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return None if text in ("", "NA") else unicodedata.normalize("NFC", text)


def spanish_title(name: str) -> str:
    """ "MADRE DE DIOS" -> "Madre de Dios", "RUPA-RUPA" -> "Rupa-Rupa"."""
    words = []
    for index, word in enumerate(name.lower().split()):
        if index and word in PARTICLES:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


def with_accents(titled: str, sources: list[str | None]) -> str:
    """`titled` with the accents of the first source that spells the same name (ignoring accents
    and case), keeping `titled`'s capitalisation. Otherwise `titled` unchanged."""
    for source in sources:
        if not source:
            continue
        source = unicodedata.normalize("NFC", source)
        if len(source) != len(titled) or fold(source) != fold(titled):
            continue
        return "".join(_accented(t, s) for t, s in zip(titled, source, strict=True))
    return titled


def _accented(mine: str, theirs: str) -> str:
    """`theirs` in `mine`'s case, unless `mine` already carries a mark `theirs` lacks."""
    if not mine.isascii() and theirs.isascii():
        return mine
    return theirs.upper() if mine.isupper() else theirs.lower()


def coordinate(value: str | None) -> float | None:
    value = clean(value)
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- geography ----------------------------------------------------------------------------------


def build_geography(source: Path) -> tuple[list[dict], list[dict], list[dict], list[str]]:
    notes: list[str] = []
    department_rows = read_csv(source / "ubigeo_departamento.csv")
    province_rows = read_csv(source / "ubigeo_provincia.csv")
    district_rows = read_csv(source / "ubigeo_distrito.csv")

    for row in district_rows:
        if row["inei"] == "NA":
            key = (row["departamento"], row["provincia"], row["distrito"])
            if key not in INEI_CODE_FOR_MISSING:
                raise SystemExit(f"District without INEI code and no entry in INEI_CODE_FOR_MISSING: {key}")
            row["inei"] = INEI_CODE_FOR_MISSING[key]
            notes.append(f"district {' / '.join(key)} had no INEI code: given {row['inei']}")

    district_capitals_by_province: dict[str, list[str]] = {}
    for row in district_rows:
        district_capitals_by_province.setdefault(row["inei"][:4], []).append(clean(row["capital"]))

    departments = []
    for row in department_rows:
        code = row["inei"][:2]
        titled = spanish_title(row["departamento"])
        departments.append(
            {
                "code": code,
                "name": row["departamento"],
                "display_name": DEPARTMENT_DISPLAY_NAMES.get(code) or with_accents(titled, [clean(row["capital"])]),
                "capital": clean(row["capital"]),
                "latitude": coordinate(row["latitude"]),
                "longitude": coordinate(row["longitude"]),
            }
        )
    department_names = {d["code"]: d["display_name"] for d in departments}

    provinces = []
    for row in province_rows:
        code = row["inei"][:4]
        titled = spanish_title(row["provincia"])
        sources = [clean(row["capital"]), *district_capitals_by_province.get(code, []), department_names[code[:2]]]
        provinces.append(
            {
                "code": code,
                "department": code[:2],
                "name": row["provincia"],
                "display_name": with_accents(titled, sources),
                "capital": clean(row["capital"]),
                "latitude": coordinate(row["latitude"]),
                "longitude": coordinate(row["longitude"]),
            }
        )
    province_names = {p["code"]: p["display_name"] for p in provinces}

    districts = []
    for row in district_rows:
        code = row["inei"]
        titled = spanish_title(row["distrito"])
        sources = [
            clean(row["capital"]),
            province_names[code[:4]],
            department_names[code[:2]],
            *district_capitals_by_province[code[:4]],
        ]
        district = {
            "code": code,
            "province": code[:4],
            "department": code[:2],
            "name": row["distrito"],
            "display_name": with_accents(titled, sources),
            "capital": clean(row["capital"]),
            "latitude": coordinate(row["latitude"]),
            "longitude": coordinate(row["longitude"]),
        }
        if district["latitude"] is None or district["longitude"] is None:
            notes.append(f"district {code} {row['distrito']}: no coordinates in the source")
        districts.append(district)

    departments.sort(key=lambda d: d["code"])
    provinces.sort(key=lambda p: p["code"])
    districts.sort(key=lambda d: d["code"])
    check_geography(departments, provinces, districts)
    return departments, provinces, districts, notes


def check_geography(departments: list[dict], provinces: list[dict], districts: list[dict]) -> None:
    for label, rows, width in (("department", departments, 2), ("province", provinces, 4), ("district", districts, 6)):
        codes = [r["code"] for r in rows]
        if len(set(codes)) != len(codes):
            raise SystemExit(f"duplicate {label} codes")
        if any(len(c) != width or not c.isdigit() for c in codes):
            raise SystemExit(f"malformed {label} code")
    department_codes = {d["code"] for d in departments}
    province_codes = {p["code"] for p in provinces}
    if any(p["department"] not in department_codes for p in provinces):
        raise SystemExit("province of an unknown department")
    if any(d["province"] not in province_codes for d in districts):
        raise SystemExit("district of an unknown province")
    if {d["province"] for d in districts} != province_codes:
        raise SystemExit("province without districts")


# --- units --------------------------------------------------------------------------------------


def unit(code: str, name: str, kind: str, parent: str | None, district: str | None = None, **extra: object) -> dict:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "parent": parent,
        "district": district,
        "jurisdiction": extra.get("jurisdiction", []),
        "is_representative": extra.get("is_representative", False),
    }


def station_district(province: dict, districts_of_province: list[dict]) -> tuple[str, str]:
    """The district of the province's capital: the district named like the capital, else the one
    whose capital is the province's capital, else <province>01. Returns (code, how)."""
    capital = fold(province["capital"] or "")
    by_name = [d for d in districts_of_province if fold(d["name"]) == capital]
    if len(by_name) == 1:
        return by_name[0]["code"], "name"
    by_capital = [d for d in districts_of_province if fold(d["capital"] or "") == capital]
    if len(by_capital) == 1:
        return by_capital[0]["code"], "capital"
    return f"{province['code']}01", "fallback"


def build_units(provinces: list[dict], districts: list[dict]) -> tuple[list[dict], list[str]]:
    notes: list[str] = []
    district_by_code = {d["code"]: d for d in districts}
    districts_by_province: dict[str, list[dict]] = {}
    for d in districts:
        districts_by_province.setdefault(d["province"], []).append(d)

    units = [unit(code, name, kind, parent) for code, name, kind, parent in NATIONAL_UNITS]
    covered: list[str] = []
    how_counts = {"name": 0, "capital": 0, "fallback": 0}
    for code, name, seat, department_codes, seat_district in TERRITORIAL_DIRECTORATES:
        seat_row = district_by_code[seat_district]
        if fold(seat_row["capital"] or "") != fold(seat) or seat_district[:2] not in department_codes:
            raise SystemExit(f"{code}: district {seat_district} is not the seat {seat}")
        covered.extend(department_codes)
        units.append(
            unit(code, name, "territorial_directorate", "PNP", seat_district, jurisdiction=sorted(department_codes))
        )
        units.append(
            unit(
                f"{code}-TRATA",
                SPECIALISED_UNIT_NAME.format(directorate=ROMAN_NUMERAL.sub("", name)),
                "regional_specialised",
                code,
                seat_district,
            )
        )
        own_provinces = sorted((p for p in provinces if p["department"] in department_codes), key=lambda p: p["code"])
        for number, province in enumerate(own_provinces, start=1):
            district_code, how = station_district(province, districts_by_province[province["code"]])
            how_counts[how] += 1
            if how != "name":
                notes.append(
                    f"{code}-CPNP-{number}: capital {province['capital']!r} of province {province['code']} "
                    f"found by {how} -> district {district_code} {district_by_code[district_code]['name']}"
                )
            units.append(
                unit(
                    f"{code}-CPNP-{number}",
                    STATION_NAME.format(capital=province["capital"]),
                    "station",
                    code,
                    district_code,
                    is_representative=True,
                )
            )
    if sorted(covered) != sorted({p["department"] for p in provinces}) or len(covered) != len(set(covered)):
        raise SystemExit("the directorates' jurisdictions must cover every department exactly once")
    notes.append(f"station districts: {how_counts}")
    return units, notes


# --- output -------------------------------------------------------------------------------------


def write_json(path: Path, rows: list[dict]) -> None:
    """One object per line: compact, and a change shows as a one-line diff."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the UBIGEO CSV files")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the project's fixtures folder")
    args = parser.parse_args(argv)

    departments, provinces, districts, notes = build_geography(args.source)
    units, unit_notes = build_units(provinces, districts)
    write_json(args.output / "ubigeo" / "departments.json", departments)
    write_json(args.output / "ubigeo" / "provinces.json", provinces)
    write_json(args.output / "ubigeo" / "districts.json", districts)
    write_json(args.output / "units.json", units)

    for note in notes + unit_notes:
        print(f"note: {note}")
    kinds: dict[str, int] = {}
    for u in units:
        kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
    print(
        f"wrote {args.output}: {len(departments)} departments, {len(provinces)} provinces, "
        f"{len(districts)} districts, {len(units)} units {kinds}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
