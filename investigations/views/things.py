"""Pages of the places and things of a case file and of its route (issue 11, items 3 and 6):

- "Lugares y cosas" (`case_things`): places, vehicles, phones and accounts, each kind with its
  add and edit pages (`case_thing_add`, `case_thing_edit`; `kind` in the URL is a Spanish slug,
  THING_SLUGS) and removal (`case_thing_remove`, POST, from the edit page). A private home's
  address is withheld (people.privacy.masked_place) until the logged reveal (POST to the list,
  people.services.identity_reveal); its edit page shows it, and logs the reveal.
- "Ruta" (`case_route`): the legs in order, the route on the map of Peru (investigations.route_map)
  with the same legs in a table beside it; `route_leg_add`, `route_leg_edit`, `route_leg_move`
  (POST, direction up/down) and `route_leg_remove` (POST).

Reading goes through case_files._readable (404 outside the scope), writing through _workable (403
for a read-only shared unit); every write through investigations.things. Each page runs a bounded
number of queries whatever the number of records.

May import: django, people (privacy, services), investigations (forms_things, models, route_map,
things, views.case_files).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.events import AuditEventType
from audit.services import audit_record
from investigations import policies, selectors, services, things
from investigations.forms_things import FORMS, LegForm, person_label
from investigations.models import CaseAccount, CaseFile, CasePhone, CasePlace, CaseVehicle, RouteLeg
from investigations.route_map import route_points, route_svg
from investigations.views.case_files import _form_saved, _readable, _workable
from people import privacy
from people.services import identity_reveal

# The kinds of the "places and things" page as they appear in its URLs.
THING_SLUGS = {"lugar": "place", "vehiculo": "vehicle", "telefono": "phone", "cuenta": "account"}
SLUG_OF = {kind: slug for slug, kind in THING_SLUGS.items()}
TITLES = {
    "place": (gettext_lazy("Add a place"), gettext_lazy("Change a place")),
    "vehicle": (gettext_lazy("Add a vehicle"), gettext_lazy("Change a vehicle")),
    "phone": (gettext_lazy("Add a phone"), gettext_lazy("Change a phone")),
    "account": (gettext_lazy("Add an account"), gettext_lazy("Change an account")),
}


def _kind(slug: str) -> str:
    if slug not in THING_SLUGS:
        raise Http404
    return THING_SLUGS[slug]


def _things_url(case_file: CaseFile, anchor: str = "") -> str:
    url = reverse("investigations:case_things", args=[case_file.pk])
    return f"{url}#{anchor}" if anchor else url


def _route_url(case_file: CaseFile) -> str:
    return reverse("investigations:case_route", args=[case_file.pk])


def _holder(person: object) -> str:
    return person_label(person) if person is not None else ""


@require_http_methods(["GET", "POST"])
def case_things(request: HttpRequest, pk: int) -> HttpResponse:
    """The places, vehicles, phones and accounts of a case file. POST: the logged reveal of the
    private homes' addresses, for this response only."""
    case_file = _readable(request, pk)
    audit_record(event=AuditEventType.CASE_FILE_VIEWED, obj=case_file, details={"page": "things"})
    places = list(selectors.of_case(CasePlace, case_file).select_related("district__department"))
    revealed = False
    if request.method == "POST":
        identity_reveal(
            actor=request.user,
            obj=case_file,
            victims=[],
            suspects=0,
            where={"screen": "case_things", "private_homes": str(sum(place.is_private_home for place in places))},
        )
        revealed = True
    place_rows = [
        {
            "place": place,
            "address": privacy.masked_place(place.address, private_home=place.is_private_home, revealed=revealed),
        }
        for place in places
    ]
    person_related = ("owner_person__identity",)
    vehicles = list(selectors.of_case(CaseVehicle, case_file).select_related(*person_related))
    phones = list(selectors.of_case(CasePhone, case_file).select_related("holder__identity"))
    accounts = list(selectors.of_case(CaseAccount, case_file).select_related("holder__identity"))
    context = {
        "case_file": case_file,
        "section": "things",
        "can_work": policies.can_work_case_file(request.user, case_file),
        "places": place_rows,
        "any_private_home": any(place.is_private_home for place in places),
        "revealed": revealed,
        "vehicles": [{"vehicle": vehicle, "owner": _holder(vehicle.owner_person)} for vehicle in vehicles],
        "phones": [{"phone": phone, "holder": _holder(phone.holder)} for phone in phones],
        "accounts": [{"account": account, "holder": _holder(account.holder)} for account in accounts],
        "slugs": SLUG_OF,
    }
    return render(request, "investigations/case_things.html", context)


SAVERS = {
    "place": things.place_save,
    "vehicle": things.vehicle_save,
    "phone": things.phone_save,
    "account": things.account_save,
}


