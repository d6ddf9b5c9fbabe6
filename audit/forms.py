"""The filters of the audit screens, of their CSV and of their PDF report (one form for all three)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from audit.events import group_choices, grouped_event_choices
from audit.models import AuditEvent

# The names of the filters as they appear in a URL, in the order the report lists them.
FILTERS = ("date_from", "date_to", "user_name", "unit_code", "group", "event", "outcome", "object_type", "object")


def object_type_label(object_type: str) -> str:
    """The name of a model ("complaints.complaint" -> "denuncia"), or the stored text."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_type_choices() -> list[tuple[str, str]]:
    """The kinds of object the trail speaks of (read from the trail: data-driven)."""
    stored = AuditEvent.objects.order_by().exclude(object_type="").values_list("object_type", flat=True).distinct()
    return sorted(((value, object_type_label(value)) for value in stored), key=lambda choice: choice[1].lower())


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user_name = forms.CharField(label=_("User name"), required=False, max_length=150)
    unit_code = forms.CharField(label=_("Unit code"), required=False, max_length=64)
    group = forms.ChoiceField(label=_("Kind of event"), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *AuditEvent.Outcome.choices]
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object = forms.CharField(
        label=_("Object"),
        required=False,
        max_length=200,
        help_text=_("Its number or id (e.g. a complaint or case file number)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All")), *group_choices()]
        self.fields["event"].choices = [("", _("All")), *grouped_event_choices()]
        self.fields["object_type"].choices = [("", _("All")), *object_type_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def described(self) -> list[tuple[Any, str]]:
        """(label, value shown) of each filter in use, for the report's header."""
        if not self.is_bound or not self.is_valid():
            return []
        shown = []
        for name in FILTERS:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                value = _choice_label(field.choices, value)
            shown.append((field.label, value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)))
        return shown


def _choice_label(choices: Any, value: str) -> str:
    for key, label in choices:
        if isinstance(label, list | tuple):
            for inner_key, inner_label in label:
                if inner_key == value:
                    return str(inner_label)
        elif key == value:
            return str(label)
    return value
