"""Every write of the Reporting module: drafts, submission (classify + number + alert + freeze),
amendments and alert acknowledgement. Each runs in one transaction with its audit events.

Under contention (SECURITY.md 25): each public write is `reta.transactions.retry_on_contention`,
so a deadlock or a lock wait timeout runs the whole transaction again instead of answering 500
(inside a caller's transaction it cannot: the caller's own retry does). A registration takes its
locks in the order of `administration.numbering`: the draft's row (when it exists), the
registering unit's row before any insert that refers to it, the unit's counter, the paper form's
serial row. E-mails leave only after the final commit (`transaction.on_commit`), once.

Every registration (`_freeze`) sends `complaints.signals.complaint_recorded` and every amendment
`complaint_amended`, inside that transaction: the apps that derive data from complaints (stats:
the statistics read model) listen, and complaints imports none of them.

Each registration service runs in a `reta.transactions.batch()` (inside its transaction): the
writers that batch (the match index work, analysis.index_work) collect during the registration
and write at its end, in one statement. A registration's identities and the links of its persons
are written in bulk (`_link_identities`), with their history rows and `reta.history.bulk_saved`."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from administration import numbering
from administration.access import scope_of
from administration.extra_fields import extra_values_write
from administration.models import District, Unit, User
from administration.selectors import competent_directorate, units_in_scope
from audit.context import request_id_scope
from audit.events import AuditEventType
from audit.models import AuditEvent
from audit.services import audit_event, audit_record, audit_record_many
from complaints import duplicates, policies
from complaints.alerts import alert_receivers, is_overdue, unit_above
from complaints.catalogues import Origin
from complaints.duplicates import DuplicateReport
from complaints.freeze import FrozenRecordError, amendment
from complaints.models import (
    Alert,
    Complaint,
    ComplaintExtraValue,
    ComplaintPlace,
    ComplaintSuspect,
    ComplaintVictim,
    Person,
)
from complaints.rules import Facts, Suspect, Victim, classify, decision_to_dict
from complaints.rules.codes import HIGH, NORMAL, OUTCOME_LABELS
from complaints.signals import complaint_amended, complaint_recorded
from complaints.text import normalise
from paperforms.models import PaperFormSerial
from paperforms.serials import normalise_serial
from paperforms.services import paper_serial_check, paper_serial_mark_entered
from people.services import identities_from_records
from reta.history import saved_in_bulk
from reta.transactions import batch, retry_on_contention


class ComplaintError(Exception):
    """A complaint cannot be saved or submitted as it is; the message is for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.message = message
        self.field = field
        super().__init__(message)


class ConflictError(ComplaintError):
    """Someone else changed the record since the form was opened."""


class NotAllowedError(ComplaintError):
    """The user may not do this to this record (the view answers 403)."""


class StaleReviewError(ComplaintError):
    """The draft changed after its review page was shown (`review_fingerprint`): it is shown again."""


@dataclass
class VictimData:
    first_names: str = ""
    last_names: str = ""
    sex: str = ""
    age: int | None = None
    minor: bool | None = None
    nationality: str = ""
    document_type: str = ""
    document_number: str = ""
    pregnant: bool = False
    disability: bool = False
    legally_incapable: bool = False
    consented: bool = False


@dataclass
class SuspectData:
    first_names: str = ""
    last_names: str = ""
    alias: str = ""
    sex: str = ""
    approximate_age: int | None = None
    nationality: str = ""
    relation_to_victim: str = ""
    description: str = ""


@dataclass
class PlaceData:
    """A place of the route besides the place of the facts (complaints.models.ComplaintPlace)."""

    role: str = ""
    district: District | None = None
    address: str = ""
    kind: str = ""


@dataclass
class ComplaintData:
    """What the complaint form holds, independent of how it was entered (screen, paper, import)."""

    origin: str = Origin.STATION
    other_agency_name: str = ""
    paper_serial: str = ""
    paper_received_on: datetime.date | None = None
    paper_receiving_unit: Unit | None = None
    facts_date: datetime.date | None = None
    facts_time: datetime.time | None = None
    place_district: District | None = None
    place_address: str = ""
    place_kind: str = ""
    complainant_anonymous: bool = False
    complainant_first_names: str = ""
    complainant_last_names: str = ""
    complainant_document_type: str = ""
    complainant_document_number: str = ""
    complainant_contact: str = ""
    complainant_relation: str = ""
    narrative: str = ""
    responsible_officer: str = ""
    conducts: list[str] = field(default_factory=list)
    means: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    case_facts: list[str] = field(default_factory=list)
    related_facts: list[str] = field(default_factory=list)
    victims: list[VictimData] = field(default_factory=list)
    suspects: list[SuspectData] = field(default_factory=list)
    places: list[PlaceData] = field(default_factory=list)  # the route, besides the place of the facts


COMPLAINT_FIELDS = (
    "origin",
    "other_agency_name",
    "paper_serial",
    "paper_received_on",
    "paper_receiving_unit",
    "facts_date",
    "facts_time",
    "place_district",
    "place_address",
    "place_kind",
    "complainant_anonymous",
    "complainant_contact",
    "complainant_relation",
    "narrative",
    "responsible_officer",
    "conducts",
    "means",
    "purposes",
    "case_facts",
    "related_facts",
)
FACT_FIELDS = ("facts_date", "conducts", "means", "purposes", "case_facts", "related_facts")
ALERT_RANK = {"": 0, None: 0, NORMAL: 1, HIGH: 2}
# The reason is kept whole in the history (a text column, reta.history); this bounds what one
# amendment may write there, whatever the caller (the form says the same).
AMENDMENT_REASON_MAX_LENGTH = 2000

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- reading a complaint back


def _rows_with(complaint: Complaint, name: str, related: str) -> list[Any]:
    """The victims, suspects or places of `complaint` with their person or district: the rows
    `_load_rows` read once for the whole registration, else one query."""
    if name in getattr(complaint, "_prefetched_objects_cache", {}):
        return list(getattr(complaint, name).all())
    return list(getattr(complaint, name).select_related(related))


