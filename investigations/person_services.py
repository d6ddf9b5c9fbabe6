"""Every write of the persons of a case file (issue 11 item 2): add a person in a role (a new
identity, or an identity of the case's complaints), change what the case says of the person
(role in the organisation, recruitment method, code name), add what is learnt of the identity
(documents, aliases, addresses, phones, descriptions: people.models rows with source
"investigation" and the case file's number as reference) and close such a row (its `valid_to`;
nothing is deleted), upload a photograph or a fingerprint card, record a result for a victim or a
protective measure; and the logged reveal of identities.

Like investigations.services: each write is its own transaction retried on contention, checks
the policy and the scope under the case file's lock (`services._locked_case`), refuses bad input
with a Spanish message (`CaseFileError`, nothing saved) and writes its audit event in the same
transaction. An image file is written to the private storage before its row and removed again if
the row is not written.

May import: investigations (models, services, images), people, audit, reta, Django.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from administration.catalogues import Catalogue, catalogue_codes
from administration.models import District
from audit.events import AuditEventType
from audit.services import audit_record
from complaints.models import ComplaintSuspect, ComplaintVictim
from investigations.images import ImageRefused, clean_image
from investigations.models import (
    CaseComplaint,
    CaseFile,
    CasePerson,
    CasePersonRole,
    ImageKind,
    MeasureKind,
    OrganisationRole,
    PersonImage,
    ProtectiveMeasure,
    VictimOutcome,
)
from investigations.models.persons import person_image_path
from investigations.services import CaseFileError, _locked_case
from people import identifiers
from people import services as people_services
from people.catalogues import DocumentType, Sex
from people.matching import is_identified, name_key
from people.models import (
    Build,
    Identity,
    IdentityAddress,
    IdentityDescription,
    IdentityDocument,
    IdentityName,
    IdentityPhone,
    Source,
)
from reta.private_media import private_storage
from reta.transactions import retry_on_contention

TEXT_MAX = 4000
# The kinds of growing rows a person page adds and closes (URL slugs → models).
CLOSABLE = {
    "document": IdentityDocument,
    "alias": IdentityName,
    "address": IdentityAddress,
    "phone": IdentityPhone,
}
# Roles that may receive protective measures; results are for victims only.
PROTECTED_ROLES = frozenset({CasePersonRole.VICTIM, CasePersonRole.WITNESS, CasePersonRole.WHISTLEBLOWER})


# ---------------------------------------------------------------- helpers


def _locked_person(actor: Any, case_file: CaseFile | int, case_person_id: int) -> tuple[CaseFile, CasePerson]:
    case_file = _locked_case(actor, case_file)
    person = (
        CasePerson.objects.select_for_update()
        .filter(case_file=case_file, pk=case_person_id)
        .select_related("identity")
        .first()
    )
    if person is None:
        raise CaseFileError(_("This person is not in the case file."))
    return case_file, person


def _text(value: str, *, field: str, maximum: int, required: bool = False, message: str = "") -> str:
    """Stripped text; too long as typed, in NFKC or as a search key (people.matching) is refused."""
    value = (value or "").strip()
    if required and not value:
        raise CaseFileError(message or _("This field is required."), field=field)
    if max(len(value), len(unicodedata.normalize("NFKC", value)), len(name_key(value))) > maximum:
        raise CaseFileError(_("The text is too long."), field=field)
    return value


def _choice(value: str, choices: Any, *, field: str, required: bool = False) -> str:
    value = value or ""
    known = catalogue_codes(choices) if isinstance(choices, str) else choices.values  # an editable catalogue
    if (required or value) and value not in known:
        raise CaseFileError(_("Choose a value from the list."), field=field)
    return value


def _period(valid_from: datetime.date | None, valid_to: datetime.date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise CaseFileError(_("The end date is before the start date."), field="valid_to")


def _not_future(day: datetime.date | None, *, field: str) -> None:
    if day and day > timezone.localdate():
        raise CaseFileError(_("The date cannot be in the future."), field=field)


def _document(document_type: str, number: str, *, field: str = "number") -> str:
    try:
        return identifiers.normalise_document(document_type, number)
    except ValidationError as error:
        raise CaseFileError(" ".join(error.messages), field=field) from None


def _phone(number: str, *, field: str = "number") -> str:
    try:
        return identifiers.normalise_phone(number)
    except ValidationError as error:
        raise CaseFileError(" ".join(error.messages), field=field) from None


def _facts(case_file: CaseFile) -> dict[str, Any]:
    return {"source": Source.INVESTIGATION, "reference": case_file.number}


def _audit(event: AuditEventType, case_file: CaseFile, person: CasePerson, actor: Any, **details: Any) -> None:
    # No personal data in the trail: the person's row id, role and what was done.
    audit_record(
        event=event,
        obj=case_file,
        actor=actor,
        details={"case_person": person.pk, "role": person.role, **details},
    )


def _check_case_details(data: Any) -> dict[str, str]:
    """The fields of the person's part in the case, checked."""
    role = data.role
    code_name = _text(data.code_name, field="code_name", maximum=80)
    if role == CasePersonRole.WHISTLEBLOWER and not code_name:
        raise CaseFileError(_("A whistleblower is shown by a code name: give one."), field="code_name")
    return {
        "code_name": code_name,
        "organisation_role": _choice(data.organisation_role, OrganisationRole, field="organisation_role"),
        "recruitment_method": _choice(
            data.recruitment_method, Catalogue.RECRUITMENT_METHOD, field="recruitment_method"
        ),
        "recruitment_detail": _text(data.recruitment_detail, field="recruitment_detail", maximum=300),
        "notes": _text(data.notes, field="notes", maximum=TEXT_MAX),
    }


