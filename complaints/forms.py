"""Forms of the complaint screen: the complaint, its victims and its alleged traffickers.

The forms read and check what was typed; `ComplaintEntry.to_data()` turns it into the
`services.ComplaintData` that the services save (views stay thin, services do every write and the
checks a registration needs). Everything works without JavaScript: adding or removing a row and
refreshing the province and district lists re-render the page from what was typed
(`ComplaintEntry.rebuilt`), saving nothing.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import scope_of
from administration.catalogues import Catalogue, CatalogueChoiceField, keep_current_codes
from administration.models import Department, District, Province, Role, Unit
from administration.places import department_choices, district_choices, province_choices
from administration.policies import is_national_admin
from administration.selectors import units_in_scope
from complaints import policies
from complaints.catalogues import COMMON_NATIONALITIES, DocumentType, Minor, Origin, Sex
from complaints.models import PlaceRole
from complaints.rules.codes import GROUP_LABELS, GROUPS
from complaints.services import ComplaintData, ComplaintError, PlaceData, SuspectData, VictimData
from complaints.text import NormalisedLengthValidator

MAX_ROWS = 30  # victims, and alleged traffickers, in one complaint
MAX_PLACES = 10  # places of the route besides the place of the facts

BLANK = "—"
NATIONALITY_CHOICES = [("", _("Unknown")), *COMMON_NATIONALITIES]
SEX_CHOICES = [("", _("Unknown")), *Sex.choices]
DOCUMENT_CHOICES = [("", _("None or unknown")), *DocumentType.choices]
NEEDED_TO_REGISTER = _("Needed to register the complaint.")
ISO_COUNTRY = re.compile(r"[A-Z]{2}")


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number_widget(maximum: int) -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": 0, "max": maximum, "inputmode": "numeric", "class": "short"})


def _nationality_choices(value: Any) -> list[tuple[str, Any]]:
    """The common nationalities, plus a stored ISO 3166 code that the list does not offer (e.g.
    entered by an import), so that editing the record keeps it."""
    if isinstance(value, str) and ISO_COUNTRY.fullmatch(value) and value not in dict(NATIONALITY_CHOICES):
        return [*NATIONALITY_CHOICES, (value, value)]
    return NATIONALITY_CHOICES


class RetaForm(forms.Form):
    """Labels without a colon; errors rendered by the template next to each field; every text field
    with a maximum length checks it after normalisation as well."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Names and documents are normalised into the search columns (Person.search_name, the
        # identity keys): their length is checked after normalisation too (complaints.text).
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.validators.append(NormalisedLengthValidator(field.max_length))
        keep_current_codes(self)  # an old record's deactivated catalogue code stays offered

    def raw_values(self) -> dict[str, Any]:
        """What the form holds now, as initial data for a re-rendered form."""
        return {name: self[name].value() for name in self.fields}


# ---------------------------------------------------------------- the complaint


