"""The forms of the statistics screens: the period, and the cross-tabulation (variables, what
is counted, filters). Their selects are written in Python (`FastSelect`): Django's per-option
template rendering cost more than the query of a page.

May import: administration.access (Scope), stats.codes, stats.selectors, stats.tables,
stats.variables.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from administration.access import Scope
from stats.codes import NONE_TOKEN
from stats.selectors import default_period
from stats.tables import EARLIEST_YEAR, PeriodError, check_period
from stats.units import TREE_CHOICES, TREE_NOW
from stats.variables import FILTER_VARIABLES, MEASURES, VARIABLES, Labels, all_variables


class FastSelect(forms.Select):
    """A <select> written in Python: Django renders each <option> through a template, which costs
    ~30 ms for the cross-tabulation's filters (the statistics pages aim at twice their SQL)."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        values = value if isinstance(value, list | tuple) else [value]
        selected = {str(item) for item in values if item is not None}
        options = "".join(
            f'<option value="{escape(str(code))}"{" selected" if str(code) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for code, label in self.choices
        )
        attributes = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attributes["multiple"] = True
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attributes), mark_safe(options))  # noqa: S308


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    allow_multiple_selected = True


class PeriodForm(forms.Form):
    """The period: years of registration (America/Lima). A year left empty is the default period's:
    from the first to the last year with registrations in the scope (one query, only then)."""

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        last = timezone.localdate().year + 1
        for index, name, label in ((0, "year_from", _("From year")), (1, "year_to", _("To year"))):
            self.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                min_value=EARLIEST_YEAR,
                max_value=last,
                initial=lambda index=index: self.default[index],
            )

    @cached_property
    def default(self) -> tuple[int, int]:
        return default_period(self.scope)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        data["year_from"] = data.get("year_from") or self.default[0]
        data["year_to"] = data.get("year_to") or self.default[1]
        try:
            check_period(data["year_from"], data["year_to"])
        except PeriodError as error:
            raise ValidationError(str(error)) from error
        return data

    def period(self) -> tuple[int, int]:
        """The years asked for (a valid bound form), else the default period."""
        if self.is_bound:
            return self.cleaned_data["year_from"], self.cleaned_data["year_to"]
        return self.default


def _variable_choices() -> list[tuple[str, str]]:
    return [(code, variable.label) for code, variable in all_variables().items()]  # research variables too


class CrosstabForm(PeriodForm):
    rows = forms.ChoiceField(label=_("Rows"), choices=_variable_choices, initial="category", widget=FastSelect)
    columns = forms.ChoiceField(
        label=_("Columns"),
        choices=lambda: [("", _("None (totals only)")), *_variable_choices()],
        required=False,
        widget=FastSelect,
    )
    measure = forms.ChoiceField(
        label=_("Count"), choices=list(MEASURES.items()), initial="complaints", required=False, widget=FastSelect
    )

    def __init__(self, *args: Any, labels: Labels, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filter_names = []
        for code in FILTER_VARIABLES:
            variable = VARIABLES[code]
            domain = labels.domain(variable, 0, -1)
            choices = [(str(value), label) for value, label in domain]
            choices.append((NONE_TOKEN, str(variable.none_label)))
            self.fields[code] = forms.MultipleChoiceField(
                label=variable.label,
                choices=choices,
                required=False,
                widget=FastSelectMultiple(attrs={"size": min(len(choices), 5)}),
            )
            self.filter_names.append(code)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("rows") and data.get("rows") == data.get("columns"):
            self.add_error("columns", _("Choose a column variable different from the row variable."))
        data["measure"] = data.get("measure") or "complaints"
        return data

    @property
    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.filter_names]

    @property
    def active_filters(self) -> int:
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filter_names if self.data.getlist(name))

    def filters(self) -> dict[str, list[str]]:
        return {name: self.cleaned_data[name] for name in self.filter_names if self.cleaned_data.get(name)}


class TreePeriodForm(PeriodForm):
    """The period, and the tree the tables by directorate follow (stats.units): the tree in force
    today (the default) or the tree of each complaint's registration date."""

    tree = forms.ChoiceField(
        label=_("Directorates by"), choices=TREE_CHOICES, required=False, initial=TREE_NOW, widget=forms.RadioSelect
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["tree"] = data.get("tree") or TREE_NOW
        return data

    def tree_choice(self) -> str:
        return self.cleaned_data["tree"] if self.is_bound else TREE_NOW


class TreeCrosstabForm(CrosstabForm):
    """The cross-tabulation, and the tree its "directorate" follows (stats.units)."""

    tree = forms.ChoiceField(
        label=_("Directorates by"), choices=TREE_CHOICES, required=False, initial=TREE_NOW, widget=forms.RadioSelect
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["tree"] = data.get("tree") or TREE_NOW
        return data
