"""What the charts of a case file draw (issue 11, item 6), read from the database and reduced to
the plain values of investigations.charts (`Node`, `Edge`, `Event`).

Persons are shown exactly as on the case file's page (`selectors.persons_of`: a victim as protected,
a whistleblower by code name, the others by initials): no name the page does not show reaches a
chart. Free text (descriptions, journal entries) is never drawn: kinds, numbers, dates and short
names only.

Each builder runs a fixed number of queries whatever the number of rows (one per kind of row).

May import: investigations (models, selectors, charts) and complaints models (the diligencias are
reached through `CaseDiligence.diligence`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from complaints.models import Complaint
from investigations import selectors
from investigations.charts import (
    ACCOUNT,
    ASSIGNMENT,
    COMPLAINT,
    CUSTODY,
    DILIGENCE,
    FACTS,
    JOURNAL,
    OPENED,
    OPERATION,
    OPERATION_EVENT,
    PERSON,
    PHONE,
    PLACE,
    REGISTERED,
    ROUTE,
    STATUS,
    VEHICLE,
    Edge,
    Event,
    Node,
    sorted_events,
)
from investigations.models import (
    CaseAccount,
    CaseAssignment,
    CaseDiligence,
    CaseFile,
    CasePerson,
    CasePersonRole,
    CasePhone,
    CasePlace,
    CaseStatus,
    CaseStatusChange,
    CaseVehicle,
    CustodyTransfer,
    Exhibit,
    JournalEntry,
    Operation,
    RouteLeg,
)


def _user_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _local(moment: datetime.datetime) -> tuple[datetime.date, datetime.time]:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return local.date(), local.time()


def person_rows(case_file: CaseFile) -> list[dict[str, Any]]:
    """`selectors.persons_of` (the persons as the case file's page shows them) as plain dicts,
    whether it gives dicts or rows with attributes: pk, role (label), shown, complaint, minor
    (None when unknown) and organisation_role ("" when none). One query."""
    rows = []
    for row in selectors.persons_of(case_file):
        get = row.get if isinstance(row, dict) else lambda key, default=None, row=row: getattr(row, key, default)
        rows.append(
            {
                "pk": get("pk"),
                "role": str(get("role", "")),
                "shown": str(get("shown", "")),
                "complaint": get("complaint", "") or "",
                "minor": get("minor", None),
                "organisation_role": str(get("organisation_role", "") or ""),
            }
        )
    return rows


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
        nodes.append(Node(f"complaint-{pk}", COMPLAINT, number, pgettext("chart", "Complaint")))
    by_number = {number: pk for pk, number in complaints}
    for person in person_rows(case_file):
        node_id = f"person-{person['pk']}"
        role = " · ".join(part for part in (person["role"], person["organisation_role"]) if part)
        nodes.append(Node(node_id, PERSON, person["shown"], role))
        if person["complaint"] in by_number:
            edges.append(Edge(node_id, f"complaint-{by_number[person['complaint']]}", person["role"]))
    things_nodes, things_edges = _things(case_file, {node.id for node in nodes})
    return nodes + things_nodes, edges + things_edges


def _masked_tail(value: str) -> str:
    """A victim's phone or account: enough to tell two apart, not to call or find her."""
    return f"•••{value[-3:]}" if len(value) > 6 else "•••"


def _things(case_file: CaseFile, known: set[str]) -> tuple[list[Node], list[Edge]]:
    """Phones, accounts, vehicles, places (and the districts of legs without a place) and
    operations of the case file, with the links to their holders, owners, legs and operations.
    A victim's phone and account are shown by their last three characters; a private home by its
    kind only. Seven queries."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    victims = set(
        CasePerson.objects.filter(case_file=case_file, role=CasePersonRole.VICTIM).values_list("pk", flat=True)
    )

    def person(person_id: Any) -> str | None:
        node_id = f"person-{person_id}"
        return node_id if node_id in known else None

    for phone in CasePhone.objects.filter(case_file=case_file).order_by("added_at", "pk"):
        label = _masked_tail(phone.number) if phone.holder_id in victims else phone.number
        nodes.append(Node(f"phone-{phone.pk}", PHONE, label, pgettext("chart", "Phone")))
        if person(phone.holder_id):
            edges.append(Edge(f"phone-{phone.pk}", person(phone.holder_id), pgettext("chart", "holder")))
    for account in CaseAccount.objects.filter(case_file=case_file).order_by("added_at", "pk"):
        label = _masked_tail(account.handle) if account.holder_id in victims else account.handle
        nodes.append(Node(f"account-{account.pk}", ACCOUNT, label, account.get_network_display()))
        if person(account.holder_id):
            edges.append(Edge(f"account-{account.pk}", person(account.holder_id), pgettext("chart", "holder")))
    for vehicle in CaseVehicle.objects.filter(case_file=case_file).order_by("added_at", "pk"):
        role = " ".join(part for part in (vehicle.get_kind_display(), vehicle.make, vehicle.colour) if part)
        nodes.append(Node(f"vehicle-{vehicle.pk}", VEHICLE, vehicle.plate_key or vehicle.plate or role, role))
        if person(vehicle.owner_person_id):
            edges.append(Edge(f"vehicle-{vehicle.pk}", person(vehicle.owner_person_id), pgettext("chart", "owner")))
    for place in CasePlace.objects.filter(case_file=case_file).select_related("district").order_by("added_at", "pk"):
        label = place.get_kind_display() if place.is_private_home else str(place)
        role = place.get_kind_display() + (f" · {place.district.name}" if place.district_id else "")
        nodes.append(Node(f"place-{place.pk}", PLACE, label, role))
    legs = RouteLeg.objects.filter(case_file=case_file).select_related("district").order_by("sequence")
    stops: list[tuple[RouteLeg, str]] = []
    for leg in legs:
        if leg.place_id:
            stop = f"place-{leg.place_id}"
        else:
            stop = f"district-{leg.district_id}"
            if all(node.id != stop for node in nodes):
                nodes.append(Node(stop, PLACE, leg.district.name, pgettext("chart", "District")))
        stops.append((leg, stop))
    for (_previous, source), (leg, target) in zip(stops, stops[1:], strict=False):
        label = pgettext("chart", "leg %(number)s: %(stage)s") % {
            "number": leg.sequence,
            "stage": leg.get_stage_display(),
        }
        if leg.transport:
            label += f" ({leg.get_transport_display()})"
        edges.append(Edge(source, target, label))
    for leg, stop in stops:
        if leg.vehicle_id:
            edges.append(
                Edge(f"vehicle-{leg.vehicle_id}", stop, pgettext("chart", "leg %(number)s") % {"number": leg.sequence})
            )
    operations = Operation.objects.filter(case_file=case_file).prefetch_related(
        Prefetch("rescued_persons", queryset=CasePerson.objects.only("pk")),
        Prefetch("arrested_persons", queryset=CasePerson.objects.only("pk")),
    )
    for operation in operations.order_by("number"):
        node_id = f"operation-{operation.pk}"
        day, _time = _local(operation.occurred_at)
        nodes.append(Node(node_id, OPERATION, str(operation), formats.date_format(day, "d/m/Y")))
        for rescued in operation.rescued_persons.all():
            if person(rescued.pk):
                edges.append(Edge(node_id, person(rescued.pk), pgettext("chart", "rescued")))
        for arrested in operation.arrested_persons.all():
            if person(arrested.pk):
                edges.append(Edge(node_id, person(arrested.pk), pgettext("chart", "arrested")))
    return nodes, edges


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
            events.append(
                Event(
                    complaint.facts_date,
                    FACTS,
                    pgettext("chart", "complaint %(number)s") % {"number": complaint.number},
                )
            )
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
        events.append(Event(day, ASSIGNMENT, pgettext("chart", "%(name)s assigned") % name, time=time))
        if assignment.ended_at:
            day, time = _local(assignment.ended_at)
            events.append(Event(day, ASSIGNMENT, pgettext("chart", "%(name)s unassigned") % name, time=time))
    # The diligences app may not be imported here (tests/test_dependencies.py): its model is reached
    # through the link the work part declares.
    diligence_model = CaseDiligence._meta.get_field("diligence").related_model
    diligences = (
        diligence_model.objects.filter(
            Q(complaint__in=[complaint.pk for complaint in complaints])
            | Q(pk__in=CaseDiligence.objects.filter(case_file=case_file).values("diligence_id")),
            corrections__isnull=True,
        )
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
    """Operations, route legs, exhibits and their custody hand-overs, and journal entries (kind and
    number only, never the text). Five queries."""
    events: list[Event] = []
    work_url = reverse("investigations:case_work", args=[case_file.pk])
    route_url = reverse("investigations:case_route", args=[case_file.pk])
    for operation in Operation.objects.filter(case_file=case_file).order_by("number"):
        day, time = _local(operation.occurred_at)
        label = _("%(operation)s: %(rescued)s rescued, %(arrested)s arrested") % {
            "operation": operation,
            "rescued": operation.persons_rescued,
            "arrested": operation.persons_arrested,
        }
        events.append(Event(day, OPERATION_EVENT, label, f"{work_url}#operations", time))
    legs = RouteLeg.objects.filter(case_file=case_file).select_related("place", "district").order_by("sequence")
    for leg in legs:
        where = (
            (leg.place.get_kind_display() if leg.place.is_private_home else str(leg.place))
            if leg.place_id
            else leg.district.name
        )
        values = {"number": leg.sequence, "stage": leg.get_stage_display(), "where": where}
        if leg.departed_on:
            events.append(Event(leg.departed_on, ROUTE, _("leg %(number)s (%(stage)s): departure") % values, route_url))
        if leg.arrived_on:
            events.append(
                Event(leg.arrived_on, ROUTE, _("leg %(number)s (%(stage)s): arrival in %(where)s") % values, route_url)
            )
    for exhibit in Exhibit.objects.filter(case_file=case_file).order_by("sequence"):
        label = _("exhibit %(code)s seized (%(kind)s)") % {"code": exhibit.code, "kind": exhibit.get_kind_display()}
        url = reverse("investigations:case_exhibit_detail", args=[case_file.pk, exhibit.pk])
        events.append(Event(exhibit.seized_on, CUSTODY, label, url))
    transfers = CustodyTransfer.objects.filter(exhibit__case_file=case_file).select_related("exhibit")
    for transfer in transfers.order_by("handed_at", "pk"):
        day, time = _local(transfer.handed_at)
        label = _("exhibit %(code)s: %(source)s → %(target)s") % {
            "code": transfer.exhibit.code,
            "source": transfer.from_holder,
            "target": transfer.to_holder,
        }
        url = reverse("investigations:case_exhibit_detail", args=[case_file.pk, transfer.exhibit_id])
        events.append(Event(day, CUSTODY, label, url, time))
    entries = JournalEntry.objects.filter(case_file=case_file).select_related("corrects").order_by("sequence")
    for entry in entries:
        label = f"#{entry.sequence} · {entry.get_kind_display()}"
        if entry.corrects_id:
            label += " · " + pgettext("chart", "corrects #%(number)s") % {"number": entry.corrects.sequence}
        events.append(Event(entry.entry_date, JOURNAL, label, f"{work_url}#journal-{entry.sequence}"))
    return events


__all__ = ["association", "timeline"]
