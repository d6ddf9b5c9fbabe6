"""Serial numbers of the printed forms: ``RETA-000123-4``.

The prefix, a national sequence of at least six digits and a check digit computed with the Damm
algorithm over the sequence. Damm catches every single-digit typo and every swap of two adjacent
digits (Luhn misses 09/90), which are the mistakes made when a serial is copied from paper.
Officers may type it in lower case, without the hyphens or without the prefix:
``normalise_serial`` gives the canonical form or refuses it (ValidationError, in Spanish).

Owns: the format, parsing and check digit of a serial; no database access. Imports Django's
ValidationError only, so every module may use it (complaints.services does, for a typed serial).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError

SERIAL_PREFIX = "RETA"
SERIAL_DIGITS = 6

# Damm's quasigroup of order 10 (H. M. Damm, 2004): the check digit makes the interim digit 0.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# Optional prefix, 6 to 9 digits, the check digit; hyphens optional (spaces removed beforehand).
_SERIAL_RE = re.compile(rf"^(?:{SERIAL_PREFIX})?-?(\d{{{SERIAL_DIGITS},9}})-?(\d)$")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "_": "-"})

INVALID_SERIAL = "El número de serie no es válido; revise los dígitos."


def damm_check_digit(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return interim


def format_serial(number: int) -> str:
    """The serial of sequence `number`: ``format_serial(123) == "RETA-000123-4"``."""
    if number < 1:
        raise ValueError("Serial numbers start at 1.")
    digits = f"{number:0{SERIAL_DIGITS}d}"
    return f"{SERIAL_PREFIX}-{digits}-{damm_check_digit(digits)}"


def parse_serial(text: str) -> int:
    """The sequence number of a typed serial; ValidationError (Spanish) when it is malformed or
    its check digit does not match."""
    compact = re.sub(r"\s+", "", (text or "").upper().translate(_DASHES))
    match = _SERIAL_RE.match(compact)
    if not match:
        raise ValidationError(
            "El número de serie no es válido; revise los dígitos (tiene la forma RETA-000000-0).",
            code="invalid",
        )
    digits, check = match.groups()
    if damm_check_digit(digits + check) != 0 or int(digits) == 0:
        raise ValidationError(INVALID_SERIAL, code="check_digit")
    return int(digits)


def normalise_serial(text: str) -> str:
    """The canonical form of a typed serial (``" reta 000123 4 "`` -> ``"RETA-000123-4"``)."""
    return format_serial(parse_serial(text))


def serial_ranges(numbers: Iterable[int]) -> list[tuple[str, str, int]]:
    """Consecutive numbers as (first serial, last serial, count), in order."""
    ranges: list[list[int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return [(format_serial(low), format_serial(high), high - low + 1) for low, high in ranges]


__all__ = [
    "INVALID_SERIAL",
    "SERIAL_DIGITS",
    "SERIAL_PREFIX",
    "damm_check_digit",
    "format_serial",
    "normalise_serial",
    "parse_serial",
    "serial_ranges",
]
