"""Research variables (administration.models.ExtraField) on the forms: which variables a form shows
(`fields_on`: active and in force on a date, plus those a record already has a value for), the
form that edits them (`ExtraValuesForm`, Spanish messages, its values as stored text) and the
values of a record as people read them (`shown_values`). The values themselves are rows of the
app that owns the record (complaints.ComplaintExtraValue, investigations.CaseFileExtraValue),
written by its services with `extra_values_write` (one row per variable with a value)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _

from administration.models import ExtraField

__all__ = ["ExtraValuesForm", "extra_values_write", "fields_on", "shown_values", "stored_text"]


def fields_on(target: str, day: datetime.date, *, keep: Iterable[int] = ()) -> list[ExtraField]:
    """The variables a form for `target` shows on `day`, in their order."""
    kept = set(keep)
    rows = ExtraField.objects.filter(target=target).order_by("order", "code")
    return [row for row in rows if (row.active and row.valid_from <= day) or row.pk in kept]


def _form_field(field: ExtraField) -> forms.Field:
    common: dict[str, Any] = {"label": field.label, "required": field.required}
    if field.kind == ExtraField.Kind.NUMBER:
        return forms.DecimalField(
            min_value=field.min_value,
            max_value=field.max_value,
            max_digits=18,
            decimal_places=4,
            widget=forms.NumberInput(attrs={"step": "any"}),
            **common,
        )
    if field.kind == ExtraField.Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if field.kind == ExtraField.Kind.YES_NO:
        return forms.ChoiceField(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], **common)
    if field.kind == ExtraField.Kind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *field.choice_list()], **common)
    return forms.CharField(max_length=field.max_length or 1000, **common)


def stored_text(field: ExtraField, value: Any) -> str:
    """A cleaned value as stored (ComplaintExtraValue.value)."""
    if value in (None, ""):
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


class ExtraValuesForm(forms.Form):
    """The research variables of one record (prefix "extra": the names cannot collide with the
    form they are part of). `initial`: {code: stored text}."""

    def __init__(self, *args: Any, variables: list[ExtraField], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "extra")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.variables = {field.code: field for field in variables}
        for field in variables:
            self.fields[field.code] = _form_field(field)

    def stored(self) -> dict[ExtraField, str]:
        """{variable: stored text} of the cleaned values."""
        return {field: stored_text(field, self.cleaned_data.get(code)) for code, field in self.variables.items()}


def shown_values(values: Iterable[Any]) -> list[tuple[str, str]]:
    """(label, value as read) of value rows (with `.field` and `.value`), blanks left out."""
    return [(row.field.label, row.field.display(row.value)) for row in values if row.value != ""]


def extra_values_write(
    stored: Iterable[Any], values: dict[ExtraField, str], new_row: Callable[[ExtraField, str], models.Model]
) -> list[str]:
    """Write a record's research values: `stored`, its value rows (each with `field_id` and
    `value`); `values`, {variable: stored text}; `new_row(variable, text)`, an unsaved row of the
    record's app. One row per variable with a value: a new value adds a row, an emptied one removes
    it, a changed one is updated. The codes of the variables whose value changed, in `values`' order."""
    rows = {row.field_id: row for row in stored}
    changed = []
    for variable, text in values.items():
        row = rows.get(variable.pk)
        if row is None and text:
            new_row(variable, text).save()
        elif row is not None and not text:
            row.delete()
        elif row is not None and row.value != text:
            row.value = text
            row.save()
        else:
            continue
        changed.append(variable.code)
    return changed
