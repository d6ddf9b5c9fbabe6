"""Forms of the unit tree's operations (administration.tree checks the rest, with a message per
field in the interface language; the fields it checks are not required here, so that one message
says what is missing)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.models import Department, District, Jurisdiction, Province, Unit, User
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
    """The split of a directorate. The pieces of jurisdiction are checked by the service alone
    (administration.tree.directorate_split, `jurisdiction_errors`): an ambiguous or overlapping
    piece is refused there, with the reason on its field (the view shows the service's messages),
    before anything is saved."""

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
    provinces = ModelsField(
        label=_("Provinces that pass to the new directorate"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Part of a department: the new directorate is competent for the districts of the province; the old one "
            "keeps the rest of the department."
        ),
    )
    districts = forms.CharField(
        label=_("Districts that pass to the new directorate"),
        required=False,
        max_length=4000,
        help_text=_("INEI ubigeos of six digits, separated by commas or spaces, e.g. 150801, 150802."),
    )
    on = _date_field(_("Split from"))

    def __init__(self, *args: Any, directorate: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directorate = directorate
        self.fields["units"].queryset = directorate.children.filter(is_active=True).order_by("code")
        self.fields["departments"].queryset = directorate.jurisdiction.order_by("code")
        own_provinces = Jurisdiction.objects.filter(
            directorate=directorate, valid_to=None, province__isnull=False, district=None
        ).values("province_id")
        self.fields["provinces"].queryset = (
            Province.objects.filter(Q(department__in=directorate.jurisdiction.all()) | Q(pk__in=own_provinces))
            .select_related("department")
            .order_by("code")
        )
        self.fields["on"].initial = timezone.localdate()

    def clean_districts(self) -> list[District]:
        codes = [code for code in re.split(r"[\s,;]+", self.cleaned_data.get("districts") or "") if code]
        wellformed = [code for code in codes if re.fullmatch(r"\d{6}", code)]
        found = District.objects.select_related("province", "department").in_bulk(wellformed)
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(_("Not INEI ubigeos of a district: {codes}.").format(codes=", ".join(unknown)))
        if len(set(codes)) != len(codes):
            repeated = sorted({code for code in codes if codes.count(code) > 1})
            raise forms.ValidationError(_("A district is listed twice: {codes}.").format(codes=", ".join(repeated)))
        return [found[code] for code in codes]


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
