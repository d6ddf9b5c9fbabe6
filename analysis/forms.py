"""The forms of cross-case analysis: the analysts' decisions on candidates (items 2 and 3: POST,
Spanish labels through gettext), and the filters of the network and of the route map (item 4: GET
forms, nothing saved).

May import: administration (departments, units), analysis.network.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from administration.models import Department, Unit
from analysis.network import DEFAULT_DEPTH, MAX_DEPTH, MIN_DEPTH, ROLES, Filters


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data


class NetworkForm(PeriodForm):
    """Where the network starts (a search, or a node of the network shown: `start`) and its filters."""

    q = forms.CharField(
        label=_("Case file number, complaint number, phone or plate"),
        required=False,
        max_length=80,
        help_text=_("No search by name: a person is reached through the records she appears in."),
    )
    start = forms.RegexField(regex=r"^[a-z_]+-r?\d{1,12}$", required=False, widget=forms.HiddenInput)
    depth = forms.TypedChoiceField(
        label=_("Depth"),
        choices=[(n, str(n)) for n in range(MIN_DEPTH, MAX_DEPTH + 1)],
        coerce=int,
        initial=DEFAULT_DEPTH,
        required=False,
    )
    department = forms.ChoiceField(label=_("Region (department)"), required=False)
    role = forms.ChoiceField(label=_("Role of the persons"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All regions"))] + list(
            Department.objects.order_by("name").values_list("code", "name")
        )
        self.fields["role"].choices = [("", _("All roles"))] + [(role.value, role.label) for role in ROLES]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not (data.get("q") or data.get("start")):
            raise forms.ValidationError(_("Type a case file number, a complaint number, a phone or a plate."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            department=data.get("department") or "",
            role=data.get("role") or "",
            depth=data.get("depth") or DEFAULT_DEPTH,
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirmed", _("Confirm: they are the same person (merge the identities)")),
            ("rejected", _("Reject: they are different persons")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write the reason for the decision."))
        return reason


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CandidateFilterForm(forms.Form):
    """The filters of the candidate list (a GET form; `page` is read by the view)."""

    strong = forms.BooleanField(label=_("Strong keys only"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Unit.objects.filter(kind=Unit.Kind.TERRITORIAL_DIRECTORATE).order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    min_score = forms.DecimalField(
        label=_("Minimum score"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=2,
        help_text=_("From 0 to 1, e.g. 0.8."),
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )


__all__ = ["CandidateFilterForm", "DecisionForm", "NetworkForm", "PeriodForm", "UndoForm"]
