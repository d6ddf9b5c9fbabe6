"""Forms of the case-file pages. They read and check what was typed; investigations.services does
every write and the checks of the workflow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from administration.models import Unit
from investigations.models import CaseStatus


class OpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    complaints = forms.CharField(
        label=_("Complaint numbers"),
        required=False,
        help_text=_("One or more complaint numbers, separated by commas or spaces."),
    )
    agency_name = forms.CharField(label=_("Other agency"), max_length=200, required=False)
    agency_reference = forms.CharField(label=_("Other agency's reference"), max_length=100, required=False)

    def __init__(self, *args: Any, other_agency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not other_agency:
            del self.fields["agency_name"]
            del self.fields["agency_reference"]

    def complaint_numbers(self) -> list[str]:
        text = self.cleaned_data.get("complaints", "") or ""
        return [part for part in text.replace(",", " ").split() if part]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=[])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to close or to reopen a case file."),
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(value, CaseStatus(value).label) for value in allowed] or [
            (value, label) for value, label in CaseStatus.choices
        ]


class AssignForm(forms.Form):
    investigator = forms.ModelChoiceField(label=_("Investigator"), queryset=None)

    def __init__(self, *args: Any, investigators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = investigators
        self.fields["investigator"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.get_username()} ({user.unit.code})"
        )


class ShareForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.order_by("name"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