def _load_rows(complaint: Complaint) -> None:
    """Read the victims and suspects (with their people) and the places (with their districts) of
    `complaint` once, for every step of a registration that reads them (the data, the facts, the
    identities, the search text, the alerts): three queries instead of three per step. Called
    under the lock of the complaint's row (nobody changes them meanwhile)."""
    prefetch_related_objects(
        [complaint],
        Prefetch("victims", queryset=ComplaintVictim.objects.select_related("person")),
        Prefetch("suspects", queryset=ComplaintSuspect.objects.select_related("person")),
        Prefetch("places", queryset=ComplaintPlace.objects.select_related("district")),
    )


def complaint_data_of(complaint: Complaint) -> ComplaintData:
    """The form data of a stored complaint (to edit a draft or amend a frozen record)."""
    data = ComplaintData(**{name: getattr(complaint, name) for name in COMPLAINT_FIELDS})
    person = complaint.complainant
    if person is not None:
        data.complainant_first_names = person.first_names
        data.complainant_last_names = person.last_names
        data.complainant_document_type = person.document_type
        data.complainant_document_number = person.document_number
    data.victims = [
        VictimData(
            first_names=v.person.first_names,
            last_names=v.person.last_names,
            sex=v.person.sex,
            age=v.age,
            minor=v.minor,
            nationality=v.person.nationality,
            document_type=v.person.document_type,
            document_number=v.person.document_number,
            pregnant=v.pregnant,
            disability=v.disability,
            legally_incapable=v.legally_incapable,
            consented=v.consented,
        )
        for v in _rows_with(complaint, "victims", "person")
    ]
    data.suspects = [
        SuspectData(
            first_names=s.person.first_names,
            last_names=s.person.last_names,
            alias=s.person.alias,
            sex=s.person.sex,
            approximate_age=s.approximate_age,
            nationality=s.person.nationality,
            relation_to_victim=s.relation_to_victim,
            description=s.description,
        )
        for s in _rows_with(complaint, "suspects", "person")
    ]
    data.places = [
        PlaceData(role=p.role, district=p.district, address=p.address, kind=p.kind)
        for p in _rows_with(complaint, "places", "district")
    ]
    return data


def review_fingerprint(data: ComplaintData) -> str:
    """What the review page showed of a draft (its data, the district by its code): the
    confirmation registers only that (`complaint_submit`'s `fingerprint`). A draft changed
    meanwhile, e.g. by a colleague of the unit, is shown again."""
    district = data.place_district.pk if data.place_district is not None else None
    return hashlib.sha256(repr(dataclasses.replace(data, place_district=district)).encode()).hexdigest()


def complaint_facts(complaint: Complaint) -> Facts:
    """The rule engine's view of a stored complaint."""
    victims = [
        Victim(
            age=v.age,
            minor=v.minor,
            sex=v.person.sex or None,
            pregnant=v.pregnant,
            disability=v.disability,
            legally_incapable=v.legally_incapable,
            consented=v.consented,
            nationality=v.person.nationality or None,
        )
        for v in _rows_with(complaint, "victims", "person")
    ]
    suspects = [
        Suspect(sex=s.person.sex or None, identified=s.identified) for s in _rows_with(complaint, "suspects", "person")
    ]
    return Facts(
        date_of_facts=complaint.facts_date,
        victims=victims,
        suspects=suspects,
        conducts=complaint.conducts,
        means=complaint.means,
        purposes=complaint.purposes,
        case_facts=complaint.case_facts,
        related_facts=complaint.related_facts,
    )


# ---------------------------------------------------------------- writing the rows


def _person(person: Person | None, *, unit: Unit, reason: str | None, **values: Any) -> Person:
    person = person or Person(created_in=unit)
    changed = person.pk is None
    for name, value in values.items():
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed = True
    if changed:
        person._change_reason = reason  # the people's records belong to the same version
        person.save()
    return person


def _write_rows(complaint: Complaint, data: ComplaintData, *, unit: Unit, reason: str | None = None) -> None:
    """Write the complaint's fields and its people, updating rows in place by position so that
    the people keep their identity (and their history) across edits."""
    for name in COMPLAINT_FIELDS:
        setattr(complaint, name, getattr(data, name))
    has_complainant = not data.complainant_anonymous and any(
        [data.complainant_first_names, data.complainant_last_names, data.complainant_document_number]
    )
    if has_complainant:
        complaint.complainant = _person(
            complaint.complainant,
            unit=unit,
            reason=reason,
            first_names=data.complainant_first_names,
            last_names=data.complainant_last_names,
            document_type=data.complainant_document_type,
            document_number=data.complainant_document_number,
        )
    else:
        complaint.complainant = None
    if data.complainant_anonymous:
        complaint.complainant_contact = ""
    complaint._change_reason = reason
    complaint.save()

    victims = list(complaint.victims.select_related("person"))
    for position, item in enumerate(data.victims, start=1):
        row = victims[position - 1] if position <= len(victims) else ComplaintVictim(complaint=complaint)
        row.person = _person(
            getattr(row, "person", None) if row.pk else None,
            unit=unit,
            reason=reason,
            first_names=item.first_names,
            last_names=item.last_names,
            sex=item.sex,
            nationality=item.nationality,
            document_type=item.document_type,
            document_number=item.document_number,
        )
        for name in ("age", "minor", "pregnant", "disability", "legally_incapable", "consented"):
            setattr(row, name, getattr(item, name))
        row.position = position
        row._change_reason = reason
        row.save()
    for row in victims[len(data.victims) :]:
        row._change_reason = reason
        row.delete()

    suspects = list(complaint.suspects.select_related("person"))
    for position, item in enumerate(data.suspects, start=1):
        row = suspects[position - 1] if position <= len(suspects) else ComplaintSuspect(complaint=complaint)
        row.person = _person(
            getattr(row, "person", None) if row.pk else None,
            unit=unit,
            reason=reason,
            first_names=item.first_names,
            last_names=item.last_names,
            alias=item.alias,
            sex=item.sex,
            nationality=item.nationality,
        )
        for name in ("approximate_age", "relation_to_victim", "description"):
            setattr(row, name, getattr(item, name))
        row.position = position
        row._change_reason = reason
        row.save()
    for row in suspects[len(data.suspects) :]:
        row._change_reason = reason
        row.delete()

    places = list(complaint.places.all())
    for position, item in enumerate(data.places, start=1):
        row = places[position - 1] if position <= len(places) else ComplaintPlace(complaint=complaint)
        changed = row.pk is None or row.position != position
        for name in ("role", "district", "address", "kind"):
            if getattr(row, name) != getattr(item, name):
                setattr(row, name, getattr(item, name))
                changed = True
        if changed:  # an unchanged row writes no history record
            row.position = position
            row._change_reason = reason
            row.save()
    for row in places[len(data.places) :]:
        row._change_reason = reason
        row.delete()


