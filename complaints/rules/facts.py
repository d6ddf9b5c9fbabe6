"""The facts of a complaint, as the rule engine reads them (LAW.md, "Victim facts" and the facts JSON).

``Facts``, ``Victim`` and ``Suspect`` are frozen and check themselves when built: a bad code, type or
value raises ``FactsError`` with a Spanish message. ``facts_from_dict`` reads the facts JSON (already
decoded) and ``facts_to_dict`` writes it back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from .codes import GROUP_CODES, GROUP_LABELS, GROUPS
from .errors import FactsError

ADULT_AGE = 18  # Civil Code art. 42 and Penal Code art. 153 / 129-A: a minor is under 18.
MAX_AGE = 120
SEXES = ("F", "M")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")


def _shown(value: object) -> str:
    """A value as the officer typed it, for error messages."""
    return json.dumps(value, ensure_ascii=False, default=repr)


def _check_bool(name: str, value: object, *, nullable: bool = False) -> None:
    if isinstance(value, bool) or (nullable and value is None):
        return
    expected = "verdadero, falso o nulo" if nullable else "verdadero o falso"
    raise FactsError(f"«{name}» debe ser {expected}; se recibió {_shown(value)}.")


def _check_text(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise FactsError(f"«{name}» debe ser un texto o nulo; se recibió {_shown(value)}.")


def _check_sex(value: object) -> None:
    if value is not None and value not in SEXES:
        raise FactsError(f'«sex» debe ser "F", "M" o nulo; se recibió {_shown(value)}.')


@dataclass(frozen=True, kw_only=True)
class Victim:
    """A victim: what the engine needs of her or him."""

    age: int | None = None  # whole years
    minor: bool | None = None  # known minority when the age is unknown
    sex: str | None = None  # "F", "M" or None
    pregnant: bool = False
    disability: bool = False  # physical or mental, temporary or permanent
    legally_incapable: bool = False
    consented: bool = False
    nationality: str | None = None  # ISO 3166 alpha-2, upper case

    def __post_init__(self) -> None:
        age = self.age
        if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE):
            raise FactsError(f"«age» debe ser un número entero de 0 a {MAX_AGE}, o nulo; se recibió {_shown(age)}.")
        _check_bool("minor", self.minor, nullable=True)
        _check_sex(self.sex)
        for name in ("pregnant", "disability", "legally_incapable", "consented"):
            _check_bool(name, getattr(self, name))
        nationality = self.nationality
        if nationality is not None and not (isinstance(nationality, str) and _COUNTRY.fullmatch(nationality)):
            raise FactsError(
                f'«nationality» debe ser un código de país ISO 3166 de dos letras (p. ej. "PE"), o nulo; '
                f"se recibió {_shown(nationality)}."
            )

    @property
    def is_minor(self) -> bool | None:
        """LAW.md: minor(v) = v.age < 18 if the age is known, else v.minor (None: unknown)."""
        if self.age is not None:
            return self.age < ADULT_AGE
        return self.minor

    @property
    def age_unknown(self) -> bool:
        """Neither the age nor whether the victim is a minor is known."""
        return self.age is None and self.minor is None


@dataclass(frozen=True, kw_only=True)
class Suspect:
    """An alleged trafficker. Only the number of suspects matters to the engine today."""

    sex: str | None = None
    identified: bool | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        _check_sex(self.sex)
        _check_bool("identified", self.identified, nullable=True)
        _check_text("name", self.name)


@dataclass(frozen=True, kw_only=True)
class Facts:
    """The facts of one complaint. Code sets accept any iterable of codes and are kept as frozensets."""

    date_of_facts: date | None = None
    victims: tuple[Victim, ...] = ()
    suspects: tuple[Suspect, ...] = ()
    conducts: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    case_facts: frozenset[str] = frozenset()
    related_facts: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        day = self.date_of_facts
        if day is not None and (isinstance(day, datetime) or not isinstance(day, date)):
            raise FactsError(f"«date_of_facts» debe ser una fecha; se recibió {_shown(day)}.")
        for name, kind in (("victims", Victim), ("suspects", Suspect)):
            items = getattr(self, name)
            if isinstance(items, str | Mapping) or not isinstance(items, Iterable):
                raise FactsError(f"«{name}» debe ser una lista; se recibió {_shown(items)}.")
            items = tuple(items)
            if not all(isinstance(item, kind) for item in items):
                raise FactsError(f"«{name}» debe contener objetos {kind.__name__}.")
            object.__setattr__(self, name, items)
        for name in GROUPS:
            object.__setattr__(self, name, _code_set(name, getattr(self, name)))


def _code_set(name: str, value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise FactsError(f"«{name}» debe ser una lista de códigos; se recibió {_shown(value)}.")
    codes = tuple(value)
    not_text = [code for code in codes if not isinstance(code, str)]
    if not_text:
        raise FactsError(f"«{name}» debe contener códigos de texto; se recibió {_shown(not_text[0])}.")
    unknown = sorted(set(codes) - GROUP_CODES[name])
    if unknown:
        listed = ", ".join(f"«{code}»" for code in unknown)
        valid = ", ".join(element.code for element in GROUPS[name])
        raise FactsError(f"Código desconocido en «{name}» ({GROUP_LABELS[name]}): {listed}. Códigos válidos: {valid}.")
    return frozenset(codes)


# --- The facts JSON ------------------------------------------------------------------------------

FACTS_FIELDS = ("date_of_facts", "victims", "suspects", *GROUPS)
VICTIM_FIELDS = tuple(field.name for field in fields(Victim))
SUSPECT_FIELDS = tuple(field.name for field in fields(Suspect))
_VICTIM_FLAGS = ("pregnant", "disability", "legally_incapable", "consented")


def _check_keys(where: str, data: Mapping[Any, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        listed = ", ".join(f"«{key}»" for key in unknown)
        raise FactsError(f"{where}: campo desconocido {listed}. Campos válidos: {', '.join(allowed)}.")


def _list(data: Mapping[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise FactsError(f"«{name}» debe ser una lista; se recibió {_shown(value)}.")
    return list(value)


def _date(value: object, today: date | None) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise FactsError(f"«date_of_facts»: la fecha {_shown(value)} no existe.") from None
    else:
        raise FactsError(f"«date_of_facts» debe ser una fecha AAAA-MM-DD o nulo; se recibió {_shown(value)}.")
    if day is not None and today is not None and day > today:
        raise FactsError(
            f"«date_of_facts»: la fecha de los hechos ({day.isoformat()}) es posterior a hoy ({today.isoformat()})."
        )
    return day


def _victim(number: int, raw: object) -> Victim:
    where = f"Víctima {number}"
    if not isinstance(raw, Mapping):
        raise FactsError(f"{where}: debe ser un objeto; se recibió {_shown(raw)}.")
    _check_keys(where, raw, VICTIM_FIELDS)
    values = dict(raw)
    for flag in _VICTIM_FLAGS:  # a flag left null was not ticked
        if values.get(flag) is None:
            values[flag] = False
    if isinstance(values.get("nationality"), str):
        values["nationality"] = values["nationality"].strip().upper()
    try:
        return Victim(**values)
    except FactsError as error:
        raise FactsError(f"{where}: {error}") from None


def _suspect(number: int, raw: object) -> Suspect:
    where = f"Presunto tratante {number}"
    if not isinstance(raw, Mapping):
        raise FactsError(f"{where}: debe ser un objeto; se recibió {_shown(raw)}.")
    _check_keys(where, raw, SUSPECT_FIELDS)
    try:
        return Suspect(**raw)
    except FactsError as error:
        raise FactsError(f"{where}: {error}") from None


def facts_from_dict(data: object, *, today: date | None = None) -> Facts:
    """Read the facts JSON of LAW.md (already decoded). Every field is optional.

    Raises ``FactsError`` (Spanish message) for unknown fields or codes, bad types, and bad dates:
    malformed, nonexistent, or (when ``today`` is given) in the future.
    """
    if not isinstance(data, Mapping):
        raise FactsError(f"Los hechos deben ser un objeto JSON; se recibió {_shown(data)}.")
    _check_keys("Hechos", data, FACTS_FIELDS)
    codes: dict[str, Any] = {}
    for name in GROUPS:
        codes[name] = _list(data, name)
    return Facts(
        date_of_facts=_date(data.get("date_of_facts"), today),
        victims=tuple(_victim(number, raw) for number, raw in enumerate(_list(data, "victims"), start=1)),
        suspects=tuple(_suspect(number, raw) for number, raw in enumerate(_list(data, "suspects"), start=1)),
        **codes,
    )


def facts_to_dict(facts: Facts) -> dict[str, Any]:
    """The facts JSON of LAW.md for ``facts`` (code lists sorted), e.g. to store with a classification."""
    data: dict[str, Any] = {
        "date_of_facts": facts.date_of_facts.isoformat() if facts.date_of_facts else None,
        "victims": [{name: getattr(victim, name) for name in VICTIM_FIELDS} for victim in facts.victims],
        "suspects": [{name: getattr(suspect, name) for name in SUSPECT_FIELDS} for suspect in facts.suspects],
    }
    for name in GROUPS:
        data[name] = sorted(getattr(facts, name))
    return data
