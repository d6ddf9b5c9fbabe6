"""The forms of the paper forms' screens: issuing a batch, and the filter of the register.

Owns: form classes only (no writes: views pass cleaned data to `paperforms.services`). Imports
`administration.models` and `paperforms`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from administration.models import Unit
from paperforms import selectors
from paperforms.services import MAX_BATCH_SIZE


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class IssueForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    unit = UnitChoiceField(
        label=gettext_lazy("Unit that receives the forms"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("— choose —"),
        help_text=gettext_lazy("A police station, or any other unit that will hand the forms out."),
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of forms"),
        min_value=1,
        max_value=MAX_BATCH_SIZE,
        initial=50,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_BATCH_SIZE}),
        help_text=gettext_lazy(
            "Each form is a set of three copies (original and two copies) of two pages: print it double-sided."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for_issue(user)


class RegisterFilterForm(forms.Form):
    outstanding = forms.BooleanField(label=gettext_lazy("Only units with forms outstanding"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


__all__ = ["IssueForm", "RegisterFilterForm", "UnitChoiceField"]
