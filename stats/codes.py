"""The CODES of the statistics read model: how each variable's values are stored as one-byte codes
and bitmasks (stats.models), and the value of a variable that is not recorded (`NONE`).

Pure Python, no database: the projection (stats.projection) encodes with these, the selectors
and the cross-tabulation (stats.selectors, stats.crosstab) decode with them.

May import: complaints.catalogues (the nationalities listed by name) and people.privacy (who is a
minor). Nothing else of the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from complaints.catalogues import COMMON_NATIONALITIES
from people.privacy import is_minor

# The value of a variable that is not recorded (no category, sex unknown, ...); "none" in URLs.
NONE = ""
NONE_TOKEN = "none"  # noqa: S105 - not a password


# ---------------------------------------------------------------- CODES of the read model
# The fixed lists of the law and of the code (not editable). APPEND ONLY: the position of a value is
# what is stored (code = position + 1, 0 = not recorded; in a bitmask, bit = position, or
# position + 1 when bit 0 means "not recorded"). Reordering these tuples silently changes the
# statistics until `manage.py statistics --rebuild`.

ORIGIN_CODES: tuple[str, ...] = ("station", "hotline", "paper", "other_agency")
OUTCOME_CODES: tuple[str, ...] = ("trafficking", "trafficking_incomplete", "related_crime", "not_consistent")
# Kinds of place are an editable catalogue: stored by the catalogue entry's own statistics code
# (administration.CatalogueEntry.stat_code, read with administration.catalogues.catalogue_stat_codes),
# never by a position. The starting entries kept the codes this module gave them (1 bar_nightclub ...
# 15 other); an entry an administrator adds gets the next code, for good.
CATEGORY_CODES: tuple[str, ...] = (
    "sexual_exploitation",
    "labour_exploitation",
    "sale_of_children",
    "begging",
    "organ_trafficking",
    "unassigned",
)
CONDUCT_CODES: tuple[str, ...] = ("recruitment", "transport", "transfer", "harbouring", "receipt", "retention")
MEANS_CODES: tuple[str, ...] = (
    "violence",
    "threat",
    "coercion",
    "deprivation_of_liberty",
    "fraud",
    "deception",
    "abuse_of_power",
    "abuse_of_vulnerability",
    "payment_or_benefit",
)
SEX_CODES: tuple[str, ...] = ("F", "M")
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-13", 0, 13),
    ("14-17", 14, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35+", 35, None),
)
AGE_BAND_CODES: tuple[str, ...] = tuple(band for band, _low, _high in AGE_BANDS)
OTHER_NATIONALITY = "other"
NATIONALITY_CODES: tuple[str, ...] = (*(code for code, _label in COMMON_NATIONALITIES), OTHER_NATIONALITY)


def code_of(codes: Sequence[str], value: str | None) -> int:
    """The stored code of a value: its position + 1; 0 when not recorded or unknown here."""
    try:
        return codes.index(value) + 1 if value else 0
    except ValueError:
        return 0


def mask_of(codes: Sequence[str], values: Iterable[str] | None) -> int:
    """The bitmask of a set of values (bit = position); unknown values are left out."""
    mask = 0
    for value in values or ():
        if value in codes:
            mask |= 1 << codes.index(value)
    return mask


def nationality_code(value: str | None) -> int:
    value = (value or "").strip().upper()
    if not value:
        return 0
    return code_of(NATIONALITY_CODES, value) or code_of(NATIONALITY_CODES, OTHER_NATIONALITY)


def department_code(place_district_id: str | None) -> int:
    """The INEI department (the first two digits of the UBIGEO) as a number; 0 unknown."""
    prefix = (place_district_id or "")[:2]
    return int(prefix) if prefix.isdigit() else 0


def age_band(age: int | None) -> str:
    if age is None:
        return NONE
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return NONE


def victim_is_minor(age: int | None, minor: bool | None) -> bool | None:
    """LAW.md: minor by the age when known, else by the minor flag (people.privacy.is_minor)."""
    return is_minor(age, minor)
