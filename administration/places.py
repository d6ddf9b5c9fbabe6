"""Place names (UBIGEO) as users see them: the Spanish sort order, and the place lists every form
offers (departments, the provinces of a department, the districts of a province), sorted by it.

The order does not depend on the database's collation (SQLite sorts by bytes, putting "Áncash"
after "Zarumilla"; MariaDB's depends on the server): lists are sorted in Python by
`spanish_key` - accents do not count ("Áncash" among the A's), "ñ" is a letter of its own after
"n" ("Nuñoa" after "Nunez", "Ñahuimpuquio" after every "N..."), case does not count, and the
accented spelling follows the plain one when all else is equal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from django.forms.models import ModelChoiceIterator

from administration.models import Department, District, Province

# "ñ" sorts after every "n" + letter: "n" followed by a character above "z".
_ENYE = "n\x7f"


def spanish_key(name: str) -> tuple[str, str]:
    """The sort key of a name in Spanish order (accent- and case-insensitive, ñ after n)."""
    text = unicodedata.normalize("NFC", name).casefold().replace("ñ", _ENYE)
    decomposed = unicodedata.normalize("NFD", text)
    primary = "".join(c for c in decomposed if not unicodedata.combining(c))
    return primary, name


def sorted_by_name(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(code, name) pairs in Spanish order of the name."""
    return sorted(rows, key=lambda row: spanish_key(row[1]))


def department_choices() -> list[tuple[str, str]]:
    return sorted_by_name(Department.objects.order_by().values_list("code", "name"))


def province_choices(department: str) -> list[tuple[str, str]]:
    return sorted_by_name(Province.objects.filter(department_id=department).order_by().values_list("code", "name"))


def district_choices(province: str) -> list[tuple[str, str]]:
    return sorted_by_name(District.objects.filter(province_id=province).order_by().values_list("code", "name"))


class SpanishOrderIterator(ModelChoiceIterator):
    """The options of a ModelChoiceField of places in Spanish order (`field.iterator = ...`)."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted(self.queryset, key=lambda place: spanish_key(str(place))):
            yield self.choice(obj)
