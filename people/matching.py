"""The keys under which identities are indexed for matching (issues 11-12). Pure Python: no
Django import (tests/people/test_matching.py checks it).

A key is what two spellings of the same value have in common: case, accents, spaces and
punctuation do not matter. Matching compares keys; the rows keep the value as it was written.
"""

from __future__ import annotations

import unicodedata


def name_key(value: str) -> str:
    """'  María  QUISPE ' and 'maria quispe' have the same key (complaints.text.normalise, the
    search key of complaints, is this function)."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def document_key(number: str) -> str:
    """A document number without spaces, dots, dashes or case: '41.234.567-k' -> '41234567K'.
    The document type is matched separately; a number only of punctuation has no key."""
    decomposed = unicodedata.normalize("NFKD", number or "")
    return "".join(char for char in decomposed if char.isascii() and char.isalnum()).upper()


def plate_key(plate: str) -> str:
    """A vehicle plate for matching: as `document_key`, then the letter O read as the digit 0 and
    the letter I as the digit 1, which witnesses and officers confuse on a plate and on paper:
    'abo-123', 'AB0 123' and 'ABO.I23' all have the key 'AB0123'. Only for matching: the plate is
    kept as typed (`people.identifiers.normalise_plate`), and no other letter is folded."""
    return document_key(plate).translate(_PLATE_FOLD)


_PLATE_FOLD = str.maketrans({"O": "0", "I": "1"})


def phone_key(number: str) -> str:
    """The digits of a phone number, without Peru's country code: '+51 984-111-222' -> '984111222'."""
    digits = "".join(char for char in number or "" if char.isdigit())
    if len(digits) == 11 and digits.startswith("51"):
        digits = digits[2:]
    return digits


def is_identified(first_names: str, last_names: str, document_number: str) -> bool:
    """A recorded person is identified when a name or a document number is known (an alias alone
    does not identify: the published table 2 counts such a person as "being identified")."""
    return bool(first_names or last_names or document_number)
