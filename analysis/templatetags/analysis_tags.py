"""`{% seen_elsewhere identity case_file %}`: the "seen elsewhere" section of a person's page
(analysis/_seen_elsewhere.html), for the user of the request: other complaints and case files of
the identity's family she may see, and the count and units of the others.

`{{ row.reasons|reason_labels|join:"; " }}`: a candidate's reason codes (a list, or the lines stored
in a decision or a merge) as labels in the user's language (analysis.candidates.reason_labels)."""

from __future__ import annotations

from typing import Any

from django import template

from analysis import policies
from analysis.candidates import reason_labels as _reason_labels
from analysis.seen import seen_elsewhere as compute

register = template.Library()


@register.inclusion_tag("analysis/_seen_elsewhere.html", takes_context=True)
def seen_elsewhere(context: Any, identity: Any, case_file: Any = None) -> dict[str, Any]:
    user = context["request"].user
    return {
        "seen": compute(identity, user, exclude_case_file=case_file),
        "identity": identity,
        "can_analyse": policies.can_use_analysis(user),
    }


@register.filter
def reason_labels(reasons: Any) -> list[str]:
    return _reason_labels(reasons or [])
