"""What the police report carries: the content of a case file read once (`load_content`, a fixed
number of queries), and the JSON document of the case sent to the Public Ministry with the PDF
(`case_document`), validated against the versioned JSON Schema `docs/schema/case-package-v1.schema.json`
(`validate`; documented in docs/case-package.md). An invalid package is refused
(`PackageError`, a Spanish message) and never stored nor sent.

Privacy (README "Proof matrix, completeness and the police report"): a victim is *protected*
unless an adult is established (`people.privacy.is_minor` is False for her complaint record, or by
the identity's date of birth on the date of the facts); a protected victim and a whistleblower
carry no name in the package (`name` null; a whistleblower her code name), and the PDF shows the
protected label and the code name. Alleged traffickers, witnesses, complainants and adult victims
are named in full: the report goes to the prosecutor, who must be able to act on it.

Imports the models of `investigations`, `complaints`, `diligences` and `people.privacy`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext as _

from complaints.models import ComplaintVictim
from diligences.models import Diligence
from investigations.models import (
    CaseComplaint,
    CaseDiligence,
    CaseFile,
    CasePerson,
    CasePersonRole,
    CasePhone,
    CasePlace,
    CaseVehicle,
    CustodyTransfer,
    Exhibit,
    Operation,
    RouteLeg,
)
from people import privacy

SCHEMA_VERSION = "1.0.0"
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "schema" / "case-package-v1.schema.json"


class PackageError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@functools.cache
def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_id() -> str:
    return load_schema()["$id"]


def validate(document: dict[str, Any]) -> None:
    """Raise PackageError (Spanish, naming the first offending field) unless `document` is valid."""
    from jsonschema import Draft202012Validator, FormatChecker

    validator = Draft202012Validator(load_schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "(raíz)"
        raise PackageError(
            _("The case package does not follow its schema (%(field)s): %(error)s. Nothing was generated.")
            % {"field": where, "error": first.message}
        )


def dumps(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- the content of a case file


@dataclass
class PersonEntry:
    person: Any  # CasePerson, identity selected
    protected: bool
    shown: str  # how the PDF names her or him
    name: str | None  # the package's name (None: protected victim, whistleblower)
    outcomes: list[Any] = field(default_factory=list)


@dataclass
class Content:
    case_file: CaseFile
    complaints: list[Any]
    persons: list[PersonEntry]
    places: list[Any]
    legs: list[Any]
    vehicles: list[Any]
    phones: list[Any]
    operations: list[Any]
    exhibits: list[Any]  # transfers prefetched (exhibit.transfers.all)
    diligences: list[Any]
    # The protected victims (recorded persons and identities) and the whistleblowers: their names
    # and document numbers are cleaned from every free text of the report and the package (`clean`).
    protected_people: list[Any] = field(default_factory=list)

    def clean(self, text: str) -> str:
        """Free text typed by investigators (conclusions, notes, descriptions) without a protected
        victim's names (initials instead) or document number (people.privacy.masked_text)."""
        if not text or not self.protected_people:
            return text or ""
        return privacy.masked_text(text, people=(), protected=self.protected_people, revealed=True, labels=privacy.FORM)


@dataclass(frozen=True)
class _Named:
    """An identity as people.privacy.masked_text reads a person."""

    first_names: str
    last_names: str
    document_number: str = ""


def _victim_minor_by_identity(
    case_file: CaseFile, complaints: list[Any], protected_people: list[Any]
) -> dict[int, bool | None]:
    """For each identity that is a victim in the linked complaints: is_minor of that record (a
    disagreement between records protects). Every protected victim's recorded person goes to
    `protected_people`, identified or not. One query."""
    found: dict[int, bool | None] = {}
    rows = ComplaintVictim.objects.filter(complaint__in=[c.pk for c in complaints]).select_related(
        "person__identity", "complaint"
    )
    for row in rows:
        minor = privacy.victim_minor(row)
        if minor is not False:
            protected_people.append(row.person)
        identity_id = row.person.identity_id
        if identity_id is None:
            continue
        if identity_id in found and found[identity_id] is not minor:
            found[identity_id] = True if True in (found[identity_id], minor) else None
        else:
            found[identity_id] = minor
    return found


def _first_facts_date(complaints: list[Any]) -> datetime.date | None:
    dates = [c.facts_date for c in complaints if c.facts_date]
    return min(dates) if dates else None