def _search_text(complaint: Complaint) -> str:
    parts = [complaint.number or ""]
    for link in _rows_with(complaint, "victims", "person") + _rows_with(complaint, "suspects", "person"):
        person = link.person
        parts += [person.first_names, person.last_names, person.alias, person.document_number]
    if complaint.complainant_id:
        parts += [complaint.complainant.first_names, complaint.complainant.last_names]
    return normalise(" ".join(part for part in parts if part))


def _refresh_search_text(complaint: Complaint) -> None:
    """Derived data, written outside the history: on drafts, and inside an amendment. A frozen
    row gets its text in the same save that freezes it (`_freeze`), so this never needs to lift
    the freeze itself."""
    text = _search_text(complaint)
    if text != complaint.search_text:
        complaint.search_text = text
        Complaint.objects.filter(pk=complaint.pk).update(search_text=text)


# ---------------------------------------------------------------- drafts


def submission_problems(data: ComplaintData, *, legacy: bool = False) -> list[ComplaintError]:
    """Every reason `data` cannot be classified, numbered and frozen yet, all at once (the form
    shows them together, each next to its field). Records of the original system (`legacy`) did
    not always keep a narrative or the responsible officer."""
    problems = []
    if data.facts_date is None:
        problems.append(ComplaintError("Indique la fecha de los hechos.", field="facts_date"))
    elif data.facts_date > timezone.localdate():
        problems.append(ComplaintError("La fecha de los hechos no puede ser posterior a hoy.", field="facts_date"))
    if data.place_district is None:
        problems.append(ComplaintError("Indique el distrito donde ocurrieron los hechos.", field="place_district"))
    if not data.victims:
        problems.append(ComplaintError("Registre al menos una víctima.", field="victims"))
    for number, place in enumerate(data.places, start=1):
        if place.district is None:
            problems.append(ComplaintError(f"Indique el distrito del lugar {number} de la ruta.", field="places"))
        if not place.role:
            problems.append(ComplaintError(f"Indique qué ocurrió en el lugar {number} de la ruta.", field="places"))
    if data.origin == Origin.OTHER_AGENCY and not data.other_agency_name.strip():
        problems.append(
            ComplaintError("Indique el nombre de la entidad que remitió el caso.", field="other_agency_name")
        )
    if legacy:
        return problems
    if not data.narrative.strip():
        problems.append(ComplaintError("Describa los hechos en el relato.", field="narrative"))
    if not data.responsible_officer.strip():
        problems.append(ComplaintError("Indique el efectivo policial responsable.", field="responsible_officer"))
    return problems


def validate_for_submission(data: ComplaintData, *, legacy: bool = False) -> None:
    """Raise the first of `submission_problems`: what a complaint needs before it can be
    classified, numbered and frozen."""
    problems = submission_problems(data, legacy=legacy)
    if problems:
        raise problems[0]


def check_origin(actor: User, data: ComplaintData) -> None:
    """The origin must be one the actor's role may record (policies.allowed_origins)."""
    if data.origin not in policies.allowed_origins(actor):
        raise ComplaintError("Su rol no permite registrar una denuncia con este origen.", field="origin")


def _write_extra_values(complaint: Complaint, values: dict[Any, str]) -> None:
    """One row per research variable with a value; a value emptied removes its row."""
    extra_values_write(
        complaint.extra_values.all(),
        values,
        lambda variable, text: ComplaintExtraValue(complaint=complaint, field=variable, value=text),
    )


@request_id_scope()
@retry_on_contention()
def complaint_save_draft(
    *,
    actor: User,
    data: ComplaintData,
    complaint: Complaint | None = None,
    form_token: str | None = None,
    extra_values: dict[Any, str] | None = None,
) -> Complaint:
    """Create or update a draft of the actor's unit. Drafts are not classified nor numbered.
    `extra_values`: {research variable (administration.ExtraField): stored text}, written with
    the draft (and frozen with it when it is registered)."""
    if not policies.can_file_complaint(actor):
        raise NotAllowedError("Su rol no permite registrar denuncias.")
    check_origin(actor, data)
    if complaint is None:
        if form_token:
            existing = Complaint.objects.filter(form_token=form_token).first()
            if existing is not None:
                return existing
        complaint = Complaint(registering_unit=actor.unit, author=actor, form_token=form_token or None)
        event = AuditEventType.COMPLAINT_DRAFT_CREATED
    else:
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not policies.can_edit_draft(actor, complaint):
            raise NotAllowedError("Solo se puede modificar un borrador de su unidad.")
        event = AuditEventType.COMPLAINT_DRAFT_UPDATED
    try:
        with transaction.atomic():
            _write_rows(complaint, data, unit=actor.unit)
            _write_extra_values(complaint, extra_values or {})
    except IntegrityError as error:  # the same form sent twice at the same moment
        existing = Complaint.objects.filter(form_token=form_token).first() if form_token else None
        if existing is None:
            raise ComplaintError("No se pudo guardar la denuncia; inténtelo de nuevo.") from error
        return existing
    _refresh_search_text(complaint)
    audit_record(event=event, obj=complaint, actor=actor, object_repr=str(complaint))
    return complaint


