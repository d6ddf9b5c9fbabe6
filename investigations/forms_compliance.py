"""The form of the compliance monitoring page (investigations.views.compliance): the period (dates
of registration, America/Lima) and, optionally, one directorate of the user's scope. Sent by GET,
so that the page, its exports and a bookmark carry the same filters.

May import: administration (access, models, selectors), stats.tables (the earliest year).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from administration.access import Scope
from administration.models import Unit
from administration.selectors import units_in_scope
from stats.tables import EARLIEST_YEAR


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ComplianceForm(forms.Form):
    date_from = forms.DateField(label=_("From (date of registration)"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To (date of registration)"), required=False, widget=DateInput())
    directorate = forms.ModelChoiceField(
        label=_("Directorate"), queryset=Unit.objects.none(), required=False, empty_label=_("All the directorates")
    )

    def __init__(self, *args: Any, scope: Scope, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date_from"].initial = self.default_from
        self.fields["date_to"].initial = today
        self.fields["directorate"].queryset = (
            units_in_scope(scope).filter(kind__in=Unit.DIRECTORATE_KINDS).order_by("name")
        )

    @property
    def default_from(self) -> datetime.date:
        return self.today.replace(month=1, day=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        data["date_from"] = data.get("date_from") or self.default_from
        data["date_to"] = data.get("date_to") or self.today
        if data["date_from"] > data["date_to"]:
            raise ValidationError(_("The first date is after the last one."))
        if data["date_from"].year < EARLIEST_YEAR:
            raise ValidationError(_("Choose dates from %(year)s onwards.") % {"year": EARLIEST_YEAR})
        return data

    def period(self) -> tuple[datetime.date, datetime.date, Unit | None]:
        """The dates and directorate asked for (a valid bound form), else the default period."""
        if self.is_bound:
            data = self.cleaned_data
            return data["date_from"], data["date_to"], data.get("directorate")
        return self.default_from, self.today, None
