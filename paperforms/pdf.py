"""The complaint form on paper (ReportLab): blank carbonless sets with serial numbers, and any
complaint printed as a filled form.

Layout: A4 portrait, two pages per copy, made for a plain office printer printing double-sided.
  - front: registering unit and origin, the facts (date, time, place), the complainant, victims
    and alleged traffickers (rows), the narrative on lines, the responsible officer and signatures;
  - back: the check boxes of the screen form (complaints.rules.codes.GROUPS: conducts, means,
    purposes, aggravating case facts, related facts) with their Spanish label and a short legal
    hint (article + a few words), then lines to continue the narrative.
A blank set is that sheet three times, marked "ORIGINAL — Comisaría", "COPIA 1 — Unidad
especializada", "COPIA 2 — Denunciante"; every page carries the serial, each front its QR code.

A filled complaint uses the same drawing code with the values written in, plus an annex with the
classification (outcome, purposes, aggravating circumstances, related crimes, warnings and the
explanation that cites the articles) and whatever did not fit on the form. Identities are masked
by the privacy rule (`people.privacy`, Spanish words of `privacy.FORM`) as the caller's `view`
(`people.privacy.sight` of the viewer, revealed only after the logged request) shows them:
protected victims show no name (but to investigators after the reveal), adults show initials,
document numbers and contacts are withheld (the filing station sees its complainant), and the
names and documents of the hidden people are replaced in the narrative as well (best effort: a
name written differently in the narrative cannot be recognised). The complainant's copy
(`render_complainant_copy_pdf`) is a one-page receipt through `privacy.COMPLAINANT_COPY`.

Fonts: DejaVu Sans from static/fonts, embedded (subset) so accents print everywhere. Nothing is
fetched from the network. The printed forms are legal documents of the Peruvian police: their
text is Spanish whatever the interface language.

Owns: the rendering of the paper forms (returns bytes; views only wrap them). Imports ReportLab,
`reta.pdf`, `administration.catalogues` (the kinds of place listed: the catalogue's active
entries) and the public, model-free pieces of `complaints` (`catalogues`, the pure
`rules.codes`); a complaint is read by attribute access, and its people through
`complaints.queries.people_of` when a filled form is drawn. Nothing in `complaints` imports it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph, Spacer

from administration.catalogues import Catalogue, catalogue_choices
from complaints.catalogues import DocumentType, Origin, PlaceKind, Sex
from complaints.rules.codes import (
    AGGRAVATIONS_BY_CODE,
    ALERT_LABELS,
    CATEGORY_LABELS,
    DEGREE_LABELS,
    GROUP_LABELS,
    GROUPS,
    OUTCOME_LABELS,
    PURPOSE_CATEGORY,
    RELATED_CRIMES,
    RELATED_CRIMES_BY_CODE,
    WARNING_MESSAGES,
    Element,
)
from people import privacy
from reta.pdf import FONT_DIR

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 10.0, 200.0  # mm
WIDTH = RIGHT - LEFT
FOOTER_TOP = 286.0  # mm from the top: nothing of the form below this line

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
GREY = Color(0.88, 0.88, 0.88)
DARK_GREY = Color(0.35, 0.35, 0.35)

COPIES: tuple[str, ...] = ("ORIGINAL — Comisaría", "COPIA 1 — Unidad especializada", "COPIA 2 — Denunciante")
MASK = "••••••"
WITHHELD = "(reservado)"

_fonts_ready = False


def _register_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    _fonts_ready = True


# --------------------------------------------------------------------------- short legal hints

_SENTENCE_END = re.compile(r"\.\s+(?=[A-ZÁÉÍÓÚÑ¿«])")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_HINT_OVERRIDES = {
    "other_analogous_exploitation": "cláusula abierta de la Ley 30251: solo para hechos desde el 22/10/2014.",
}
_DEGREE_PENALTY = {1: "pena de 12 a 20 años", 2: "pena no menor de 25 años"}
_CRIME_BY_FACT = {crime.fact: crime for crime in RELATED_CRIMES}
MAX_HINT = 170


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def short_hint(group: str, element: Element) -> str:
    """The article and a few words of the legal text, for the printed check box: the first
    sentence of the full hint without its examples, the degree of an aggravating circumstance,
    or the name of the related crime."""
    if group == "case_facts":
        degree = 2 if "segundo grado" in element.hint else 1
        text = f"agravante de {DEGREE_LABELS[degree]} ({_DEGREE_PENALTY[degree]})."
    elif group == "related_facts":
        crime = _CRIME_BY_FACT.get(element.code)
        text = f"{crime.label} (delito afín)." if crime else _first_sentence(element)
    else:
        text = _HINT_OVERRIDES.get(element.code) or _first_sentence(element)
        if text.rstrip(".").casefold() == element.label.casefold() and element.code in PURPOSE_CATEGORY:
            text = f"fin de {CATEGORY_LABELS[PURPOSE_CATEGORY[element.code]]}."
    return _clip(f"Art. {element.article}: {text}", MAX_HINT)


def _first_sentence(element: Element) -> str:
    sentence = _SENTENCE_END.split(element.hint.strip(), maxsplit=1)[0].rstrip(".") + "."
    sentence = _PARENTHESES.sub("", sentence)
    head, colon, rest = sentence.partition(":")
    if colon and len(head) <= 70 and rest.strip():
        sentence = rest.strip()
    return sentence.removeprefix("p. ej., ")


# --------------------------------------------------------------------------- what a filled form holds


@dataclass
class _Values:
    """The values written into the form (empty for a blank set). Keys name the places of the
    layout ("facts_date", "victim.0.name", ...); ticks name check boxes ("conducts.recruitment",
    "victim.0.sex.F", ...)."""

    fields: dict[str, str] = field(default_factory=dict)
    ticks: set[str] = field(default_factory=set)
    narrative: str = ""
    narrative_lines: list[str] | None = None  # wrapped lazily, consumed by the front then the back
    overflow: list[tuple[str, str]] = field(default_factory=list)  # (what, full text) for the annex
    extra_victims: list[str] = field(default_factory=list)
    extra_suspects: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- drawing helpers


class _Sheet:
    """A canvas measured in millimetres from the top-left corner of the page."""

    def __init__(self, canvas: Canvas, values: _Values | None = None) -> None:
        self.c = canvas
        self.values = values

    @staticmethod
    def Y(y: float) -> float:  # noqa: N802 - a coordinate, like X
        return PAGE_H - y * mm

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float = 7,
        *,
        bold: bool = False,
        align: str = "left",
        grey: bool = False,
    ) -> None:
        c = self.c
        c.setFont(BOLD if bold else FONT, size)
        if grey:
            c.setFillColor(DARK_GREY)
        if align == "right":
            c.drawRightString(x * mm, self.Y(y), s)
        elif align == "centre":
            c.drawCentredString(x * mm, self.Y(y), s)
        else:
            c.drawString(x * mm, self.Y(y), s)
        if grey:
            c.setFillColor(black)

    def fit(
        self, x: float, y: float, s: str, w: float, size: float, *, bold: bool = False, align: str = "left"
    ) -> None:
        """Text in at most `w` mm: the type shrinks down to 60 % of `size` to fit."""
        while size > 4 and self.width(s, size, bold=bold) > w:
            size -= 0.25
        self.text(x, y, s, size, bold=bold, align=align)

    def width(self, s: str, size: float, *, bold: bool = False) -> float:
        """The width of `s` in millimetres."""
        return pdfmetrics.stringWidth(s, BOLD if bold else FONT, size) / mm

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.35, *, dotted: bool = False) -> None:
        c = self.c
        c.setLineWidth(width)
        if dotted:
            c.setDash(0.6, 1.2)
        c.line(x1 * mm, self.Y(y1), x2 * mm, self.Y(y2))
        if dotted:
            c.setDash()

    def rect(self, x: float, y: float, w: float, h: float, *, fill: Any = None, width: float = 0.5) -> None:
        c = self.c
        c.setLineWidth(width)
        if fill is not None:
            c.setFillColor(fill)
        c.rect(x * mm, self.Y(y + h), w * mm, h * mm, stroke=1, fill=1 if fill is not None else 0)
        if fill is not None:
            c.setFillColor(black)

    def wrap(self, s: str, size: float, w: float, *, bold: bool = False) -> list[str]:
        return simpleSplit(s, BOLD if bold else FONT, size, w * mm)

    # -- the elements of the form

    def band(self, y: float, title: str, note: str = "") -> float:
        """A section heading; returns the y just below it."""
        self.rect(LEFT, y, WIDTH, 4.6, fill=GREY, width=0.3)
        self.text(LEFT + 1.2, y + 3.4, title, 7.5, bold=True)
        if note:
            self.text(RIGHT - 1.2, y + 3.4, note, 5.8, align="right")
        return y + 4.6

    def box(self, x: float, y: float, key: str | None = None, size: float = 2.8) -> None:
        """A check box whose bottom edge sits on baseline `y` (mm); ticked when `key` is."""
        self.rect(x, y - size + 0.2, size, size, width=0.45)
        if key and self.values is not None and key in self.values.ticks:
            self.text(x + size / 2, y - 0.45, "X", size * 2.55, bold=True, align="centre")

    def option(self, x: float, y: float, label: str, key: str | None = None, size: float = 6.8) -> float:
        """A check box and its label; returns the x after it."""
        self.box(x, y, key)
        self.text(x + 3.6, y, label, size)
        return x + 3.6 + self.width(label, size) + 2.8

    def put(self, key: str, x: float, y: float, w: float, what: str = "", *, size: float = 8.2) -> None:
        """Write the value of `key` at (x, y) within `w` mm: smaller type if needed, else cut,
        and the full text goes to the annex."""
        if self.values is None:
            return
        value = self.values.fields.get(key, "")
        if not value:
            return
        value = " ".join(value.split())
        for candidate in (size, size - 1, size - 2, size - 2.6):
            if self.width(value, candidate) <= w:
                self.text(x, y, value, candidate)
                return
        small = size - 2.6
        cut = value
        while cut and self.width(cut + "…", small) > w:
            cut = cut[:-1]
        self.text(x, y, cut.rstrip() + "…", small)
        self.values.overflow.append((what or key, value))

    def field(self, x: float, y: float, w: float, label: str, key: str | None = None, *, hint: str = "") -> None:
        """`Label ________` on baseline `y`, `w` mm wide in all."""
        self.text(x, y, label, 6.3)
        start = x + self.width(label, 6.3) + 1.2
        self.line(start, y + 0.7, x + w, y + 0.7, 0.3, dotted=True)
        if hint and self.values is None:
            self.text(x + w - 0.5, y - 0.2, hint, 5, align="right", grey=True)
        if key:
            self.put(key, start + 0.8, y - 0.2, x + w - start - 1.2, label)


def _draw_qr(canvas: Canvas, value: str, size_mm: float) -> None:
    """A QR code (level M, quiet zone of 4 modules) with its lower-left corner at the origin,
    drawn as one path of dark runs: the encoder of reportlab.graphics.barcode.qr without its
    widget, which builds a shape per module and is ten times slower."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    count = qr.getModuleCount()
    module = size_mm * mm / (count + 8)
    path = canvas.beginPath()
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, run in itertools.groupby(bool(cell) for cell in row):
            length = len(list(run))
            if dark:
                path.rect((c + 4) * module, (count + 3 - r) * module, length * module, module)
            c += length
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _who(generated_by: Any) -> str:
    if generated_by is None:
        return "RETA"
    if hasattr(generated_by, "get_username"):
        full = generated_by.get_full_name() if hasattr(generated_by, "get_full_name") else ""
        return f"{full} ({generated_by.get_username()})" if full else generated_by.get_username()
    return str(generated_by)


