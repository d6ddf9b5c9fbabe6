"""Views of the Reporting module (form): filing a complaint on one page, editing a draft, the
result shown right after registration, and the place lists (UBIGEO) the form uses.

The page works without JavaScript. The buttons of the form say what to do (`action`):
  save_draft                - validate, then complaint_save_draft (POST/redirect/GET)
  register                  - validate everything at once (the form's checks and every reason the
                              services would refuse), save the draft, then the review page:
                              every field as it will be frozen, the classification, the units that
                              would be alerted and the warnings; only its "Confirm and register"
                              numbers, alerts and freezes (complaint_submit)
  add_victim / add_suspect  - re-render with one more blank row, saving nothing
  refresh                   - re-render with the province and district lists of the place chosen
  remove_victim=<i> / remove_suspect=<i> - re-render without that row
  add_place / remove_place=<i> - the places of the route (templates/complaints/_places_fields.html)
Anything else (e.g. Enter pressed in a field) re-renders too: only the two save buttons save.

A form sent after its session expired is kept for its user (complaints.pending) and handed back
on this page after signing in again: the form views are `keeps_expired_post`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from administration.catalogues import Catalogue, catalogue_label
from administration.extra_fields import ExtraValuesForm, fields_on
from administration.models import ExtraField
from administration.places import district_choices, province_choices
from complaints import classification_text, pending, policies
from complaints.alerts import describe, no_account_notes
from complaints.catalogues import DocumentType, Minor, Origin, Sex
from complaints.duplicates import find_possible_duplicates
from complaints.forms import NATIONALITY_CHOICES, ComplaintEntry
from complaints.glossary import GLOSSARY
from complaints.models import Complaint, PlaceRole
from complaints.review import form_warnings
from complaints.rules.codes import (
    AGGRAVATIONS_BY_CODE,
    CATEGORY_LABELS,
    ELEMENTS,
    GROUP_LABELS,
    GROUPS,
    OUTCOME_LABELS,
    RELATED_CRIME,
    RELATED_CRIMES_BY_CODE,
    TRAFFICKING,
    TRAFFICKING_INCOMPLETE,
    WARNING_MSGIDS,
)
from complaints.selectors import access_complaint
from complaints.services import (
    ComplaintData,
    ComplaintError,
    NotAllowedError,
    StaleReviewError,
    check_origin,
    check_paper_serial,
    complaint_data_of,
    complaint_file,
    complaint_preview,
    complaint_refuse_change,
    complaint_save_draft,
    complaint_submit,
    review_fingerprint,
    submission_problems,
)

SAVE_DRAFT = "save_draft"
REGISTER = "register"
ADD_VICTIM = "add_victim"
ADD_SUSPECT = "add_suspect"
REFRESH = "refresh"
CONFIRM = "confirm"
# Fields of the review's confirmation that the duplicate check (issue 10.3) will read.
DUPLICATE_FIELDS = ("duplicate_of", "duplicate_decision")
ADD_PLACE = "add_place"


# ---------------------------------------------------------------- the stored classification, in words


def _label(table: dict[str, Any], code: str) -> str:
    return table[code].label if code in table else code


def classification_context(complaint: Complaint) -> dict[str, Any] | None:
    """The stored classification of `complaint` in words, for `complaints/_classification.html`.

    None while the complaint is not classified (a draft). Outcome, alert, warnings, degrees and the
    explanation are in the interface language (complaints.classification_text); the legal terms
    (categories, circumstances, related crimes) are Spanish in every language (rules/codes.py).
    """
    result = complaint.classification or {}
    outcome = complaint.outcome or result.get("outcome")
    if not outcome:
        return None
    categories = [CATEGORY_LABELS.get(code, code) for code in complaint.purpose_categories or []]
    related = [
        {
            "label": RELATED_CRIMES_BY_CODE[item["code"]].label
            if item["code"] in RELATED_CRIMES_BY_CODE
            else item["code"],
            "article": item.get("article", ""),
        }
        for item in result.get("related_crimes", [])
    ]
    if outcome in (TRAFFICKING, TRAFFICKING_INCOMPLETE):
        heading = gettext("trafficking in persons")
        if outcome == TRAFFICKING_INCOMPLETE:
            heading = gettext("possible trafficking in persons")
        if categories:
            heading += " — " + ", ".join(categories)
    elif outcome == RELATED_CRIME and related:
        heading = gettext("related crime") + " — " + ", ".join(item["label"] for item in related)
    else:
        heading = ""
    return {
        "outcome": outcome,
        "outcome_label": classification_text.outcome_label(outcome),
        "heading": heading,
        "categories": categories,
        "law": complaint.law_profile or result.get("law", ""),
        "article": result.get("article") or "",
        "aggravating": [
            {
                "label": AGGRAVATIONS_BY_CODE[item["code"]].label
                if item["code"] in AGGRAVATIONS_BY_CODE
                else item["code"],
                "degree": classification_text.degree_label(item.get("degree")),
                "article": item.get("article", ""),
            }
            for item in result.get("aggravating", [])
        ],
        "related_crimes": related,
        "warnings": [classification_text.warning_message(code) for code in result.get("warnings", [])],
        "explanation": classification_text.explanation(complaint),  # in the interface language
        "alert": complaint.alert_priority or result.get("alert") or "",
        "alert_label": classification_text.alert_label(complaint.alert_priority or result.get("alert")),
    }


# ---------------------------------------------------------------- the form


def _extra_form(request: HttpRequest, complaint: Complaint | None) -> ExtraValuesForm:
    """The research variables in force today (administration.extra_fields), plus those the draft
    already has a value for; bound to the POST when there is one."""
    rows = list(complaint.extra_values.select_related("field")) if complaint is not None else []
    variables = fields_on(ExtraField.Target.COMPLAINT, timezone.localdate(), keep=[row.field_id for row in rows])
    data = request.POST if request.method == "POST" else None
    return ExtraValuesForm(data, variables=variables, initial={row.field.code: row.value for row in rows})


def _render_form(
    request: HttpRequest,
    entry: ComplaintEntry,
    *,
    complaint: Complaint | None = None,
    status: int = 200,
    extra: ExtraValuesForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "complaints/complaint_form.html",
        {
            "entry": entry,
            "form": entry.form,
            "extra_form": extra if extra is not None else _extra_form(request, complaint),
            "complaint": complaint,
            "registering_unit": complaint.registering_unit if complaint is not None else request.user.unit,
            "errors": entry.error_summary(),
            "ubigeo_url": reverse("complaints:ubigeo_children", kwargs={"code": "CODE"}),
            "resume_key": pending.resume_key(request.user, _raw_token(entry), complaint),
            "idle_seconds": settings.SESSION_IDLE_SECONDS,
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
            "keepalive_url": reverse("complaints:session_keepalive"),
            "help_url": reverse("complaints:complaint_help"),
        },
        status=status,
    )


def _raw_token(entry: ComplaintEntry) -> str:
    value = entry.form["form_token"].value()
    return value if isinstance(value, str) else ""


def _row_index(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _save(
    request: HttpRequest,
    entry: ComplaintEntry,
    *,
    action: str,
    complaint: Complaint | None,
    extra: ExtraValuesForm | None = None,
) -> Complaint:
    """Hand the entry to the services. The same form sent twice gives one record (SECURITY.md 26)."""
    user = request.user
    data = entry.to_data()
    token = entry.form_token
    if complaint is None and token:
        earlier = Complaint.objects.visible_to(user).filter(form_token=token).first()
        if earlier is not None and earlier.is_frozen:
            return earlier  # registered by the first sending of this form
        if earlier is not None and policies.can_edit_draft(user, earlier):
            complaint = earlier  # saved as a draft by an earlier sending of this form: carry on with it
    if complaint is None:
        if action == REGISTER:
            return complaint_file(actor=user, data=data, form_token=token or None)
        return complaint_save_draft(actor=user, data=data, form_token=token or None, extra_values=_stored(extra))
    if action == REGISTER:
        # Save the draft and register it in one transaction: a refusal leaves the draft as it was.
        return complaint_file(actor=user, data=data, complaint=complaint)
    return complaint_save_draft(actor=user, data=data, complaint=complaint, extra_values=_stored(extra))


def _stored(extra: ExtraValuesForm | None) -> dict[Any, str] | None:
    return extra.stored() if extra is not None and extra.is_valid() else None


def _ready_to_review(request: HttpRequest, entry: ComplaintEntry) -> bool:
    """Every reason the registration would be refused, all at once, each next to its field (the
    services check them again when the complaint is confirmed)."""
    data = entry.to_data()
    problems = submission_problems(data)
    for check in (check_origin, lambda _user, data: check_paper_serial(data, request.user.unit)):
        try:
            check(request.user, data)
        except ComplaintError as error:
            problems.append(error)
    for problem in problems:
        entry.add_service_error(problem)
    return not problems


def _handle(request: HttpRequest, *, complaint: Complaint | None) -> HttpResponse:
    if request.method != "POST":
        restored = pending.take(request.user, complaint=complaint)
        if restored is not None:
            messages.info(
                request,
                _(
                    "Your session had expired when you sent this form: here is everything you typed. "
                    "Check it and press the button again."
                ),
            )
            entry = ComplaintEntry(user=request.user, data=restored).rebuilt()
        else:
            entry = ComplaintEntry(user=request.user, initial=complaint_data_of(complaint) if complaint else None)
        return _render_form(request, entry, complaint=complaint)

    entry = ComplaintEntry(user=request.user, data=request.POST)
    extra = _extra_form(request, complaint)
    action = request.POST.get("action", "")
    if action not in (SAVE_DRAFT, REGISTER):
        rebuilt = entry.rebuilt(
            add_victim=action == ADD_VICTIM,
            add_suspect=action == ADD_SUSPECT,
            remove_victim=_row_index(request.POST.get("remove_victim")),
            remove_suspect=_row_index(request.POST.get("remove_suspect")),
            add_place=action == ADD_PLACE,
            remove_place=_row_index(request.POST.get("remove_place")),
        )
        return _render_form(request, rebuilt, complaint=complaint, extra=extra)
    extra_valid = extra.is_valid()
    if not entry.is_valid() or not extra_valid:
        if action == REGISTER and not entry.is_valid():  # the services' reasons too, all at once
            entry.add_problems_of_valid_fields(lambda data: _problems(request, data))
        return _render_form(request, entry, complaint=complaint, extra=extra)
    if action == REGISTER and not _ready_to_review(request, entry):
        return _render_form(request, entry, complaint=complaint, extra=extra)
    try:
        # "Register" saves the draft and shows the review; only the review's confirmation registers.
        saved = _save(request, entry, action=SAVE_DRAFT, complaint=complaint, extra=extra)
    except NotAllowedError as error:
        if complaint is not None:
            complaint_refuse_change(actor=request.user, complaint=complaint, action="edit")
        raise PermissionDenied(error.message) from error
    except ComplaintError as error:
        entry.add_service_error(error)
        return _render_form(request, entry, complaint=complaint, extra=extra)
    if action == REGISTER and not saved.is_frozen:
        return redirect("complaints:complaint_review", pk=saved.pk)
    return redirect("complaints:complaint_result", pk=saved.pk)


def _problems(request: HttpRequest, data: ComplaintData) -> list[ComplaintError]:
    problems = submission_problems(data)
    try:
        check_origin(request.user, data)
    except ComplaintError as error:
        problems.append(error)
    return problems


def _signed_out(request: HttpRequest, *, complaint_id: int | None) -> HttpResponse:
    """A form view reached without a session: a form sent after the session expired is kept for
    the user who opened it (complaints.pending), then the sign-in page, back to this form."""
    if request.method == "POST" and pending.keep(request.POST, complaint_id=complaint_id) is not None:
        messages.info(
            request,
            _("What you typed was kept: sign in again and you will find it on the form, as you left it."),
        )
    return redirect_to_login(request.path)


def keeps_expired_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that handles its own signed-out requests (reta.middleware lets a POST sent
    after the session expired reach it, signed out)."""
    view = login_not_required(view)
    view.keeps_expired_post = True  # type: ignore[attr-defined]
    return view