# ---------------------------------------------------------------- adding a person


@dataclass
class PersonData:
    """A person in a role: a new identity (names, sex, date of birth, nationality and optionally a
    document, an alias and a phone), or `identity_id` of a person of the case's complaints."""

    role: str
    identity_id: int | None = None
    first_names: str = ""
    last_names: str = ""
    sex: str = ""
    date_of_birth: datetime.date | None = None
    nationality: str = ""
    document_type: str = ""
    document_number: str = ""
    alias: str = ""
    phone: str = ""
    code_name: str = ""
    organisation_role: str = ""
    recruitment_method: str = ""
    recruitment_detail: str = ""
    notes: str = ""


def complaint_identities(case_file: CaseFile) -> list[dict[str, Any]]:
    """The identified persons of the case file's complaints (victims, alleged traffickers,
    complainants): identity id, the role they had and the complaint. Three queries."""
    complaint_ids = list(CaseComplaint.objects.filter(case_file=case_file).values_list("complaint_id", flat=True))
    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for model, role in (
        (ComplaintVictim, CasePersonRole.VICTIM),
        (ComplaintSuspect, CasePersonRole.ALLEGED_TRAFFICKER),
    ):
        found = (
            model.objects.filter(complaint_id__in=complaint_ids, person__identity__isnull=False)
            .order_by("complaint_id", "position", "pk")
            .values_list("person__identity_id", "complaint_id", "complaint__number")
        )
        for identity_id, complaint_id, number in found:
            if (identity_id, role) not in seen:
                seen.add((identity_id, role))
                rows.append({"identity_id": identity_id, "role": role, "complaint_id": complaint_id, "number": number})
    complainants = (
        CaseComplaint.objects.filter(case_file=case_file, complaint__complainant__identity__isnull=False)
        .order_by("complaint_id")
        .values_list("complaint__complainant__identity_id", "complaint_id", "complaint__number")
    )
    for identity_id, complaint_id, number in complainants:
        if (identity_id, CasePersonRole.COMPLAINANT) not in seen:
            seen.add((identity_id, CasePersonRole.COMPLAINANT))
            rows.append(
                {
                    "identity_id": identity_id,
                    "role": CasePersonRole.COMPLAINANT,
                    "complaint_id": complaint_id,
                    "number": number,
                }
            )
    return rows


