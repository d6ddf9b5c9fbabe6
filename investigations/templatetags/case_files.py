"""What the Investigation module shows on a complaint's page, without complaints importing it:
`{% load case_files %}{% case_files_of complaint %}` (the number and status of its case files,
nothing of their contents) and, for the alert inbox, `{% may_open_case_file as flag %}` (whether
the user may open one)."""

from __future__ import annotations

from typing import Any

from django import template

from investigations import policies, selectors

register = template.Library()


@register.inclusion_tag("investigations/_complaint_case_files.html", takes_context=True)
def case_files_of(context: dict[str, Any], complaint: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    submitted = bool(getattr(complaint, "number", None)) and not complaint.is_draft
    rows = selectors.case_files_of_complaint(complaint) if submitted else []
    can_view = policies.can_view_case_files(user)
    return {
        "complaint": complaint,
        "case_files": rows,
        "link": can_view,
        "can_open": submitted and policies.can_open_case_file(user),
    }


@register.simple_tag(takes_context=True)
def may_open_case_file(context: dict[str, Any]) -> bool:
    request = context.get("request")
    return policies.can_open_case_file(getattr(request, "user", None))
