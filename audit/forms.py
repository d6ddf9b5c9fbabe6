from django import forms
from django.utils.translation import gettext_lazy as _

from audit.events import grouped_event_choices
from audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    user_name = forms.CharField(label=_("User name"), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False, choices=[("", _("All")), *grouped_event_choices()])
    unit_code = forms.CharField(label=_("Unit code"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *AuditEvent.Outcome.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
