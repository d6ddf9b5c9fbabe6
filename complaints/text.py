"""Text normalisation for search: case and accents do not matter ("Quispe" finds "QUISPE",
"Maria" finds "María").

The normalised text can be longer than what was typed (NFKD spells out ligatures and squared
signs: U+FDFA is 18 characters), so a form field whose text is normalised into a column checks its
length after normalisation (`NormalisedLengthValidator`), not only as typed."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from people.matching import name_key


def normalise(value: str) -> str:
    """The search key of a text: the name key of `people.matching` (one normaliser for both)."""
    return name_key(value)


class NormalisedLengthValidator:
    """At most `limit` characters as typed, in NFKC and once normalised for search."""

    message = _(
        "This value is too long once its special characters are spelled out: it has %(show_value)d "
        "characters, the maximum is %(limit_value)d."
    )

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        length = max(len(value), len(unicodedata.normalize("NFKC", value)), len(normalise(value)))
        if length > self.limit:
            raise ValidationError(
                self.message, code="max_length_normalised", params={"limit_value": self.limit, "show_value": length}
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NormalisedLengthValidator) and other.limit == self.limit
