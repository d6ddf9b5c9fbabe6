"""The keys of the match index, built from values as written (pure functions, no database).

- Documents: the canonical number of `people.identifiers.normalise_document` when it validates
  for its type, else the lenient `people.matching.document_key` (legacy and paper records). The
  type is kept apart (`MatchKey.qualifier`): a DNI typed as a CE still matches.
- Phones: E.164 (`people.identifiers.normalise_phone`), else '+51' and the 9 digits of a Peruvian
  mobile, else the digits.
- Plates: `people.matching.plate_key` (O read as 0, I as 1).
- Accounts: 'network:handle' (`people.identifiers.normalise_account`, else the handle lowercased).
- Places: coordinates rounded to 3 decimals ('-12.046,-77.043': about 110 m), and district code
  plus the address folded ('150101:av abancay 123').
- Names: folded (no accents, no case: `people.matching.name_key`) and, per token, a Spanish
  phonetic key (`spanish_phonetic`).
"""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal

from django.core.exceptions import ValidationError

from people.identifiers import normalise_account, normalise_document, normalise_phone
from people.matching import document_key, name_key, phone_key, plate_key

__all__ = [
    "account_key",
    "coordinates_key",
    "address_key",
    "document_number_key",
    "name_tokens",
    "phone_e164_key",
    "plate_match_key",
    "spanish_phonetic",
    "phonetic_name",
]

# Particles of Spanish names: no information of their own ("de la Cruz" is "Cruz").
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "do", "dos", "e", "van", "von", "vda"})

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[^a-z]", ""),  # digits, hyphens, apostrophes
        (r"ch", "X"),  # 'ch' is one sound: keep it apart from c and h
        (r"^hu(?=[aeio])", "w"),  # Huamán, Guamán, Wamán
        (r"^gu(?=[ao])", "w"),
        (r"(?<=[aeiou])hu(?=[aeio])", "w"),
        (r"(?<=[aeiou])gu(?=[ao])", "w"),
        (r"h", ""),  # h is silent
        (r"qu(?=[ei])", "k"),  # Quispe, Kispe
        (r"gu(?=[ei])", "G"),  # Miguel, Rodríguez: hard g before e/i
        (r"g(?=[ei])", "J"),  # Gimena, Jimena: the jota sound
        (r"c(?=[ei])", "s"),  # Cecilia, Sesilia (seseo)
        (r"[cqk]", "k"),
        (r"z", "s"),
        (r"x", "ks"),
        (r"ll", "y"),  # yeísmo: Llupanqui, Yupanqui
        (r"y(?![aeiou])", "i"),  # final or before a consonant: Ruy, Rui
        (r"v", "b"),  # Valdez, Baldez
        (r"j", "J"),
        (r"n(?=[bp])", "m"),
        (r"(.)\1+", r"\1"),  # double letters: rr, ss, nn
    )
)


@functools.lru_cache(maxsize=200_000)
def spanish_phonetic(token: str) -> str:
    """The sound of one Spanish name token, so that spellings people confuse agree: accents and case
    folded, b/v, c/k/q, s/z/c before e/i, g/j before e/i, ll/y, silent h, hua/gua/wa, doubled
    letters. 'Huamán', 'Guaman' and 'Wamán' -> 'waman'; 'Quispe' and 'Kispe' -> 'kispe'.
    Cached per token (a pure function; names repeat: the rebuild of the index reads millions)."""
    value = name_key(token).replace(" ", "")
    for pattern, replacement in _RULES:
        value = pattern.sub(replacement, value)
    return value.lower()


def name_tokens(value: str) -> list[str]:
    """The folded tokens of a name without particles: 'María de la Cruz' -> ['maria', 'cruz']."""
    return list(_name_tokens(value or ""))


@functools.lru_cache(maxsize=200_000)
def _name_tokens(value: str) -> tuple[str, ...]:
    return tuple(token for token in _SPLIT(name_key(value)) if token and token not in PARTICLES)


_SPLIT = re.compile(r"[^a-z0-9]+").split


def phonetic_name(value: str) -> str:
    """The whole name as sorted phonetic tokens ('Quispe Mamani María' == 'María Quispe Mamani')."""
    return " ".join(sorted(spanish_phonetic(token) for token in name_tokens(value)))


def document_number_key(document_type: str, number: str) -> str:
    # The commonest case, without the validators: a DNI of 8 digits is its 8 digits whether it
    # validates (the canonical number) or not (the lenient key) — tests check the two agree.
    if document_type == "dni" and len(number) == 8 and number.isascii() and number.isdigit():
        return number
    return _document_number_key(document_type, number)


def _document_number_key(document_type: str, number: str) -> str:
    try:
        return normalise_document(document_type or "", number)
    except ValidationError:
        return document_key(number)


def phone_e164_key(number: str) -> str:
    # The commonest case, without the phone-number library: a Peruvian mobile of 9 digits is '+51'
    # and its digits whether it validates (E.164) or not (the fallback below) — tests check it.
    if len(number) == 9 and number[0] == "9" and number.isascii() and number.isdigit():
        return f"+51{number}"
    return _phone_e164_key(number)


def _phone_e164_key(number: str) -> str:
    try:
        return normalise_phone(number)
    except ValidationError:
        digits = phone_key(number)
        if len(digits) == 9 and digits.startswith("9"):
            return f"+51{digits}"
        return digits


def plate_match_key(plate: str) -> str:
    return plate_key(plate)


def account_key(network: str, handle: str) -> str:
    try:
        canonical = normalise_account(network, handle)
    except ValidationError:
        canonical = (handle or "").strip().removeprefix("@").lower()
    return f"{network}:{canonical}" if canonical else ""


def coordinates_key(latitude: Decimal | float | None, longitude: Decimal | float | None) -> str:
    if latitude is None or longitude is None:
        return ""
    return f"{round(float(latitude), 3):.3f},{round(float(longitude), 3):.3f}"


def address_key(district_id: str | None, address: str) -> str:
    folded = " ".join(name_tokens(address))
    if not district_id or not folded:
        return ""
    return f"{district_id}:{folded}"[:160]


def birth_year_from_age(age: int | None, on: datetime.date | None) -> int | None:
    """The likely year of birth of a person of `age` years on `on` (an approximate age)."""
    if age is None or on is None or not 0 < age < 110:
        return None
    return on.year - age