@keeps_expired_post
@require_http_methods(["GET", "POST"])
def complaint_create(request: HttpRequest) -> HttpResponse:
    """A new complaint, on one page (BRIEF.md workflow 1; hotline and other agencies, workflow 2)."""
    if not request.user.is_authenticated:
        return _signed_out(request, complaint_id=None)
    if not policies.can_file_complaint(request.user):
        raise PermissionDenied
    return _handle(request, complaint=None)


@keeps_expired_post
@require_http_methods(["GET", "POST"])
def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft of the user's unit. A registered (frozen) complaint is refused, and a refused
    POST is recorded (SECURITY.md 10)."""
    if not request.user.is_authenticated:
        return _signed_out(request, complaint_id=pk)
    complaint = access_complaint(request.user, pk)
    if not policies.can_edit_draft(request.user, complaint):
        if request.method == "POST":
            complaint_refuse_change(actor=request.user, complaint=complaint, action="edit")
        raise PermissionDenied
    return _handle(request, complaint=complaint)


# ---------------------------------------------------------------- the review before the freeze


def _choice(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or "—"))


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _review_sections(data: ComplaintData) -> list[dict[str, Any]]:
    """Every field as it will be frozen, in the form's order, as (label, value) rows."""
    district = data.place_district
    place = (
        f"{district.province.department.name} / {district.province.name} / {district.name} ({district.code})"
        if district is not None
        else "—"
    )
    origin = _choice(Origin.choices, data.origin)
    if data.origin == Origin.OTHER_AGENCY:
        origin += f" — {data.other_agency_name}"
    paper = []
    if data.origin == Origin.PAPER:
        origin += f" — {data.paper_serial}"
        received = data.paper_received_on.strftime("%d/%m/%Y") if data.paper_received_on else "—"
        unit = data.paper_receiving_unit
        paper = [
            (_("Date the paper form was received"), received),
            (_("Unit that took the paper form"), f"{unit.name} ({unit.code})" if unit else "—"),
        ]
    sections = [
        {
            "id": "review-registration",
            "title": _("Registration"),
            "rows": [
                (_("Origin of the complaint"), origin),
                *paper,
                (_("Responsible officer"), data.responsible_officer),
            ],
        },
        {
            "id": "review-when-where",
            "title": _("When and where"),
            "rows": [
                (_("Date of the facts"), data.facts_date.strftime("%d/%m/%Y") if data.facts_date else "—"),
                (_("Time of the facts"), data.facts_time.strftime("%H:%M") if data.facts_time else "—"),
                (_("Department / province / district"), place),
                (_("Address or reference of the place"), data.place_address or "—"),
                (_("Kind of place"), catalogue_label(Catalogue.PLACE_KIND, data.place_kind) or "—"),
            ],
        },
    ]
    for number, route_place in enumerate(data.places, start=1):
        where = route_place.district
        sections.append(
            {
                "id": f"review-place-{number}",
                "title": _("Place of the route %(number)d") % {"number": number},
                "rows": [
                    (_("Role in the route"), _choice(PlaceRole.choices, route_place.role)),
                    (
                        _("Department / province / district"),
                        f"{where.province.department.name} / {where.province.name} / {where.name} ({where.code})"
                        if where is not None
                        else "—",
                    ),
                    (_("Address or reference of the place"), route_place.address or "—"),
                    (_("Kind of place"), catalogue_label(Catalogue.PLACE_KIND, route_place.kind) or "—"),
                ],
            }
        )
    if data.complainant_anonymous:
        complainant = [(_("Anonymous complainant"), _yes(True))]
    else:
        complainant = [
            (_("First names"), data.complainant_first_names or "—"),
            (_("Last names"), data.complainant_last_names or "—"),
            (_("Document type"), _choice(DocumentType.choices, data.complainant_document_type)),
            (_("Document number"), data.complainant_document_number or "—"),
            (_("Contact (phone, e-mail)"), data.complainant_contact or "—"),
            (_("Relation to the victim"), data.complainant_relation or "—"),
        ]
    sections.append({"id": "review-complainant", "title": _("Complainant"), "rows": complainant})
    nationalities = dict(NATIONALITY_CHOICES)
    for number, victim in enumerate(data.victims, start=1):
        minor = {True: Minor.YES, False: Minor.NO}.get(victim.minor, Minor.UNKNOWN)
        rows = [
            (_("First names"), victim.first_names or "—"),
            (_("Last names"), victim.last_names or "—"),
            (_("Sex"), _choice(Sex.choices, victim.sex)),
            (_("Age"), victim.age if victim.age is not None else "—"),
            (_("Minor (under 18)?"), _choice(Minor.choices, minor) if victim.age is None else "—"),
            (_("Nationality"), str(nationalities.get(victim.nationality, victim.nationality or "—"))),
            (_("Document type"), _choice(DocumentType.choices, victim.document_type)),
            (_("Document number"), victim.document_number or "—"),
            (_("Pregnant"), _yes(victim.pregnant)),
            (_("Has a disability"), _yes(victim.disability)),
            (_("Legally incapable"), _yes(victim.legally_incapable)),
            (_("Says she or he consented"), _yes(victim.consented)),
        ]
        sections.append(
            {"id": f"review-victim-{number}", "title": _("Victim %(number)d") % {"number": number}, "rows": rows}
        )
    for number, suspect in enumerate(data.suspects, start=1):
        rows = [
            (_("First names"), suspect.first_names or "—"),
            (_("Last names"), suspect.last_names or "—"),
            (_("Alias"), suspect.alias or "—"),
            (_("Sex"), _choice(Sex.choices, suspect.sex)),
            (_("Approximate age"), suspect.approximate_age if suspect.approximate_age is not None else "—"),
            (_("Nationality"), str(nationalities.get(suspect.nationality, suspect.nationality or "—"))),
            (_("Relation to the victim"), suspect.relation_to_victim or "—"),
            (_("Description"), suspect.description or "—"),
        ]
        sections.append(
            {
                "id": f"review-suspect-{number}",
                "title": _("Alleged trafficker %(number)d") % {"number": number},
                "rows": rows,
            }
        )
    return sections