# ---------------------------------------------------------------- submission


def _next_number(unit: Unit, year: int) -> str:
    """The next number of `unit` in `year`, `<UNIT>-<YEAR>-<000001>`, race-free under concurrent
    submissions (administration.numbering locks the unit's row, then its counter, until commit:
    submissions of one unit queue behind each other, other units go on in parallel)."""
    number = numbering.next_number(series=numbering.Series.COMPLAINT, unit=unit, year=year)
    return f"{unit.code}-{year}-{number:06d}"


def _classify_and_store(complaint: Complaint, *, on: datetime.date, law: str | None = None) -> dict[str, Any]:
    """Classify `complaint` and store the result with its competent directorate as of the day `on`
    (the day of its registration: administration.selectors.competent_directorate)."""
    decision = classify(complaint_facts(complaint), law=law, today=timezone.localdate())
    result = decision_to_dict(decision)
    complaint.law_profile = result["law"]
    complaint.outcome = result["outcome"]
    complaint.alert_priority = result["alert"] or ""
    complaint.purpose_categories = result["purpose_categories"]
    complaint.classification = result
    complaint.competent_directorate = competent_directorate(complaint.place_district, on=on)
    return result


@dataclass
class ComplaintPreview:
    """What registering a draft would give, computed without writing anything (the review page)."""

    complaint: Complaint  # an in-memory copy carrying the classification; never saved
    classification: dict[str, Any]
    competent_directorate: Unit | None
    receivers: list[Any]  # complaints.alerts.AlertReceiver: (unit, reason)

    @property
    def alert_units(self) -> list[Unit]:
        return [receiver.unit for receiver in self.receivers]


def complaint_preview(complaint: Complaint) -> ComplaintPreview:
    """Classify `complaint` (a draft) and find the units its registration would alert, on an
    in-memory copy: no number, no alert, no freeze, nothing saved. The same functions as the
    registration (`_classify_and_store`, `alert_receivers`), so the review shows what will happen."""
    copy = Complaint.objects.get(pk=complaint.pk)  # a fresh instance: the caller's is not touched
    result = _classify_and_store(copy, on=timezone.localdate())
    return ComplaintPreview(
        complaint=copy,
        classification=result,
        competent_directorate=copy.competent_directorate,
        receivers=alert_receivers(copy, on=timezone.localdate()) if copy.alert_priority else [],
    )


def _raise_alerts(complaint: Complaint, *, reason: str, only_new_units: bool = False) -> list[Alert]:
    """LAW.md "Alerts": one alert per unit of `complaints.alerts.alert_receivers` (the competent
    specialised unit of every place, DIVINTRAP, and the directorate of a unit without an account).
    `only_new_units`: skip the units the complaint alerted already (an amendment that adds a place).
    The directorate of a place read by the registration's classification on the same day is not read
    again (administration.selectors.competent_directorate)."""
    if not complaint.alert_priority:
        return []
    receivers = alert_receivers(complaint, on=timezone.localdate())  # the units competent now
    if only_new_units:
        alerted = set(Alert.objects.filter(complaint=complaint).values_list("unit_id", flat=True))
        receivers = [receiver for receiver in receivers if receiver.unit.pk not in alerted]
    # One INSERT for the alerts and one for their history rows (the same rows as a save each:
    # simple-history takes the user of the request, its own time per row and no change reason).
    alerts = [
        Alert(
            complaint=complaint,
            unit=receiver.unit,
            priority=complaint.alert_priority,
            outcome=complaint.outcome,
            reason=reason,
            basis=receiver.reason.code,
            place_roles=list(receiver.reason.roles),
            no_account=receiver.reason.no_account,
            instead_of=receiver.reason.instead_of,
        )
        for receiver in receivers
    ]
    if alerts:
        alerts = bulk_create_with_history(alerts, Alert, default_change_reason=None)
        transaction.on_commit(lambda: _mail_alerts(alerts))
    return alerts


def _mail_alerts(alerts: list[Alert]) -> None:
    """Tell the users of each alerted unit. No personal data in the message (SECURITY.md 13, 15).
    `alerts`: the alerts just written, with their complaint and unit (as the transaction that
    wrote them read them: not read again).

    Runs after the registration committed: a message that cannot be sent leaves the registration
    and the alert as they are (the alert waits, unread, in the unit's inbox), a log line and an
    `alert_email_failed` audit event, neither with an address or a name."""
    messages = []
    alerts = sorted(alerts, key=lambda alert: alert.created_at, reverse=True)  # the inbox's order (Alert.Meta)
    addresses: dict[int, list[str]] = {}
    users = User.objects.filter(unit__in={alert.unit_id for alert in alerts}, is_active=True).exclude(email="")
    for unit_id, email in users.values_list("unit_id", "email"):  # every unit's users at once, in their order
        addresses.setdefault(unit_id, []).append(email)
    for alert in alerts:
        recipients = addresses.get(alert.unit_id, [])
        if not recipients:
            continue
        priority = "ALTA" if alert.priority == HIGH else "normal"
        subject = f"RETA: alerta de prioridad {priority} — denuncia {alert.complaint.number}"
        body = (
            f"Se registró la denuncia {alert.complaint.number}.\n"
            f"Resultado de la calificación: {OUTCOME_LABELS.get(alert.outcome, alert.outcome)}.\n"
            f"Unidad alertada: {alert.unit.name}.\n\n"
            "Ingrese a RETA para ver la denuncia y acusar recibo de la alerta."
        )
        messages.append((alert, EmailMessage(subject, body, None, recipients)))
    if not messages:
        return
    # One connection to the mail server for all of them (EMAIL_TIMEOUT bounds each wait). A message
    # that fails closes it (smtplib may have dropped its socket: a 421, a reply that timed out) and
    # the next one opens a new one; a server that cannot be reached at all costs the request one
    # timeout, not one per alert: the alerts after it are audited as failed without waiting again.
    connection = get_connection(fail_silently=False)
    unreachable = None
    for alert, message in messages:
        if unreachable is not None:
            _alert_mail_failed(alert, unreachable)
            continue
        try:
            connection.open()  # nothing when it is open already
        except Exception as error:  # whatever the mail backend raises (SMTP, network, DNS)
            unreachable = error
            _alert_mail_failed(alert, error)
            continue
        try:
            connection.send_messages([message])
        except Exception as error:
            _alert_mail_failed(alert, error)
            _close_quietly(connection)
    _close_quietly(connection)


