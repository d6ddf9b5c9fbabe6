"""Form fields for the identifiers of `people.identifiers`: each cleans to the canonical value and,
when the form is shown again (another field has an error), shows that value instead of what was
typed ('987 654 321' comes back as '+51987654321'), so the officer sees what will be kept.

- `PhoneField(region="PE")`: E.164.
- `PlateField(foreign=False)`: the plate without separators; `foreign_field` names a boolean field
  of the same form that marks the plate as foreign (lenient check).
- `DocumentField(type_field="document_type")`: the number checked against the type chosen in
  another field of the form (declared before it), or `document_type=` a fixed type.
- `AccountField(network_field="network")`: the handle of the network chosen in another field, or
  `network=` a fixed network.

The other field is read as submitted; when it is itself invalid (an unknown type), its own error
is shown and the number is kept as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from people import identifiers
from people.catalogues import SocialNetwork


class NormalisedField(forms.CharField):
    """A text field whose value is replaced by the canonical one of `normalise(value)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.form: forms.BaseForm | None = None
        super().__init__(*args, **kwargs)

    def normalise(self, value: str) -> str:
        raise NotImplementedError

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        self.form = form  # form.fields are this form's own copies of the declared fields
        return super().get_bound_field(form, field_name)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return self.normalise(value) if value else value

    def bound_data(self, data: Any, initial: Any) -> Any:
        if not self.disabled and isinstance(data, str) and data.strip():
            try:
                return self.normalise(data.strip())
            except ValidationError:
                pass  # not valid: shown as typed, with the error clean() gives
        return super().bound_data(data, initial)

    def _other(self, name: str) -> Any:
        if self.form is None or name not in self.form.fields:
            return None
        return self.form[name].value()


class PhoneField(NormalisedField):
    def __init__(self, *args: Any, region: str = "PE", **kwargs: Any) -> None:
        self.region = region
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def normalise(self, value: str) -> str:
        return identifiers.normalise_phone(value, self.region)


class PlateField(NormalisedField):
    def __init__(self, *args: Any, foreign: bool = False, foreign_field: str | None = None, **kwargs: Any) -> None:
        self.foreign = foreign
        self.foreign_field = foreign_field
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
        )
        super().__init__(*args, **kwargs)

    def normalise(self, value: str) -> str:
        foreign = self.foreign
        if self.foreign_field:
            # A checkbox submits "on" when ticked and nothing otherwise.
            foreign = bool(forms.BooleanField().to_python(self._other(self.foreign_field)))
        return identifiers.normalise_plate(value, foreign=foreign)


class _Depending(NormalisedField):
    """A field whose check depends on a choice: fixed, or read from another field of the form."""

    fixed: str | None
    other_field: str
    known: frozenset[str]
    function: Callable[[str, str], str]

    def normalise(self, value: str) -> str:
        choice = self.fixed if self.fixed is not None else self._other(self.other_field)
        if choice is None:
            choice = ""
        if choice not in self.known:
            return value.strip()  # the other field reports its own error
        return type(self).function(choice, value)


class DocumentField(_Depending):
    known = identifiers.DOCUMENT_KINDS
    function = staticmethod(identifiers.normalise_document)

    def __init__(
        self, *args: Any, document_type: str | None = None, type_field: str = "document_type", **kwargs: Any
    ) -> None:
        self.fixed = document_type
        self.other_field = type_field
        kwargs.setdefault("max_length", identifiers.MAX_DOCUMENT_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(*args, **kwargs)


class AccountField(_Depending):
    known = frozenset({*SocialNetwork.values, "twitter"})
    function = staticmethod(identifiers.normalise_account)

    def __init__(self, *args: Any, network: str | None = None, network_field: str = "network", **kwargs: Any) -> None:
        self.fixed = network
        self.other_field = network_field
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(*args, **kwargs)
