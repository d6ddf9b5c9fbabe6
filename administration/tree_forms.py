"""Forms of the unit tree's operations (administration.tree checks the rest, with a message per
field in the interface language; the fields it checks are not required here, so that one message
says what is missing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.models import Department, District, Unit, User
from reta.form_fields import ModelsField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DATE_WIDGET,
        help_text=_("The day from which the change applies (not in the future)."),
    )


def _active_units(actor: User) -> Any:
    return Unit.objects.visible_to(actor).filter(is_active=True).order_by("path")


class UnitCreateForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=64, required=False, help_text=_("E.g. DIRTEPOL-LIMA-CPNP-9."))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices, initial=Unit.Kind.STATION)
    parent = forms.ModelChoiceField(label=_("Depends on"), queryset=Unit.objects.none(), required=False)
    district = forms.ModelChoiceField(
        label=_("District (location)"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.TextInput,
        help_text=_("The INEI ubigeo of six digits, e.g. 080101."),
    )
    valid_from = _date_field(_("Valid from"))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _active_units(actor)
        self.fields["valid_from"].initial = timezone.localdate()


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=200, required=False)
    on = _date_field(_("Name valid from"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class UnitMoveForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("New unit it depends on"), queryset=Unit.objects.none(), required=False)
    on = _date_field(_("Depends on it from"))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _active_units(actor)
        self.fields["on"].initial = timezone.localdate()


class UnitMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Unit that absorbs it"), queryset=Unit.objects.none(), required=False)
    on = _date_field(_("Merged from"))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = _active_units(actor)
        self.fields["on"].initial = timezone.localdate()


class DirectorateSplitForm(forms.Form):
    code = forms.CharField(label=_("Code of the new directorate"), max_length=64, required=False)
    name = forms.CharField(label=_("Name of the new directorate"), max_length=200, required=False)
    units = ModelsField(
        label=_("Units that pass to the new directorate"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = ModelsField(
        label=_("Departments of the jurisdiction that pass to the new directorate"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    on = _date_field(_("Split from"))

    def __init__(self, *args: Any, directorate: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = directorate.children.filter(is_active=True).order_by("code")
        self.fields["departments"].queryset = directorate.jurisdiction.order_by("code")
        self.fields["on"].initial = timezone.localdate()


class StationsLoadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of police stations"),
        help_text=_(
            "UTF-8, with the header code,name,parent,district (parent: the code of a unit; district: the ubigeo)."
        ),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    dry_run = forms.BooleanField(
        label=_("Dry run: show what would be created, create nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