def _close_quietly(connection: Any) -> None:
    try:
        connection.close()
    except Exception:  # noqa: S110 - the messages were handed over or audited as failed already
        pass


def _alert_mail_failed(alert: Alert, error: Exception) -> None:
    # The error's text may hold addresses (refused recipients): only its class is kept.
    logger.error(
        "Alert e-mail not sent: alert %s, complaint %s, unit %s (%s).",
        alert.pk,
        alert.complaint.number,
        alert.unit.code,
        type(error).__name__,
    )
    audit_record(
        event=AuditEventType.ALERT_EMAIL_FAILED,
        obj=alert,
        object_repr=str(alert),
        outcome=AuditEvent.Outcome.FAILURE,
        details={"complaint": alert.complaint.number, "unit": alert.unit.code, "error": type(error).__name__},
    )


def _check_duplicates(
    complaint: Complaint, data: ComplaintData, *, actor: User, duplicate_of: Any, decision: str, reviewed: bool
) -> DuplicateReport:
    """The officer's decision on the possible duplicates (complaints.duplicates), checked and set
    on the complaint before it freezes: `duplicate_of` the earlier complaint of the same case (a
    registered complaint the actor may see), `duplicate_check` what was seen and decided. With
    `reviewed` (the review page's confirmation), a decision is required when anything is found."""
    decision = (decision or "").strip()
    if duplicate_of not in (None, "") and not decision:
        decision = duplicates.LINKED
    if decision not in ("", *duplicates.DECISIONS):
        raise ComplaintError(
            "Indique si se trata del mismo caso que una denuncia ya registrada o de un caso distinto.",
            field="duplicate_decision",
        )
    linked = None
    if decision == duplicates.LINKED:
        if duplicate_of in (None, ""):
            raise ComplaintError(
                "Elija la denuncia ya registrada a la que se vincula esta (el mismo caso).", field="duplicate_of"
            )
        linked = duplicates.linkable(actor, getattr(duplicate_of, "pk", duplicate_of))
        if linked is None or linked.pk == complaint.pk:
            raise ComplaintError(
                "La denuncia elegida para vincular no está registrada o no está a su alcance: elija otra de la lista.",
                field="duplicate_of",
            )
    elif duplicate_of not in (None, ""):
        raise ComplaintError(
            "Indicó que no se trata del mismo caso: no elija una denuncia para vincular.", field="duplicate_of"
        )
    report = duplicates.find_possible_duplicates(actor, data, exclude_pk=complaint.pk)
    if reviewed and report.found and not decision:
        raise ComplaintError(
            "Hay denuncias ya registradas que podrían ser el mismo caso: indique si se trata del mismo caso "
            "o de uno distinto.",
            field="duplicate_decision",
        )
    complaint.duplicate_of = linked
    complaint.duplicate_check = report.record(decision=decision, linked_number=linked.number if linked else "")
    return report


@request_id_scope()
@retry_on_contention()
@batch()  # the match index work of the registration: one INSERT at its end (analysis.index_work)
def complaint_submit(
    *,
    actor: User,
    complaint: Complaint,
    duplicate_of: Any = None,
    duplicate_decision: str = "",
    duplicates_reviewed: bool = False,
    fingerprint: str | None = None,
) -> Complaint:
    """Classify, number, alert and freeze, all or nothing (LAW.md; SECURITY.md 10, 25).

    `duplicate_decision` is the officer's answer to the possible duplicates shown at review
    (complaints.duplicates): "not_same", or "linked" with `duplicate_of` (a registered complaint
    the actor may see, or its pk), or "" (none shown). `duplicates_reviewed`: the officer saw the
    review page, so "" is refused when something is found (one was registered meanwhile, or the
    answer is missing). What was found and decided is frozen with the complaint and audited.

    `fingerprint`: the `review_fingerprint` of what the officer reviewed (the review page's
    confirmation), compared under the draft's lock with what would be registered:
    StaleReviewError, nothing written, when the draft changed since."""
    given = complaint
    # 0. the draft, with its complainant (read by the data, the identities and the search text; its
    # row, locked with the draft's on MariaDB, is written under this lock only: drafts, identities)
    complaint = Complaint.objects.select_for_update().select_related("complainant").get(pk=complaint.pk)
    # 1. its unit, before any insert: its row read by the query that locks it
    complaint.registering_unit = numbering.lock_and_read_units([complaint.registering_unit_id])[
        complaint.registering_unit_id
    ]
    if complaint.place_district_id is not None and complaint.place_district_id == given.place_district_id:
        if Complaint.place_district.is_cached(given):  # reference data (UBIGEO) the caller read: not read again
            complaint.place_district = given.place_district
    if complaint.is_frozen:
        raise NotAllowedError("La denuncia ya fue registrada y está congelada.")
    if not policies.can_edit_draft(actor, complaint):
        raise NotAllowedError("Solo se puede registrar un borrador de su unidad.")
    _load_rows(complaint)
    data = complaint_data_of(complaint)
    if fingerprint is not None and fingerprint != review_fingerprint(data):
        raise StaleReviewError("El borrador cambió después de mostrarse la revisión: revíselo antes de confirmar.")
    validate_for_submission(data)
    paper_form = _check_paper_serial(data, complaint.registering_unit, actor=actor)
    if paper_form is not None:
        complaint.paper_serial = paper_form.serial
        complaint.paper_receiving_unit = data.paper_receiving_unit
    report = _check_duplicates(
        complaint,
        data,
        actor=actor,
        duplicate_of=duplicate_of,
        decision=duplicate_decision,
        reviewed=duplicates_reviewed,
    )
    now = timezone.now()
    _classify_and_store(complaint, on=timezone.localdate(now))
    number = _next_number(complaint.registering_unit, timezone.localdate(now).year)
    audits: list[AuditEvent] = []  # written together at the end (audit_record_many)
    _freeze(complaint, number=number, registered_at=now, reason="submitted", actor=actor, audits=audits)
    if paper_form is not None:
        try:
            paper_serial_mark_entered(serial=paper_form, complaint=complaint, actor=actor)
        except ValidationError as error:  # entered by someone else a moment ago: nothing is kept
            raise ComplaintError(" ".join(error.messages), field="paper_serial") from error
    alerts = _raise_alerts(complaint, reason="submitted")
    audits.append(
        audit_event(
            event=AuditEventType.COMPLAINT_SUBMITTED,
            obj=complaint,
            actor=actor,
            object_repr=complaint.number,
            details={
                "outcome": complaint.outcome,
                "law": complaint.law_profile,
                "alerts": [alert.unit.code for alert in alerts],
            },
        )
    )
    if report.found or complaint.duplicate_check.get("decision"):
        audits.append(
            audit_event(
                event=AuditEventType.COMPLAINT_DUPLICATES_CHECKED,
                obj=complaint,
                actor=actor,
                object_repr=complaint.number,
                details=complaint.duplicate_check,
            )
        )
    # The identities' events, then the registration's, in that order, at the end of the
    # transaction: one lock of the audit chain's head, held until the commit, one INSERT.
    audit_record_many(audits)
    return complaint


