"""The HTCDS export as CSV and XLSX (openpyxl), with its notes: the attribution of the standard,
what the export covers (period, scope), k, the generalisations applied and the records suppressed.

CSV: the notes first, as (label, value) lines like every RETA export, a blank line, then the
header of column names (HTCDS system names; RETA's extras named reta_...) and the records.
XLSX: a sheet "records" (the header and the records only, ready for a tool), a sheet "notes" and a
sheet "fields" (every column: HTCDS field or RETA extra, label, picklist). Every text cell is
neutralised against formula injection (SECURITY.md 20).

Only coded values are written: the rows come from htcds.anonymity, built from codes.

May import: reta.exports, htcds (anonymity, mapping, standard). No query.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from htcds.anonymity import QUASI_IDENTIFIERS, Anonymised
from htcds.mapping import COLUMN_NAMES, COLUMNS, SEPARATOR
from htcds.standard import ATTRIBUTION, core_fields
from reta.exports import neutralise

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

QUASI_LABELS = {
    "age": _("Age band"),
    "sex": _("Sex"),
    "nationality": _("Nationality"),
    "department": _("Department of the facts"),
    "year": _("Year of registration"),
}
LEVEL_LABELS = {
    "age_band": _("as recorded (0-13, 14-17, 18-24, 25-34, 35+)"),
    "age_band_wide": _("generalised to wider bands (0-17, 18-34, 35+)"),
    "minor_or_adult": _("generalised to minor or adult (0-17, 18+)"),
    "sex": _("as recorded"),
    "country": _("as recorded"),
    "country_pe_ve_only": _("generalised: Peru and Venezuela kept, other nationalities left blank"),
    "department": _("as recorded"),
    "macro_region": _("generalised to the macro-region (Norte, Centro, Sur, Oriente, Lima y Callao)"),
    "country_only": _("generalised away (left blank)"),
    "year": _("as recorded"),
    "five_year_period": _("generalised to five-year periods"),
    "whole_period": _("generalised to the whole period"),
}
# The RETA extras, for the "fields" sheet and the page.
EXTRA_LABELS = {
    "reta_AgeBand": _("Age band at the time of the facts (RETA extra)"),
    "reta_CitizenshipCode": _("Citizenship as an ISO 3166 code, HTCDS Country Code picklist (RETA extra)"),
    "reta_DepartmentOfFacts": _("Department (or macro-region) of the facts in Peru (RETA extra)"),
    "reta_YearOfRegistration": _("Year (or period) the complaint was registered (RETA extra)"),
}


@dataclass(frozen=True)
class Covered:
    """What an export covers, for its notes."""

    year_from: int
    year_to: int
    scope: str


def column_rows() -> list[tuple[str, str, str]]:
    """Each column: its name, its label (HTCDS's English label, or RETA's), its picklist or ""."""
    labels = core_fields()
    return [
        (
            column.name,
            labels[column.name] if column.htcds else str(EXTRA_LABELS[column.name]),
            column.picklist or "",
        )
        for column in COLUMNS
    ]


def generalisations(result: Anonymised) -> list[tuple[str, str]]:
    """Each quasi-identifier and what the export keeps of it."""
    names = result.level_names()
    return [(str(QUASI_LABELS[qi]), str(LEVEL_LABELS[names[qi]])) for qi in QUASI_IDENTIFIERS]


def notes(result: Anonymised, covered: Covered, *, generated_by: Any = None) -> list[tuple[str, str]]:
    items = [
        (gettext("Export"), gettext("Victim-level records in the vocabulary of the HTCDS v2")),
        (gettext("Attribution"), ATTRIBUTION),
        (gettext("Period (year of registration)"), f"{covered.year_from}-{covered.year_to}"),
        (gettext("Scope"), covered.scope),
        (gettext("Records"), gettext("victims of complaints classified as trafficking (possible victims)")),
        (gettext("Victims in the period"), str(result.total)),
        (gettext("Records exported"), str(len(result.rows))),
        (gettext("Records suppressed (k-anonymity)"), str(result.suppressed)),
        (gettext("k-anonymity"), gettext("k = {k} on age band, sex, nationality, department, year").format(k=result.k)),
    ]
    items += [(gettext("Generalised: {name}").format(name=name), level) for name, level in generalisations(result)]
    items += [
        (
            gettext("Several values in a cell"),
            gettext('separated by "{separator}"').format(separator=SEPARATOR.strip()),
        ),
        (gettext("Personal data"), gettext("no names, documents, addresses or free text; codes only")),
        (gettext("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S %Z")),
    ]
    if generated_by is not None:
        items.append((gettext("Generated by"), generated_by.get_username()))
    return items


def filename(covered: Covered, fmt: str) -> str:
    return f"reta-htcds-{covered.year_from}-{covered.year_to}.{fmt}"


def records(result: Anonymised) -> list[list[str]]:
    return [[row[name] for name in COLUMN_NAMES] for row in result.rows]


def csv_lines(
    result: Anonymised, covered: Covered, *, generated_by: Any = None
) -> tuple[list[str], Iterable[list[Any]]]:
    """The first line and the others: the notes, a blank line, the header and the records."""
    items = notes(result, covered, generated_by=generated_by)
    lines: list[list[Any]] = [[label, value] for label, value in items[1:]]
    lines.append([])
    lines.append(list(COLUMN_NAMES))
    lines += records(result)
    return [items[0][0], items[0][1]], lines


def render_htcds_xlsx(result: Anonymised, covered: Covered, *, generated_by: Any = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = "records"
    sheet.append(list(COLUMN_NAMES))
    for cell in sheet[1]:
        cell.font = bold
    for row in records(result):
        sheet.append([neutralise(cell) for cell in row])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMN_NAMES, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(14, len(name) + 2)

    sheet = workbook.create_sheet("notes")
    for label, value in notes(result, covered, generated_by=generated_by):
        sheet.append([neutralise(label), neutralise(value)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 90

    sheet = workbook.create_sheet("fields")
    sheet.append([gettext("Column"), gettext("Label"), gettext("HTCDS picklist")])
    for cell in sheet[1]:
        cell.font = bold
    for row in column_rows():
        sheet.append([neutralise(cell) for cell in row])
    for letter, width in (("A", 40), ("B", 70), ("C", 45)):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
