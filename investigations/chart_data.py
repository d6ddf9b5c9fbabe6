"""What the charts of a case file draw (issue 11, item 6), read from the database and reduced to
the plain values of investigations.charts (`Node`, `Edge`, `Event`).

Persons are shown exactly as on the case file's page (`selectors.persons_of`: a victim as protected,
a whistleblower by code name, the others by initials): no name the page does not show reaches a
chart. Free text (descriptions, journal entries) is never drawn: kinds, numbers, dates and short
names only.

Each builder runs a fixed number of queries whatever the number of rows (one per kind of row).

May import: investigations (models, selectors, charts), complaints and diligences models.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint
from diligences.models import Diligence
from investigations import selectors
from investigations.charts import (
    ASSIGNMENT,
    COMPLAINT,
    DILIGENCE,
    FACTS,
    OPENED,
    PERSON,
    REGISTERED,
    STATUS,
    Edge,
    Event,
    Node,
    sorted_events,
)
from investigations.models import CaseAssignment, CaseFile, CaseStatus, CaseStatusChange


def _user_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _local(moment: datetime.datetime) -> tuple[datetime.date, datetime.time]:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return local.date(), local.time().replace(microsecond=0)


# ---------------------------------------------------------------- the association chart


def association(case_file: CaseFile) -> tuple[list[Node], list[Edge]]:
    """The persons in roles (masked as on the case page) and the complaints they come from, then
    what the other parts of the case file add (`_things`)."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    complaints = list(
        Complaint.objects.filter(case_file_links__case_file=case_file).order_by("number").values_list("pk", "number")
    )
    for pk, number in complaints:
        nodes.append(Node(f"complaint-{pk}", COMPLAINT, number, _("Complaint")))
    by_number = {number: pk for pk, number in complaints}
    for person in selectors.persons_of(case_file):
        node_id = f"person-{person['pk']}"
        nodes.append(Node(node_id, PERSON, person["shown"], str(person["role"])))
        if person["complaint"] in by_number:
            edges.append(Edge(node_id, f"complaint-{by_number[person['complaint']]}", str(person["role"])))
    things_nodes, things_edges = _things(case_file, {node.id for node in nodes})
    return nodes + things_nodes, edges + things_edges


def _things(case_file: CaseFile, known: set[str]) -> tuple[list[Node], list[Edge]]:
    """Places, vehicles, phones, accounts and operations of the case file (their parts of the
    Investigation module), with the links to their holders, owners, legs and operations."""
    return [], []


# ---------------------------------------------------------------- the event timeline


def timeline(case_file: CaseFile) -> list[Event]:
    """The dated events of the case file, oldest first: the facts and the registration of each
    linked complaint, the opening, the status changes, the assignments, the preliminary actions
    (diligencias) of the complaints, then what the other parts add (`_work_events`)."""
    events: list[Event] = []
    complaints = list(
        Complaint.objects.filter(case_file_links__case_file=case_file)
        .order_by("number")
        .only("pk", "number", "facts_date", "submitted_at")
    )
    for complaint in complaints:
        if complaint.facts_date:
            events.append(Event(complaint.facts_date, FACTS, _("complaint %(number)s") % {"number": complaint.number}))
        if complaint.submitted_at:
            day, time = _local(complaint.submitted_at)
            events.append(Event(day, REGISTERED, complaint.number, time=time))
    day, time = _local(case_file.opened_at)
    events.append(
        Event(day, OPENED, case_file.number, reverse("investigations:case_file_detail", args=[case_file.pk]), time)
    )
    labels = dict(CaseStatus.choices)
    for change in CaseStatusChange.objects.filter(case_file=case_file).select_related("changed_by"):
        if not change.from_status:
            continue  # the opening, already an event
        day, time = _local(change.changed_at)
        before, after = labels.get(change.from_status, ""), labels.get(change.to_status, "")
        label = f"{before} → {after} ({_user_name(change.changed_by)})"
        events.append(Event(day, STATUS, label, time=time))
    for assignment in CaseAssignment.objects.filter(case_file=case_file).select_related("investigator"):
        name = {"name": _user_name(assignment.investigator)}
        day, time = _local(assignment.assigned_at)
        events.append(Event(day, ASSIGNMENT, _("%(name)s assigned") % name, time=time))
        if assignment.ended_at:
            day, time = _local(assignment.ended_at)
            events.append(Event(day, ASSIGNMENT, _("%(name)s unassigned") % name, time=time))
    diligences = (
        Diligence.objects.filter(complaint__in=[complaint.pk for complaint in complaints], corrections__isnull=True)
        .select_related("complaint")
        .only("pk", "date", "kind", "sequence", "complaint__number", "complaint_id")
    )
    for diligence in diligences:
        label = _("%(action)s (complaint %(number)s, entry %(sequence)s)") % {
            "action": diligence.get_kind_display(),
            "number": diligence.complaint.number,
            "sequence": diligence.sequence,
        }
        events.append(Event(diligence.date, DILIGENCE, label))
    events += _work_events(case_file)
    return sorted_events(events)


def _work_events(case_file: CaseFile) -> list[Event]:
    """Operations, journal entries, custody hand-overs and route legs (the other parts)."""
    return []


__all__ = ["association", "timeline"]
