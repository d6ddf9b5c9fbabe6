"""Pages of the charts and the history of a case file (issue 11, items 6 and 9): the association
chart and the event timeline, each with its table (`case_charts`); the history of the case file
(`case_history`) and of one person in it (`case_person_history`, GET masked, POST the logged reveal).

Every page reads the case file through `case_files._readable` (404 outside the scope) and writes
an audit event. Reads: investigations.chart_data and investigations.case_history.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.events import AuditEventType
from audit.services import audit_record
from investigations import case_history, chart_data, charts, selectors
from investigations.models import CasePerson
from investigations.views.case_files import _readable
from people import policies as identity_policies
from people.services import identity_reveal


@require_GET
def case_charts(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _readable(request, pk)
    nodes, edges = chart_data.association(case_file)
    events = chart_data.timeline(case_file)
    labels = {node.id: node.label for node in nodes}
    kinds = {node.id: str(charts.NODE_KINDS.get(node.kind, node.kind)) for node in nodes}
    audit_record(
        event=AuditEventType.CASE_CHARTS_VIEWED,
        obj=case_file,
        details={"nodes": len(nodes), "edges": len(edges), "events": len(events)},
    )
    context = {
        "case_file": case_file,
        "section": "charts",
        "association_svg": charts.association_chart(title=_("Association chart"), nodes=nodes, edges=edges),
        "timeline_svg": charts.timeline_chart(title=_("Event timeline"), events=events),
        "nodes": [(node, kinds[node.id]) for node in nodes],
        "edges": [
            {"source": labels[e.source], "target": labels[e.target], "label": e.label}
            for e in edges
            if e.source in labels and e.target in labels
        ],
        "events": events,
    }
    return render(request, "investigations/case_charts.html", context)


@require_GET
def case_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    case_file = _readable(request, pk)
    groups = case_history.case_file_history(case_file)
    audit_record(event=AuditEventType.CASE_HISTORY_VIEWED, obj=case_file, details={"changes": len(groups)})
    context = {
        "case_file": case_file,
        "section": "history",
        "groups": groups,
        "persons": chart_data.person_rows(case_file),
    }
    return render(request, "investigations/case_history.html", context)


@require_http_methods(["GET", "POST"])
def case_person_history(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """GET: masked. POST: the logged reveal (people.services.identity_reveal), for this response
    only; a victim's identity only to those who may see a protected victim's."""
    case_file = _readable(request, pk)
    person = selectors.one_of_case(CasePerson, case_file, person_pk)
    revealed = False
    protected = case_history.person_is_protected(person)
    if request.method == "POST":
        allowed = identity_policies.can_view_identity(request.user)
        if protected:
            allowed = allowed and identity_policies.can_view_minor_identity(request.user)
        if not allowed:
            raise PermissionDenied
        identity_reveal(
            actor=request.user,
            obj=case_file,
            victims=[SimpleNamespace(age=None, minor=None)] if protected else [],
            suspects=0 if protected else 1,
            where={"screen": "case_person_history", "person": str(person.pk)},
        )
        revealed = True
    groups = case_history.person_history(person, revealed=revealed)
    audit_record(
        event=AuditEventType.CASE_PERSON_HISTORY_VIEWED,
        obj=case_file,
        details={"person": person.pk, "revealed": revealed, "changes": len(groups)},
    )
    context = {
        "case_file": case_file,
        "section": "history",
        "person": person,
        "person_label": case_history.person_label(person),
        "groups": groups,
        "revealed": revealed,
        "can_reveal": identity_policies.can_view_identity(request.user)
        and (not protected or identity_policies.can_view_minor_identity(request.user)),
    }
    return render(request, "investigations/case_person_history.html", context)