def _new_identity(actor: Any, case_file: CaseFile, data: PersonData) -> Identity:
    first_names = _text(data.first_names, field="first_names", maximum=120)
    last_names = _text(data.last_names, field="last_names", maximum=120)
    document_number = (data.document_number or "").strip()
    document_type = _choice(data.document_type, DocumentType, field="document_type")
    if document_number and not document_type:
        raise CaseFileError(_("Choose the type of the document."), field="document_type")
    if document_number:
        document_number = _document(document_type, document_number, field="document_number")
    if not is_identified(first_names, last_names, document_number):
        raise CaseFileError(_("Give the person's names or a document number."), field="first_names")
    sex = _choice(data.sex, Sex, field="sex")
    nationality = (data.nationality or "").strip().upper()
    if nationality and (len(nationality) != 2 or not nationality.isalpha()):
        raise CaseFileError(_("Choose a nationality from the list."), field="nationality")
    _not_future(data.date_of_birth, field="date_of_birth")
    alias = _text(data.alias, field="alias", maximum=250)
    phone = _phone(data.phone, field="phone") if (data.phone or "").strip() else ""

    identity = Identity(
        first_names=first_names,
        last_names=last_names,
        sex=sex,
        date_of_birth=data.date_of_birth,
        nationality=nationality,
        created_in=getattr(actor, "unit", None),
    )
    identity.save()
    audit_record(
        event=AuditEventType.IDENTITY_CREATED,
        obj=identity,
        actor=actor,
        object_repr=str(identity),
        details={"source": Source.INVESTIGATION, "reference": case_file.number},
    )
    facts = _facts(case_file)
    if identity.full_name:
        people_services.identity_add_name(actor=actor, identity=identity, name=identity.full_name, **facts)
    if alias:
        people_services.identity_add_name(
            actor=actor, identity=identity, name=alias, kind=IdentityName.Kind.ALIAS, **facts
        )
    if document_number:
        people_services.identity_add_document(
            actor=actor, identity=identity, document_type=document_type, number=document_number, **facts
        )
    if phone:
        people_services.identity_add_phone(actor=actor, identity=identity, number=phone, **facts)
    return identity


@retry_on_contention()
def case_person_add(*, actor: Any, case_file: CaseFile | int, data: PersonData) -> CasePerson:
    """A person in a role in the case file: a new identity, or an identity of the case's
    complaints (pointed at, never copied). A person is in a role once."""
    case_file = _locked_case(actor, case_file)
    role = _choice(data.role, CasePersonRole, field="role", required=True)
    details = _check_case_details(data)
    source_complaint_id = None
    if data.identity_id:
        known = {row["identity_id"]: row for row in complaint_identities(case_file)}
        if int(data.identity_id) not in known:
            raise CaseFileError(_("Choose a person of the case file's complaints."), field="identity")
        identity = Identity.objects.get(pk=data.identity_id)
        source_complaint_id = known[int(data.identity_id)]["complaint_id"]
    else:
        identity = None
    if identity is not None and CasePerson.objects.filter(case_file=case_file, identity=identity, role=role).exists():
        raise CaseFileError(_("This person is already in the case file in this role."), field="role")
    if identity is None:
        identity = _new_identity(actor, case_file, data)
    person = CasePerson.objects.create(
        case_file=case_file,
        identity=identity,
        role=role,
        source_complaint_id=source_complaint_id,
        added_by=actor,
        **details,
    )
    _audit(AuditEventType.CASE_PERSON_ADDED, case_file, person, actor, new_identity=source_complaint_id is None)
    return person


@retry_on_contention()
def case_person_update(*, actor: Any, case_file: CaseFile | int, case_person_id: int, data: Any) -> CasePerson:
    """The person's part in the case: code name, role in the organisation, recruitment method and
    its details, notes (every version kept in the history)."""
    case_file, person = _locked_person(actor, case_file, case_person_id)
    data.role = person.role
    details = _check_case_details(data)
    changed = [name for name, value in details.items() if getattr(person, name) != value]
    for name, value in details.items():
        setattr(person, name, value)
    if changed:
        person.save(update_fields=changed)
    _audit(AuditEventType.CASE_PERSON_CHANGED, case_file, person, actor, changed=sorted(changed))
    return person


