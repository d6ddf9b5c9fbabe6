"""Screens of the unit tree's operations, for national administrators (administration.tree does
the work; a refused change shows the service's messages by field and saves nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from administration import policies, tree
from administration.access import get_visible_or_404
from administration.models import Unit
from administration.tree_forms import (
    DirectorateSplitForm,
    StationsLoadForm,
    UnitCreateForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
)


def _run(form: forms.Form, operation: Callable[[], Unit]) -> Unit | None:
    """The operation's result, or None with its messages on the form's fields."""
    try:
        return operation()
    except ValidationError as error:
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    return None


def _page(
    request: HttpRequest, form: forms.Form, title: str, note: str, button: str, unit: Unit | None
) -> HttpResponse:
    return render(
        request,
        "administration/unit_tree_form.html",
        {"form": form, "title": title, "note": note, "button": button, "unit": unit},
    )


@policies.require(policies.can_manage_units)
def unit_create(request: HttpRequest) -> HttpResponse:
    form = UnitCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = _run(
            form,
            lambda: tree.unit_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                district=data["district"],
                valid_from=data["valid_from"],
            ),
        )
        if unit is not None:
            messages.success(request, _("Unit {name} created.").format(name=unit.name))
            return redirect("administration:unit_detail", pk=unit.pk)
    return _page(request, form, _("New unit"), "", _("Create the unit"), None)


@policies.require(policies.can_manage_units)
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit, request.user, pk=pk)
    form = UnitRenameForm(request.POST or None, initial={"name": unit.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(form, lambda: tree.unit_rename(actor=request.user, unit=unit, name=data["name"], on=data["on"])):
            messages.success(request, _("Unit renamed; the old name stays in its history."))
            return redirect("administration:unit_detail", pk=unit.pk)
    note = _("The old name stays in the unit's history; records keep the unit they were registered in.")
    return _page(request, form, _("Rename {name}").format(name=unit.name), note, _("Rename"), unit)


@policies.require(policies.can_manage_units)
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit, request.user, pk=pk)
    form = UnitMoveForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(form, lambda: tree.unit_move(actor=request.user, unit=unit, parent=data["parent"], on=data["on"])):
            messages.success(request, _("The unit and the units under it now depend on their new unit."))
            return redirect("administration:unit_detail", pk=unit.pk)
    note = _(
        "The unit moves with every unit under it. Access follows the new tree at once; the statistics "
        "can still count the records registered before the date under the old directorate."
    )
    return _page(request, form, _("Move {name}").format(name=unit.name), note, _("Move"), unit)


@policies.require(policies.can_manage_units)
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit, request.user, pk=pk)
    form = UnitMergeForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        into = _run(form, lambda: tree.unit_merge(actor=request.user, absorbed=unit, into=data["into"], on=data["on"]))
        if into is not None:
            messages.success(request, _("{name} was merged into {into}.").format(name=unit.name, into=into.name))
            return redirect("administration:unit_detail", pk=into.pk)
    note = _(
        "The unit ends the day before the date; the units under it pass to the unit that absorbs it. "
        "Move its accounts to another unit first."
    )
    return _page(request, form, _("Merge {name} into another unit").format(name=unit.name), note, _("Merge"), unit)


@policies.require(policies.can_manage_units)
def directorate_split(request: HttpRequest, pk: int) -> HttpResponse:
    directorate = get_visible_or_404(Unit, request.user, pk=pk)
    form = DirectorateSplitForm(request.POST or None, directorate=directorate)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = _run(
            form,
            lambda: tree.directorate_split(
                actor=request.user,
                directorate=directorate,
                code=data["code"],
                name=data["name"],
                units=list(data["units"]),
                departments=list(data["departments"]),
                provinces=list(data["provinces"]),
                districts=data["districts"],
                on=data["on"],
            ),
        )
        if new is not None:
            messages.success(
                request,
                _("{name} split: {new} takes the chosen units from {date}.").format(
                    name=directorate.name, new=new.name, date=data["on"].strftime("%d/%m/%Y")
                ),
            )
            return redirect("administration:unit_detail", pk=new.pk)
    note = _(
        "A new directorate takes the chosen units (with the units under them) and the chosen departments, "
        "provinces or districts of the jurisdiction from the date, and gets its own trafficking unit; the old "
        "one keeps the others. Records keep the unit they were registered in."
    )
    return _page(request, form, _("Split {name} in two").format(name=directorate.name), note, _("Split"), directorate)


@policies.require(policies.can_manage_units)
def stations_load(request: HttpRequest) -> HttpResponse:
    form = StationsLoadForm(request.POST or None, request.FILES or None)
    result: Any = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            text = data["file"].read().decode("utf-8")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text: save it as CSV UTF-8."))
        else:
            result = tree.stations_load(
                actor=request.user, text=text, valid_from=data["valid_from"], dry_run=data["dry_run"]
            )
            if result.created:
                messages.success(request, _("{n} police stations created.").format(n=result.created))
                return redirect("administration:unit_list")
    return render(request, "administration/stations_load.html", {"form": form, "result": result})