def _link_identities(
    complaint: Complaint, *, actor: User, reason: str | None, audits: list[AuditEvent] | None = None
) -> None:
    """Every identified person of the complaint (a name or a document) points at an identity: a new
    one seeded from what was recorded (people.services.identities_from_records, in bulk; matching
    with known identities is a later issue). Runs before the rows freeze (or inside an amendment):
    the freeze guards and the MariaDB triggers of migration 0002 refuse it afterwards.

    The links are ONE guarded UPDATE (`FrozenGuardQuerySet.bulk_update_guarded`: its WHERE leaves
    frozen rows out, outside an amendment, and a frozen person among them raises FrozenRecordError)
    and their historical rows one INSERT (history_type "~", the change reason `reason`, as each
    person's save wrote them), then `reta.history.bulk_saved` for what `post_save` did (the match
    index work of each person, analysis.signals)."""
    people = [complaint.complainant] if complaint.complainant_id else []
    people += [row.person for row in _rows_with(complaint, "victims", "person")]
    people += [row.person for row in _rows_with(complaint, "suspects", "person")]
    pending: dict[int, Person] = {}
    for person in people:
        if person.identity_id is None and person.is_identified:
            pending.setdefault(person.pk, person)
    if not pending:
        return
    identities = identities_from_records(  # all of them in the registration's transaction
        pending.values(),
        reference=complaint.number or "",
        unit=complaint.registering_unit,
        actor=actor,
        audit_events=audits,
    )
    persons = list(pending.values())
    for person, identity in zip(persons, identities, strict=True):
        person.identity = identity
        person._change_reason = reason  # the link belongs to the same version
    Person.objects.bulk_update_guarded(persons, ["identity"])
    saved_in_bulk(Person, persons, created=False)


def _freeze(
    complaint: Complaint,
    *,
    number: str,
    registered_at: datetime.datetime,
    reason: str,
    actor: User,
    audits: list[AuditEvent] | None = None,
) -> None:
    """Number, stamp and freeze a classified complaint: the one place every registration path
    (screen, paper, legacy import) goes through. Its identified people get their identities first
    (their audit events appended to `audits` when given, for the caller to write with its own)."""
    complaint.number = number
    _link_identities(complaint, actor=actor, reason=reason, audits=audits)
    complaint.status = Complaint.Status.SUBMITTED
    complaint.submitted_at = registered_at
    complaint.registration_delay_days = complaint.registration_delay()
    complaint.frozen_at = timezone.now()
    complaint.search_text = _search_text(complaint)
    complaint._change_reason = reason
    complaint.save()
    # In the transaction: stats writes its read model (stats.receivers).
    complaint_recorded.send(sender=Complaint, complaint=complaint)


@request_id_scope()
@retry_on_contention()
@batch()  # the match index work of the registration: one INSERT at its end (analysis.index_work)
def complaint_register_imported(
    *, actor: User, registering_unit: Unit, number: str, registered_at: datetime.datetime, data: ComplaintData
) -> Complaint:
    """A complaint of the original system (legacy import): classified with the profile of its
    date of facts and frozen, keeping its own number and registration time; no alerts."""
    if Complaint.objects.filter(number=number).exists():
        raise ComplaintError(f"La denuncia {number} ya existe.", field="number")
    validate_for_submission(data, legacy=True)
    numbering.lock_units([registering_unit])  # before the rows that refer to it (numbering's order)
    complaint = Complaint(registering_unit=registering_unit, author=actor, created_at=registered_at)
    _write_rows(complaint, data, unit=registering_unit, reason="imported")
    _classify_and_store(complaint, on=timezone.localdate(registered_at))
    _freeze(complaint, number=number, registered_at=registered_at, reason="imported", actor=actor)
    audit_record(
        event=AuditEventType.COMPLAINT_IMPORTED,
        obj=complaint,
        actor=actor,
        object_repr=number,
        details={"outcome": complaint.outcome, "law": complaint.law_profile},
    )
    return complaint