class ComplaintForm(RetaForm):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    origin = forms.ChoiceField(label=_("Origin of the complaint"), widget=forms.RadioSelect)
    other_agency_name = forms.CharField(
        label=_("Name of the other agency"),
        max_length=200,
        required=False,
        help_text=_("Only for cases referred by another agency."),
    )
    paper_serial = forms.CharField(
        label=_("Serial number of the paper form"),
        max_length=40,
        required=False,
        help_text=_("Only when entering a paper form: type it as printed (RETA-000123-4) or read its QR code."),
        widget=forms.TextInput(
            attrs={"data-qr-scan": "", "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    paper_received_on = forms.DateField(
        label=_("Date the paper form was received"),
        required=False,
        widget=_date_widget(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("The day the station took the paper form: timeliness counts from the facts to this day."),
    )
    paper_receiving_unit = forms.ModelChoiceField(
        label=_("Unit that took the paper form"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— the unit the form was issued to —"),
        help_text=_("The statistics count the complaint under this unit."),
        error_messages={"invalid_choice": _("Choose a unit of your scope.")},
    )

    facts_date = forms.DateField(
        label=_("Date of the facts"),
        required=False,
        widget=_date_widget(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=NEEDED_TO_REGISTER,
    )
    facts_time = forms.TimeField(
        label=_("Time of the facts"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    place_district = forms.ChoiceField(label=_("District"), required=False, help_text=NEEDED_TO_REGISTER)
    place_address = forms.CharField(label=_("Address or reference of the place"), max_length=300, required=False)
    place_kind = CatalogueChoiceField(Catalogue.PLACE_KIND, blank_label=BLANK, label=_("Kind of place"), required=False)

    complainant_anonymous = forms.BooleanField(
        label=_("Anonymous complainant"),
        required=False,
        help_text=_("The complainant's name, document and contact are then not recorded."),
    )
    complainant_first_names = forms.CharField(label=_("First names"), max_length=120, required=False)
    complainant_last_names = forms.CharField(label=_("Last names"), max_length=120, required=False)
    complainant_document_type = forms.ChoiceField(label=_("Document type"), choices=DOCUMENT_CHOICES, required=False)
    complainant_document_number = forms.CharField(label=_("Document number"), max_length=30, required=False)
    complainant_contact = forms.CharField(
        label=_("Contact (phone, e-mail)"), max_length=200, required=False, widget=forms.TextInput()
    )
    complainant_relation = forms.CharField(label=_("Relation to the victim"), max_length=120, required=False)

    narrative = forms.CharField(
        label=_("Narrative of the facts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=NEEDED_TO_REGISTER,
    )
    responsible_officer = forms.CharField(
        label=_("Responsible officer"),
        max_length=200,
        required=False,
        help_text=_("Rank and full name. Needed to register the complaint."),
    )

    # The check boxes of the rule engine (complaints.rules.codes.GROUPS), rendered by the template
    # with their Penal Code text.
    conducts = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    means = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    purposes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    case_facts = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    related_facts = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # The origins follow the role (policies.allowed_origins: no "Línea 0800" at a station, "other
        # agency" is DIVINTRAP's, BRIEF.md workflow 2); a national administrator amending a complaint
        # keeps whatever it has. A value outside the choices is refused, so a tampered POST fails.
        allowed = set(Origin.values) if is_national_admin(user) else set(policies.allowed_origins(user))
        origins = [(code, label) for code, label in Origin.choices if code in allowed]
        self.offers_other_agency = Origin.OTHER_AGENCY in allowed
        if not self.offers_other_agency:
            del self.fields["other_agency_name"]
        if Origin.PAPER not in allowed:
            del self.fields["paper_serial"]
        self.fields["origin"].choices = origins
        self.fields["origin"].initial = Origin.HOTLINE if user.role == Role.HOTLINE_OPERATOR else Origin.STATION
        if origins and self.fields["origin"].initial not in allowed:
            self.fields["origin"].initial = origins[0][0]
        self.fields["responsible_officer"].initial = user.get_full_name()
        self.fields["paper_receiving_unit"].queryset = (
            units_in_scope(scope_of(user)).filter(is_active=True).order_by("name")
        )
        for name, elements in GROUPS.items():
            self.fields[name].label = GROUP_LABELS[name]
            self.fields[name].choices = [(element.code, element.label) for element in elements]
        self._place_choices()

    def _current(self, name: str) -> Any:
        """The value of a field before cleaning: what was sent, or the initial value."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, "")

    def _place_choices(self) -> None:
        """Department -> province -> district: each list follows the value chosen above it, so
        that a page re-rendered without JavaScript shows the right lists (three small queries).

        A province or district sent that does not belong to the place chosen above it (the
        department was changed without JavaScript) is not an error: it is cleared, and
        `place_hints` says why next to the field."""
        self.place_hints: dict[str, str] = {}
        choose = [("", _("— choose —"))]
        departments = department_choices()
        self.fields["department"].choices = choose + departments
        department = self._current("department")
        provinces = []
        if department in {code for code, _name in departments}:
            provinces = province_choices(department)
        self.fields["province"].choices = choose + provinces
        province = self._reset_if_outside(
            "province",
            {code for code, _name in provinces},
            _("The province chosen before is not in this department: choose the province again."),
        )
        districts = []
        if province in {code for code, _name in provinces}:
            districts = district_choices(province)
        self.fields["place_district"].choices = choose + districts
        self._reset_if_outside(
            "place_district",
            {code for code, _name in districts},
            _("The district chosen before is not in this province: choose the district again."),
        )

    def _reset_if_outside(self, name: str, offered: set[str], hint: Any) -> Any:
        value = self._current(name)
        if not self.is_bound or not value or value in offered:
            return value
        self.data = self.data.copy()  # the request's QueryDict is immutable
        self.data[self.add_prefix(name)] = ""
        self.place_hints[name] = str(hint)
        return ""

    def clean_facts_date(self) -> Any:
        value = self.cleaned_data["facts_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of the facts cannot be later than today."))
        return value

    def clean_paper_received_on(self) -> Any:
        value = self.cleaned_data["paper_received_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date the paper form was received cannot be later than today."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        received, facts = cleaned.get("paper_received_on"), cleaned.get("facts_date")
        if cleaned.get("origin") == Origin.PAPER and received and facts and received < facts:
            self.add_error(
                "paper_received_on",
                _("The date the paper form was received cannot be earlier than the date of the facts."),
            )
        return cleaned

    def clean_place_district(self) -> District | None:
        code = self.cleaned_data["place_district"]
        if not code:
            return None
        return District.objects.get(code=code)

    # Groups of fields for the template (a template cannot pick fields by a list of names).
    def _bound(self, *names: str) -> list[BoundField]:
        return [self[name] for name in names]

    @property
    def origin_fields(self) -> list[BoundField]:
        names = ("other_agency_name", "paper_serial", "paper_received_on", "paper_receiving_unit")
        return self._bound(*(name for name in names if name in self.fields))

    @property
    def when_fields(self) -> list[BoundField]:
        return self._bound("facts_date", "facts_time")

    @property
    def place_detail_fields(self) -> list[BoundField]:
        return self._bound("place_address", "place_kind")

    @property
    def complainant_fields(self) -> list[BoundField]:
        return self._bound(
            "complainant_first_names",
            "complainant_last_names",
            "complainant_document_type",
            "complainant_document_number",
            "complainant_contact",
        )

    def legal_groups(self) -> list[dict[str, Any]]:
        """The check-box groups with each option's Penal Code text (the template shows it on
        hover, focus and touch, and links it with aria-describedby)."""
        groups = []
        for name, elements in GROUPS.items():
            checked = set(self[name].value() or [])
            groups.append(
                {
                    "name": name,
                    "label": GROUP_LABELS[name],
                    "field": self[name],
                    "options": [
                        {
                            "code": element.code,
                            "label": element.label,
                            "article": element.article,
                            "hint": element.hint,
                            "checked": element.code in checked,
                            "id": f"id_{name}_{element.code}",
                            "hint_id": f"hint_{element.code}",
                        }
                        for element in elements
                    ],
                }
            )
        return groups

    def complaint_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        origin = data["origin"]
        return {
            "origin": origin,
            "other_agency_name": data.get("other_agency_name", "").strip() if origin == Origin.OTHER_AGENCY else "",
            "paper_serial": data.get("paper_serial", "").strip() if origin == Origin.PAPER else "",
            "paper_received_on": data.get("paper_received_on") if origin == Origin.PAPER else None,
            "paper_receiving_unit": data.get("paper_receiving_unit") if origin == Origin.PAPER else None,
            "facts_date": data["facts_date"],
            "facts_time": data["facts_time"],
            "place_district": data["place_district"],
            "place_address": data["place_address"],
            "place_kind": data["place_kind"],
            "complainant_anonymous": data["complainant_anonymous"],
            "complainant_first_names": data["complainant_first_names"],
            "complainant_last_names": data["complainant_last_names"],
            "complainant_document_type": data["complainant_document_type"],
            "complainant_document_number": data["complainant_document_number"],
            "complainant_contact": data["complainant_contact"],
            "complainant_relation": data["complainant_relation"],
            "narrative": data["narrative"],
            "responsible_officer": data["responsible_officer"],
            **{name: list(data[name]) for name in GROUPS},
        }


def complaint_initial(data: ComplaintData) -> dict[str, Any]:
    """Initial values of the complaint form for stored data (a draft being edited)."""
    initial: dict[str, Any] = {
        name: getattr(data, name)
        for name in ComplaintForm.base_fields
        if name not in ("form_token", "department", "province", "place_district") and hasattr(data, name)
    }
    district = data.place_district
    if district is not None:
        initial.update(department=district.department_id, province=district.province_id, place_district=district.pk)
    return initial


# ---------------------------------------------------------------- victims and alleged traffickers


class PersonRowForm(RetaForm):
    """One row of a formset. A row left blank is no person and is dropped."""

    def is_blank(self) -> bool:
        return all(value in (None, "", False, Minor.UNKNOWN) for value in self.cleaned_data.values())


class VictimForm(PersonRowForm):
    first_names = forms.CharField(label=_("First names"), max_length=120, required=False)
    last_names = forms.CharField(label=_("Last names"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    age = forms.IntegerField(
        label=_("Age"), min_value=0, max_value=120, required=False, widget=_number_widget(120), help_text=_("Years.")
    )
    minor = forms.ChoiceField(
        label=_("Minor (under 18)?"),
        choices=Minor.choices,
        initial=Minor.UNKNOWN,
        required=False,
        help_text=_("When the age is not known."),
    )
    nationality = forms.ChoiceField(label=_("Nationality"), choices=NATIONALITY_CHOICES, required=False)
    document_type = forms.ChoiceField(label=_("Document type"), choices=DOCUMENT_CHOICES, required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=30, required=False)
    pregnant = forms.BooleanField(label=_("Pregnant"), required=False)
    disability = forms.BooleanField(label=_("Has a disability"), required=False)
    legally_incapable = forms.BooleanField(label=_("Legally incapable"), required=False)
    consented = forms.BooleanField(label=_("Says she or he consented"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.data.get(self.add_prefix("nationality")) if self.is_bound else self.initial.get("nationality")
        self.fields["nationality"].choices = _nationality_choices(current)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        age, minor = data.get("age"), data.get("minor")
        if age is not None and minor in (Minor.YES, Minor.NO) and (age < 18) != (minor == Minor.YES):
            self.add_error("minor", _("This contradicts the age. Correct one of them."))
        if data.get("pregnant") and data.get("sex") == Sex.MALE:
            self.add_error("pregnant", _("A pregnant victim cannot be recorded as male."))
        return data

    @property
    def identity_fields(self) -> list[BoundField]:
        return [self[name] for name in ("first_names", "last_names", "sex", "age", "minor", "nationality")]

    @property
    def document_fields(self) -> list[BoundField]:
        return [self[name] for name in ("document_type", "document_number")]

    @property
    def condition_fields(self) -> list[BoundField]:
        return [self[name] for name in ("pregnant", "disability", "legally_incapable", "consented")]

    def to_data(self) -> VictimData:
        data = self.cleaned_data
        age = data["age"]
        minor = None if age is not None else {Minor.YES: True, Minor.NO: False}.get(data["minor"])
        return VictimData(
            first_names=data["first_names"],
            last_names=data["last_names"],
            sex=data["sex"],
            age=age,
            minor=minor,
            nationality=data["nationality"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            pregnant=data["pregnant"],
            disability=data["disability"],
            legally_incapable=data["legally_incapable"],
            consented=data["consented"],
        )

    @staticmethod
    def initial_of(victim: VictimData) -> dict[str, Any]:
        minor = {True: Minor.YES, False: Minor.NO}.get(victim.minor, Minor.UNKNOWN)
        values = {name: getattr(victim, name) for name in VictimForm.base_fields if name != "minor"}
        return {**values, "minor": minor}


class SuspectForm(PersonRowForm):
    first_names = forms.CharField(label=_("First names"), max_length=120, required=False)
    last_names = forms.CharField(label=_("Last names"), max_length=120, required=False)
    alias = forms.CharField(label=_("Alias"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    approximate_age = forms.IntegerField(
        label=_("Approximate age"), min_value=0, max_value=120, required=False, widget=_number_widget(120)
    )
    nationality = forms.ChoiceField(label=_("Nationality"), choices=NATIONALITY_CHOICES, required=False)
    relation_to_victim = forms.CharField(label=_("Relation to the victim"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Physical description, vehicle, phone, where she or he can be found."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.data.get(self.add_prefix("nationality")) if self.is_bound else self.initial.get("nationality")
        self.fields["nationality"].choices = _nationality_choices(current)

    @property
    def identity_fields(self) -> list[BoundField]:
        return [self[name] for name in ("first_names", "last_names", "alias", "sex", "approximate_age", "nationality")]

    def to_data(self) -> SuspectData:
        return SuspectData(**{name: self.cleaned_data[name] for name in SuspectForm.base_fields})

    @staticmethod
    def initial_of(suspect: SuspectData) -> dict[str, Any]:
        return {name: getattr(suspect, name) for name in SuspectForm.base_fields}


class PlaceForm(RetaForm):
    """A place of the route besides the place of the facts (complaints.models.ComplaintPlace): its
    role, department -> province -> district (each list follows the value above it, as the place of
    the facts does), address and kind. A row left blank is dropped."""

    role = forms.ChoiceField(label=_("Role in the route"), required=False)
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
    address = forms.CharField(label=_("Address or reference of the place"), max_length=300, required=False)
    kind = CatalogueChoiceField(Catalogue.PLACE_KIND, blank_label=BLANK, label=_("Kind of place"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose = [("", _("— choose —"))]
        self.fields["role"].choices = choose + list(PlaceRole.choices)
        departments = list(Department.objects.values_list("code", "name"))
        self.fields["department"].choices = choose + departments
        provinces = []
        department = self._current("department")
        if department in {code for code, _name in departments}:
            provinces = list(Province.objects.filter(department_id=department).values_list("code", "name"))
        self.fields["province"].choices = choose + provinces
        districts = []
        province = self._current("province")
        if province in {code for code, _name in provinces}:
            districts = list(District.objects.filter(province_id=province).values_list("code", "name"))
        self.fields["district"].choices = choose + districts

    def _current(self, name: str) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, "")

    def clean_district(self) -> District | None:
        code = self.cleaned_data["district"]
        return District.objects.get(code=code) if code else None

    def is_blank(self) -> bool:
        return all(value in (None, "") for value in self.cleaned_data.values())

    @property
    def where_fields(self) -> list[BoundField]:
        return [self[name] for name in ("department", "province", "district")]

    def to_data(self) -> PlaceData:
        data = self.cleaned_data
        return PlaceData(role=data["role"], district=data["district"], address=data["address"], kind=data["kind"])

    @staticmethod
    def initial_of(place: PlaceData) -> dict[str, Any]:
        values = {"role": place.role, "address": place.address, "kind": place.kind}
        district = place.district
        if district is not None:
            values.update(department=district.department_id, province=district.province_id, district=district.pk)
        return values


PlaceFormSet = forms.formset_factory(PlaceForm, extra=0, max_num=MAX_PLACES, absolute_max=MAX_PLACES, validate_max=True)
PLACES_PREFIX = "places"
NO_PLACES = {f"{PLACES_PREFIX}-TOTAL_FORMS": "0", f"{PLACES_PREFIX}-INITIAL_FORMS": "0"}
VictimFormSet = forms.formset_factory(VictimForm, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True)
SuspectFormSet = forms.formset_factory(SuspectForm, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True)


# ---------------------------------------------------------------- the whole page


class ComplaintEntry:
    """The complaint form and its formsets (victims, alleged traffickers, places of the route), handled as one.

    Bound (`data=request.POST`) to validate and save; unbound with `initial` (a `ComplaintData`)
    to edit a draft; `rebuilt()` gives the unbound page of what was typed, with a row more or
    less, for the actions that must not save anything.
    """

    def __init__(
        self,
        *,
        user: Any,
        data: Any = None,
        initial: ComplaintData | None = None,
        rows: tuple[Any, ...] | None = None,  # (main, victims, suspects[, places]) as typed
    ) -> None:
        self.user = user
        self.victims_errors: list[str] = []
        self.places_errors: list[str] = []
        if data is not None:
            self.form = ComplaintForm(data, user=user)
            self.victims = VictimFormSet(data, prefix="victims")
            self.suspects = SuspectFormSet(data, prefix="suspects")
            # A page without the places section (a client that never showed it) sends no rows.
            sent = f"{PLACES_PREFIX}-TOTAL_FORMS" in data
            self.places = PlaceFormSet(data if sent else NO_PLACES, prefix=PLACES_PREFIX)
            return
        places = [PlaceForm.initial_of(place) for place in initial.places] if initial is not None else []
        if rows is not None:  # re-rendering what was typed (the form token comes with it)
            main, victims, suspects, *route = rows
            places = route[0] if route else []
        elif initial is not None:  # a stored draft
            main = complaint_initial(initial)
            victims = [VictimForm.initial_of(victim) for victim in initial.victims] or [{}]
            suspects = [SuspectForm.initial_of(suspect) for suspect in initial.suspects] or [{}]
        else:  # a new complaint: one blank row of each (a row left blank is dropped)
            main, victims, suspects = {"form_token": uuid.uuid4().hex}, [{}], [{}]
        self.form = ComplaintForm(initial=main, user=user)
        self.victims = VictimFormSet(initial=victims, prefix="victims")
        self.suspects = SuspectFormSet(initial=suspects, prefix="suspects")
        self.places = PlaceFormSet(initial=places, prefix=PLACES_PREFIX)

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    @property
    def form_token(self) -> str:
        return (self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}).get("form_token") or ""

    def rebuilt(
        self,
        *,
        add_victim: bool = False,
        add_suspect: bool = False,
        remove_victim: int | None = None,
        remove_suspect: int | None = None,
        add_place: bool = False,
        remove_place: int | None = None,
    ) -> ComplaintEntry:
        """The same page, unbound, showing what was typed: no error is shown, nothing is saved."""
        main = self.form.raw_values()
        victims = [form.raw_values() for form in self.victims.forms]
        suspects = [form.raw_values() for form in self.suspects.forms]
        places = [form.raw_values() for form in self.places.forms]
        for rows, index in ((victims, remove_victim), (suspects, remove_suspect), (places, remove_place)):
            if index is not None and 0 <= index < len(rows):
                del rows[index]
        if add_victim and len(victims) < MAX_ROWS:
            victims.append({})
        if add_suspect and len(suspects) < MAX_ROWS:
            suspects.append({})
        if add_place and len(places) < MAX_PLACES:
            places.append({})
        # At least one victim row is always offered; alleged traffickers and route places may be none.
        entry = ComplaintEntry(user=self.user, rows=(main, victims or [{}], suspects, places))
        entry.form.place_hints.update(self.form.place_hints)  # a place cleared: say why
        return entry

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), self.victims.is_valid(), self.suspects.is_valid(), self.places.is_valid()]
        return all(results)

    def to_data(self) -> ComplaintData:
        data = ComplaintData(**self.form.complaint_values())
        data.victims = [form.to_data() for form in self.victims.forms if not form.is_blank()]
        data.suspects = [form.to_data() for form in self.suspects.forms if not form.is_blank()]
        data.places = [form.to_data() for form in self.places.forms if not form.is_blank()]
        return data

    def add_problems_of_valid_fields(self, problems_of: Any) -> None:
        """With errors in the form already: add the services' reasons (`problems_of(data)`, a list
        of ComplaintError) about the fields that have none, so that every problem shows at once."""
        cleaned = getattr(self.form, "cleaned_data", {})
        data = ComplaintData()
        for item in dataclasses.fields(ComplaintData):
            if item.name in cleaned and item.name not in self.form.errors:
                setattr(data, item.name, cleaned[item.name])
        if "facts_date" in self.form.errors:
            data.facts_date = timezone.localdate()  # its own error is shown already
        if "place_district" in self.form.errors:
            data.place_district = District()
        for formset, name in ((self.victims, "victims"), (self.suspects, "suspects")):
            rows = []
            for form in formset.forms:
                if not hasattr(form, "cleaned_data"):
                    continue
                if not form.errors:
                    if not form.is_blank():
                        rows.append(form.to_data())
                else:
                    rows.append(VictimData() if name == "victims" else SuspectData())
            setattr(data, name, rows)
        for problem in problems_of(data):
            if problem.field not in self.form.errors:
                self.add_service_error(problem)

    def add_service_error(self, error: ComplaintError) -> None:
        """Show a service's refusal next to the field it names."""
        if error.field == "victims":
            self.victims_errors.append(error.message)
        elif error.field == "places":
            self.places_errors.append(error.message)
        elif error.field in self.form.fields:
            self.form.add_error(error.field, error.message)
        else:
            self.form.add_error(None, error.message)

    def error_summary(self) -> list[dict[str, str]]:
        """Every error of the page, for the box at the top, each linking to its field."""
        if not self.is_bound:
            return []
        items = []
        for name, errors in self.form.errors.items():
            field = self.form.fields.get(name)
            anchor = self.form[name].id_for_label if field is not None else "complaint-form"
            if name in GROUPS:
                anchor = f"group-{name}"
            label = str(field.label) if field is not None and field.label else ""
            items += [{"label": label, "message": str(message), "anchor": anchor} for message in errors]
        items += [{"label": "", "message": message, "anchor": "victims"} for message in self.victims_errors]
        items += [{"label": "", "message": message, "anchor": "places"} for message in self.places_errors]
        for formset, anchor in ((self.victims, "victims"), (self.suspects, "suspects"), (self.places, "places")):
            items += [{"label": "", "message": str(m), "anchor": anchor} for m in formset.non_form_errors()]
            for form in formset.forms:
                for name, errors in form.errors.items():
                    field = form.fields.get(name)
                    target = form[name].id_for_label if field is not None else anchor
                    label = str(field.label) if field is not None else ""
                    items += [{"label": label, "message": str(message), "anchor": target} for message in errors]
        return items
