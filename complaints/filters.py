"""Filters, search and sorting of the complaint list (and of its CSV export).

`ComplaintFilterForm` validates what the user asked for; `filter_complaints` applies it to a
queryset that is already scoped by `Complaint.objects.visible_to`. Filters only narrow: nothing here can
widen the user's scope.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.models import Department, Unit
from administration.places import SpanishOrderIterator
from complaints.catalogues import Origin
from complaints.models import Complaint
from complaints.rules.codes import CATEGORIES, OUTCOMES
from complaints.text import normalise

MAX_SEARCH_TERMS = 6

# Sort keys offered to the user -> the ordering they mean. Drafts have no registration date nor
# delay: they come first when the newest registrations come first (they are the unit's pending
# work), last otherwise.
SORTS: dict[str, tuple[Any, ...]] = {
    "-registered": (F("submitted_at").desc(nulls_first=True), "-created_at", "-pk"),
    "registered": (F("submitted_at").asc(nulls_last=True), "created_at", "pk"),
    "-delay": (F("registration_delay_days").desc(nulls_last=True), "-submitted_at", "-pk"),
    "delay": (F("registration_delay_days").asc(nulls_last=True), "-submitted_at", "-pk"),
    "-facts": (F("facts_date").desc(nulls_last=True), "-submitted_at", "-pk"),
    "facts": (F("facts_date").asc(nulls_last=True), "-submitted_at", "-pk"),
}
DEFAULT_SORT = "-registered"
SORT_CHOICES = [
    ("-registered", _("Registration date, newest first")),
    ("registered", _("Registration date, oldest first")),
    ("-delay", _("Days from the facts to the registration, most first")),
    ("delay", _("Days from the facts to the registration, fewest first")),
    ("-facts", _("Date of the facts, newest first")),
    ("facts", _("Date of the facts, oldest first")),
]

# Fields shown at once; the others are folded under "More filters".
PRIMARY_FIELDS = ("q", "status", "outcome", "category", "sort")

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "required": False}


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


def _directorates() -> QuerySet[Unit]:
    # Every directorate is offered: a regional unit also sees complaints registered elsewhere
    # about facts in its territory. The list of directorates is not sensitive.
    return Unit.objects.filter(kind__in=Unit.DIRECTORATE_KINDS, is_active=True).order_by("name")


class ComplaintFilterForm(forms.Form):
    """`person_search=False` (a role without a need to know identities, people.policies): the text
    is matched against the complaint number only, and the field says so."""

    q = forms.CharField(
        label=_("Number, name or document"),
        required=False,
        max_length=100,
        help_text=_("Accents and capital letters do not matter."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_all(Complaint.Status.choices))
    outcome = forms.ChoiceField(
        label=_("Classification"), required=False, choices=_all((term.code, term.label) for term in OUTCOMES)
    )
    category = forms.ChoiceField(
        label=_("Purpose category"), required=False, choices=_all((term.code, term.label) for term in CATEGORIES)
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    registered_from = forms.DateField(label=_("Registered from"), **_DATE)
    registered_to = forms.DateField(label=_("Registered until"), **_DATE)
    facts_from = forms.DateField(label=_("Facts from"), **_DATE)
    facts_to = forms.DateField(label=_("Facts until"), **_DATE)
    directorate = forms.ModelChoiceField(
        label=_("Directorate of the registering unit"),
        required=False,
        queryset=_directorates(),
        to_field_name="code",
        empty_label=_("All"),
    )
    department = forms.ModelChoiceField(
        label=_("Department of the facts"),
        required=False,
        queryset=Department.objects.order_by("name"),
        empty_label=_("All"),
    )
    department.iterator = SpanishOrderIterator  # "Áncash" among the A's, whatever the collation
    unit = forms.CharField(
        label=_("Registering unit"),
        required=False,
        max_length=100,
        help_text=_("Code or part of the name."),
    )
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=_all(Origin.choices))
    delay_min = forms.IntegerField(
        label=_("Days to registration, at least"), required=False, min_value=0, max_value=100_000
    )
    delay_max = forms.IntegerField(
        label=_("Days to registration, at most"), required=False, min_value=0, max_value=100_000
    )

    def __init__(self, *args: Any, person_search: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person_search = person_search
        if not person_search:
            self.fields["q"].label = _("Complaint number")
            self.fields["q"].help_text = _(
                "Your role does not search by name or document number: only the complaint number is searched."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for start, end in (("registered_from", "registered_to"), ("facts_from", "facts_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, _("The end date is before the start date."))
        low, high = data.get("delay_min"), data.get("delay_max")
        if low is not None and high is not None and low > high:
            self.add_error("delay_max", _("The maximum is smaller than the minimum."))
        return data

    @property
    def primary_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PRIMARY_FIELDS]

    @property
    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in PRIMARY_FIELDS]

    @property
    def more_in_use(self) -> bool:
        """Whether a folded filter has a value or an error (then the fold opens)."""
        return any(field.value() not in (None, "") or field.errors for field in self.more_fields)

    def filters(self) -> dict[str, Any]:
        """The validated values that narrow the list (empty ones left out; invalid ones ignored,
        their errors shown)."""
        cleaned = getattr(self, "cleaned_data", {}) or {}
        return {name: value for name, value in cleaned.items() if name != "sort" and value not in (None, "")}

    def sort_key(self) -> str:
        cleaned = getattr(self, "cleaned_data", {}) or {}
        return cleaned.get("sort") or DEFAULT_SORT


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search_terms(text: str) -> list[str]:
    """The words of a search, normalised like `Complaint.search_text` (no accents, lower case)."""
    return normalise(text).split()[:MAX_SEARCH_TERMS]


def filter_complaints(
    complaints: QuerySet[Complaint], *, person_search: bool = True, **filters: Any
) -> QuerySet[Complaint]:
    """Narrow an already scoped queryset. Keys are the fields of ComplaintFilterForm. Without
    `person_search` the search text matches the complaint number only, never the names and
    documents of `search_text`: the list is not an identity oracle (issue 9, item 5)."""
    condition = Q()
    for term in search_terms(filters.get("q") or ""):
        # Every word must appear: "condori lucia" finds "Lucía Condori".
        condition &= Q(search_text__contains=term) if person_search else Q(number__icontains=term)
    if filters.get("status"):
        condition &= Q(status=filters["status"])
    if filters.get("outcome"):
        condition &= Q(outcome=filters["outcome"])
    if filters.get("category"):
        # A JSON list of codes: the quoted code as text works the same on SQLite and MySQL/MariaDB
        # (JSON containment has no SQLite implementation). Codes are not substrings of each other.
        condition &= Q(purpose_categories__icontains=f'"{filters["category"]}"')
    if filters.get("origin"):
        condition &= Q(origin=filters["origin"])
    if filters.get("registered_from"):
        condition &= Q(submitted_at__gte=_start_of(filters["registered_from"]))
    if filters.get("registered_to"):
        condition &= Q(submitted_at__lt=_start_of(filters["registered_to"] + datetime.timedelta(days=1)))
    if filters.get("facts_from"):
        condition &= Q(facts_date__gte=filters["facts_from"])
    if filters.get("facts_to"):
        condition &= Q(facts_date__lte=filters["facts_to"])
    if filters.get("directorate"):
        condition &= Q(registering_unit__directorate=filters["directorate"])
    if filters.get("department"):
        condition &= Q(place_district__department=filters["department"])
    if filters.get("unit"):
        unit = filters["unit"].strip()
        condition &= Q(registering_unit__code__iexact=unit) | Q(registering_unit__name__icontains=unit)
    if filters.get("delay_min") is not None:
        condition &= Q(registration_delay_days__gte=filters["delay_min"])
    if filters.get("delay_max") is not None:
        condition &= Q(registration_delay_days__lte=filters["delay_max"])
    return complaints.filter(condition)


def order_complaints(complaints: QuerySet[Complaint], sort: str) -> QuerySet[Complaint]:
    return complaints.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def filters_for_audit(filters: dict[str, Any], sort: str) -> dict[str, Any]:
    """The filters of an export as the audit trail keeps them: plain strings, and never the search
    text (it may be a victim's name or document number: SECURITY.md 13)."""
    kept: dict[str, Any] = {}
    for name, value in filters.items():
        if name == "q":
            kept["search"] = "[withheld]"
        elif isinstance(value, Unit | Department):
            kept[name] = value.code
        else:
            kept[name] = str(value)
    kept["sort"] = sort
    return kept