def _thing_form(request: HttpRequest, pk: int, slug: str, thing_pk: int | None) -> HttpResponse:
    case_file = _workable(request, pk)
    kind = _kind(slug)
    model = things.KINDS[kind][0]
    initial = None
    if thing_pk is not None:
        row = model.objects.filter(case_file=case_file, pk=thing_pk).first()
        if row is None:
            raise Http404
        initial = {name: getattr(row, name) for name in FORMS[kind].base_fields}
        if kind == "place" and row.is_private_home and request.method == "GET":
            # The form shows a private home's address: the logged reveal (people.privacy, rule 4).
            identity_reveal(
                actor=request.user, obj=case_file, victims=[], suspects=0, where={"screen": "case_place_edit"}
            )
    form = FORMS[kind](request.POST or None, initial=initial, case_file=case_file)

    def save(data: dict) -> object:
        if kind == "vehicle":
            # The record keeps the plate as typed (the form cleaned it to its key, checked).
            data = {**data, "plate": form.data.get("plate", "").strip()}
        return SAVERS[kind](actor=request.user, case_file=case_file, data=data, pk=thing_pk)

    if _form_saved(request, form, save, _("Saved.")):
        return redirect(_things_url(case_file, f"{kind}s"))
    context = {
        "case_file": case_file,
        "section": "things",
        "form": form,
        "heading": TITLES[kind][0 if thing_pk is None else 1],
        "remove_url": reverse("investigations:case_thing_remove", args=[case_file.pk, slug, thing_pk])
        if thing_pk is not None
        else "",
        "back_url": _things_url(case_file, f"{kind}s"),
    }
    return render(request, "investigations/case_thing_form.html", context)


@require_http_methods(["GET", "POST"])
def case_thing_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    return _thing_form(request, pk, kind, None)


@require_http_methods(["GET", "POST"])
def case_thing_edit(request: HttpRequest, pk: int, kind: str, thing_pk: int) -> HttpResponse:
    return _thing_form(request, pk, kind, thing_pk)


def _removed(request: HttpRequest, case_file: CaseFile, kind: str, thing_pk: int) -> bool:
    try:
        things.thing_remove(actor=request.user, case_file=case_file, kind=kind, pk=thing_pk)
    except services.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    except services.CaseFileError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, _("Removed. The history of the case file keeps it."))
    return True


@require_POST
def case_thing_remove(request: HttpRequest, pk: int, kind: str, thing_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    name = _kind(kind)
    _removed(request, case_file, name, thing_pk)
    return redirect(_things_url(case_file, f"{name}s"))


# ---------------------------------------------------------------- the route


def legs_of(case_file: CaseFile) -> list[RouteLeg]:
    """The legs of the route in order, with what the table and the map show: one query."""
    return list(
        selectors.of_case(RouteLeg, case_file)
        .select_related("place__district__department", "district__department", "vehicle")
        .order_by("sequence")
    )


@require_http_methods(["GET"])
def case_route(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _readable(request, pk)
    audit_record(event=AuditEventType.CASE_FILE_VIEWED, obj=case_file, details={"page": "route"})
    legs = legs_of(case_file)
    points = route_points(legs)
    rows = []
    for index, (leg, point) in enumerate(zip(legs, points, strict=True)):
        district = leg.district or (leg.place.district if leg.place else None)
        rows.append(
            {
                "leg": leg,
                "point": point,
                "district": district,
                "first": index == 0,
                "last": index == len(legs) - 1,
            }
        )
    context = {
        "case_file": case_file,
        "section": "route",
        "can_work": policies.can_work_case_file(request.user, case_file),
        "rows": rows,
        "svg": route_svg(legs, title=_("Route of case file %(number)s") % {"number": case_file.number}),
    }
    return render(request, "investigations/case_route.html", context)


def _leg_form(request: HttpRequest, pk: int, leg_pk: int | None) -> HttpResponse:
    case_file = _workable(request, pk)
    initial = None
    if leg_pk is not None:
        leg = selectors.one_of_case(RouteLeg, case_file, leg_pk)
        initial = {name: getattr(leg, name) for name in LegForm.base_fields}
    form = LegForm(request.POST or None, initial=initial, case_file=case_file)
    save = lambda data: things.leg_save(actor=request.user, case_file=case_file, data=data, pk=leg_pk)  # noqa: E731
    if _form_saved(request, form, save, _("Saved.")):
        return redirect(_route_url(case_file))
    context = {
        "case_file": case_file,
        "section": "route",
        "form": form,
        "heading": _("Add a leg") if leg_pk is None else _("Change a leg"),
        "remove_url": reverse("investigations:route_leg_remove", args=[case_file.pk, leg_pk]) if leg_pk else "",
        "back_url": _route_url(case_file),
    }
    return render(request, "investigations/case_thing_form.html", context)


@require_http_methods(["GET", "POST"])
def route_leg_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _leg_form(request, pk, None)


@require_http_methods(["GET", "POST"])
def route_leg_edit(request: HttpRequest, pk: int, leg_pk: int) -> HttpResponse:
    return _leg_form(request, pk, leg_pk)


@require_POST
def route_leg_move(request: HttpRequest, pk: int, leg_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    try:
        things.leg_move(actor=request.user, case_file=case_file, pk=leg_pk, direction=request.POST.get("direction", ""))
    except services.NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    except services.CaseFileError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Leg moved."))
    return redirect(_route_url(case_file))


@require_POST
def route_leg_remove(request: HttpRequest, pk: int, leg_pk: int) -> HttpResponse:
    case_file = _workable(request, pk)
    _removed(request, case_file, "leg", leg_pk)
    return redirect(_route_url(case_file))
