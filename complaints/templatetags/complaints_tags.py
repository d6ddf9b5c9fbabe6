"""Template helpers of the Reporting module: identity masking, labels of codes, optional links.

Masking: templates show a person's data only through `{% masked subject "part" %}`, which asks
the privacy rule (`people.privacy.sight`, SECURITY.md 15) what the signed-in user sees of the
page's complaint, with the page's `reveal` (set only by the logged "show identity" action): the
filing station sees the complainant, the reveal shows adults to the filing station and to roles
with a need to know, and protected victims (minors, age unknown) to investigators only.
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


def page_sight(context: Any) -> privacy.Sight:
    """What the signed-in user sees of the page's complaint (people.privacy.sight), with the page's
    `reveal` (set only by the logged "show identity" action). A view may put its own `sight`."""
    given = context.get("sight")
    if isinstance(given, privacy.Sight):
        return given
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    return privacy.sight(viewer, context.get("complaint"), revealed=bool(context.get("reveal")))


@register.simple_tag(takes_context=True)
def masked(context: Any, subject: Any, part: str = "name") -> str:
    """What the viewer may see of `subject` (people.privacy). `part`: name, document, alias (of a
    victim row, an alleged trafficker row or a person); contact, place, narrative (of the
    complaint); description (of an alleged trafficker row)."""
    if part not in MASKED_PARTS:
        raise template.TemplateSyntaxError(f"masked: unknown part {part!r}")
    if subject is None:
        return ""
    view = page_sight(context)
    complaint = context.get("complaint")
    if part == "name":
        return privacy.display_name(subject, view=view, complaint=complaint)
    if part in ("document", "alias"):
        person, minor = privacy.person_and_minor(subject)
        minor, revealed = privacy.as_seen(view, role=privacy.role_of(subject, complaint), minor=minor)
        if part == "alias":
            return privacy.masked_alias(person, minor=minor, revealed=revealed)
        kind = person.get_document_type_display() if person is not None and person.document_type else ""
        return privacy.masked_document(person, minor=minor, revealed=revealed, kind=kind)
    if part == "contact":
        return privacy.masked_contact(subject.complainant_contact, revealed=view.complainant)
    if part == "place":
        private = subject.place_kind == PlaceKind.PRIVATE_HOME
        return privacy.masked_place(subject.place_address, private_home=private, revealed=view.others)
    text = subject.narrative if part == "narrative" else subject.description
    return privacy.seen_text(
        text,
        view=view,
        complainant=complaint.complainant if complaint is not None else None,
        victims=context.get("victims") or (),
        suspects=context.get("suspects") or (),
        contacts=[complaint.complainant_contact] if complaint is not None else [],
    )


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


HOME_DRAFTS_LIMIT = 20


@register.simple_tag
def editable_drafts(user: Any) -> list[Any]:
    """The drafts of the user's unit that the user may edit (the home page lists them; newest
    first, at most HOME_DRAFTS_LIMIT). Through the access mechanism and the draft policy."""
    from complaints import policies
    from complaints.models import Complaint

    if not policies.can_file_complaint(user):
        return []
    drafts = (
        Complaint.objects.visible_to(user)
        .filter(status=Complaint.Status.DRAFT, registering_unit_id=user.unit_id)
        .select_related("place_district")
        .order_by("-created_at")[:HOME_DRAFTS_LIMIT]
    )
    return [draft for draft in drafts if policies.can_edit_draft(user, draft)]


@register.simple_tag
def research_values(complaint: Any) -> list[tuple[str, str]]:
    """(label, value as read) of the complaint's research variables (administration.extra_fields)."""
    from administration.extra_fields import shown_values

    return shown_values(complaint.extra_values.select_related("field"))
