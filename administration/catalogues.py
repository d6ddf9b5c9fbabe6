"""Reading the editable catalogues (administration.models.CatalogueEntry): what forms offer, which
codes records may hold, and the label of a code in the user's language. Every app may read them
(administration is importable by all); writes go through administration.services.

- `catalogue_choices(catalogue, keep=...)`: (code, label) of the active entries in their order, plus
  the codes in `keep` (the value an old record holds, even if deactivated since).
- `catalogue_label(catalogue, code)`: the label of any known code, active or not; the code itself
  when unknown.
- `catalogue_codes(catalogue)`: every code records may hold.
- `catalogue_stat_codes(catalogue)`: each code's statistics code (CatalogueEntry.stat_code), the
  small integer the statistics read model stores: given once, never changed or reused.
- `CatalogueCharField(catalogue=...)`: the model field holding a code of a catalogue (no fixed
  choices: `get_<name>_display()` is the catalogue's label, `full_clean` accepts any code of the
  catalogue, active or not; whether a new record may take a deactivated code is for the forms).

Within one request the entries are read once (held on the request: audit.context.request_cache,
so a list of records does not query per row and two requests never share them); outside a request,
once per `request_id_scope` (a service call, a command run), else on every call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partialmethod
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from administration.catalogue_seed import SEED
from administration.models import Catalogue, CatalogueEntry, seed_stat_code
from audit.context import request_cache

__all__ = [
    "Catalogue",
    "CatalogueCharField",
    "CatalogueChoiceField",
    "keep_current_codes",
    "catalogue_choices",
    "catalogue_codes",
    "catalogue_label",
    "catalogue_stat_codes",
    "forget_cached_catalogues",
]


@dataclass(frozen=True)
class Entry:
    code: str
    label_es: str
    label_en: str
    order: int
    active: bool
    stat_code: int

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "es").startswith("en") else self.label_es


_CACHE = "administration.catalogues"


def forget_cached_catalogues() -> None:
    """Called after every write (administration.services): the same request reads the new entries."""
    cache = request_cache(_CACHE)
    if cache is not None:
        cache.clear()


def _load() -> dict[str, list[Entry]]:
    """Every catalogue, in one query (a few hundred rows at most)."""
    loaded: dict[str, list[Entry]] = {}
    for row in CatalogueEntry.objects.order_by("catalogue", "order", "code"):
        loaded.setdefault(row.catalogue, []).append(
            Entry(row.code, row.label_es, row.label_en, row.order, row.active, row.stat_code)
        )
    missing = {name for name, *_rest in SEED} - set(loaded)  # a database emptied by a test
    for name, code, es, en, order in SEED:
        if name in missing:
            loaded.setdefault(name, []).append(Entry(code, es, en, order, True, seed_stat_code(name, code) or 0))
    return loaded


def _entries(catalogue: str) -> list[Entry]:
    cache = request_cache(_CACHE)
    if cache is None:
        return _load().get(catalogue, [])
    if "entries" not in cache:
        cache["entries"] = _load()
    return cache["entries"].get(catalogue, [])


def catalogue_choices(catalogue: str, *, keep: Iterable[str] = ()) -> list[tuple[str, str]]:
    kept = {code for code in keep if code}
    return [(entry.code, entry.label) for entry in _entries(catalogue) if entry.active or entry.code in kept]


def catalogue_label(catalogue: str, code: str) -> str:
    if not code:
        return ""
    for entry in _entries(catalogue):
        if entry.code == code:
            return entry.label
    return code


def catalogue_codes(catalogue: str, *, active_only: bool = False) -> tuple[str, ...]:
    """The codes, in the catalogue's order."""
    return tuple(entry.code for entry in _entries(catalogue) if entry.active or not active_only)


def catalogue_stat_codes(catalogue: str) -> dict[str, int]:
    """Each code of the catalogue (active or not, in the catalogue's order) → its statistics code."""
    return {entry.code: entry.stat_code for entry in _entries(catalogue)}


class CatalogueChoiceField(forms.ChoiceField):
    """A select of a catalogue's active entries, in their order and the user's language. A code an
    old record holds stays offered and valid for that record (`keep`, or `keep_current_codes`)."""

    def __init__(self, catalogue: str, *, blank_label: Any = None, **kwargs: Any) -> None:
        self.catalogue = catalogue
        self.blank_label = blank_label
        self.kept: set[str] = set()
        super().__init__(choices=self._choices_now, **kwargs)

    def _choices_now(self) -> list[tuple[str, Any]]:
        blank = [("", self.blank_label)] if self.blank_label is not None else []
        return blank + catalogue_choices(self.catalogue, keep=self.kept)

    def keep(self, code: Any) -> None:
        if isinstance(code, str) and code:
            self.kept.add(code)

    def __deepcopy__(self, memo: dict[int, Any]) -> CatalogueChoiceField:
        result = super().__deepcopy__(memo)
        result.kept = set(self.kept)
        result.choices = result._choices_now
        return result


def keep_current_codes(form: forms.BaseForm) -> None:
    """Keep offering, in an edit form, the codes its record holds (deactivated entries included)."""
    for name, field in form.fields.items():
        if isinstance(field, CatalogueChoiceField):
            field.keep(form.initial.get(name, field.initial))


def _catalogue_display(instance: models.Model, *, field: CatalogueCharField) -> str:
    return catalogue_label(field.catalogue, getattr(instance, field.attname))


class CatalogueCharField(models.CharField):
    """A code of an editable catalogue. Unlike a CharField with `choices`, the codes are the
    catalogue's (read when validating, never frozen in a migration): `validate` accepts any code of
    the catalogue, active or deactivated (an old record keeps its code), and the model's
    `get_<name>_display()` is the code's label in the user's language."""

    default_error_messages = {"invalid_choice": _("Choose a value from the list.")}
    # Which catalogue the codes come from changes nothing in the database.
    non_db_attrs = (*models.CharField.non_db_attrs, "catalogue")

    def __init__(self, *args: Any, catalogue: str, **kwargs: Any) -> None:
        if kwargs.get("choices") is not None:
            raise TypeError("A CatalogueCharField reads its codes from its catalogue: no choices.")
        self.catalogue = str(catalogue)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["catalogue"] = self.catalogue
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        display = f"get_{self.name}_display"
        if display not in cls.__dict__:  # a model's own method wins, as with Django's choices
            setattr(cls, display, partialmethod(_catalogue_display, field=self))

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if value not in self.empty_values and value not in catalogue_codes(self.catalogue):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
