"""Template helpers of the Reporting module: identity masking, labels of codes, optional links.

Masking: templates show a person's data only through `{% masked subject "part" %}`, which calls
the privacy rule (`people.privacy`, SECURITY.md 15) with the page's `reveal` (set only by the
logged "show identity" action) and the signed-in user (the reveal counts only for roles with a
need to know). A protected victim (a minor, or of unknown age) shows no name for anyone.
Lists and exports show no names at all (they do not use it for names).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from complaints import classification_text
from complaints.catalogues import PlaceKind
from complaints.rules.codes import CATEGORY_LABELS, ELEMENTS, GROUP_LABELS
from people import privacy

register = template.Library()

AGE_BANDS = ((0, 13, "0–13"), (14, 17, "14–17"), (18, 29, "18–29"), (30, 59, "30–59"))
MASKED_PARTS = ("name", "document", "alias", "contact", "place", "narrative", "description")


def _complaint_people(context: Any) -> tuple[list[Any], list[Any], list[str]]:
    """Everyone of the page's complaint (for free text): all people, the protected victims, contacts."""
    complaint = context.get("complaint")
    victims = list(context.get("victims") or [])
    suspects = list(context.get("suspects") or [])
    people = [complaint.complainant if complaint is not None else None]
    people += [suspect.person for suspect in suspects]
    people += [victim.person for victim in victims if not privacy.victim_protected(victim)]
    protected = [victim.person for victim in victims if privacy.victim_protected(victim)]
    contacts = [complaint.complainant_contact] if complaint is not None else []
    return people, protected, contacts


@register.simple_tag(takes_context=True)
def masked(context: Any, subject: Any, part: str = "name") -> str:
    """What the viewer may see of `subject` (people.privacy). `part`: name, document, alias (of a
    victim row, an alleged trafficker row or a person); contact, place, narrative (of the
    complaint); description (of an alleged trafficker row)."""
    if part not in MASKED_PARTS:
        raise template.TemplateSyntaxError(f"masked: unknown part {part!r}")
    if subject is None:
        return ""
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    revealed = privacy.may_reveal(viewer, bool(context.get("reveal")))
    if part == "name":
        return privacy.display_name(subject, viewer=viewer, revealed=revealed)
    if part in ("document", "alias"):
        person, minor = privacy.person_and_minor(subject)
        if part == "alias":
            return privacy.masked_alias(person, minor=minor, revealed=revealed)
        kind = person.get_document_type_display() if person is not None and person.document_type else ""
        return privacy.masked_document(person, minor=minor, revealed=revealed, kind=kind)
    if part == "contact":
        return privacy.masked_contact(subject.complainant_contact, revealed=revealed)
    if part == "place":
        private = subject.place_kind == PlaceKind.PRIVATE_HOME
        return privacy.masked_place(subject.place_address, private_home=private, revealed=revealed)
    people, protected, contacts = _complaint_people(context)
    text = subject.narrative if part == "narrative" else subject.description
    return privacy.masked_text(text, people=people, protected=protected, revealed=revealed, contacts=contacts)


@register.filter
def age_unknown_label(victim: Any) -> str:
    """What is known of a victim of unknown age, by the one rule (people.privacy.victim_minor)."""
    minor = privacy.victim_minor(victim)
    if minor is True:
        return _("minor, age unknown")
    if minor is False:
        return _("adult, age unknown")
    return _("age unknown")


@register.filter
def age_band(victim: Any) -> str:
    """The age band of a victim, never the exact age (lists and exports)."""
    if victim.age is None:
        return age_unknown_label(victim)
    for low, high, label in AGE_BANDS:
        if low <= victim.age <= high:
            return label
    return "60+"


@register.filter
def outcome_label(code: str) -> str:
    return classification_text.outcome_label(code)  # in the interface language


@register.filter
def category_labels(codes: Any) -> list[str]:
    return [CATEGORY_LABELS.get(code, code) for code in codes or []]


@register.filter
def element_labels(codes: Any) -> list[str]:
    return [ELEMENTS[code].label if code in ELEMENTS else code for code in codes or []]


@register.filter
def group_label(name: str) -> str:
    return GROUP_LABELS.get(name, name)