def person_entry(person: Any, *, minor_by_identity: dict[int, bool | None], facts_date: Any) -> PersonEntry:
    identity = person.identity
    outcomes = list(person.outcomes.all()) if hasattr(person, "outcomes") else []
    if person.role == CasePersonRole.WHISTLEBLOWER:
        code = person.code_name or _("Whistleblower %(id)s") % {"id": person.pk}
        return PersonEntry(person, True, code, None, outcomes)
    if person.role == CasePersonRole.VICTIM:
        minor = minor_by_identity.get(identity.pk)
        by_birth = privacy.is_minor(None, None, born=identity.date_of_birth, facts_date=facts_date)
        if minor is not True and by_birth is True:
            minor = True
        elif minor is None and by_birth is False:
            minor = False
        if minor is not False:
            shown = privacy.masked_name(identity, minor=minor, revealed=False, labels=privacy.FORM)
            return PersonEntry(person, True, shown, None, outcomes)
    name = identity.full_name or privacy.FORM.no_name
    return PersonEntry(person, False, name, identity.full_name or None, outcomes)


def load_content(case_file: CaseFile) -> Content:
    """Everything the report shows of a case file, in a fixed number of queries."""
    complaints = [
        link.complaint
        for link in CaseComplaint.objects.filter(case_file=case_file)
        .select_related("complaint")
        .order_by("linked_at", "pk")
    ]
    protected_people: list[Any] = []
    minor_by_identity = _victim_minor_by_identity(case_file, complaints, protected_people)
    facts_date = _first_facts_date(complaints)
    persons = [
        person_entry(person, minor_by_identity=minor_by_identity, facts_date=facts_date)
        for person in CasePerson.objects.filter(case_file=case_file)
        .select_related("identity")
        .prefetch_related("outcomes")
        .order_by("role", "added_at", "pk")
    ]
    diligence_ids = list(CaseDiligence.objects.filter(case_file=case_file).values_list("diligence_id", flat=True))
    diligences = list(
        Diligence.objects.filter(Q(pk__in=diligence_ids) | Q(complaint__in=[c.pk for c in complaints]))
        .select_related("complaint")
        .order_by("complaint_id", "sequence")
    )
    return Content(
        case_file=case_file,
        complaints=complaints,
        persons=persons,
        places=list(CasePlace.objects.filter(case_file=case_file).select_related("district").order_by("pk")),
        legs=list(
            RouteLeg.objects.filter(case_file=case_file)
            .select_related("place", "district", "vehicle")
            .order_by("sequence", "pk")
        ),
        vehicles=list(CaseVehicle.objects.filter(case_file=case_file).order_by("pk")),
        phones=list(CasePhone.objects.filter(case_file=case_file).order_by("pk")),
        operations=list(Operation.objects.filter(case_file=case_file).order_by("occurred_at", "pk")),
        exhibits=list(
            Exhibit.objects.filter(case_file=case_file)
            .select_related("operation")
            .prefetch_related(Prefetch("transfers", queryset=CustodyTransfer.objects.order_by("handed_at", "pk")))
            .order_by("sequence", "pk")
        ),
        diligences=diligences,
        protected_people=protected_people
        + [
            _Named(entry.person.identity.first_names, entry.person.identity.last_names)
            for entry in persons
            if entry.protected  # protected victims and whistleblowers
        ],
    )


# ---------------------------------------------------------------- the JSON document


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: Any) -> str:
    return value.isoformat()


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _ubigeo(district: Any) -> str | None:
    return district.code if district is not None else None


def _spanish(text: Any) -> str:
    """A label of the proof matrix as the package keeps it: in Spanish, whatever the language of
    the user who generated the report (the package is stored and sent to the prosecutor)."""
    with translation.override("es"):
        return str(text)