def _render_review(
    request: HttpRequest,
    complaint: Complaint,
    *,
    error: str = "",
    status: int = 200,
    duplicate: dict[str, str] | None = None,
) -> HttpResponse:
    data = complaint_data_of(complaint)
    preview = complaint_preview(complaint)
    ticked = [
        {
            "label": GROUP_LABELS[name],
            "items": [ELEMENTS[code].label for code in getattr(data, name) if code in ELEMENTS],
        }
        for name in GROUPS
    ]
    warnings = preview.classification.get("warnings", [])
    return render(
        request,
        "complaints/complaint_review.html",
        {
            "complaint": complaint,
            "data": data,
            "sections": _review_sections(data),
            "ticked": ticked,
            "preview": preview,
            "classification": classification_context(preview.complaint),
            "alert_receivers": preview.receivers,
            "alert_notes": no_account_notes(preview.receivers),
            "alert_label": classification_text.alert_label(preview.classification.get("alert")),
            "engine_warnings": [classification_text.warning_message(code) for code in warnings],
            "form_warnings": form_warnings(data, today=timezone.localdate()),
            "fingerprint": review_fingerprint(data),
            "edit_url": reverse("complaints:complaint_edit", kwargs={"pk": complaint.pk}),
            "error": error,
            # Complaints already registered that may be the same case (complaints.duplicates).
            "duplicates": find_possible_duplicates(request.user, data, exclude_pk=complaint.pk),
            **(duplicate or {}),
        },
        status=status,
    )


