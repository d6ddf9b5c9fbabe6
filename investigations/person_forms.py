"""Forms of the persons pages of a case file (issue 11 item 2). They read and check what was
typed (documents with people.form_fields.DocumentField, phones with PhoneField: the canonical value
comes back to the officer); investigations.person_services does every write and checks again.
May import: Django, people, complaints.catalogues, administration, investigations.models."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from administration.catalogues import Catalogue, CatalogueChoiceField
from administration.models import Department, District, Province
from complaints.catalogues import COMMON_NATIONALITIES
from complaints.text import NormalisedLengthValidator
from investigations.images import EXTENSIONS
from investigations.models import (
    CasePersonRole,
    ImageKind,
    MeasureKind,
    OrganisationRole,
)
from people.catalogues import DocumentType, Sex
from people.form_fields import DocumentField, PhoneField
from people.models import Build

CHOOSE = [("", _("— choose —"))]
UNKNOWN = [("", _("Unknown"))]
NOT_STATED = [("", _("Not stated"))]


def _date(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class BaseForm(forms.Form):
    """Labels without a colon; every text field with a maximum length checks it after
    normalisation as well (names and aliases are stored with their search keys)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.validators.append(NormalisedLengthValidator(field.max_length))


class CasePartForm(BaseForm):
    """What the case says of the person: code name, role in the organisation, recruitment."""

    code_name = forms.CharField(
        label=_("Code name"),
        max_length=80,
        required=False,
        help_text=_("Required for a whistleblower: the name shown instead of the true identity."),
    )
    organisation_role = forms.ChoiceField(
        label=_("Role in the organisation"), choices=NOT_STATED + list(OrganisationRole.choices), required=False
    )
    recruitment_method = CatalogueChoiceField(
        Catalogue.RECRUITMENT_METHOD, blank_label=NOT_STATED[0][1], label=_("Recruitment method"), required=False
    )
    recruitment_detail = forms.CharField(
        label=_("Recruitment details"),
        max_length=300,
        required=False,
        help_text=_("The newspaper, radio station, social network or agency, when known."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PersonForm(CasePartForm):
    """A person in a role: an identity of the case's complaints, or a new one."""

    field_order = [
        "role",
        "identity",
        "first_names",
        "last_names",
        "sex",
        "date_of_birth",
        "nationality",
        "document_type",
        "document_number",
        "alias",
        "phone",
    ]

    role = forms.ChoiceField(label=_("Role in the case"), choices=CHOOSE + list(CasePersonRole.choices))
    identity = forms.ChoiceField(
        label=_("Person of the complaints"),
        required=False,
        help_text=_(
            "Choose a person already recorded in the case file's complaints, or leave it and fill in a new one."
        ),
    )
    first_names = forms.CharField(label=_("First names"), max_length=120, required=False)
    last_names = forms.CharField(label=_("Last names"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=UNKNOWN + list(Sex.choices), required=False)
    date_of_birth = _date(_("Date of birth"))
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=UNKNOWN + list(COMMON_NATIONALITIES), required=False
    )
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=[("", _("None or unknown")), *DocumentType.choices], required=False
    )
    document_number = DocumentField(label=_("Document number"), required=False)
    alias = forms.CharField(label=_("Alias"), max_length=250, required=False)
    phone = PhoneField(label=_("Phone"), required=False)

    def __init__(self, *args: Any, identities: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["identity"].choices = [("", _("— a new person —")), *identities]
        if not identities:
            del self.fields["identity"]


class DocumentForm(BaseForm):
    document_type = forms.ChoiceField(label=_("Document type"), choices=CHOOSE + list(DocumentType.choices))
    number = DocumentField(label=_("Document number"))
    issuing_country = forms.ChoiceField(
        label=_("Issuing country"), choices=UNKNOWN + list(COMMON_NATIONALITIES), required=False
    )
    valid_from = _date(_("Issued or valid from"))
    valid_to = _date(_("Valid to"))


class AliasForm(BaseForm):
    name = forms.CharField(label=_("Alias"), max_length=250)
    valid_from = _date(_("Used from"))
    valid_to = _date(_("Used until"))


class PhoneForm(BaseForm):
    number = PhoneField(
        label=_("Phone number"), help_text=_("Peru by default; foreign numbers with + and the country code.")
    )
    valid_from = _date(_("In use from"))
    valid_to = _date(_("In use until"))


class AddressForm(BaseForm):
    """Department -> province -> district (each list follows the value above it: the "Update"
    buttons re-render the page without saving), the address, its period."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        error_messages={"invalid_choice": _("Choose the province again: the list follows the department.")},
    )
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        error_messages={"invalid_choice": _("Choose the district again: the list follows the province.")},
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    valid_from = _date(_("Lived there from"))
    valid_to = _date(_("Lived there until"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose = list(CHOOSE)
        departments = list(Department.objects.order_by("name").values_list("code", "name"))
        self.fields["department"].choices = choose + departments
        provinces: list[tuple[str, str]] = []
        department = self._current("department")
        if department in {code for code, _name in departments}:
            provinces = list(
                Province.objects.filter(department_id=department).order_by("name").values_list("code", "name")
            )
        self.fields["province"].choices = choose + provinces
        districts: list[tuple[str, str]] = []
        province = self._current("province")
        if province in {code for code, _name in provinces}:
            districts = list(District.objects.filter(province_id=province).order_by("name").values_list("code", "name"))
        self.fields["district"].choices = choose + districts

    def _current(self, name: str) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, "")

    def clean_district(self) -> District | None:
        code = self.cleaned_data["district"]
        return District.objects.get(code=code) if code else None


class DescriptionForm(BaseForm):
    observed_on = _date(_("Observed on"))
    height_cm = forms.IntegerField(label=_("Height (cm)"), min_value=40, max_value=250, required=False)
    build = forms.ChoiceField(label=_("Build"), choices=NOT_STATED + list(Build.choices), required=False)
    hair = forms.CharField(label=_("Hair"), max_length=120, required=False)
    eyes = forms.CharField(label=_("Eyes"), max_length=120, required=False)
    marks = forms.CharField(label=_("Scars, tattoos and other marks"), max_length=300, required=False)
    text = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(BaseForm):
    valid_to = _date(_("No longer valid from"), required=True)


class ImageForm(BaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ImageKind.choices)
    file = forms.FileField(
        label=_("Image file"),
        help_text=_("JPEG or PNG. Location and camera data are removed before it is kept."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in sorted(EXTENSIONS))}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    taken_on = _date(_("Taken on"))


class OutcomeForm(BaseForm):
    result = CatalogueChoiceField(Catalogue.VICTIM_OUTCOME, blank_label=CHOOSE[0][1], label=_("Result"))
    on_date = _date(_("Date"), required=True)
    institution = forms.CharField(
        label=_("Institution"),
        max_length=200,
        required=False,
        help_text=_("The shelter, the MIMP office, the consulate or the unit that took charge."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(BaseForm):
    kind = forms.ChoiceField(label=_("Kind of measure"), choices=CHOOSE + list(MeasureKind.choices))
    ordered_on = _date(_("Ordered on"), required=True)
    ordered_by = forms.CharField(label=_("Ordered by"), max_length=200, help_text=_("Authority or institution."))
    ends_on = _date(_("In force until"))
    text = forms.CharField(
        label=_("Text of the measure"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