def _check_paper_serial(data: ComplaintData, unit: Unit, *, actor: User | None = None) -> PaperFormSerial | None:
    """A paper form being entered: its serial must have been issued to the entering unit's
    directorate and not entered yet (paperforms.services). Stores the canonical serial, and checks
    the paper's details (`_check_paper_details`)."""
    if data.origin != Origin.PAPER:
        data.paper_received_on = None
        data.paper_receiving_unit = None
        return None
    if not data.paper_serial.strip():
        raise ComplaintError("Indique el número de serie del formulario en papel.", field="paper_serial")
    try:
        record = paper_serial_check(serial=data.paper_serial, unit=unit)
    except ValidationError as error:
        raise ComplaintError(" ".join(error.messages), field="paper_serial") from error
    data.paper_serial = record.serial
    _check_paper_details(data, record, actor=actor)
    return record


def check_paper_serial(data: ComplaintData, unit: Unit, *, actor: User | None = None) -> None:
    """The paper form's serial may be entered by `unit` (an early answer for the form; the
    registration checks it again under lock)."""
    _check_paper_serial(data, unit, actor=actor)


def _check_paper_details(data: ComplaintData, record: PaperFormSerial, *, actor: User | None) -> None:
    """The day the paper was received: not after today, not before the facts. The unit that took
    it: by default the unit the serial was issued to; another one only if the officer sees it
    (administration.access) and it is of the serial's directorate."""
    received = data.paper_received_on
    if received is not None and received > timezone.localdate():
        raise ComplaintError(
            "La fecha de recepción del formulario en papel no puede ser posterior a hoy.", field="paper_received_on"
        )
    if received is not None and data.facts_date is not None and received < data.facts_date:
        raise ComplaintError(
            "La fecha de recepción del formulario en papel no puede ser anterior a la fecha de los hechos.",
            field="paper_received_on",
        )
    if data.paper_receiving_unit is None:
        data.paper_receiving_unit = record.unit
    elif data.paper_receiving_unit.pk != record.unit_id:
        chosen = data.paper_receiving_unit
        visible = actor is None or units_in_scope(scope_of(actor)).filter(pk=chosen.pk, is_active=True).exists()
        if not visible:
            raise ComplaintError(
                "La unidad que recibió el formulario en papel debe ser una unidad de su ámbito.",
                field="paper_receiving_unit",
            )
        if chosen.directorate_id != record.unit.directorate_id:
            raise ComplaintError(
                "La unidad que recibió el formulario en papel debe ser de la dirección a la que se emitió el "
                "formulario.",
                field="paper_receiving_unit",
            )


@request_id_scope()
@retry_on_contention()
@batch()  # the match index work of the registration: one INSERT at its end (analysis.index_work)
def complaint_file(
    *,
    actor: User,
    data: ComplaintData,
    form_token: str | None = None,
    complaint: Complaint | None = None,
    duplicate_of: Any = None,
    duplicate_decision: str = "",
    duplicates_reviewed: bool = False,
) -> Complaint:
    """Save and submit in one go (the form's "Register" button), a new complaint or the draft
    `complaint`. Nothing is kept if it fails: a refusal leaves the draft as it was.
    `duplicate_of` / `duplicate_decision` / `duplicates_reviewed`: the decision on possible
    duplicates (complaint_submit).

    The locks come first, in numbering's order (the draft, then the unit): saving the draft
    inserts rows that refer to the unit, and InnoDB's shared lock of that foreign key, taken by
    every registration of the unit at once, could not become the exclusive lock of the numbering
    without a deadlock (administration.numbering)."""
    validate_for_submission(data)
    check_origin(actor, data)
    _check_paper_serial(data, actor.unit, actor=actor)  # early answer; checked again under lock when marked
    unit_pk = actor.unit_id
    if complaint is not None:
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        unit_pk = complaint.registering_unit_id
    numbering.lock_units([unit_pk])
    complaint = complaint_save_draft(actor=actor, data=data, complaint=complaint, form_token=form_token)
    if complaint.is_frozen:  # the same form sent twice: the first one already registered it
        return complaint
    return complaint_submit(
        actor=actor,
        complaint=complaint,
        duplicate_of=duplicate_of,
        duplicate_decision=duplicate_decision,
        duplicates_reviewed=duplicates_reviewed,
    )


# ---------------------------------------------------------------- amendments


def _snapshot(complaint: Complaint) -> dict[str, Any]:
    data = complaint_data_of(complaint)
    return {f.name: getattr(data, f.name) for f in fields(data)}


