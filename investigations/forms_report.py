"""Forms of the proof matrix and the police report pages. They read what was typed;
investigations.reporting does every write and every check of the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ProofLinkForm(forms.Form):
    element_code = forms.ChoiceField(label=_("Legal element"), choices=[])
    support = forms.ChoiceField(label=_("Support"), choices=[])
    note = forms.CharField(
        label=_("What it shows"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, elements: list, supports: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["element_code"].choices = [("", "—")] + list(elements)
        self.fields["support"].choices = [("", "—")] + list(supports)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class ConclusionsForm(forms.Form):
    conclusions = forms.CharField(label=_("Conclusions"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))


class TransmitForm(forms.Form):
    prosecutor_office = forms.CharField(
        label=_("Prosecutor's office"),
        max_length=300,
        help_text=_("E.g. Fiscalía Provincial Especializada en Delitos de Trata de Personas de Madre de Dios."),
    )
