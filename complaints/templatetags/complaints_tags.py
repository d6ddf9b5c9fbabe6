"""Template helpers of the Reporting module: identity masking, labels of codes, optional links.

Masking rules (SECURITY.md 15, Palermo Protocol art. 6, Law 29733):
  - a minor's name (or a victim whose age is unknown) is never shown unless `reveal` is set, and
    `reveal` is set only by the logged "show identity" action for roles with a need to know;
  - an adult's name shows as initials unless revealed; documents and contacts are withheld;
  - lists and exports show no names at all (they do not use these helpers for names).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from complaints.rules.codes import CATEGORY_LABELS, ELEMENTS, GROUP_LABELS, OUTCOME_LABELS

register = template.Library()

MASK = "••••••"
AGE_BANDS = ((0, 13, "0–13"), (14, 17, "14–17"), (18, 29, "18–29"), (30, 59, "30–59"))


def is_protected_minor(victim: Any) -> bool:
    """A minor, or a victim whose age is unknown: treated as a minor until shown otherwise."""
    return victim.is_minor is not False


@register.filter
def victim_name(victim: Any, reveal: bool = False) -> str:
    person = victim.person
    if reveal:
        return person.full_name or _("(no name recorded)")
    if victim.is_minor is True:
        return _("Minor (protected)")
    if victim.is_minor is None:
        return _("Identity protected (age unknown)")
    return person.initials or _("(no name recorded)")


@register.filter
def person_name(person: Any, reveal: bool = False) -> str:
    """An adult's name (complainant, alleged trafficker): initials unless revealed."""
    if person is None:
        return ""
    if reveal:
        return person.full_name or _("(no name recorded)")
    return person.initials or _("(no name recorded)")


@register.filter
def alias(person: Any, reveal: bool = False) -> str:
    if not person.alias:
        return ""
    return person.alias if reveal else _("(withheld)")


@register.filter
def document(person: Any, reveal: bool = False) -> str:
    if person is None or not (person.document_type or person.document_number):
        return ""
    kind = person.get_document_type_display() if person.document_type else _("Document")
    if not person.document_number:
        return str(kind)
    return f"{kind} {person.document_number if reveal else MASK}"


@register.filter
def withheld(value: str, reveal: bool = False) -> str:
    """A free personal value (a phone number, a contact): shown only when revealed."""
    if not value:
        return ""
    return value if reveal else _("(withheld)")


@register.filter
def age_band(victim: Any) -> str:
    """The age band of a victim, never the exact age (lists and exports)."""
    if victim.age is None:
        if victim.minor is True:
            return _("minor, age unknown")
        if victim.minor is False:
            return _("adult, age unknown")
        return _("age unknown")
    for low, high, label in AGE_BANDS:
        if low <= victim.age <= high:
            return label
    return "60+"


@register.filter
def outcome_label(code: str) -> str:
    return OUTCOME_LABELS.get(code, code or "")


@register.filter
def category_labels(codes: Any) -> list[str]:
    return [CATEGORY_LABELS.get(code, code) for code in codes or []]


@register.filter
def element_labels(codes: Any) -> list[str]:
    return [ELEMENTS[code].label if code in ELEMENTS else code for code in codes or []]


@register.filter
def group_label(name: str) -> str:
    return GROUP_LABELS.get(name, name)
