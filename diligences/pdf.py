"""The documents of the preliminary investigation that officers used to type by hand, generated
pre-filled as PDF (BRIEF.md workflow 4; seed 2.1.3 a): WeasyPrint from `templates/pdf/diligence_*.html`,
which extend `templates/pdf/base_pdf.html` (DejaVu embedded, local files only: `reta.pdf`).

One function per document, `render_<document>_pdf(document, *, generated_by) -> bytes`, where
`document` is a numbered `GeneratedDocument` (not yet saved) whose `fields` hold what the officer
filled in. The service `diligences.services.document_generate` numbers, renders and keeps the
bytes; downloads serve those bytes and never render again.

The documents are legal documents in Spanish whatever the interface language. Each cites the
complaint number, the registering and issuing units, the date, the offence with its article of
the Penal Code (`classification["article"]`: 153 or 129-A), the victims and the officer who
generates it. Victims are cited by INITIALS (`people.privacy.cited_name`): a minor's (or an unknown
age victim's) name is never printed; an adult's full name only when the service allowed it
(`fields["show_adult_names"]`).

Owns: the rendering of the generated documents (returns bytes). Imports `reta.pdf`,
`diligences.models`, `people.privacy` and the public pieces of `complaints` (the model, the pure rule engine).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from complaints.models import Complaint
from complaints.rules import get_profile
from complaints.rules.codes import RELATED_CRIMES_BY_CODE
from complaints.rules.errors import UnknownLawError
from diligences.models import DocumentKind, GeneratedDocument
from people import privacy
from reta.pdf import render_html_pdf

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

DOCUMENT_TITLES: dict[str, str] = {
    DocumentKind.FORENSIC_EXAM: "Oficio",
    DocumentKind.SEARCH_WARRANT: "Oficio",
    DocumentKind.RENIEC: "Oficio",
    DocumentKind.MIGRACIONES: "Oficio",
    DocumentKind.NOTIFICATION: "Cédula de notificación",
    DocumentKind.STATEMENT: "Acta de manifestación",
}

SUBJECTS: dict[str, str] = {
    DocumentKind.FORENSIC_EXAM: "Solicita reconocimiento médico legal.",
    DocumentKind.SEARCH_WARRANT: "Solicita requerir allanamiento y registro domiciliario.",
    DocumentKind.RENIEC: "Solicita información de identidad.",
    DocumentKind.MIGRACIONES: "Solicita reporte de movimiento migratorio.",
    DocumentKind.NOTIFICATION: "Citación para diligencia policial.",
    DocumentKind.STATEMENT: "Manifestación en la investigación preliminar.",
}

DEFAULT_ADDRESSEES: dict[str, str] = {
    DocumentKind.FORENSIC_EXAM: "Jefe de la División Médico Legal – Instituto de Medicina Legal y Ciencias Forenses",
    DocumentKind.SEARCH_WARRANT: "Fiscal Provincial de Turno – Fiscalía Especializada en Delitos de Trata de Personas",
    DocumentKind.RENIEC: "Jefe del Registro Nacional de Identificación y Estado Civil – RENIEC",
    DocumentKind.MIGRACIONES: "Superintendente Nacional de Migraciones – MIGRACIONES",
    DocumentKind.NOTIFICATION: "",
    DocumentKind.STATEMENT: "",
}

# Codes of the form's options and the Spanish text the documents print.
EXAMINATIONS: dict[str, str] = {
    "physical": "integridad física (lesiones)",
    "sexual": "integridad sexual",
    "age": "estimación de edad",
    "psychological": "evaluación psicológica",
    "toxicology": "dosaje toxicológico",
}
CAPACITIES: dict[str, str] = {
    "victim": "agraviado(a)",
    "complainant": "denunciante",
    "legal_representative": "representante legal de la víctima",
    "witness": "testigo",
    "investigated": "investigado(a)",
    "other": "otra condición",
}
SEX_WORDS = {"F": "mujer", "M": "varón"}


def long_date(value: datetime.date | str | None) -> str:
    """'29 de noviembre de 2026'."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return f"{value.day} de {MONTHS[value.month - 1]} de {value.year}"


def _time_of(value: str | None) -> str:
    """'15:30' from an ISO date-time."""
    if not value or "T" not in value:
        return ""
    return value.split("T", 1)[1][:5]


