"""Form fields every module may use (the `reta` kernel: imports Django only)."""

from __future__ import annotations

from typing import Any

from django import forms


class ModelsField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose ids out of a database integer's range are refused as
    invalid choices (SQLite cannot even compare them)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value or ():
            text = str(pk).strip()
            if not text.isdigit() or int(text) >= 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)