def _stamp_time() -> str:
    return timezone.localtime().strftime("%d/%m/%Y %H:%M")


# --------------------------------------------------------------------------- the front page

PLACE_COLUMNS = 3
DOCUMENT_LABELS = (
    (DocumentType.DNI, "DNI"),
    (DocumentType.FOREIGN_ID, "CE"),
    (DocumentType.PASSPORT, "Pasaporte"),
    (DocumentType.BIRTH_CERTIFICATE, "Partida de nacimiento"),
    (DocumentType.OTHER, "Otro"),
)
SEX_OPTIONS = ((Sex.FEMALE, "F"), (Sex.MALE, "M"))
MINOR_OPTIONS = (("yes", "Sí"), ("no", "No"), ("unknown", "NS"))
VICTIM_ROWS = 4
SUSPECT_ROWS = 3
ROW_H = 7.0
LINE_PITCH = 6.4

# (key, header, width mm, kind): kind "text", "bool", or a tuple of (code, label) options
VICTIM_COLUMNS: tuple[tuple[str, str, float, Any], ...] = (
    ("n", "N°", 6, "n"),
    ("name", "Nombres y apellidos (opcional)", 46, "text"),
    ("sex", "Sexo", 14, SEX_OPTIONS),
    ("age", "Edad (años)", 10, "text"),
    ("minor", "¿Menor de edad? (si no se sabe la edad)", 24, MINOR_OPTIONS),
    ("nationality", "Nacionalidad", 18, "text"),
    ("document", "Documento (tipo y número)", 30, "text"),
    ("pregnant", "Gestante", 10, "bool"),
    ("disability", "Discapa- cidad", 11, "bool"),
    ("incapable", "Incapaz", 10, "bool"),
    ("consented", "Dice que consintió", 11, "bool"),
)
SUSPECT_COLUMNS: tuple[tuple[str, str, float, Any], ...] = (
    ("n", "N°", 6, "n"),
    ("name", "Nombres y apellidos", 40, "text"),
    ("alias", "Alias", 24, "text"),
    ("sex", "Sexo", 14, SEX_OPTIONS),
    ("age", "Edad aprox.", 11, "text"),
    ("nationality", "Nacionalidad", 18, "text"),
    ("relation", "Relación con la víctima", 25, "text"),
    ("description", "Descripción, vehículo, teléfono, dónde ubicarlo", 52, "text"),
)