@request_id_scope()
@retry_on_contention()
def complaint_amend(
    *, actor: User, complaint: Complaint, data: ComplaintData, reason: str, expected_version: int
) -> Complaint:
    """A national administrator changes a frozen complaint, with a reason. Reclassifies when the
    facts changed, raises new alerts when the outcome rises and alerts the units of the places it
    adds. The second of two concurrent amendments gets a ConflictError (SECURITY.md 24)."""
    if not policies.can_amend_complaint(actor, complaint):
        raise NotAllowedError("Solo un administrador nacional puede enmendar una denuncia registrada.")
    reason = reason.strip()
    if not reason:
        raise ComplaintError("Indique el motivo de la enmienda.", field="reason")
    if len(reason) > AMENDMENT_REASON_MAX_LENGTH:
        raise ComplaintError(
            f"El motivo de la enmienda admite hasta {AMENDMENT_REASON_MAX_LENGTH} caracteres; "
            f"el indicado tiene {len(reason)}. Resúmalo: la enmienda no se guardó.",
            field="reason",
        )
    validate_for_submission(data)
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if data.origin == Origin.PAPER or locked.origin == Origin.PAPER:
        try:
            typed = normalise_serial(data.paper_serial)
        except ValidationError:
            typed = data.paper_serial.strip()
        if data.origin != locked.origin or typed != locked.paper_serial:
            raise ComplaintError(
                "El origen en papel y el número de serie del formulario no se pueden enmendar: "
                "el formulario ya quedó registrado con esta denuncia.",
                field="paper_serial",
            )
        data.paper_serial = locked.paper_serial
        record = PaperFormSerial.objects.filter(serial=locked.paper_serial).select_related("unit").first()
        if record is not None:
            _check_paper_details(data, record, actor=actor)
    if locked.version != expected_version:
        raise ConflictError(
            "Otra persona enmendó esta denuncia mientras usted la editaba. Sus cambios no se guardaron: "
            "revise la versión actual y vuelva a aplicarlos."
        )
    before = _snapshot(locked)
    old_priority = locked.alert_priority
    old_outcome = locked.outcome
    with amendment(locked.pk):
        _write_rows(locked, data, unit=locked.registering_unit, reason=reason)
        _link_identities(locked, actor=actor, reason=reason)  # a person added or identified by the amendment
        after = _snapshot(locked)
        changed = sorted(name for name in before if before[name] != after[name])
        if not changed:
            raise ComplaintError("No hay cambios que registrar.")
        if any(name in changed for name in (*FACT_FIELDS, "victims", "suspects", "place_district", "places")):
            # The competent directorate as of the registration, as when it was registered.
            registered_on = timezone.localdate(locked.submitted_at) if locked.submitted_at else timezone.localdate()
            _classify_and_store(locked, on=registered_on)
        if any(name in changed for name in ("facts_date", "paper_received_on")):
            locked.registration_delay_days = locked.registration_delay()
        locked.version += 1
        locked._change_reason = reason
        locked.save()
        _refresh_search_text(locked)
        # In the transaction: stats rewrites its read model (stats.receivers).
        complaint_amended.send(sender=Complaint, complaint=locked)
    alerts = []
    if ALERT_RANK[locked.alert_priority] > ALERT_RANK[old_priority]:
        alerts = _raise_alerts(locked, reason="amended")
    elif "places" in changed or "place_district" in changed:  # a unit competent for a new place
        alerts = _raise_alerts(locked, reason="amended", only_new_units=True)
    audit_record(
        event=AuditEventType.COMPLAINT_AMENDED,
        obj=locked,
        actor=actor,
        object_repr=locked.number,
        details={
            "reason": reason,
            "fields": changed,
            "outcome": [old_outcome, locked.outcome],
            "new_alerts": [alert.unit.code for alert in alerts],
            "version": locked.version,
        },
    )
    return locked


def complaint_refuse_change(*, actor: User, complaint: Complaint, action: str) -> None:
    """Record an attempt to change a frozen complaint (SECURITY.md 10: refused attempts too)."""
    audit_record(
        event=AuditEventType.COMPLAINT_CHANGE_REFUSED,
        obj=complaint,
        actor=actor,
        object_repr=str(complaint),
        outcome=AuditEvent.Outcome.DENIED,
        details={"action": action},
    )


# ---------------------------------------------------------------- alerts


@request_id_scope()
@retry_on_contention()
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not policies.can_acknowledge_alert(actor, alert):
        raise NotAllowedError("Solo la unidad alertada puede acusar recibo de la alerta.")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        alert.save()
        audit_record(event=AuditEventType.ALERT_ACKNOWLEDGED, obj=alert, actor=actor, object_repr=str(alert))
    return alert


@request_id_scope()
@retry_on_contention()
def alert_escalate(*, alert: Alert, now: datetime.datetime | None = None, actor_name: str = "") -> Alert | None:
    """An alert not acknowledged by its deadline (complaints.alerts.is_overdue): mark it overdue and
    raise a new alert, linked to it, to the unit one level up (`unit_above`). Once: the row is
    locked and checked again, so two runs at the same time escalate it once; an alert acknowledged
    or escalated meanwhile is left alone (None). No new alert when the unit above already has an
    unacknowledged alert of the complaint (it is in its inbox already) or there is no unit above;
    the original is marked overdue all the same. Audited (`alert_escalated`)."""
    now = now or timezone.now()
    alert = Alert.objects.select_for_update().select_related("unit", "complaint").get(pk=alert.pk)
    if alert.acknowledged_at is not None or alert.overdue_at is not None or not is_overdue(alert, now):
        return None
    alert.overdue_at = now
    alert._change_reason = "overdue"
    alert.save(update_fields=["overdue_at"])
    above = unit_above(alert.unit)
    escalation = None
    pending = Alert.objects.filter(complaint=alert.complaint, unit=above, acknowledged_at__isnull=True)
    if above is not None and not pending.exists():
        escalation = Alert.objects.create(
            complaint=alert.complaint,
            unit=above,
            priority=alert.priority,
            outcome=alert.outcome,
            reason="escalated",
            basis=Alert.Basis.ESCALATION,
            escalated_from=alert,
            created_at=now,
        )
        transaction.on_commit(lambda: _mail_alerts([escalation]))
    audit_record(
        event=AuditEventType.ALERT_ESCALATED,
        obj=alert,
        object_repr=str(alert),
        user_name=actor_name,
        details={
            "complaint": alert.complaint.number,
            "unit": alert.unit.code,
            "priority": alert.priority,
            "escalated_to": escalation.unit.code if escalation is not None else None,
            "escalation": escalation.pk if escalation is not None else None,
        },
    )
    return alert


__all__ = [
    "ComplaintData",
    "ComplaintError",
    "ComplaintPreview",
    "ConflictError",
    "FrozenRecordError",
    "NotAllowedError",
    "PlaceData",
    "StaleReviewError",
    "SuspectData",
    "VictimData",
    "alert_acknowledge",
    "alert_escalate",
    "check_origin",
    "check_paper_serial",
    "complaint_amend",
    "complaint_data_of",
    "complaint_facts",
    "complaint_file",
    "complaint_preview",
    "complaint_refuse_change",
    "complaint_register_imported",
    "complaint_save_draft",
    "complaint_submit",
    "review_fingerprint",
    "submission_problems",
    "validate_for_submission",
]