def case_document(
    content: Content, *, report: Any, version: int, generated_at: datetime.datetime, rows: list[Any]
) -> dict[str, Any]:
    """The package's JSON document (schema version SCHEMA_VERSION), from the content and the proof
    matrix `rows` (investigations.proof.matrix)."""
    case_file = content.case_file
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": _datetime(generated_at),
        "report": {
            "number": report.number,
            "version": version,
            "status": report.status,
            "prosecutor_office": report.prosecutor_office,
            "conclusions": content.clean(report.conclusions),
        },
        "case_file": {
            "id": case_file.pk,
            "number": case_file.number,
            "title": content.clean(case_file.title),
            "unit_code": case_file.owning_unit.code,
            "unit_name": case_file.owning_unit.name,
            "status": case_file.status,
            "opened_at": _datetime(case_file.opened_at),
            "agency_name": case_file.agency_name,
            "agency_reference": case_file.agency_reference,
        },
        "complaints": [
            {
                "number": complaint.number or "",
                "law_profile": complaint.law_profile,
                "outcome": complaint.outcome,
                "facts_date": _date(complaint.facts_date),
            }
            for complaint in content.complaints
        ],
        "persons": [
            {
                "id": entry.person.pk,
                "identity_id": entry.person.identity_id,
                "role": entry.person.role,
                "protected": entry.protected,
                "name": entry.name,
                "code_name": entry.person.code_name or None,
                "organisation_role": getattr(entry.person, "organisation_role", "") or None,
                "recruitment_method": getattr(entry.person, "recruitment_method", "") or None,
                "victim_results": [
                    {"result": outcome.result, "on_date": _date(outcome.on_date), "institution": outcome.institution}
                    for outcome in entry.outcomes
                ],
            }
            for entry in content.persons
        ],
        "places": [
            {
                "id": place.pk,
                "kind": place.kind,
                "name": place.name,
                "address": place.address,
                "district": _ubigeo(place.district),
                "latitude": _number(place.latitude),
                "longitude": _number(place.longitude),
                "operator": place.operator,
                "licence": place.licence,
            }
            for place in content.places
        ],
        "route": [
            {
                "sequence": leg.sequence,
                "stage": leg.stage,
                "place_id": leg.place_id,
                "district": _ubigeo(leg.district),
                "departed_on": _date(leg.departed_on),
                "arrived_on": _date(leg.arrived_on),
                "transport": leg.transport,
                "carrier": leg.carrier,
                "vehicle_id": leg.vehicle_id,
            }
            for leg in content.legs
        ],
        "vehicles": [
            {
                "id": vehicle.pk,
                "plate": vehicle.plate,
                "foreign": vehicle.foreign,
                "kind": vehicle.kind,
                "make": vehicle.make,
                "model": vehicle.model,
                "colour": vehicle.colour,
            }
            for vehicle in content.vehicles
        ],
        "phones": [{"id": phone.pk, "number": phone.number, "holder_id": phone.holder_id} for phone in content.phones],
        "operations": [
            {
                "id": operation.pk,
                "number": operation.number,
                "occurred_at": _datetime(operation.occurred_at),
                "place": content.clean(operation.place),
                "persons_rescued": operation.persons_rescued,
                "persons_arrested": operation.persons_arrested,
                "items_seized": content.clean(operation.items_seized),
            }
            for operation in content.operations
        ],
        "exhibits": [
            {
                "id": exhibit.pk,
                "code": exhibit.code,
                "description": content.clean(exhibit.description),
                "kind": exhibit.kind,
                "seized_on": _date(exhibit.seized_on),
                "operation_id": exhibit.operation_id,
                "initial_holder": exhibit.initial_holder,
                "custody": [
                    {
                        "from_holder": transfer.from_holder,
                        "to_holder": transfer.to_holder,
                        "handed_at": _datetime(transfer.handed_at),
                        "reason": content.clean(transfer.reason),
                    }
                    for transfer in exhibit.transfers.all()
                ],
            }
            for exhibit in content.exhibits
        ],
        "diligences": [
            {
                "id": diligence.pk,
                "complaint": diligence.complaint.number or "",
                "sequence": diligence.sequence,
                "kind": diligence.kind,
                "date": _date(diligence.date),
                "document_number": diligence.document_number,
            }
            for diligence in content.diligences
        ],
        "proof_matrix": [
            {
                "element": row.element.code,
                "group": row.element.group,
                "label": _spanish(row.element.label),
                "status": row.element.status,
                "supports": [
                    {
                        "kind": link.support_kind,
                        "id": link.exhibit_id or link.journal_entry_id or link.diligence_id,
                        "note": content.clean(link.note),
                    }
                    for link in row.links
                ],
            }
            for row in rows
        ],
    }


def zip_name(report: Any, version: int) -> str:
    return f"{report.number}-v{version}-paquete-{SCHEMA_VERSION}.zip".lower()


def transmission_zip(version: Any, *, pdf: bytes, data: bytes) -> bytes:
    """The transmission package: the PDF and the JSON (with the schema version in its name) and
    the schema itself, exactly as generated (`pdf` and `data`: the stored files, checked against
    their SHA-256 by investigations.reporting.report_version_files)."""
    report = version.report
    base = f"{report.number}-v{version.version}".lower()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{base}.pdf", pdf)
        archive.writestr(f"{base}.case-package-{version.schema_version}.json", data)
        archive.writestr("case-package-v1.schema.json", SCHEMA_PATH.read_bytes())
    return buffer.getvalue()