def _clip_to(sheet: _Sheet, text: str, w: float, size: float) -> str:
    """`text` cut (with "…") to fit in `w` mm at `size`."""
    if sheet.width(text, size) <= w:
        return text
    while text and sheet.width(text + "…", size) > w:
        text = text[:-1]
    return text.rstrip() + "…"


def _place_kinds(keep: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The kinds of place the form lists: the catalogue's active entries in their order, in Spanish
    (an administrator's additions included, deactivated ones left out), plus the kind a filled
    complaint holds if it has been deactivated since."""
    with translation.override("es"):
        return catalogue_choices(Catalogue.PLACE_KIND, keep=keep)


def _table(sheet: _Sheet, y: float, prefix: str, columns: Sequence[tuple[str, str, float, Any]], rows: int) -> float:
    header_h = 6.2
    x = LEFT
    sheet.rect(LEFT, y, WIDTH, header_h + rows * ROW_H, width=0.5)
    for _key, header, w, _kind in columns:
        lines = sheet.wrap(header, 5.4, w - 1)[:2]
        for i, text in enumerate(lines):
            sheet.text(x + w / 2, y + 2.4 + i * 2.3 + (1.1 if len(lines) == 1 else 0), text, 5.4, align="centre")
        if x > LEFT:
            sheet.line(x, y, x, y + header_h + rows * ROW_H, 0.3)
        x += w
    sheet.line(LEFT, y + header_h, RIGHT, y + header_h, 0.4)
    for row in range(rows):
        top = y + header_h + row * ROW_H
        base = top + ROW_H / 2 + 1.2
        if row:
            sheet.line(LEFT, top, RIGHT, top, 0.25)
        x = LEFT
        for key, header, w, kind in columns:
            name = f"{prefix}.{row}.{key}"
            if kind == "n":
                sheet.text(x + w / 2, base, str(row + 1), 7, align="centre")
            elif kind == "bool":
                sheet.box(x + w / 2 - 1.4, base, name)
            elif isinstance(kind, tuple):
                step = (w - 1) / len(kind)
                for i, (code, label) in enumerate(kind):
                    bx = x + 0.8 + i * step
                    sheet.box(bx, base, f"{name}.{code}", size=2.5)
                    sheet.text(bx + 2.9, base, label, 5.6)
            else:
                sheet.put(name, x + 0.8, base, w - 1.6, f"{header} ({row + 1})", size=7.4)
            x += w
    return y + header_h + rows * ROW_H


def _draw_front(sheet: _Sheet) -> None:
    """Everything of the front page but the serial, the copy mark and the footer."""
    s = sheet
    s.text(LEFT, 14, "POLICÍA NACIONAL DEL PERÚ", 9, bold=True)
    s.text(LEFT, 17.8, "RETA — Registro y Estadística del delito de Trata de Personas y Afines", 6.8)
    s.text(LEFT, 24.5, "DENUNCIA POR TRATA DE PERSONAS", 12.5, bold=True)
    s.text(LEFT, 30, "Y DELITOS AFINES", 12.5, bold=True)
    s.text(LEFT, 35, "Formulario autocopiativo: escriba con letra de imprenta y presione firme.", 6.3)
    s.line(LEFT, 38, RIGHT, 38, 0.9)

    y = s.band(39.5, "1. UNIDAD QUE REGISTRA Y ORIGEN")
    y += 4.6
    s.field(LEFT, y, 128, "Unidad policial que recibe la denuncia", "unit")
    s.field(LEFT + 130, y, WIDTH - 130, "Código de la unidad", "unit_code")
    y += 6
    s.text(LEFT, y, "Origen:", 6.3)
    x = s.option(LEFT + 9, y, "Comisaría (denuncia presencial)", "origin.station")
    x = s.option(x, y, "Línea 0800", "origin.hotline")
    x = s.option(x, y, "Otra entidad:", "origin.other_agency")
    s.field(x - 1.5, y, LEFT + 126 - x, "", "other_agency_name")
    s.field(LEFT + 128, y, WIDTH - 128, "Recibida el", "received_at", hint="dd/mm/aaaa  hh:mm")

    y = s.band(y + 2.5, "2. LOS HECHOS")
    y += 4.6
    s.field(LEFT, y, 44, "Fecha", "facts_date", hint="dd/mm/aaaa")
    s.field(LEFT + 46, y, 22, "Hora", "facts_time", hint="hh:mm")
    s.field(LEFT + 70, y, 42, "Departamento", "department")
    s.field(LEFT + 114, y, 37, "Provincia", "province")
    s.field(LEFT + 153, y, WIDTH - 153, "Distrito", "district")
    y += 6
    s.field(LEFT, y, WIDTH, "Dirección o referencia del lugar", "place_address")
    y += 5
    s.text(LEFT, y, "Tipo de lugar (marque uno):", 6.3)
    ticked = s.values.ticks if s.values is not None else set()
    kinds = _place_kinds(keep=[tick.removeprefix("place_kind.") for tick in ticked if tick.startswith("place_kind.")])
    per_column = -(-len(kinds) // PLACE_COLUMNS)
    column_w = (WIDTH - 36) / PLACE_COLUMNS
    for i, (code, label) in enumerate(kinds):
        column, row = divmod(i, per_column)
        x, row_y = LEFT + 36 + column * column_w, y + row * 3.9
        s.box(x, row_y, f"place_kind.{code}")  # a label an administrator wrote is fitted to its column
        s.fit(x + 3.6, row_y, _clip_to(s, label, column_w - 4.6, 4.5), column_w - 4.6, 6.4)
    y += (per_column - 1) * 3.9

    y = s.band(y + 2.2, "3. DENUNCIANTE")
    y += 4.6
    x = s.option(LEFT, y, "Anónimo", "complainant_anonymous")
    s.text(x - 1.5, y, "(no se anotan nombre, documento ni contacto)", 5.4, grey=True)
    s.field(LEFT + 62, y, 62, "Nombres", "complainant_first_names")
    s.field(LEFT + 126, y, WIDTH - 126, "Apellidos", "complainant_last_names")
    y += 5.6
    s.text(LEFT, y, "Documento:", 6.3)
    x = LEFT + 14.5
    for code, label in DOCUMENT_LABELS:
        x = s.option(x, y, label, f"complainant_document_type.{code}", size=6.4)
    s.field(x, y, RIGHT - x, "N°", "complainant_document_number")
    y += 5.6
    s.field(LEFT, y, 100, "Contacto (teléfono, correo)", "complainant_contact")
    s.field(LEFT + 102, y, WIDTH - 102, "Relación con la víctima", "complainant_relation")

    y = s.band(y + 2.4, "4. VÍCTIMAS", "Los nombres son opcionales. Si no se sabe la edad, marque si es menor de edad.")
    y = _table(s, y + 0.8, "victim", VICTIM_COLUMNS, VICTIM_ROWS)

    y = s.band(y + 1.6, "5. PRESUNTOS TRATANTES", "Anote lo que se sepa: nombre, alias, señas, vehículo, teléfono.")
    y = _table(s, y + 0.8, "suspect", SUSPECT_COLUMNS, SUSPECT_ROWS)

    y = s.band(y + 1.6, "6. RELATO DE LOS HECHOS", "Qué pasó, cuándo, dónde y quiénes. Continúe al reverso (9).")
    bottom = FOOTER_TOP - 27.5
    y += LINE_PITCH
    lines = []
    while y <= bottom:
        s.line(LEFT, y + 0.7, RIGHT, y + 0.7, 0.3, dotted=True)
        lines.append(y)
        y += LINE_PITCH
    _write_narrative(s, lines, "front")

    y = s.band(FOOTER_TOP - 25.5, "7. RESPONSABLE Y FIRMAS")
    y += 4.8
    s.field(LEFT, y, 150, "Efectivo policial responsable (grado, nombres y apellidos)", "responsible_officer")
    s.field(LEFT + 152, y, WIDTH - 152, "CIP", "officer_cip")
    top = y + 1.8
    box_w = (WIDTH - 4) / 3
    for i, caption in enumerate(
        ("Firma y post-firma del efectivo", "Firma o huella digital del denunciante", "Sello de la unidad")
    ):
        x = LEFT + i * (box_w + 2)
        s.rect(x, top, box_w, FOOTER_TOP - 1 - top, width=0.35)
        s.text(x + box_w / 2, FOOTER_TOP - 2, caption, 5.6, align="centre", grey=True)


def _write_narrative(sheet: _Sheet, lines: list[float], where: str) -> None:
    """Write the narrative on the ruled lines of `where` ("front", then "back"); what is left
    after the back goes to the annex."""
    values = sheet.values
    if values is None or not values.narrative:
        return
    if values.narrative_lines is None:
        values.narrative_lines = []
        for paragraph in values.narrative.splitlines() or [""]:
            values.narrative_lines.extend(sheet.wrap(paragraph, 8, WIDTH - 2) or [""])
    pending = values.narrative_lines
    for i, y in enumerate(lines):
        if not pending:
            return
        if where == "back" and i == len(lines) - 1 and len(pending) > 1:
            sheet.text(LEFT + 1, y - 0.2, "(el relato continúa en el anexo)", 7, grey=True)
            values.overflow.append(("Relato de los hechos (completo)", values.narrative))
            pending.clear()
            return
        sheet.text(LEFT + 1, y - 0.2, pending.pop(0), 8)


# --------------------------------------------------------------------------- the back page

GROUP_TITLES = {
    "conducts": "8.1 CONDUCTAS — qué hizo el agente",
    "means": "8.2 MEDIOS — cómo lo hizo (exigidos si la víctima es adulta)",
    "purposes": "8.3 FINES — para qué: la explotación buscada",
    "case_facts": "8.4 CIRCUNSTANCIAS AGRAVANTES",
    "related_facts": "8.5 HECHOS DE DELITOS AFINES",
}
LABEL_SIZE = 6.9
LABEL_PITCH = 2.8
HINT_SIZE = 5.7
HINT_PITCH = 2.35
COLUMN_GAP = 4.0


@dataclass(frozen=True)
class _Item:
    group: str
    heading: bool
    element: Element | None
    label_lines: tuple[str, ...]
    hint_lines: tuple[str, ...]
    height: float


def _back_items(sheet: _Sheet, column_w: float) -> list[_Item]:
    items = []
    for group, elements in GROUPS.items():
        items.append(_Item(group, True, None, (), (), 5.6))
        for element in elements:
            label_lines = tuple(sheet.wrap(element.label, LABEL_SIZE, column_w - 4.5, bold=True))
            hint_lines = tuple(sheet.wrap(short_hint(group, element), HINT_SIZE, column_w - 4.5))
            height = 3.1 + LABEL_PITCH * (len(label_lines) - 1) + HINT_PITCH * len(hint_lines) + 0.9
            items.append(_Item(group, False, element, label_lines, hint_lines, height))
    return items


def _split_columns(items: list[_Item]) -> int:
    """The index where the second column starts, balancing both (a heading stays with its items)."""
    total = sum(item.height for item in items)
    best, best_height = 1, total
    running = 0.0
    for i, item in enumerate(items):
        if i and not items[i - 1].heading:
            tallest = max(running, total - running)
            if tallest < best_height:
                best, best_height = i, tallest
        running += item.height
    return best


def _draw_back(sheet: _Sheet) -> None:
    s = sheet
    s.text(LEFT, 14, "DENUNCIA POR TRATA DE PERSONAS — CALIFICACIÓN DE LOS HECHOS (reverso)", 9, bold=True)
    s.text(
        LEFT,
        18,
        "Código Penal: art. 153 y 153-A (Leyes 28950 y 30251); art. 129-A y 129-B desde el 31/03/2021 (Ley 31146).",
        6,
    )
    s.line(LEFT, 20.5, RIGHT, 20.5, 0.9)
    y = s.band(22, "8. MARQUE CON UNA X LO QUE EL RELATO PERMITE AFIRMAR")
    for i, text in enumerate(
        s.wrap(
            "Al registrar el formulario, RETA califica los hechos y explica su decisión citando los artículos. "
            "Con una víctima menor de 18 años basta la conducta con un fin de explotación: no se requiere un medio. "
            "Para una víctima adulta, el consentimiento no vale si se usó cualquier medio.",
            6.2,
            WIDTH - 2,
        )
    ):
        s.text(LEFT + 1, y + 3 + i * 2.7, text, 6.2)
    top = y + 3 + 2 * 2.7 + 1.5

    column_w = (WIDTH - COLUMN_GAP) / 2
    items = _back_items(s, column_w)
    split = _split_columns(items)
    bottoms = []
    for column, chunk in enumerate((items[:split], items[split:])):
        x = LEFT + column * (column_w + COLUMN_GAP)
        y = top
        if chunk and not chunk[0].heading:  # a group split between the columns: repeat its heading
            s.rect(x, y + 0.4, column_w, 4.2, fill=GREY, width=0.25)
            s.text(x + 1, y + 3.4, f"{GROUP_TITLES[chunk[0].group]} (cont.)", 6.4, bold=True)
            y += 5.6
        for item in chunk:
            if item.heading:
                s.rect(x, y + 0.4, column_w, 4.2, fill=GREY, width=0.25)
                s.text(x + 1, y + 3.4, GROUP_TITLES[item.group], 6.4, bold=True)
            else:
                base = y + 3.1
                s.box(x + 0.3, base, f"{item.group}.{item.element.code}")
                for j, label in enumerate(item.label_lines):
                    s.text(x + 4.3, base + LABEL_PITCH * j, label, LABEL_SIZE, bold=True)
                hints_top = base + LABEL_PITCH * (len(item.label_lines) - 1)
                for j, hint in enumerate(item.hint_lines):
                    s.text(x + 4.3, hints_top + HINT_PITCH * (j + 1), hint, HINT_SIZE)
            y += item.height
        bottoms.append(y)

    y = s.band(max(bottoms) + 1.5, "9. CONTINUACIÓN DEL RELATO Y OBSERVACIONES")
    y += LINE_PITCH
    lines = []
    while y <= FOOTER_TOP - 1:
        s.line(LEFT, y + 0.7, RIGHT, y + 0.7, 0.3, dotted=True)
        lines.append(y)
        y += LINE_PITCH
    _write_narrative(s, lines, "back")


# --------------------------------------------------------------------------- stamps and footers


def _blank_stamp(sheet: _Sheet, serial: str, copy: str, unit_name: str, qr_form: str, page: int) -> None:
    s = sheet
    label, _dash, destination = copy.partition(" — ")
    if page == 1:
        s.rect(124, 10, 52, 26.5, width=0.8)
        s.text(150, 15.6, label, 11, bold=True, align="centre")
        s.text(150, 19.4, destination, 7, align="centre")
        s.text(150, 23.8, "N° de serie", 5.8, align="centre")
        s.text(150, 29, serial, 11.5, bold=True, align="centre")
        if unit_name:
            s.text(150, 33.6, _clip(f"Para: {unit_name}", 48), 5.5, align="centre")
        s.c.saveState()
        s.c.translate(177.5 * mm, s.Y(36.5))
        s.c.doForm(qr_form)
        s.c.restoreState()
    else:
        s.text(RIGHT, 13.6, copy, 7.5, bold=True, align="right")
        s.text(RIGHT, 18.2, serial, 9.5, bold=True, align="right")
    s.line(LEFT, FOOTER_TOP + 1.2, RIGHT, FOOTER_TOP + 1.2, 0.3)
    s.text(LEFT, FOOTER_TOP + 4.3, f"RETA · Serie {serial} · {copy} · Hoja {page} de 2", 6.3, bold=True)
    s.text(
        RIGHT,
        FOOTER_TOP + 4.3,
        "Registre este formulario en RETA con su número de serie: cada serie se registra una sola vez.",
        5.6,
        align="right",
    )


def render_blank_form_pdf(serials: Iterable[Any], *, generated_by: Any) -> bytes:
    """Blank form sets, one per serial, each as ORIGINAL, COPIA 1 and COPIA 2 (two pages each,
    front and back). `serials` holds PaperFormSerial rows (their unit is printed as the
    addressee; select_related("unit") spares a query each) or plain serial strings."""
    _register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=FONT, initialFontSize=7)
    canvas.setTitle("RETA — formularios de denuncia en papel")
    canvas.setAuthor("Policía Nacional del Perú — RETA")
    canvas.setSubject("Formularios autocopiativos de denuncia por trata de personas")
    canvas.setCreator("RETA")
    sheet = _Sheet(canvas)
    canvas.beginForm("front")
    _draw_front(sheet)
    canvas.endForm()
    canvas.beginForm("back")
    _draw_back(sheet)
    canvas.endForm()
    printed = f"Impreso el {_stamp_time()} por {_who(generated_by)}."
    count = 0
    for item in serials:
        serial = getattr(item, "serial", item)
        unit = getattr(item, "unit", None)
        unit_name = unit.name if unit is not None else ""
        qr_form = f"qr-{serial}"
        canvas.beginForm(qr_form)
        _draw_qr(canvas, serial, 21)
        canvas.endForm()
        for copy in COPIES:
            for page, form in ((1, "front"), (2, "back")):
                canvas.doForm(form)
                _blank_stamp(sheet, serial, copy, unit_name, qr_form, page)
                sheet.text(LEFT, FOOTER_TOP + 7.6, printed, 5, grey=True)
                canvas.showPage()
        count += 1
    if not count:
        raise ValueError("No serials to print.")
    canvas.save()
    return buffer.getvalue()


# --------------------------------------------------------------------------- a filled complaint


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# The privacy rule's Spanish words; a name box stays empty rather than saying "(sin nombre)".
_FORM_BLANK = replace(privacy.FORM, no_name="")


def _document(person: Any, show: bool, minor: bool | None = False) -> str:
    kind = dict(DOCUMENT_LABELS).get(person.document_type, "")
    return privacy.masked_document(person, minor=minor, revealed=show, kind=kind, labels=privacy.FORM)


def _complaint_values(complaint: Any, victims: list[Any], suspects: list[Any], view: privacy.Sight) -> _Values:
    """The values of the filled form, each person as `view` shows her or him (people.privacy)."""
    v = _Values()
    f = v.fields
    unit = complaint.registering_unit
    f["unit"] = unit.name
    f["unit_code"] = unit.code
    v.ticks.add(f"origin.{complaint.origin}")
    if complaint.origin == Origin.OTHER_AGENCY:
        f["other_agency_name"] = complaint.other_agency_name
    if complaint.origin == Origin.PAPER and getattr(complaint, "paper_received_on", None):
        f["received_at"] = _date(complaint.paper_received_on)
        receiving = complaint.paper_receiving_unit
        if receiving is not None and receiving.pk != unit.pk:
            f["unit"] = f"{receiving.name} (ingresada en RETA por {unit.name})"
            f["unit_code"] = receiving.code
    elif complaint.origin == Origin.PAPER:
        f["received_at"] = f"consta en el formulario en papel {complaint.paper_serial}".strip()
    else:
        f["received_at"] = timezone.localtime(complaint.created_at).strftime("%d/%m/%Y %H:%M")
    f["facts_date"] = _date(complaint.facts_date)
    f["facts_time"] = complaint.facts_time.strftime("%H:%M") if complaint.facts_time else ""
    district = complaint.place_district
    if district is not None:
        f["district"] = district.name
        f["province"] = district.province.name
        f["department"] = district.province.department.name
    private_place = complaint.place_kind == PlaceKind.PRIVATE_HOME
    f["place_address"] = privacy.masked_place(
        complaint.place_address, private_home=private_place, revealed=view.others, labels=privacy.FORM
    )
    if complaint.place_kind:
        v.ticks.add(f"place_kind.{complaint.place_kind}")

    person = complaint.complainant
    if complaint.complainant_anonymous:
        v.ticks.add("complainant_anonymous")
    elif person is not None:
        initials = privacy.masked_name(person, minor=False, revealed=False, labels=_FORM_BLANK)
        f["complainant_first_names"] = person.first_names if view.complainant else initials
        f["complainant_last_names"] = person.last_names if view.complainant else ""
        if person.document_type:
            v.ticks.add(f"complainant_document_type.{person.document_type}")
        if person.document_number:
            f["complainant_document_number"] = privacy.masked_value(
                person.document_number, minor=False, revealed=view.complainant, mask=MASK
            )
    if complaint.complainant_contact:
        f["complainant_contact"] = privacy.masked_contact(
            complaint.complainant_contact, revealed=view.complainant, labels=privacy.FORM
        )
    f["complainant_relation"] = complaint.complainant_relation

    for i, victim in enumerate(victims):
        sex = victim.person.sex
        minor = {True: "yes", False: "no"}.get(victim.minor, "unknown") if victim.age is None else ""
        seen_minor, shown = privacy.as_seen(view, role=privacy.VICTIM, minor=privacy.victim_minor(victim))
        row = {
            "name": privacy.masked_name(victim.person, minor=seen_minor, revealed=shown, labels=privacy.FORM),
            "age": "" if victim.age is None else str(victim.age),
            "nationality": victim.person.nationality,
            "document": _document(victim.person, shown, seen_minor),
        }
        flags = {
            "pregnant": victim.pregnant,
            "disability": victim.disability,
            "incapable": victim.legally_incapable,
            "consented": victim.consented,
        }
        if i < VICTIM_ROWS:
            f.update({f"victim.{i}.{key}": value for key, value in row.items()})
            v.ticks.update(f"victim.{i}.{key}" for key, flag in flags.items() if flag)
            if sex:
                v.ticks.add(f"victim.{i}.sex.{sex}")
            if minor:
                v.ticks.add(f"victim.{i}.minor.{minor}")
        else:
            marks = [label for key, label in _FLAG_LABELS.items() if flags[key]]
            v.extra_victims.append(
                "; ".join(
                    part
                    for part in (
                        f"Víctima {i + 1}: {row['name']}",
                        f"sexo {sex}" if sex else "",
                        f"{row['age']} años" if row["age"] else {"yes": "menor", "no": "adulta"}.get(minor, ""),
                        row["nationality"],
                        row["document"],
                        ", ".join(marks),
                    )
                    if part
                )
            )

    for i, suspect in enumerate(suspects):
        person = suspect.person
        row = {
            "name": privacy.masked_name(person, minor=False, revealed=view.others, labels=_FORM_BLANK),
            "alias": privacy.masked_alias(person, minor=False, revealed=view.others, labels=privacy.FORM),
            "age": "" if suspect.approximate_age is None else str(suspect.approximate_age),
            "nationality": person.nationality,
            "relation": suspect.relation_to_victim,
            "description": suspect.description,
        }
        if i < SUSPECT_ROWS:
            f.update({f"suspect.{i}.{key}": value for key, value in row.items()})
            if person.sex:
                v.ticks.add(f"suspect.{i}.sex.{person.sex}")
        else:
            v.extra_suspects.append(
                "; ".join(
                    part
                    for part in (
                        f"Presunto tratante {i + 1}: {row['name'] or '(sin nombre)'}",
                        f"alias {row['alias']}" if row["alias"] else "",
                        f"sexo {person.sex}" if person.sex else "",
                        f"unos {row['age']} años" if row["age"] else "",
                        row["nationality"],
                        row["relation"],
                        row["description"],
                    )
                    if part
                )
            )

    def _mask_text(text: str) -> str:
        return privacy.seen_text(
            text,
            view=view,
            complainant=complaint.complainant,
            victims=victims,
            suspects=suspects,
            contacts=[complaint.complainant_contact],
            labels=privacy.FORM,
        )

    narrative = _mask_text(complaint.narrative)
    for key in [key for key in f if key.startswith("suspect.") and key.endswith(".description")]:
        f[key] = _mask_text(f[key])
    v.extra_suspects = [_mask_text(text) for text in v.extra_suspects]
    v.narrative = narrative
    f["responsible_officer"] = complaint.responsible_officer
    for group in GROUPS:
        v.ticks.update(f"{group}.{code}" for code in getattr(complaint, group) or [])
    return v


_FLAG_LABELS = {
    "pregnant": "gestante",
    "disability": "con discapacidad",
    "incapable": "incapaz",
    "consented": "dice que consintió",
}


def _mark(view: privacy.Sight) -> str:
    if view.adults or view.others or view.minors:
        return "CONTIENE IDENTIDADES — RESERVADO"
    if view.complainant:
        return "Datos del denunciante — reservado"
    return "Identidades protegidas"


def _filled_stamp(sheet: _Sheet, complaint: Any, page: int, view: privacy.Sight, printed: str) -> None:
    s = sheet
    number = complaint.number or f"Borrador #{complaint.pk}"
    mark = _mark(view)
    show = view.anything
    if page == 1:
        s.rect(124, 10, 76, 26.5, width=0.8)
        s.text(162, 15.2, "DOCUMENTO IMPRESO DE RETA", 8.5, bold=True, align="centre")
        s.text(162, 19.4, "Denuncia N°", 5.8, align="centre")
        s.fit(162, 24.2, number, 72, 10, bold=True, align="centre")
        registered = complaint.submitted_at
        when = (
            f"Registrada el {timezone.localtime(registered).strftime('%d/%m/%Y %H:%M')}"
            if registered
            else "Borrador: sin registrar ni calificar"
        )
        s.text(162, 28.4, when, 6, align="centre")
        if complaint.paper_serial:
            s.text(162, 31.6, f"Formulario en papel {complaint.paper_serial}", 6, align="centre")
        s.text(162, 35, mark, 6.4, bold=True, align="centre")
    elif page == 2:
        s.text(RIGHT, 13.6, mark, 7.5, bold=True, align="right")
        s.fit(RIGHT, 18.2, number, 70, 9, bold=True, align="right")
    s.line(LEFT, FOOTER_TOP + 1.2, RIGHT, FOOTER_TOP + 1.2, 0.3)
    s.text(LEFT, FOOTER_TOP + 4.3, f"RETA · Denuncia {number} · Hoja {page}", 6.3, bold=True)
    s.text(RIGHT, FOOTER_TOP + 4.3, mark, 5.8, align="right", bold=show)
    s.text(LEFT, FOOTER_TOP + 7.6, printed, 5, grey=True)


def _label(table: dict[str, Any], code: str) -> str:
    return table[code].label if code in table else code


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.6, leading=11.2, spaceAfter=3)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=12, leading=15, spaceAfter=6),
        "h": ParagraphStyle("h", parent=base, fontName=BOLD, fontSize=9.4, leading=12, spaceBefore=6, spaceAfter=3),
        "p": base,
        "item": ParagraphStyle("item", parent=base, leftIndent=9, bulletIndent=1),
        "small": ParagraphStyle("small", parent=base, fontSize=7.4, leading=9.4, textColor=DARK_GREY),
    }


def _annex_story(complaint: Any, values: _Values, view: privacy.Sight, generated_by: Any) -> list[Any]:
    st = _styles()
    story: list[Any] = [Paragraph("ANEXO — CALIFICACIÓN DE RETA", st["title"])]

    def p(text: str, style: str = "p") -> None:
        story.append(Paragraph(text, st[style]))

    def items(title: str, lines: list[str]) -> None:
        if lines:
            p(escape(title), "h")
            for line in lines:
                story.append(Paragraph(escape(line), st["item"], bulletText="•"))

    result = complaint.classification or {}
    if not result:
        p("Esta denuncia es un borrador: aún no ha sido calificada ni numerada.")
    else:
        outcome = result.get("outcome", "")
        p(f"<b>Resultado:</b> {escape(OUTCOME_LABELS.get(outcome, outcome))}")
        law = result.get("law") or ""
        article = result.get("article")
        p(f"<b>Perfil legal:</b> {escape(law)}" + (f" — art. {escape(article)} del Código Penal" if article else ""))
        if complaint.competent_directorate_id:
            p(f"<b>Unidad competente:</b> {escape(complaint.competent_directorate.name)}")
        alert = result.get("alert")
        p(f"<b>Alerta:</b> {escape(ALERT_LABELS.get(alert, 'ninguna') if alert else 'ninguna')}")
        if complaint.registration_delay_days is not None:
            p(f"<b>Días entre los hechos y el registro:</b> {complaint.registration_delay_days}")
        items(
            "Fines (categorías estadísticas)",
            [CATEGORY_LABELS.get(code, code) for code in result.get("purpose_categories", [])],
        )
        items(
            "Circunstancias agravantes",
            [
                f"{_label(AGGRAVATIONS_BY_CODE, item['code'])} ({DEGREE_LABELS.get(item.get('degree'), '')}, "
                f"art. {item.get('article', '')})"
                for item in result.get("aggravating", [])
            ],
        )
        items(
            "Delitos afines",
            [
                f"{_label(RELATED_CRIMES_BY_CODE, item['code'])} (art. {item.get('article', '')})"
                for item in result.get("related_crimes", [])
            ],
        )
        items("Advertencias", [WARNING_MESSAGES.get(code, code) for code in result.get("warnings", [])])
        p("Explicación", "h")
        for sentence in result.get("explanation", []):
            p(escape(sentence))

    facts = [
        f"{GROUP_LABELS[group].capitalize()}: " + ", ".join(e.label for e in GROUPS[group] if e.code in chosen)
        for group in GROUPS
        if (chosen := set(getattr(complaint, group) or []))
    ]
    items("Hechos marcados en el formulario", facts)
    items("Otras víctimas", values.extra_victims)
    items("Otros presuntos tratantes", values.extra_suspects)
    if values.overflow:
        p("Datos que no cupieron en el formulario", "h")
        for what, text in values.overflow:
            p(f"<b>{escape(what)}:</b> {escape(text).replace(chr(10), '<br/>')}")
    story.append(Spacer(1, 6))
    if view.adults or view.others or view.minors:
        p(
            f"Copia con identidades, emitida a solicitud de {escape(_who(generated_by))} (acción registrada en la "
            "auditoría). Documento reservado: Ley 29733 de Protección de Datos Personales; Protocolo de Palermo, "
            "art. 6.",
            "small",
        )
    else:
        p(
            "Identidades protegidas: los nombres de menores de edad no se muestran, los de personas adultas van con "
            "iniciales y los documentos y contactos se reservan (Ley 29733; Protocolo de Palermo, art. 6).",
            "small",
        )
    if view.complainant:
        p(
            "Los datos del denunciante se muestran a la unidad que registró la denuncia, que debe notificarle "
            "(documento reservado, Ley 29733).",
            "small",
        )
    return story


def render_complaint_pdf(
    complaint: Any, *, generated_by: Any, show_identity: bool = False, view: privacy.Sight | None = None
) -> bytes:
    """A complaint as a filled form (front and back) with an annex holding the classification and
    the explanation. Each person as `view` shows her or him (people.privacy.sight of the viewer;
    without it, `show_identity` shows the adults, the complainant and the alleged traffickers)."""
    from complaints.queries import people_of

    if view is None:
        view = privacy.Sight(complainant=show_identity, adults=show_identity, others=show_identity)
    _register_fonts()
    victims, suspects = people_of(complaint)
    values = _complaint_values(complaint, victims, suspects, view)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=FONT, initialFontSize=7)
    number = complaint.number or f"Borrador #{complaint.pk}"
    canvas.setTitle(f"RETA — denuncia {number}")
    canvas.setAuthor("Policía Nacional del Perú — RETA")
    canvas.setCreator("RETA")
    printed = f"Impreso el {_stamp_time()} por {_who(generated_by)}."
    sheet = _Sheet(canvas, values)

    _draw_front(sheet)
    _filled_stamp(sheet, complaint, 1, view, printed)
    canvas.showPage()
    _draw_back(sheet)
    _filled_stamp(sheet, complaint, 2, view, printed)
    canvas.showPage()

    story = _annex_story(complaint, values, view, generated_by)
    page = 3
    while story:
        sheet.text(LEFT, 14, "DENUNCIA POR TRATA DE PERSONAS — ANEXO", 9, bold=True)
        sheet.fit(RIGHT, 14, number, 90, 9, bold=True, align="right")
        sheet.line(LEFT, 16.5, RIGHT, 16.5, 0.9)
        frame = Frame(LEFT * mm, (PAGE_H - (FOOTER_TOP - 1) * mm), WIDTH * mm, (FOOTER_TOP - 20) * mm, showBoundary=0)
        before = len(story)
        frame.addFromList(story, canvas)
        if len(story) == before:  # a paragraph taller than a page: drop it rather than loop
            story.pop(0)
        _filled_stamp(sheet, complaint, page, view, printed)
        canvas.showPage()
        page += 1
    canvas.save()
    return buffer.getvalue()


# --------------------------------------------------------------------------- the complainant's copy


def _copy_rows(complaint: Any, victims: list[Any], suspects: list[Any]) -> list[tuple[str, str]]:
    """(label, value) of the complainant's copy, through `privacy.COMPLAINANT_COPY`."""
    view = privacy.COMPLAINANT_COPY
    unit = complaint.registering_unit
    registered = complaint.submitted_at
    rows = [
        ("Denuncia N°", complaint.number or f"Borrador #{complaint.pk}"),
        ("Registrada el", timezone.localtime(registered).strftime("%d/%m/%Y %H:%M") if registered else ""),
        ("Unidad que la recibió", f"{unit.name} ({unit.code})"),
    ]
    if complaint.paper_serial:
        rows.append(("Formulario en papel", complaint.paper_serial))
    if complaint.paper_received_on:
        rows.append(("Formulario en papel recibido el", _date(complaint.paper_received_on)))
    receiving = complaint.paper_receiving_unit
    if receiving is not None and receiving.pk != unit.pk:
        rows.append(("Formulario en papel recibido por", f"{receiving.name} ({receiving.code})"))
    rows.append(("Fecha de los hechos", _date(complaint.facts_date)))
    district = complaint.place_district
    if district is not None:
        rows.append(
            ("Lugar de los hechos", f"{district.name}, {district.province.name}, {district.province.department.name}")
        )
    person = complaint.complainant
    if complaint.complainant_anonymous or person is None:
        rows.append(("Denunciante", "Anónimo"))
    else:
        rows.append(("Denunciante", privacy.display_name(person, view=view, complaint=complaint, labels=privacy.FORM)))
        kind = dict(DOCUMENT_LABELS).get(person.document_type, "")
        document = privacy.masked_document(
            person, minor=False, revealed=view.complainant, kind=kind, labels=privacy.FORM
        )
        rows.append(("Documento", document))
        rows.append(("Contacto", privacy.masked_contact(complaint.complainant_contact, revealed=view.complainant)))
        rows.append(("Relación con la víctima", complaint.complainant_relation))
    for i, victim in enumerate(victims, start=1):
        name = privacy.display_name(victim, view=view, complaint=complaint, labels=_FORM_BLANK) or "(sin nombre)"
        rows.append((f"Víctima {i}", name))
    for i, suspect in enumerate(suspects, start=1):
        name = privacy.display_name(suspect, view=view, complaint=complaint, labels=_FORM_BLANK) or "(sin nombre)"
        rows.append((f"Presunto tratante {i}", name))
    rows.append(("Efectivo policial responsable", complaint.responsible_officer))
    return [(label, value) for label, value in rows if value]


def render_complainant_copy_pdf(complaint: Any, *, generated_by: Any) -> bytes:
    """The copy the station hands to the complainant (a receipt of the complaint): its number,
    date and unit, the complainant's own data, the narrative and the people as
    `people.privacy.COMPLAINANT_COPY` shows them (adults by initials, minors and victims of
    unknown age never named, documents and contacts of others withheld)."""
    from complaints.queries import people_of

    _register_fonts()
    victims, suspects = people_of(complaint)
    st = _styles()
    number = complaint.number or f"Borrador #{complaint.pk}"
    story: list[Any] = [
        Paragraph("POLICÍA NACIONAL DEL PERÚ", st["h"]),
        Paragraph("CONSTANCIA DE DENUNCIA — COPIA PARA EL DENUNCIANTE", st["title"]),
    ]
    for label, value in _copy_rows(complaint, victims, suspects):
        story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", st["p"]))
    narrative = privacy.seen_text(
        complaint.narrative,
        view=privacy.COMPLAINANT_COPY,
        complainant=complaint.complainant,
        victims=victims,
        suspects=suspects,
        contacts=[complaint.complainant_contact],
        labels=privacy.FORM,
    )
    if narrative:
        story.append(Paragraph("Relato de los hechos", st["h"]))
        story += [Paragraph(escape(line), st["p"]) for line in narrative.splitlines() if line.strip()]
    story.append(Spacer(1, 8))
    story.append(
        Paragraph(
            "Conserve esta constancia: con el número de denuncia puede consultar su estado en la unidad que la "
            "recibió. Las identidades de las víctimas están protegidas (Ley 29733; Protocolo de Palermo, art. 6): "
            "las de personas adultas van con iniciales y las de menores de edad no se muestran.",
            st["small"],
        )
    )
    story.append(Paragraph(f"Emitida el {_stamp_time()} por {escape(_who(generated_by))}.", st["small"]))
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=FONT, initialFontSize=7)
    canvas.setTitle(f"RETA — constancia de la denuncia {number}")
    canvas.setAuthor("Policía Nacional del Perú — RETA")
    canvas.setCreator("RETA")
    sheet = _Sheet(canvas)
    page = 1
    while story:
        frame = Frame(LEFT * mm, (PAGE_H - (FOOTER_TOP - 1) * mm), WIDTH * mm, (FOOTER_TOP - 12) * mm, showBoundary=0)
        before = len(story)
        frame.addFromList(story, canvas)
        if len(story) == before:
            story.pop(0)
        sheet.line(LEFT, FOOTER_TOP + 1.2, RIGHT, FOOTER_TOP + 1.2, 0.3)
        sheet.text(LEFT, FOOTER_TOP + 4.3, f"RETA · Denuncia {number} · Copia para el denunciante · Hoja {page}", 6.3)
        canvas.showPage()
        page += 1
    canvas.save()
    return buffer.getvalue()


__all__ = ["COPIES", "render_blank_form_pdf", "render_complainant_copy_pdf", "render_complaint_pdf", "short_hint"]
