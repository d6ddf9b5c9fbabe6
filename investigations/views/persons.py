"""The persons pages of a case file (issue 11 item 2): the list of persons in roles, a page per
person, the forms that add a person, change the person's part in the case, add what is learnt of
the identity (documents, aliases, addresses, phones, descriptions), close such a row, upload a
photograph or fingerprint card, record a result or a protective measure for a victim; and the view
that serves an image.

Access: every page fetches the case file through `case_files._readable` (404 outside the scope,
and for the station, the hotline, the monitor...), the forms through `_workable` (403 for a unit
the case file is shared with); a person, fact or image not of this case file is a 404.
Privacy (people.privacy, investigations.selectors.shown_name): names, documents, aliases, phones,
addresses, dates of birth and images are shown only in the response to the POST "Show identity",
which writes `identity_shown` first (person_services.case_persons_reveal); a minor victim is never
named in a list. Every person page and every image served is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.events import AuditEventType
from audit.services import audit_record
from investigations import person_services, policies, selectors
from investigations import services as case_services
from investigations.models import CaseFile, CasePerson, CasePersonRole
from investigations.person_forms import (
    AddressForm,
    AliasForm,
    CasePartForm,
    CloseForm,
    DescriptionForm,
    DocumentForm,
    ImageForm,
    MeasureForm,
    OutcomeForm,
    PersonForm,
    PhoneForm,
)
from investigations.views.case_files import _form_saved, _readable, _workable
from people import privacy
from people.policies import can_view_identity, can_view_minor_identity
from reta.private_media import private_storage

SECTION = "persons"
REFRESH = "refresh"


def _list_url(case_file: CaseFile) -> str:
    return reverse("investigations:case_person_list", args=[case_file.pk])


def _person_url(case_file: CaseFile, person_pk: int, anchor: str = "") -> str:
    url = reverse("investigations:case_person_detail", args=[case_file.pk, person_pk])
    return f"{url}#{anchor}" if anchor else url


def _person(case_file: CaseFile, person_pk: int) -> CasePerson:
    """The person row (404 if not of this case file), with its identity, for the forms' pages."""
    return selectors.case_person_row(case_file, person_pk)


def _form_page(request: HttpRequest, case_file: CaseFile, form: Any, *, title: str, **extra: Any) -> HttpResponse:
    context = {"case_file": case_file, "section": SECTION, "form": form, "title": title, **extra}
    return render(request, "investigations/case_person_form.html", context)


# ---------------------------------------------------------------- the list


