"""Forms of the places and things of a case file and of its route (investigations.views.things).
They read and check what was typed (identifiers cleaned by people.form_fields); the service
investigations.things checks again and does every write.

May import: django, administration (models, places), people (form_fields, catalogues, privacy),
investigations.models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from administration.catalogues import Catalogue, CatalogueChoiceField
from administration.models import District
from administration.places import spanish_key
from investigations.models import (
    CasePerson,
    CasePersonRole,
    CasePlace,
    CaseVehicle,
    LegStage,
    VehicleKind,
)
from people import privacy
from people.catalogues import SocialNetwork
from people.form_fields import AccountField, PhoneField, PlateField

CHOOSE = [("", _("— choose —"))]
NONE = [("", _("— none —"))]


def district_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every district, grouped by department, each labelled "District (Province)": one query, in
    Spanish order. A plain select (no JavaScript); typing the first letters jumps to a name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = District.objects.order_by().values_list("code", "name", "province__name", "department__name")
    for code, name, province, department in rows:
        groups.setdefault(department, []).append((code, f"{name} ({province})"))
    return [
        (department, sorted(options, key=lambda option: spanish_key(option[1])))
        for department, options in sorted(groups.items(), key=lambda item: spanish_key(item[0]))
    ]


class DistrictField(forms.ChoiceField):
    """A district chosen by its UBIGEO code; cleans to the District (or None)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, choices=(), **kwargs)

    def clean(self, value: Any) -> District | None:
        code = super().clean(value)
        return District.objects.get(pk=code) if code else None

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "pk", value)


def person_label(person: CasePerson) -> str:
    """A person of the case in a list of choices: role and the masked name (people.privacy)."""
    if person.role == CasePersonRole.WHISTLEBLOWER:
        shown = person.code_name
    else:
        minor = None if person.role == CasePersonRole.VICTIM else False
        shown = privacy.masked_name(person.identity, minor=minor, revealed=False)
    return f"{person.get_role_display()}: {shown}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CasePerson) -> str:
        return person_label(obj)


class _CaseForm(forms.Form):
    """A form of one case file: its persons, places and vehicles as choices; districts grouped."""

    def __init__(self, *args: Any, case_file: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case_file = case_file
        persons = CasePerson.objects.filter(case_file=case_file).select_related("identity")
        for name in ("holder", "owner_person"):
            if name in self.fields:
                self.fields[name].queryset = persons
        if "place" in self.fields:
            self.fields["place"].queryset = CasePlace.objects.filter(case_file=case_file)
        if "vehicle" in self.fields:
            self.fields["vehicle"].queryset = CaseVehicle.objects.filter(case_file=case_file)
        if "district" in self.fields:
            self.fields["district"].choices = NONE + district_choices()


class PlaceForm(_CaseForm):
    kind = CatalogueChoiceField(Catalogue.CASE_PLACE_KIND, blank_label=CHOOSE[0][1], label=_("Kind of place"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    district = DistrictField(label=_("District"))
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        help_text=_("Decimal degrees, negative south of the Equator (Cusco: -13.5319)."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
        help_text=_("Decimal degrees, negative west of Greenwich (Cusco: -71.9675)."),
    )
    operator = forms.CharField(label=_("Operator"), max_length=200, required=False)
    licence = forms.CharField(label=_("Municipal licence"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VehicleForm(_CaseForm):
    kind = forms.ChoiceField(label=_("Kind of vehicle"), choices=CHOOSE + list(VehicleKind.choices))
    foreign = forms.BooleanField(label=_("Foreign plate"), required=False)
    plate = PlateField(label=_("Plate"), required=False, foreign_field="foreign")
    make = forms.CharField(label=_("Make"), max_length=80, required=False)
    model = forms.CharField(label=_("Model"), max_length=80, required=False)
    colour = forms.CharField(label=_("Colour"), max_length=60, required=False)
    owner_person = PersonChoiceField(
        label=_("Owner (person of the case)"), queryset=CasePerson.objects.none(), required=False
    )
    owner_text = forms.CharField(label=_("Owner (other)"), max_length=200, required=False)


class PhoneForm(_CaseForm):
    number = PhoneField(label=_("Phone number"))
    holder = PersonChoiceField(label=_("Holder"), queryset=CasePerson.objects.none(), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AccountForm(_CaseForm):
    network = forms.ChoiceField(label=_("Social network"), choices=CHOOSE + list(SocialNetwork.choices))
    handle = AccountField(label=_("Account"), help_text=_("The user name or the link to the profile."))
    holder = PersonChoiceField(label=_("Holder"), queryset=CasePerson.objects.none(), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LegForm(_CaseForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=CHOOSE + list(LegStage.choices))
    place = forms.ModelChoiceField(label=_("Place of the case file"), queryset=CasePlace.objects.none(), required=False)
    district = DistrictField(label=_("District"), help_text=_("A place of the case file or a district is required."))
    departed_on = forms.DateField(label=_("Departed"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    arrived_on = forms.DateField(label=_("Arrived"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    transport = CatalogueChoiceField(Catalogue.TRANSPORT, blank_label=NONE[0][1], label=_("Transport"), required=False)
    carrier = forms.CharField(label=_("Carrier"), max_length=200, required=False)
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=CaseVehicle.objects.none(), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and data.get("place") is None and data.get("district") is None:
            self.add_error("district", _("Choose a place of the case file or a district."))
        departed, arrived = data.get("departed_on"), data.get("arrived_on")
        if departed and arrived and arrived < departed:
            self.add_error("arrived_on", _("The arrival cannot be before the departure."))
        return data


FORMS: dict[str, type[_CaseForm]] = {
    "place": PlaceForm,
    "vehicle": VehicleForm,
    "phone": PhoneForm,
    "account": AccountForm,
}