@dataclass(frozen=True)
class VictimLine:
    """A victim as a document cites her or him."""

    position: int
    label: str  # initials; an adult's full name only when allowed
    detail: str  # "mujer, 16 años, menor de edad"
    minor: bool  # a minor or of unknown age: protected


def victim_lines(complaint: Complaint, *, show_adult_names: bool = False) -> list[VictimLine]:
    lines = []
    for victim in complaint.victims.select_related("person__identity").order_by("position", "id"):
        person = victim.person
        label = privacy.cited_name(person, minor=victim.is_minor, revealed=show_adult_names)
        parts = [SEX_WORDS.get(person.sex, "")]
        parts.append(f"{victim.age} años" if victim.age is not None else "edad no registrada")
        if victim.is_minor is True:
            parts.append("menor de edad")
        elif victim.is_minor is None:
            parts.append("de edad desconocida: se protege como menor")
        lines.append(
            VictimLine(
                position=victim.position,
                label=label,
                detail=", ".join(p for p in parts if p),
                minor=victim.is_protected,
            )
        )
    return lines


def offence_citation(complaint: Complaint) -> str:
    """The offence and its article of the Penal Code, as the classification found it."""
    classification = complaint.classification or {}
    article = classification.get("article")
    if article:
        text = f"Trata de Personas, previsto y sancionado en el artículo {article} del Código Penal"
        try:
            text += f", {get_profile(complaint.law_profile).source}"
        except UnknownLawError:
            pass
        aggravated = sorted({item["article"] for item in classification.get("aggravating") or []})
        if aggravated:
            text += f", con las circunstancias agravantes del artículo {', '.join(aggravated)}"
        return text
    crimes = [
        f"{RELATED_CRIMES_BY_CODE[item['code']].label if item['code'] in RELATED_CRIMES_BY_CODE else item['code']} "
        f"(artículo {item['article']} del Código Penal)"
        for item in classification.get("related_crimes") or []
    ]
    if crimes:
        return "; ".join(crimes)
    return "los hechos denunciados, en el marco de la Ley N° 28950 (Código Penal, artículos 153 y 129-A)"


def _place_of_facts(complaint: Complaint) -> str:
    district = complaint.place_district
    if district is None:
        return ""
    return f"{district.name}, provincia de {district.province.name}, departamento de {district.department.name}"


def _selected_victim(lines: list[VictimLine], position: Any) -> VictimLine | None:
    return next((line for line in lines if str(line.position) == str(position)), None)


def document_context(document: GeneratedDocument, *, generated_by: Any) -> dict[str, Any]:
    """What every document template receives (templates/pdf/diligence_base.html)."""
    complaint = document.complaint
    fields = document.fields or {}
    unit = document.unit
    victims = victim_lines(complaint, show_adult_names=bool(fields.get("show_adult_names")))
    directorate = unit.directorate if unit.directorate_id and unit.directorate_id != unit.pk else None
    officer_name = generated_by.get_full_name() or generated_by.get_username()
    context: dict[str, Any] = {
        "document": document,
        "fields": fields,
        "complaint": complaint,
        "title": DOCUMENT_TITLES[document.kind].upper(),
        "subject": SUBJECTS[document.kind],
        "unit": unit,
        "directorate": directorate,
        "registering_unit": complaint.registering_unit,
        "city": fields.get("city") or (unit.district.name if unit.district_id else ""),
        "date_long": long_date(document.issued_on),
        "registered_on": long_date(timezone.localdate(complaint.submitted_at)) if complaint.submitted_at else "",
        "offence": offence_citation(complaint),
        "victims": victims,
        "any_minor": any(line.minor for line in victims),
        "place_of_facts": _place_of_facts(complaint),
        "officer_name": officer_name,
        "officer_cip": getattr(generated_by, "document_number", ""),
        "generated_by": officer_name,
        "generated_at": timezone.localtime(),
    }
    kind = document.kind
    if kind == DocumentKind.FORENSIC_EXAM:
        context["subject_victim"] = _selected_victim(victims, fields.get("victim"))
        context["examinations"] = [
            EXAMINATIONS[code] for code in fields.get("examinations", []) if code in EXAMINATIONS
        ]
    elif kind == DocumentKind.MIGRACIONES:
        context["period_from"] = long_date(fields.get("period_from"))
        context["period_to"] = long_date(fields.get("period_to"))
    elif kind == DocumentKind.NOTIFICATION:
        context["capacity"] = CAPACITIES.get(fields.get("capacity", ""), "")
        context["appear_date"] = long_date(fields.get("appear_at"))
        context["appear_time"] = _time_of(fields.get("appear_at"))
    elif kind == DocumentKind.STATEMENT:
        deponent = str(fields.get("deponent", ""))
        victim = _selected_victim(victims, deponent.removeprefix("victim:")) if deponent.startswith("victim:") else None
        context["deponent_victim"] = victim
        context["deponent"] = victim.label if victim else fields.get("deponent_name", "")
        context["capacity"] = CAPACITIES["victim"] if victim else CAPACITIES.get(fields.get("capacity", ""), "")
        context["taken_date"] = long_date(fields.get("taken_at"))
        context["taken_time"] = _time_of(fields.get("taken_at"))
        context["blank_lines"] = range(0 if fields.get("statement") else 14)
    return context


