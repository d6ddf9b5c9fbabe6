"""The forms of cross-case decisions (Spanish labels through gettext)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from administration.models import Unit


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
    strong = forms.BooleanField(label=_("Strong keys only"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Unit.objects.filter(kind=Unit.Kind.TERRITORIAL_DIRECTORATE).order_by("name"),
        required=False,
        empty_label=_("All"),
    )