@require_http_methods(["GET", "POST"])
def case_person_list(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the persons, masked. POST: the same list after the logged reveal (adults' names; minor
    victims stay unnamed, whistleblowers by code name)."""
    case_file = _readable(request, pk)
    revealed = request.method == "POST"
    if revealed and not can_view_identity(request.user):
        raise PermissionDenied
    persons = selectors.persons_of(case_file, revealed=revealed)
    if revealed:
        person_services.case_persons_reveal(
            actor=request.user, case_file=case_file, persons=persons, screen="case_person_list"
        )
    else:
        audit_record(event=AuditEventType.CASE_FILE_VIEWED, obj=case_file, details={"section": SECTION})
    context = {
        "case_file": case_file,
        "section": SECTION,
        "persons": persons,
        "revealed": revealed,
        "can_reveal": can_view_identity(request.user),
        "can_work": policies.can_work_case_file(request.user, case_file),
    }
    return render(request, "investigations/case_person_list.html", context)


@require_http_methods(["GET", "POST"])
def case_person_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A person in a role: one of the case's complaints' identities, or a new identity."""
    case_file = _workable(request, pk)
    identities = [
        (str(row["identity_id"]), _identity_label(row)) for row in person_services.complaint_identities(case_file)
    ]
    form = PersonForm(request.POST or None, identities=identities)
    added: list[CasePerson] = []

    def add(data: dict[str, Any]) -> None:
        person_data = person_services.PersonData(
            role=data["role"],
            identity_id=int(data["identity"]) if data.get("identity") else None,
            first_names=data["first_names"],
            last_names=data["last_names"],
            sex=data["sex"],
            date_of_birth=data["date_of_birth"],
            nationality=data["nationality"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            alias=data["alias"],
            phone=data["phone"],
            code_name=data["code_name"],
            organisation_role=data["organisation_role"],
            recruitment_method=data["recruitment_method"],
            recruitment_detail=data["recruitment_detail"],
            notes=data["notes"],
        )
        added.append(person_services.case_person_add(actor=request.user, case_file=case_file, data=person_data))

    if _form_saved(request, form, add, _("Person added to the case file.")):
        return redirect(_person_url(case_file, added[0].pk))
    return _form_page(request, case_file, form, title=_("Add a person"), submit_id="person-submit")


def _identity_label(row: dict[str, Any]) -> str:
    """A person of the complaints in the choice list: the role and the complaint, never a name
    (the list is seen without a reveal)."""
    role = CasePersonRole(row["role"]).label
    return _("%(role)s of complaint %(number)s (person no. %(identity)s)") % {
        "role": role,
        "number": row["number"],
        "identity": row["identity_id"],
    }


# ---------------------------------------------------------------- one person


@dataclass
class FactRow:
    row: Any
    kind: str  # the URL slug of CLOSE_KINDS
    shown: str


def _facts(person: CasePerson, *, show: bool) -> dict[str, list[FactRow]]:
    mask = privacy.MASK
    identity = person.identity
    documents = [FactRow(row, "documento", row.number if show else mask) for row in identity.documents.all()]
    aliases = [
        FactRow(row, "alias", row.name if show else str(privacy.SCREEN.withheld))
        for row in identity.names.all()
        if row.kind == row.Kind.ALIAS
    ]
    phones = [FactRow(row, "telefono", row.number if show else mask) for row in identity.phones.all()]
    addresses = [
        FactRow(row, "domicilio", row.address if show else (str(privacy.SCREEN.withheld) if row.address else ""))
        for row in identity.addresses.all()
    ]
    return {"documents": documents, "aliases": aliases, "phones": phones, "addresses": addresses}


@require_http_methods(["GET", "POST"])
def case_person_detail(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """GET: the person masked (as the list names her or him; no values, no images). POST: after
    the logged reveal, the identity, its rows and the images."""
    case_file = _readable(request, pk)
    person = selectors.case_person_of(case_file, person_pk)
    minor = selectors.person_minor(person, case_file)
    revealed = request.method == "POST"
    if revealed and not can_view_identity(request.user):
        raise PermissionDenied
    show = revealed and (minor is False or can_view_minor_identity(request.user))
    if revealed:
        row = selectors.PersonRow(
            pk=person.pk,
            role=person.get_role_display(),
            role_code=person.role,
            shown="",
            minor=minor,
            complaint="",
            added_at=person.added_at,
            organisation_role="",
            recruitment_method="",
        )
        person_services.case_persons_reveal(
            actor=request.user, case_file=case_file, persons=[row], screen="case_person_detail"
        )
    audit_record(
        event=AuditEventType.CASE_PERSON_VIEWED,
        obj=case_file,
        details={"case_person": person.pk, "role": person.role, "revealed": show},
    )
    context = {
        "case_file": case_file,
        "section": SECTION,
        "person": person,
        "identity": person.identity,
        "minor": minor,
        "protected": minor is not False,
        "shown": selectors.shown_name(person, minor=minor, revealed=show, in_list=False),
        "revealed": show,
        "can_reveal": can_view_identity(request.user),
        "can_work": policies.can_work_case_file(request.user, case_file),
        "is_victim": person.role == CasePersonRole.VICTIM,
        "may_have_measures": person.role in person_services.PROTECTED_ROLES,
        "images": list(person.images.all()),
        "outcomes": list(person.outcomes.all()),
        "measures": list(person.protective_measures.all()),
        "descriptions": list(person.identity.descriptions.all()),
        "close_form": CloseForm(),
        **_facts(person, show=show),
    }
    return render(request, "investigations/case_person_detail.html", context)


@require_http_methods(["GET", "POST"])
def case_person_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """The person's part in the case: code name, role in the organisation, recruitment."""
    case_file = _workable(request, pk)
    person = _person(case_file, person_pk)
    initial = {name: getattr(person, name) for name in CasePartForm.base_fields}
    form = CasePartForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> None:
        person_services.case_person_update(
            actor=request.user,
            case_file=case_file,
            case_person_id=person.pk,
            data=person_services.PersonData(role=person.role, **data),
        )

    if _form_saved(request, form, save, _("Saved.")):
        return redirect(_person_url(case_file, person.pk))
    return _form_page(
        request, case_file, form, title=_("Part in the case"), person=person, submit_id="case-part-submit"
    )


# ---------------------------------------------------------------- what is learnt of the person


@dataclass(frozen=True)
class FactKind:
    form: Any
    title: Any
    anchor: str
    save: Callable[..., Any]
    allowed: Callable[[CasePerson], bool] = lambda person: True


def _add_document(**kw: Any) -> Any:
    data = kw.pop("data")
    return person_services.case_person_add_document(**kw, **data)


def _add_alias(**kw: Any) -> Any:
    data = kw.pop("data")
    return person_services.case_person_add_alias(**kw, **data)


def _add_phone(**kw: Any) -> Any:
    data = kw.pop("data")
    return person_services.case_person_add_phone(**kw, **data)


def _add_address(**kw: Any) -> Any:
    data = kw.pop("data")
    return person_services.case_person_add_address(
        **kw,
        district=data["district"],
        address=data["address"],
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
    )


def _add_description(**kw: Any) -> Any:
    data = kw.pop("data")
    return person_services.case_person_add_description(**kw, data=person_services.DescriptionData(**data))


def _add_outcome(**kw: Any) -> Any:
    data = kw.pop("data")
    return person_services.case_person_add_outcome(**kw, **data)


def _add_measure(**kw: Any) -> Any:
    data = kw.pop("data")
    return person_services.case_person_add_measure(**kw, **data)


# URL slug (Spanish, as the other URLs) → what it adds.
FACT_KINDS: dict[str, FactKind] = {
    "documento": FactKind(DocumentForm, gettext_lazy("Add a document"), "documents", _add_document),
    "alias": FactKind(AliasForm, gettext_lazy("Add an alias"), "aliases", _add_alias),
    "telefono": FactKind(PhoneForm, gettext_lazy("Add a phone"), "phones", _add_phone),
    "domicilio": FactKind(AddressForm, gettext_lazy("Add an address"), "addresses", _add_address),
    "descripcion": FactKind(
        DescriptionForm, gettext_lazy("Add a physical description"), "descriptions", _add_description
    ),
    "resultado": FactKind(
        OutcomeForm,
        gettext_lazy("Record a result for the victim"),
        "outcomes",
        _add_outcome,
        lambda person: person.role == CasePersonRole.VICTIM,
    ),
    "medida": FactKind(
        MeasureForm,
        gettext_lazy("Record a protective measure"),
        "measures",
        _add_measure,
        lambda person: person.role in person_services.PROTECTED_ROLES,
    ),
}
# URL slug of a closable row → person_services.CLOSABLE key.
CLOSE_KINDS = {"documento": "document", "alias": "alias", "telefono": "phone", "domicilio": "address"}


@require_http_methods(["GET", "POST"])
def case_person_fact_add(request: HttpRequest, pk: int, person_pk: int, kind: str) -> HttpResponse:
    case_file = _workable(request, pk)
    fact = FACT_KINDS.get(kind)
    if fact is None:
        raise Http404
    person = _person(case_file, person_pk)
    if not fact.allowed(person):
        raise Http404
    refresh = request.method == "POST" and request.POST.get("action") == REFRESH
    form = fact.form(request.POST or None)
    if refresh:
        form.is_valid()  # re-render with the lists of the place chosen; nothing is saved
        form.errors.clear()
    else:

        def save(data: dict[str, Any]) -> None:
            fact.save(actor=request.user, case_file=case_file, case_person_id=person.pk, data=data)

        if _form_saved(request, form, save, _("Saved.")):
            return redirect(_person_url(case_file, person.pk, fact.anchor))
    return _form_page(
        request,
        case_file,
        form,
        title=str(fact.title),
        person=person,
        submit_id=f"{kind}-submit",
        refresh=fact.form is AddressForm,
    )


@require_POST
def case_person_fact_close(request: HttpRequest, pk: int, person_pk: int, kind: str, fact_pk: int) -> HttpResponse:
    """A document, alias, phone or address no longer valid from a date (the row stays)."""
    case_file = _workable(request, pk)
    if kind not in CLOSE_KINDS:
        raise Http404
    person = _person(case_file, person_pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date it stopped being valid."))
        return redirect(_person_url(case_file, person.pk))
    try:
        person_services.case_person_close_fact(
            actor=request.user,
            case_file=case_file,
            case_person_id=person.pk,
            kind=CLOSE_KINDS[kind],
            fact_id=fact_pk,
            valid_to=form.cleaned_data["valid_to"],
        )
    except case_services.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    except case_services.CaseFileError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Closed: the row is kept with its end date."))
    return redirect(_person_url(case_file, person.pk))


# ---------------------------------------------------------------- images


@require_http_methods(["GET", "POST"])
def case_person_image_add(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    person = _person(case_file, person_pk)
    form = ImageForm(request.POST or None, request.FILES or None)

    def save(data: dict[str, Any]) -> None:
        person_services.case_person_add_image(
            actor=request.user,
            case_file=case_file,
            case_person_id=person.pk,
            upload=data["file"],
            kind=data["kind"],
            caption=data["caption"],
            taken_on=data["taken_on"],
        )

    if _form_saved(request, form, save, _("Image uploaded.")):
        return redirect(_person_url(case_file, person.pk, "images"))
    return _form_page(
        request,
        case_file,
        form,
        title=_("Upload a photograph or fingerprint card"),
        person=person,
        upload=True,
        submit_id="image-submit",
    )


@require_GET
def case_person_image(request: HttpRequest, pk: int, person_pk: int, image_pk: int) -> FileResponse:
    """The image itself, only through this view: 404 outside the scope or when it is not of this
    person of this case file; audited; never cached, never sniffed."""
    case_file = _readable(request, pk)
    image = selectors.case_person_image(case_file, person_pk, image_pk)
    storage = private_storage()
    try:
        handle = storage.open(image.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_record(
        event=AuditEventType.CASE_PERSON_IMAGE_VIEWED,
        obj=case_file,
        details={"case_person": image.case_person_id, "image": image.pk, "kind": image.kind},
    )
    response = FileResponse(handle, content_type=image.content_type)
    extension = "jpg" if image.content_type == "image/jpeg" else "png"
    response["Content-Disposition"] = f'inline; filename="imagen-{image.pk}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