def _confirm(request: HttpRequest, complaint: Complaint, *, duplicate: dict[str, str]) -> Complaint:
    """Register the reviewed draft with the officer's answer to the possible duplicates shown
    (complaints.duplicates): the service checks it again, so a complaint registered meanwhile
    that matches sends the officer back to the review. The fingerprint of what was shown is
    compared by the service under the draft's lock (StaleReviewError: the draft changed)."""
    return complaint_submit(
        actor=request.user,
        complaint=complaint,
        duplicate_of=duplicate["duplicate_of"] or None,
        duplicate_decision=duplicate["duplicate_decision"],
        duplicates_reviewed=True,
        fingerprint=request.POST.get("fingerprint", ""),
    )


@keeps_expired_post
@require_http_methods(["GET", "POST"])
def complaint_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review of a draft before it is registered. GET shows it; POST `action=confirm` with the
    fingerprint of what was shown registers it (complaint_submit: number, alerts, freeze).
    A draft already registered (the confirmation sent twice) goes to its result."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)  # the draft is saved: nothing to keep
    complaint = access_complaint(request.user, pk)
    if complaint.is_frozen:
        return redirect("complaints:complaint_result", pk=complaint.pk)
    if not policies.can_edit_draft(request.user, complaint):
        if request.method == "POST":
            complaint_refuse_change(actor=request.user, complaint=complaint, action="register")
        raise PermissionDenied
    if request.method != "POST" or request.POST.get("action") != CONFIRM:
        return _render_review(request, complaint)
    duplicate = {name: request.POST.get(name, "") for name in DUPLICATE_FIELDS}
    try:
        saved = _confirm(request, complaint, duplicate=duplicate)
    except NotAllowedError as error:
        complaint.refresh_from_db(fields=["status", "frozen_at"])
        if complaint.is_frozen:  # registered meanwhile (the confirmation sent twice): its result
            return redirect("complaints:complaint_result", pk=complaint.pk)
        raise PermissionDenied(error.message) from error
    except StaleReviewError:
        complaint.refresh_from_db()  # changed while this request waited for the draft's lock
        message = _("The draft changed after this review was shown: check it again before you confirm.")
        return _render_review(request, complaint, error=message, status=409)
    except ComplaintError as error:
        complaint.refresh_from_db()
        if complaint.is_frozen:
            return redirect("complaints:complaint_result", pk=complaint.pk)
        return _render_review(request, complaint, error=error.message, duplicate=duplicate)
    return redirect("complaints:complaint_result", pk=saved.pk)