def document_summary(document: GeneratedDocument) -> str:
    """The description of the register entry that records the document (no protected name)."""
    fields = document.fields or {}
    victims = victim_lines(document.complaint, show_adult_names=False)
    title = f"{DOCUMENT_TITLES[document.kind]} N° {document.number}"
    kind = document.kind
    if kind == DocumentKind.FORENSIC_EXAM:
        victim = _selected_victim(victims, fields.get("victim"))
        exams = ", ".join(EXAMINATIONS[c] for c in fields.get("examinations", []) if c in EXAMINATIONS)
        who = f" de la víctima {victim.label}" if victim else ""
        return f"{title}: reconocimiento médico legal{who} ({exams}). Generado en RETA."
    if kind == DocumentKind.SEARCH_WARRANT:
        return f"{title}: solicitud de allanamiento y registro domiciliario. Generado en RETA."
    if kind == DocumentKind.RENIEC:
        return f"{title}: solicitud de información de identidad al RENIEC. Generado en RETA."
    if kind == DocumentKind.MIGRACIONES:
        return f"{title}: solicitud de movimiento migratorio a Migraciones. Generado en RETA."
    if kind == DocumentKind.NOTIFICATION:
        return f"{title}: citación para {fields.get('purpose', '')}. Generado en RETA."
    return f"{title}. Generado en RETA."


def _render(template: str, document: GeneratedDocument, generated_by: Any) -> bytes:
    return render_html_pdf(template, document_context(document, generated_by=generated_by))


def render_forensic_exam_request_pdf(document: GeneratedDocument, *, generated_by: Any) -> bytes:
    """Oficio requesting a forensic medical examination (*reconocimiento médico legal*) of a victim."""
    return _render("pdf/diligence_forensic_exam.html", document, generated_by)


def render_search_warrant_request_pdf(document: GeneratedDocument, *, generated_by: Any) -> bytes:
    """Oficio asking the prosecutor to request a search warrant (*allanamiento y registro domiciliario*)."""
    return _render("pdf/diligence_search_warrant.html", document, generated_by)


def render_reniec_request_pdf(document: GeneratedDocument, *, generated_by: Any) -> bytes:
    """Oficio asking RENIEC for a person's identity."""
    return _render("pdf/diligence_reniec.html", document, generated_by)


def render_migraciones_request_pdf(document: GeneratedDocument, *, generated_by: Any) -> bytes:
    """Oficio asking Migraciones for a person's migratory movements."""
    return _render("pdf/diligence_migraciones.html", document, generated_by)


def render_notification_pdf(document: GeneratedDocument, *, generated_by: Any) -> bytes:
    """*Cédula de notificación*: summons a person to the unit."""
    return _render("pdf/diligence_notification.html", document, generated_by)


def render_statement_record_pdf(document: GeneratedDocument, *, generated_by: Any) -> bytes:
    """*Acta de manifestación*: the record of a statement (typed, or blank lines to write on)."""
    return _render("pdf/diligence_statement.html", document, generated_by)


RENDERERS = {
    DocumentKind.FORENSIC_EXAM: render_forensic_exam_request_pdf,
    DocumentKind.SEARCH_WARRANT: render_search_warrant_request_pdf,
    DocumentKind.RENIEC: render_reniec_request_pdf,
    DocumentKind.MIGRACIONES: render_migraciones_request_pdf,
    DocumentKind.NOTIFICATION: render_notification_pdf,
    DocumentKind.STATEMENT: render_statement_record_pdf,
}