# ---------------------------------------------------------------- what is learnt of the identity


@retry_on_contention()
def case_person_add_document(
    *,
    actor: Any,
    case_file: CaseFile | int,
    case_person_id: int,
    document_type: str,
    number: str,
    issuing_country: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> IdentityDocument:
    case_file, person = _locked_person(actor, case_file, case_person_id)
    document_type = _choice(document_type, DocumentType, field="document_type", required=True)
    number = _document(document_type, number)
    country = (issuing_country or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise CaseFileError(_("Choose a country from the list."), field="issuing_country")
    _period(valid_from, valid_to)
    row = people_services.identity_add_document(
        actor=actor,
        identity=person.identity,
        document_type=document_type,
        number=number,
        issuing_country=country,
        valid_from=valid_from,
        valid_to=valid_to,
        **_facts(case_file),
    )
    _audit(AuditEventType.CASE_PERSON_CHANGED, case_file, person, actor, added="document")
    return row


@retry_on_contention()
def case_person_add_alias(
    *,
    actor: Any,
    case_file: CaseFile | int,
    case_person_id: int,
    name: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> IdentityName:
    case_file, person = _locked_person(actor, case_file, case_person_id)
    name = _text(name, field="name", maximum=250, required=True, message=_("Type the alias."))
    _period(valid_from, valid_to)
    row = people_services.identity_add_name(
        actor=actor,
        identity=person.identity,
        name=name,
        kind=IdentityName.Kind.ALIAS,
        valid_from=valid_from,
        valid_to=valid_to,
        **_facts(case_file),
    )
    _audit(AuditEventType.CASE_PERSON_CHANGED, case_file, person, actor, added="alias")
    return row


@retry_on_contention()
def case_person_add_address(
    *,
    actor: Any,
    case_file: CaseFile | int,
    case_person_id: int,
    district: District | None,
    address: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> IdentityAddress:
    case_file, person = _locked_person(actor, case_file, case_person_id)
    address = _text(address, field="address", maximum=300)
    if district is None and not address:
        raise CaseFileError(_("Choose the district or type the address."), field="address")
    _period(valid_from, valid_to)
    row = people_services.identity_add_address(
        actor=actor,
        identity=person.identity,
        district=district,
        address=address,
        valid_from=valid_from,
        valid_to=valid_to,
        **_facts(case_file),
    )
    _audit(AuditEventType.CASE_PERSON_CHANGED, case_file, person, actor, added="address")
    return row


@retry_on_contention()
def case_person_add_phone(
    *,
    actor: Any,
    case_file: CaseFile | int,
    case_person_id: int,
    number: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> IdentityPhone:
    case_file, person = _locked_person(actor, case_file, case_person_id)
    number = _phone(number)
    _period(valid_from, valid_to)
    row = people_services.identity_add_phone(
        actor=actor,
        identity=person.identity,
        number=number,
        valid_from=valid_from,
        valid_to=valid_to,
        **_facts(case_file),
    )
    _audit(AuditEventType.CASE_PERSON_CHANGED, case_file, person, actor, added="phone")
    return row


@dataclass
class DescriptionData:
    observed_on: datetime.date | None = None
    height_cm: int | None = None
    build: str = ""
    hair: str = ""
    eyes: str = ""
    marks: str = ""
    text: str = ""


@retry_on_contention()
def case_person_add_description(
    *, actor: Any, case_file: CaseFile | int, case_person_id: int, data: DescriptionData
) -> IdentityDescription:
    case_file, person = _locked_person(actor, case_file, case_person_id)
    _not_future(data.observed_on, field="observed_on")
    if data.height_cm is not None and not 40 <= data.height_cm <= 250:
        raise CaseFileError(_("Give the height in centimetres (40 to 250)."), field="height_cm")
    row = IdentityDescription(
        identity=person.identity,
        observed_on=data.observed_on,
        height_cm=data.height_cm,
        build=_choice(data.build, Build, field="build"),
        hair=_text(data.hair, field="hair", maximum=120),
        eyes=_text(data.eyes, field="eyes", maximum=120),
        marks=_text(data.marks, field="marks", maximum=300),
        text=_text(data.text, field="text", maximum=TEXT_MAX),
        source=Source.INVESTIGATION,
        source_reference=case_file.number,
        recorded_by=actor,
    )
    if not any((row.height_cm, row.build, row.hair, row.eyes, row.marks, row.text)):
        raise CaseFileError(_("Describe at least one feature."), field="text")
    row.save()
    audit_record(
        event=AuditEventType.IDENTITY_CHANGED,
        obj=person.identity,
        actor=actor,
        object_repr=str(person.identity),
        details={"added": "description", "source": Source.INVESTIGATION},
    )
    _audit(AuditEventType.CASE_PERSON_CHANGED, case_file, person, actor, added="description")
    return row


@retry_on_contention()
def case_person_close_fact(
    *, actor: Any, case_file: CaseFile | int, case_person_id: int, kind: str, fact_id: int, valid_to: datetime.date
) -> Any:
    """A document, alias, address or phone no longer in use from `valid_to` (the row stays)."""
    case_file, person = _locked_person(actor, case_file, case_person_id)
    model = CLOSABLE.get(kind)
    if model is None:
        raise CaseFileError(_("This cannot be closed."))
    row = model.objects.select_for_update().filter(identity=person.identity, pk=fact_id).first()
    if row is None or (model is IdentityName and row.kind != IdentityName.Kind.ALIAS):
        raise CaseFileError(_("This row does not belong to the person."))
    if row.valid_to is not None:
        raise CaseFileError(_("This row was closed already."), field="valid_to")
    if valid_to is None:
        raise CaseFileError(_("Give the date it stopped being valid."), field="valid_to")
    _period(row.valid_from, valid_to)
    row.valid_to = valid_to
    row.save(update_fields=["valid_to"])
    audit_record(
        event=AuditEventType.IDENTITY_CHANGED,
        obj=person.identity,
        actor=actor,
        object_repr=str(person.identity),
        details={"closed": kind, "source": Source.INVESTIGATION},
    )
    _audit(AuditEventType.CASE_PERSON_CHANGED, case_file, person, actor, closed=kind)
    return row


# ---------------------------------------------------------------- images


def case_person_add_image(
    *,
    actor: Any,
    case_file: CaseFile | int,
    case_person_id: int,
    upload: Any,
    kind: str = ImageKind.PHOTO,
    caption: str = "",
    taken_on: datetime.date | None = None,
) -> PersonImage:
    """A photograph or fingerprint card: checked and re-encoded without metadata
    (investigations.images), written to the private storage, then recorded. Nothing is kept when
    it is refused."""
    kind = _choice(kind, ImageKind, field="kind", required=True)
    caption = _text(caption, field="caption", maximum=200)
    _not_future(taken_on, field="taken_on")
    try:
        clean = clean_image(upload)
    except ImageRefused as error:
        raise CaseFileError(error.message, field="file") from None
    storage = private_storage()
    name = storage.save(
        person_image_path(SimpleNamespace(case_person_id=case_person_id), f"image.{clean.extension}"),
        ContentFile(clean.content),
    )
    try:
        return _record_image(
            actor=actor,
            case_file=case_file,
            case_person_id=case_person_id,
            name=name,
            clean=clean,
            kind=kind,
            caption=caption,
            taken_on=taken_on,
        )
    except BaseException:
        storage.delete(name)
        raise


@retry_on_contention()
def _record_image(
    *,
    actor: Any,
    case_file: CaseFile | int,
    case_person_id: int,
    name: str,
    clean: Any,
    kind: str,
    caption: str,
    taken_on: datetime.date | None,
) -> PersonImage:
    case_file, person = _locked_person(actor, case_file, case_person_id)
    image = PersonImage(
        case_person=person,
        kind=kind,
        content_type=clean.content_type,
        sha256=clean.sha256,
        width=clean.width,
        height=clean.height,
        size=len(clean.content),
        caption=caption,
        taken_on=taken_on,
        uploaded_by=actor,
    )
    image.file.name = name
    image.save()
    _audit(
        AuditEventType.CASE_PERSON_IMAGE_ADDED, case_file, person, actor, image=image.pk, kind=kind, sha256=clean.sha256
    )
    return image


# ---------------------------------------------------------------- victims


@retry_on_contention()
def case_person_add_outcome(
    *,
    actor: Any,
    case_file: CaseFile | int,
    case_person_id: int,
    result: str,
    on_date: datetime.date | None,
    institution: str = "",
    notes: str = "",
) -> VictimOutcome:
    case_file, person = _locked_person(actor, case_file, case_person_id)
    if person.role != CasePersonRole.VICTIM:
        raise CaseFileError(_("Results are recorded for victims only."))
    result = _choice(result, Catalogue.VICTIM_OUTCOME, field="result", required=True)
    if on_date is None:
        raise CaseFileError(_("Give the date."), field="on_date")
    _not_future(on_date, field="on_date")
    outcome = VictimOutcome.objects.create(
        case_person=person,
        result=result,
        on_date=on_date,
        institution=_text(institution, field="institution", maximum=200),
        notes=_text(notes, field="notes", maximum=TEXT_MAX),
        recorded_by=actor,
    )
    _audit(AuditEventType.CASE_PERSON_OUTCOME_RECORDED, case_file, person, actor, result=result)
    return outcome


@retry_on_contention()
def case_person_add_measure(
    *,
    actor: Any,
    case_file: CaseFile | int,
    case_person_id: int,
    kind: str,
    ordered_on: datetime.date | None,
    ordered_by: str,
    ends_on: datetime.date | None = None,
    text: str = "",
) -> ProtectiveMeasure:
    case_file, person = _locked_person(actor, case_file, case_person_id)
    if person.role not in PROTECTED_ROLES:
        raise CaseFileError(_("Protective measures are for victims, witnesses and whistleblowers."))
    kind = _choice(kind, MeasureKind, field="kind", required=True)
    if ordered_on is None:
        raise CaseFileError(_("Give the date."), field="ordered_on")
    _not_future(ordered_on, field="ordered_on")
    if ends_on and ends_on < ordered_on:
        raise CaseFileError(_("The end date is before the start date."), field="ends_on")
    measure = ProtectiveMeasure.objects.create(
        case_person=person,
        kind=kind,
        ordered_on=ordered_on,
        ordered_by=_text(
            ordered_by, field="ordered_by", maximum=200, required=True, message=_("Say who ordered the measure.")
        ),
        ends_on=ends_on,
        text=_text(text, field="text", maximum=TEXT_MAX),
        recorded_by=actor,
    )
    _audit(AuditEventType.CASE_PERSON_MEASURE_RECORDED, case_file, person, actor, kind=kind)
    return measure


# ---------------------------------------------------------------- the reveal


def case_persons_reveal(*, actor: Any, case_file: CaseFile, persons: list[Any], screen: str) -> None:
    """THE logged reveal of the identities of a case file's persons (people.services.identity_reveal:
    `identity_shown`, counts only) before the page shows them. `persons`: the rows shown, each with
    `role_code` and `minor` (people.privacy's tri-state), e.g. selectors.PersonRow."""
    victims = [SimpleNamespace(age=None, minor=row.minor) for row in persons if row.role_code == CasePersonRole.VICTIM]
    people_services.identity_reveal(
        actor=actor,
        obj=case_file,
        victims=victims,
        suspects=sum(1 for row in persons if row.role_code == CasePersonRole.ALLEGED_TRAFFICKER),
        where={"screen": screen, "persons": ",".join(str(row.pk) for row in persons)[:500]},
    )


__all__ = [
    "CLOSABLE",
    "PROTECTED_ROLES",
    "DescriptionData",
    "PersonData",
    "case_person_add",
    "case_person_add_address",
    "case_person_add_alias",
    "case_person_add_description",
    "case_person_add_document",
    "case_person_add_image",
    "case_person_add_measure",
    "case_person_add_outcome",
    "case_person_add_phone",
    "case_person_close_fact",
    "case_person_update",
    "case_persons_reveal",
    "complaint_identities",
]