# ---------------------------------------------------------------- help, session


@require_GET
def complaint_help(request: HttpRequest) -> HttpResponse:
    """The glossary of the legal terms and of every check box of the form (complaints.glossary,
    complaints.rules.codes)."""
    groups = [{"name": name, "label": GROUP_LABELS[name], "elements": elements} for name, elements in GROUPS.items()]
    outcomes = [{"label": classification_text.outcome_label(code), "code": code} for code in OUTCOME_LABELS]
    return render(
        request,
        "complaints/complaint_help.html",
        {
            "glossary": GLOSSARY,
            "groups": groups,
            "outcomes": outcomes,
            "warnings": [classification_text.warning_message(code) for code in WARNING_MSGIDS],
        },
    )


@require_GET
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" of the form's idle warning: any signed-in request counts as activity
    (reta.middleware); this one answers nothing."""
    return HttpResponse(status=204)


# ---------------------------------------------------------------- after saving


def _detail_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_detail", kwargs={"pk": complaint.pk})


@require_GET
def complaint_result(request: HttpRequest, pk: int) -> HttpResponse:
    """What the registration gave: number, times, classification in words, units alerted."""
    complaint = access_complaint(request.user, pk)
    alerts = describe(complaint.alerts.select_related("unit", "instead_of").order_by("unit__path"))
    return render(
        request,
        "complaints/complaint_result.html",
        {
            "complaint": complaint,
            "classification": classification_context(complaint),
            "alerts": alerts,
            "alert_notes": no_account_notes(alerts),
            "detail_url": _detail_url(complaint),
            "can_edit": policies.can_edit_draft(request.user, complaint),
            "can_file": policies.can_file_complaint(request.user),
        },
    )


# ---------------------------------------------------------------- place lists


@require_GET
def ubigeo_children(request: HttpRequest, code: str) -> JsonResponse:
    """The provinces of a department (2-digit code) or the districts of a province (4 digits):
    `{"code": ..., "children": [{"code": ..., "name": ...}, ...]}`. Reference data, for any
    signed-in user; the form's script uses it to update its lists without reloading the page."""
    if code.isdigit() and len(code) == 2:
        children = province_choices(code)
    elif code.isdigit() and len(code) == 4:
        children = district_choices(code)
    else:
        raise Http404
    rows = [{"code": row_code, "name": name} for row_code, name in children]  # in Spanish order
    if not rows:
        raise Http404
    return JsonResponse({"code": code, "children": rows})


urlpatterns: list = [
    path("nueva/", complaint_create, name="complaint_create"),
    path("<int:pk>/editar/", complaint_edit, name="complaint_edit"),
    path("<int:pk>/revisar/", complaint_review, name="complaint_review"),
    path("<int:pk>/resultado/", complaint_result, name="complaint_result"),
    path("ayuda/", complaint_help, name="complaint_help"),
    path("sesion/", session_keepalive, name="session_keepalive"),
    path("ubigeo/<str:code>/", ubigeo_children, name="ubigeo_children"),
]
