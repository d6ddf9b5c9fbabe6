"""The network of cross-case analysis (issue 12, item 4): persons, case files, complaints, places,
vehicles, phones and accounts as nodes, and the links between them, expanded around one node to a
depth of 1 to 3, within the user's scope.

    find_start(user, text) -> str | None            a case file or complaint number, a phone, a plate
    build_network(user, start, filters) -> Network  the nodes and links (investigations.charts values)
    network_events(network) -> list[Event]          the timeline of the same entities

Pure graph building over querysets scoped by `visible_to(user)`: a record (complaint, case file)
outside the user's scope is never a node; the records outside the scope that share a person, a
phone, a plate, an account or a place with the network are only counted (`Network.hidden`).

The nodes (ids are opaque: never a name, a number or a plate):
- `casefile-<pk>`, `complaint-<pk>` the records; `person-<identity pk>` a person, the same
  identity in every record ("the same person" is the identity; when the analysts' decisions merge
  identities (`people.Identity.merged_into`), a merged identity folds into the one it was merged
  into: `_Builder.person_key`, and `family` when its records are read);
  `person-r<recorded person pk>` a complainant or alleged trafficker of
  a complaint recorded without an identity (a leaf); `informant-<case person pk>` a whistleblower,
  by code name, never joined to his identity (so never to his other records);
- `phone-<case phone pk>`, `vehicle-<case vehicle pk>`, `account-<case account pk>`: one node per
  key (E.164 number, normalised plate, network and handle), named after the first row read; the
  same key in two case files is the same node, and the two case files get a "shared key" link;
- `place-<case place pk>` a place of a case file; `district-<ubigeo>` a district (a complaint's
  place of the facts and places of the route, a leg of a route without a place).

Masking (people.privacy, as the case file's charts): a person who is a victim in any record is
"Victim (identity protected)" everywhere, never a name nor initials; the others by initials; a
victim's phone or account by its last three characters; a private home by its kind.

Each level of the expansion runs a fixed number of queries whatever the number of rows.

May import: administration, people, complaints, investigations (models, charts, route_map).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from complaints.models import Complaint, ComplaintPlace, ComplaintSuspect, ComplaintVictim, Person
from investigations.charts import (
    ACCOUNT,
    CASE_FILE,
    COMPLAINT,
    FACTS,
    OPENED,
    PERSON,
    PHONE,
    PLACE,
    REGISTERED,
    ROUTE,
    VEHICLE,
    Edge,
    Event,
    Node,
    sorted_events,
)
from investigations.models import (
    CaseAccount,
    CaseComplaint,
    CaseFile,
    CasePerson,
    CasePersonRole,
    CasePhone,
    CasePlace,
    CaseVehicle,
    RouteLeg,
)
from people import identifiers, privacy
from people.models import Identity

MIN_DEPTH, MAX_DEPTH, DEFAULT_DEPTH = 1, 3, 2
DEFAULT_CAP = 200
# The roles of the role filter: a case file's roles; a complaint's victims, alleged traffickers and
# complainant are the same roles.
ROLES = (
    CasePersonRole.VICTIM,
    CasePersonRole.ALLEGED_TRAFFICKER,
    CasePersonRole.COMPLAINANT,
    CasePersonRole.WITNESS,
    CasePersonRole.WHISTLEBLOWER,
)


@dataclass(frozen=True)
class Filters:
    """What the network keeps: records of the period (a complaint by the date of its facts, else
    of its registration; a case file by its opening), of the region (department INEI code: a
    complaint whose place of the facts or of the route lies there, a case file owned there or
    with a complaint or a leg there) and persons in the role (empty: every role)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    department: str = ""
    role: str = ""
    depth: int = DEFAULT_DEPTH
    cap: int = DEFAULT_CAP

    def as_details(self) -> dict[str, Any]:
        """The filters as the audit trail and the exports keep them."""
        return {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "department": self.department,
            "role": self.role,
            "depth": self.depth,
            "cap": self.cap,
        }


@dataclass
class Network:
    """The nodes and links around `start`; `capped` when the cap stopped the expansion; `hidden`
    the number of records outside the user's scope linked to what was expanded."""

    start: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    capped: bool = False
    hidden: int = 0
    depth_of: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {"nodes": len(self.nodes), "links": len(self.edges), "hidden": self.hidden}


# ---------------------------------------------------------------- the records a user may see


def complaints_in(user: Any, filters: Filters) -> Any:
    """The registered complaints the user may see, within the period and region."""
    queryset = Complaint.objects.visible_to(user).filter(submitted_at__isnull=False)
    if filters.date_from:
        queryset = queryset.filter(
            Q(facts_date__gte=filters.date_from) | Q(facts_date__isnull=True, submitted_at__date__gte=filters.date_from)
        )
    if filters.date_to:
        queryset = queryset.filter(
            Q(facts_date__lte=filters.date_to) | Q(facts_date__isnull=True, submitted_at__date__lte=filters.date_to)
        )
    if filters.department:
        code = filters.department
        queryset = queryset.filter(
            Q(place_district__department_id=code)
            | Q(pk__in=ComplaintPlace.objects.filter(district__department_id=code).values("complaint_id"))
        )
    return queryset


def case_files_in(user: Any, filters: Filters) -> Any:
    """The case files the user may see, within the period and region."""
    queryset = CaseFile.objects.visible_to(user)
    if filters.date_from:
        queryset = queryset.filter(opened_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(opened_at__date__lte=filters.date_to)
    if filters.department:
        code = filters.department
        queryset = queryset.filter(
            Q(owning_unit__district__department_id=code)
            | Q(pk__in=CaseComplaint.objects.filter(complaint__place_district__department_id=code).values("case_file"))
            | Q(pk__in=RouteLeg.objects.filter(district__department_id=code).values("case_file"))
        )
    return queryset


# ---------------------------------------------------------------- where the network starts


def find_start(user: Any, text: str) -> str | None:
    """The node a search names: a case file's or a complaint's number (exact, case-insensitive), a
    phone (any way it is written, read as E.164) or a plate, among what the user may see. Never a
    name: a person is reached through a record."""
    text = (text or "").strip()
    if not text:
        return None
    case_file = CaseFile.objects.visible_to(user).filter(number__iexact=text).values_list("pk", flat=True).first()
    if case_file:
        return f"casefile-{case_file}"
    complaint = (
        Complaint.objects.visible_to(user)
        .filter(number__iexact=text, submitted_at__isnull=False)
        .values_list("pk", flat=True)
        .first()
    )
    if complaint:
        return f"complaint-{complaint}"
    visible_cases = CaseFile.objects.visible_to(user).values("pk")
    try:
        number = identifiers.normalise_phone(text)
    except ValidationError:
        number = ""
    if number:
        phone = CasePhone.objects.filter(number=number, case_file__in=visible_cases).order_by("pk").first()
        if phone:
            return f"phone-{phone.pk}"
    for foreign in (False, True):
        try:
            plate = identifiers.normalise_plate(text, foreign=foreign)
        except ValidationError:
            continue
        vehicle = CaseVehicle.objects.filter(plate_key=plate, case_file__in=visible_cases).order_by("pk").first()
        if vehicle:
            return f"vehicle-{vehicle.pk}"
    return None


def _split(node_id: str) -> tuple[str, str]:
    kind, _sep, key = (node_id or "").partition("-")
    return kind, key


# ---------------------------------------------------------------- the expansion


def _masked_tail(value: str) -> str:
    return f"•••{value[-3:]}" if len(value) > 6 else "•••"


class _Builder:
    """One expansion: a breadth-first walk from the start node, level by level; each level reads
    the neighbours of every node of the frontier with one query per kind of neighbour."""

    def __init__(self, user: Any, filters: Filters) -> None:
        self.user = user
        self.filters = filters
        self.complaints = complaints_in(user, filters)
        self.case_files = case_files_in(user, filters)
        self.all_complaints = Complaint.objects.filter(submitted_at__isnull=False)
        self.nodes: dict[str, dict[str, Any]] = {}  # id -> {kind, label, role}
        self.edges: dict[tuple[str, str, str], None] = {}
        self.depth: dict[str, int] = {}
        self.hidden: set[tuple[str, int]] = set()
        self.capped = False
        # what an opaque id stands for (the key of a phone, a plate, an account)
        self.phone_ids: dict[str, str] = {}
        self.vehicle_ids: dict[str, str] = {}
        self.account_ids: dict[tuple[str, str], str] = {}
        self.key_of: dict[str, Any] = {}
        self.victim_things: set[str] = set()
        self.identity_roles: dict[int, set[str]] = defaultdict(set)
        self.district_names: dict[str, str] = {}
        # identities merged by the analysts' decisions (people.Identity.merged_into): one query
        self.merged_into: dict[int, int] = dict(
            Identity.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
        )

    def person_key(self, identity_id: int) -> int:
        """The identity a person's records are grouped by: a merged identity folds into the one it
        was merged into (following a chain of merges), so a confirmed match is one node."""
        seen = {identity_id}
        while identity_id in self.merged_into and self.merged_into[identity_id] not in seen:
            identity_id = self.merged_into[identity_id]
            seen.add(identity_id)
        return identity_id

    def family(self, keys: list[int]) -> list[int]:
        """The identities grouped under these keys: the keys and every identity merged into them."""
        wanted = set(keys)
        return sorted(wanted | {pk for pk in self.merged_into if self.person_key(pk) in wanted})

    # -------- adding

    def role_allowed(self, role: str) -> bool:
        return not self.filters.role or self.filters.role == role

    def add(self, node_id: str, kind: str, label: str = "", role: str = "", *, level: int) -> bool:
        """Adds a node at `level` (False when the cap is reached and it is not there yet)."""
        if node_id in self.nodes:
            return True
        if len(self.nodes) >= self.filters.cap:
            self.capped = True
            return False
        self.nodes[node_id] = {"kind": kind, "label": label, "role": role}
        self.depth[node_id] = level
        return True

    def link(self, source: str, target: str, label: str) -> None:
        if source in self.nodes and target in self.nodes and source != target:
            a, b = sorted((source, target))
            if (a, b, label) not in self.edges and (b, a, label) not in self.edges:
                self.edges[(source, target, label)] = None

    def add_linked(self, origin: str, node_id: str, kind: str, label: str, role: str, link: str, level: int) -> None:
        if self.add(node_id, kind, label, role, level=level):
            self.link(origin, node_id, link)

    # -------- the frontier of one level

    def expand(self, frontier: list[str], level: int) -> None:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for node_id in frontier:
            kind, key = _split(node_id)
            by_kind[kind].append(key)
        if by_kind["complaint"]:
            self.expand_complaints([int(k) for k in by_kind["complaint"]], level)
        if by_kind["casefile"]:
            self.expand_case_files([int(k) for k in by_kind["casefile"]], level)
        persons = [int(k) for k in by_kind["person"] if k.isdigit()]
        if persons:
            self.expand_persons(persons, level)
        if by_kind["phone"]:
            self.expand_things(CasePhone, "phone", [self.key_of[f"phone-{k}"] for k in by_kind["phone"]], level)
        if by_kind["vehicle"]:
            keys = [self.key_of[f"vehicle-{k}"] for k in by_kind["vehicle"]]
            self.expand_things(CaseVehicle, "vehicle", keys, level)
        if by_kind["account"]:
            keys = [self.key_of[f"account-{k}"] for k in by_kind["account"]]
            self.expand_things(CaseAccount, "account", keys, level)
        if by_kind["place"]:
            self.expand_places([int(k) for k in by_kind["place"]], level)
        if by_kind["district"]:
            self.expand_districts(by_kind["district"], level)

    # -------- records

    def complaint_node(self, pk: int, number: str, level: int) -> str:
        node_id = f"complaint-{pk}"
        self.add(node_id, COMPLAINT, number or f"#{pk}", pgettext("chart", "Complaint"), level=level)
        return node_id

    def case_file_node(self, pk: int, number: str, level: int) -> str:
        node_id = f"casefile-{pk}"
        self.add(node_id, CASE_FILE, number, pgettext("chart", "Case file"), level=level)
        return node_id

    def district_node(self, code: str, role: str, level: int) -> str:
        node_id = f"district-{code}"
        self.add(node_id, PLACE, code, role or pgettext("chart", "District"), level=level)
        return node_id

    def expand_complaints(self, pks: list[int], level: int) -> None:
        """The persons of the complaints, their case files and their places (districts)."""
        rows = self.complaints.filter(pk__in=pks).values_list(
            "pk", "place_district_id", "complainant__identity_id", "complainant_id"
        )
        for pk, district, complainant_identity, complainant in rows:
            origin = f"complaint-{pk}"
            if district:
                self.add_linked(origin, f"district-{district}", PLACE, district, "", _("place of the facts"), level)
            if complainant and self.role_allowed(CasePersonRole.COMPLAINANT):
                self.person(origin, complainant_identity, complainant, CasePersonRole.COMPLAINANT, level)
        for model, role in (
            (ComplaintVictim, CasePersonRole.VICTIM),
            (ComplaintSuspect, CasePersonRole.ALLEGED_TRAFFICKER),
        ):
            if not self.role_allowed(role):
                continue
            for complaint_id, identity_id, person_id in model.objects.filter(complaint_id__in=pks).values_list(
                "complaint_id", "person__identity_id", "person_id"
            ):
                self.person(f"complaint-{complaint_id}", identity_id, person_id, role, level)
        for complaint_id, district, role in ComplaintPlace.objects.filter(
            complaint_id__in=pks, district__isnull=False
        ).values_list("complaint_id", "district_id", "role"):
            label = pgettext("chart", "place of the route: %(role)s") % {"role": _place_role(role)}
            self.add_linked(f"complaint-{complaint_id}", f"district-{district}", PLACE, district, "", label, level)
        links = CaseComplaint.objects.filter(complaint_id__in=pks).values_list(
            "complaint_id", "case_file_id", "case_file__number"
        )
        visible = set(self.case_files.filter(complaint_links__complaint_id__in=pks).values_list("pk", flat=True))
        for complaint_id, case_file_id, number in links:
            if case_file_id in visible:
                node = self.case_file_node(case_file_id, number, level) if self.room(f"casefile-{case_file_id}") else ""
                if node:
                    self.link(f"complaint-{complaint_id}", node, pgettext("chart", "grew into"))
            else:
                self.hidden.add(("casefile", case_file_id))

    def room(self, node_id: str) -> bool:
        if node_id in self.nodes or len(self.nodes) < self.filters.cap:
            return True
        self.capped = True
        return False

    def person(self, origin: str, identity_id: int | None, recorded_id: int, role: str, level: int) -> None:
        role_label = str(CasePersonRole(role).label)
        if identity_id:
            key = self.person_key(identity_id)
            node_id = f"person-{key}"
            self.identity_roles[key].add(role)
        else:
            node_id = f"person-r{recorded_id}"
            if role == CasePersonRole.VICTIM:
                self.identity_roles[-recorded_id].add(role)
        self.add_linked(origin, node_id, PERSON, "", role_label, role_label, level)

    def expand_case_files(self, pks: list[int], level: int) -> None:
        """The complaints, persons, phones, accounts, vehicles, places and route of the case files."""
        pks = list(self.case_files.filter(pk__in=pks).values_list("pk", flat=True))
        visible = set(self.complaints.filter(case_file_links__case_file_id__in=pks).values_list("pk", flat=True))
        for case_file_id, complaint_id, number in CaseComplaint.objects.filter(case_file_id__in=pks).values_list(
            "case_file_id", "complaint_id", "complaint__number"
        ):
            if complaint_id in visible:
                if self.room(f"complaint-{complaint_id}"):
                    self.link(
                        f"casefile-{case_file_id}",
                        self.complaint_node(complaint_id, number, level),
                        pgettext("chart", "grew into"),
                    )
            else:
                self.hidden.add(("complaint", complaint_id))
        holders: dict[int, str] = {}
        victims: set[int] = set()
        for pk, case_file_id, identity_id, role, code_name in CasePerson.objects.filter(
            case_file_id__in=pks
        ).values_list("pk", "case_file_id", "identity_id", "role", "code_name"):
            if role == CasePersonRole.VICTIM:
                victims.add(pk)
            if not self.role_allowed(role):
                continue
            origin = f"casefile-{case_file_id}"
            if role == CasePersonRole.WHISTLEBLOWER:
                node_id = f"informant-{pk}"
                label = code_name or _("(no code name)")
                role_label = str(CasePersonRole(role).label)
                self.add_linked(origin, node_id, PERSON, label, role_label, role_label, level)
            else:
                key = self.person_key(identity_id)
                node_id = f"person-{key}"
                self.identity_roles[key].add(role)
                role_label = str(CasePersonRole(role).label)
                self.add_linked(origin, node_id, PERSON, "", role_label, role_label, level)
            holders[pk] = node_id
        self.case_things(pks, holders, victims, level)

    def case_things(self, pks: list[int], holders: dict[int, str], victims: set[int], level: int) -> None:
        phones = CasePhone.objects.filter(case_file_id__in=pks).order_by("pk")
        for row in phones.values_list("pk", "case_file_id", "number", "holder_id"):
            pk, case_file_id, number, holder = row
            node_id = self.phone_ids.setdefault(number, f"phone-{pk}")
            self.key_of[node_id] = number
            if holder in victims:
                self.victim_things.add(node_id)
            self.thing(node_id, PHONE, case_file_id, holders.get(holder), pgettext("chart", "holder"), level)
        accounts = CaseAccount.objects.filter(case_file_id__in=pks).order_by("pk")
        for pk, case_file_id, network, handle, holder in accounts.values_list(
            "pk", "case_file_id", "network", "handle", "holder_id"
        ):
            key = (network, handle.lower())
            node_id = self.account_ids.setdefault(key, f"account-{pk}")
            self.key_of[node_id] = key
            if holder in victims:
                self.victim_things.add(node_id)
            self.thing(node_id, ACCOUNT, case_file_id, holders.get(holder), pgettext("chart", "holder"), level)
        vehicles = CaseVehicle.objects.filter(case_file_id__in=pks).exclude(plate_key="").order_by("pk")
        vehicle_nodes: dict[int, str] = {}
        for pk, case_file_id, plate, owner in vehicles.values_list(
            "pk", "case_file_id", "plate_key", "owner_person_id"
        ):
            node_id = self.vehicle_ids.setdefault(plate, f"vehicle-{pk}")
            self.key_of[node_id] = plate
            vehicle_nodes[pk] = node_id
            self.thing(node_id, VEHICLE, case_file_id, holders.get(owner), pgettext("chart", "owner"), level)
        places = CasePlace.objects.filter(case_file_id__in=pks).order_by("pk")
        for pk, case_file_id, kind, name, district in places.values_list(
            "pk", "case_file_id", "kind", "name", "district_id"
        ):
            node_id = f"place-{pk}"
            self.key_of[node_id] = (kind, name)
            self.add_linked(f"casefile-{case_file_id}", node_id, PLACE, "", "", pgettext("chart", "place"), level)
            if district and node_id in self.nodes:
                self.add_linked(
                    node_id, f"district-{district}", PLACE, district, "", pgettext("chart", "in"), level + 1
                )
        legs = RouteLeg.objects.filter(case_file_id__in=pks).order_by("case_file_id", "sequence")
        previous: dict[int, str] = {}
        for case_file_id, sequence, stage, place, district, vehicle in legs.values_list(
            "case_file_id", "sequence", "stage", "place_id", "district_id", "vehicle_id"
        ):
            stop = f"place-{place}" if place else f"district-{district}" if district else ""
            if not stop:
                continue
            if stop.startswith("district-"):
                self.add_linked(
                    f"casefile-{case_file_id}", stop, PLACE, district, "", pgettext("chart", "route"), level
                )
            label = pgettext("chart", "leg %(number)s: %(stage)s") % {"number": sequence, "stage": _leg_stage(stage)}
            if case_file_id in previous:
                self.link(previous[case_file_id], stop, label)
            previous[case_file_id] = stop
            if vehicle in vehicle_nodes:
                self.link(vehicle_nodes[vehicle], stop, pgettext("chart", "leg %(number)s") % {"number": sequence})

    def thing(self, node_id: str, kind: str, case_file_id: int, holder: str | None, link: str, level: int) -> None:
        origin = f"casefile-{case_file_id}"
        if origin in self.nodes:
            self.add_linked(origin, node_id, kind, "", "", pgettext("chart", "in the case file"), level)
        if holder:
            self.link(node_id, holder, link)

    # -------- persons and keys: where else they appear

    def expand_persons(self, keys: list[int], level: int) -> None:
        """The other records of the persons (identities), in the scope; those outside counted."""
        visible_complaints = self.complaints.values("pk")
        keys = self.family(keys)
        for model, role in (
            (ComplaintVictim, CasePersonRole.VICTIM),
            (ComplaintSuspect, CasePersonRole.ALLEGED_TRAFFICKER),
        ):
            rows = model.objects.filter(person__identity_id__in=keys, complaint__submitted_at__isnull=False)
            shown = set(rows.filter(complaint__in=visible_complaints).values_list("pk", flat=True))
            for pk, complaint_id, number, identity_id in rows.values_list(
                "pk", "complaint_id", "complaint__number", "person__identity_id"
            ):
                self.identity_roles[self.person_key(identity_id)].add(role)
                if pk not in shown:
                    self.hidden.add(("complaint", complaint_id))
                elif self.role_allowed(role) and self.room(f"complaint-{complaint_id}"):
                    node = self.complaint_node(complaint_id, number, level)
                    self.link(f"person-{self.person_key(identity_id)}", node, str(CasePersonRole(role).label))
        filed = self.all_complaints.filter(complainant__identity_id__in=keys)
        shown = set(filed.filter(pk__in=visible_complaints).values_list("pk", flat=True))
        for complaint_id, number, identity_id in filed.values_list("pk", "number", "complainant__identity_id"):
            if complaint_id not in shown:
                self.hidden.add(("complaint", complaint_id))
            elif self.role_allowed(CasePersonRole.COMPLAINANT) and self.room(f"complaint-{complaint_id}"):
                node = self.complaint_node(complaint_id, number, level)
                self.link(f"person-{self.person_key(identity_id)}", node, str(CasePersonRole.COMPLAINANT.label))
        roles = CasePerson.objects.filter(identity_id__in=keys).exclude(role=CasePersonRole.WHISTLEBLOWER)
        shown = set(roles.filter(case_file__in=self.case_files.values("pk")).values_list("pk", flat=True))
        for pk, case_file_id, number, identity_id, role in roles.values_list(
            "pk", "case_file_id", "case_file__number", "identity_id", "role"
        ):
            self.identity_roles[self.person_key(identity_id)].add(role)
            if pk not in shown:
                self.hidden.add(("casefile", case_file_id))
            elif self.role_allowed(role) and self.room(f"casefile-{case_file_id}"):
                node = self.case_file_node(case_file_id, number, level)
                self.link(f"person-{self.person_key(identity_id)}", node, str(CasePersonRole(role).label))

    def expand_things(self, model: Any, kind: str, keys: list[Any], level: int) -> None:
        """The case files that hold the same phones, plates or accounts; those outside counted."""
        if kind == "phone":
            rows = model.objects.filter(number__in=keys)
            fields = ("pk", "case_file_id", "case_file__number", "number")
        elif kind == "vehicle":
            rows = model.objects.filter(plate_key__in=keys)
            fields = ("pk", "case_file_id", "case_file__number", "plate_key")
        else:
            condition = Q(pk__in=[])
            for network, handle in keys:
                condition |= Q(network=network, handle__iexact=handle)
            rows = model.objects.filter(condition)
            fields = ("pk", "case_file_id", "case_file__number", "network", "handle")
        shown = set(rows.filter(case_file__in=self.case_files.values("pk")).values_list("pk", flat=True))
        per_key: dict[Any, set[int]] = defaultdict(set)
        for row in rows.values_list(*fields):
            pk, case_file_id, number = row[:3]
            key = row[3] if kind != "account" else (row[3], row[4].lower())
            ids = {"phone": self.phone_ids, "vehicle": self.vehicle_ids, "account": self.account_ids}[kind]
            node_id = ids.setdefault(key, f"{kind}-{pk}")
            if pk not in shown:
                self.hidden.add(("casefile", case_file_id))
                continue
            if self.room(f"casefile-{case_file_id}"):
                case_node = self.case_file_node(case_file_id, number, level)
                self.link(node_id, case_node, pgettext("chart", "in the case file"))
                per_key[node_id].add(case_file_id)
        self.shared_keys(per_key, kind)

    def shared_keys(self, per_key: dict[str, set[int]], kind: str) -> None:
        """A link between two case files that hold the same key."""
        label = {
            "phone": pgettext("chart", "shared phone"),
            "vehicle": pgettext("chart", "shared plate"),
            "account": pgettext("chart", "shared account"),
        }[kind]
        for case_files in per_key.values():
            ordered = sorted(case_files)
            for index, first in enumerate(ordered):
                for second in ordered[index + 1 :]:
                    self.link(f"casefile-{first}", f"casefile-{second}", label)

    def expand_places(self, pks: list[int], level: int) -> None:
        """A place of a case file: its case file and its district."""
        rows = CasePlace.objects.filter(pk__in=pks, case_file__in=self.case_files.values("pk"))
        for pk, case_file_id, number, district in rows.values_list(
            "pk", "case_file_id", "case_file__number", "district_id"
        ):
            if self.room(f"casefile-{case_file_id}"):
                self.link(f"place-{pk}", self.case_file_node(case_file_id, number, level), pgettext("chart", "place"))
            if district:
                self.add_linked(
                    f"place-{pk}", f"district-{district}", PLACE, district, "", pgettext("chart", "in"), level
                )

    def expand_districts(self, codes: list[str], level: int) -> None:
        """The complaints whose facts or route lie in the districts, and the case files with a leg there."""
        route = ComplaintPlace.objects.filter(district_id__in=codes).values("complaint_id")
        rows = self.complaints.filter(Q(place_district_id__in=codes) | Q(pk__in=route)).order_by("pk")
        for pk, number, district in rows.values_list("pk", "number", "place_district_id")[: self.filters.cap]:
            if not self.room(f"complaint-{pk}"):
                break
            node = self.complaint_node(pk, number, level)
            where = f"district-{district}" if district in codes else f"district-{codes[0]}"
            self.link(node, where, _("place of the facts") if district in codes else pgettext("chart", "route"))
        legs = RouteLeg.objects.filter(district_id__in=codes, case_file__in=self.case_files.values("pk"))
        for case_file_id, number, district in legs.values_list("case_file_id", "case_file__number", "district_id")[
            : self.filters.cap
        ]:
            if not self.room(f"casefile-{case_file_id}"):
                break
            self.link(
                self.case_file_node(case_file_id, number, level), f"district-{district}", pgettext("chart", "route")
            )

    # -------- labels (masked) and the result

    def labels(self) -> None:
        """The persons' labels (people.privacy: a victim anywhere is never named, the others by
        initials), the things' (a victim's phone or account by its tail), the districts' names.
        Four queries."""
        identity_ids = self.family([int(k) for kind, k in map(_split, self.nodes) if kind == "person" and k.isdigit()])
        recorded_victims = set(
            ComplaintVictim.objects.filter(person__identity_id__in=identity_ids).values_list(
                "person__identity_id", flat=True
            )
        ) | set(
            CasePerson.objects.filter(identity_id__in=identity_ids, role=CasePersonRole.VICTIM).values_list(
                "identity_id", flat=True
            )
        )
        victims = {self.person_key(pk) for pk in recorded_victims}
        initials = {identity.pk: identity.initials for identity in Identity.objects.filter(pk__in=identity_ids)}
        recorded_ids = [int(k[1:]) for kind, k in map(_split, self.nodes) if kind == "person" and k.startswith("r")]
        recorded = {person.pk: person for person in Person.objects.filter(pk__in=recorded_ids)}
        protected = str(_("Victim (identity protected)"))
        districts = [k for kind, k in map(_split, self.nodes) if kind == "district"]
        from administration.models import District

        names = dict(District.objects.filter(pk__in=districts).values_list("pk", "name"))
        place_ids = [int(k) for kind, k in map(_split, self.nodes) if kind == "place"]
        places = {place.pk: place for place in CasePlace.objects.filter(pk__in=place_ids)}
        for node_id, node in self.nodes.items():
            kind, key = _split(node_id)
            if kind == "person" and key.isdigit():
                pk = int(key)
                if pk in victims or CasePersonRole.VICTIM in self.identity_roles.get(pk, ()):
                    node["label"] = f"{protected} · P{pk}"
                else:
                    node["label"] = f"{initials.get(pk) or privacy.SCREEN.no_name} · P{pk}"
            elif kind == "person":
                person = recorded.get(int(key[1:]))
                if person is None or -person.pk in self.identity_roles:
                    node["label"] = protected
                else:
                    node["label"] = privacy.masked_name(person, minor=False, revealed=False)
            elif kind in ("phone", "account"):
                value = self.key_of.get(node_id, "")
                value = f"{value[0]}:{value[1]}" if isinstance(value, tuple) else value
                node["label"] = _masked_tail(value) if node_id in self.victim_things else value
            elif kind == "vehicle":
                node["label"] = self.key_of.get(node_id, "")
            elif kind == "district":
                node["label"] = names.get(key, key)
                node["role"] = node["role"] or pgettext("chart", "District")
            elif kind == "place":
                place = places.get(int(key))
                if place is not None:
                    node["label"] = place.get_kind_display() if place.is_private_home else str(place)
                    node["role"] = place.get_kind_display()

    def outside_scope(self) -> int:
        """How many of the records not shown are outside the user's scope (those only left out by
        the filters are not counted: the user may see them with other filters). Two queries."""
        complaints = [pk for kind, pk in self.hidden if kind == "complaint"]
        case_files = [pk for kind, pk in self.hidden if kind == "casefile"]
        seen = set(Complaint.objects.visible_to(self.user).filter(pk__in=complaints).values_list("pk", flat=True))
        seen_files = set(CaseFile.objects.visible_to(self.user).filter(pk__in=case_files).values_list("pk", flat=True))
        return len(set(complaints) - seen) + len(set(case_files) - seen_files)

    def result(self, start: str) -> Network:
        self.labels()
        nodes = [
            Node(node_id, node["kind"], str(node["label"]), str(node["role"]))
            for node_id, node in sorted(self.nodes.items(), key=lambda item: (self.depth[item[0]], item[0]))
        ]
        edges = [Edge(source, target, str(label)) for source, target, label in self.edges]
        return Network(
            start=start,
            nodes=nodes,
            edges=edges,
            capped=self.capped,
            hidden=self.outside_scope(),
            depth_of=dict(self.depth),
        )


def _place_role(role: str) -> str:
    from complaints.models import PlaceRole

    return str(PlaceRole(role).label) if role in PlaceRole.values else role


def _leg_stage(stage: str) -> str:
    from investigations.models import LegStage

    return str(LegStage(stage).label) if stage in LegStage.values else stage


def _seed(builder: _Builder, start: str) -> bool:
    """Puts the start node in (level 0) when the user may see it; False otherwise."""
    kind, key = _split(start)
    visible_cases = builder.case_files.values("pk")
    if kind == "casefile" and key.isdigit():
        number = builder.case_files.filter(pk=key).values_list("number", flat=True).first()
        return bool(number) and bool(builder.case_file_node(int(key), number, 0))
    if kind == "complaint" and key.isdigit():
        number = builder.complaints.filter(pk=key).values_list("number", flat=True).first()
        return bool(number) and bool(builder.complaint_node(int(key), number, 0))
    if kind == "person" and key.isdigit():
        seen = (
            builder.complaints.filter(
                Q(victims__person__identity_id=key)
                | Q(suspects__person__identity_id=key)
                | Q(complainant__identity_id=key)
            ).exists()
            or CasePerson.objects.filter(identity_id=key, case_file__in=visible_cases)
            .exclude(role=CasePersonRole.WHISTLEBLOWER)
            .exists()
        )
        return seen and builder.add(start, PERSON, level=0)
    models = {"phone": (CasePhone, "number"), "vehicle": (CaseVehicle, "plate_key"), "account": (CaseAccount, "")}
    if kind in models and key.isdigit():
        model, field_name = models[kind]
        row = model.objects.filter(pk=key, case_file__in=visible_cases).first()
        if row is None:
            return False
        if kind == "account":
            value: Any = (row.network, row.handle.lower())
            builder.account_ids[value] = start
        else:
            value = getattr(row, field_name)
            (builder.phone_ids if kind == "phone" else builder.vehicle_ids)[value] = start
        builder.key_of[start] = value
        if (
            kind in ("phone", "account")
            and CasePerson.objects.filter(pk=getattr(row, "holder_id", None), role=CasePersonRole.VICTIM).exists()
        ):
            builder.victim_things.add(start)
        return builder.add(start, {"phone": PHONE, "vehicle": VEHICLE, "account": ACCOUNT}[kind], level=0)
    if kind == "place" and key.isdigit():
        return CasePlace.objects.filter(pk=key, case_file__in=visible_cases).exists() and builder.add(
            start, PLACE, level=0
        )
    if kind == "district" and key.isdigit() and len(key) == 6:
        from administration.models import District

        return District.objects.filter(pk=key).exists() and builder.add(start, PLACE, key, level=0)
    return False


def build_network(user: Any, start: str, filters: Filters) -> Network | None:
    """The network around `start` (a node id) to `filters.depth` levels, at most `filters.cap`
    nodes, within the user's scope and the filters; None when the start is not a node the user
    may see (or is outside the filters)."""
    depth = max(MIN_DEPTH, min(MAX_DEPTH, filters.depth))
    builder = _Builder(user, filters)
    if not _seed(builder, start):
        return None
    for level in range(depth):
        frontier = [node_id for node_id, at in builder.depth.items() if at == level]
        if not frontier:
            break
        builder.expand(frontier, level + 1)
    return builder.result(start)


# ---------------------------------------------------------------- the timeline of the same entities


def network_events(network: Network) -> list[Event]:
    """The dated events of the records of the network: the facts and the registration of each
    complaint, the opening of each case file, the departures and arrivals of their route legs.
    Three queries."""
    complaints = [int(k) for kind, k in map(_split, (n.id for n in network.nodes)) if kind == "complaint"]
    case_files = [int(k) for kind, k in map(_split, (n.id for n in network.nodes)) if kind == "casefile"]
    events: list[Event] = []
    for number, facts, submitted in Complaint.objects.filter(pk__in=complaints).values_list(
        "number", "facts_date", "submitted_at"
    ):
        if facts:
            events.append(Event(facts, FACTS, pgettext("chart", "complaint %(number)s") % {"number": number}))
        if submitted:
            local = timezone.localtime(submitted)
            events.append(Event(local.date(), REGISTERED, number, time=local.time()))
    for number, opened in CaseFile.objects.filter(pk__in=case_files).values_list("number", "opened_at"):
        local = timezone.localtime(opened)
        events.append(Event(local.date(), OPENED, number, time=local.time()))
    legs = RouteLeg.objects.filter(case_file_id__in=case_files).values_list(
        "case_file__number", "sequence", "stage", "departed_on", "arrived_on"
    )
    for number, sequence, stage, departed, arrived in legs:
        values = {"case": number, "number": sequence, "stage": _leg_stage(stage)}
        if departed:
            events.append(Event(departed, ROUTE, _("%(case)s, leg %(number)s (%(stage)s): departure") % values))
        if arrived:
            events.append(Event(arrived, ROUTE, _("%(case)s, leg %(number)s (%(stage)s): arrival") % values))
    return sorted_events(events)


def node_rows(network: Network) -> list[dict[str, Any]]:
    """The nodes as the table and the exports list them."""
    from investigations.charts import NODE_KINDS

    return [
        {
            "id": node.id,
            "kind": node.kind,
            "kind_label": str(NODE_KINDS.get(node.kind, node.kind)),
            "label": node.label,
            "role": node.role,
            "depth": network.depth_of.get(node.id, 0),
        }
        for node in network.nodes
    ]


def link_rows(network: Network) -> list[dict[str, Any]]:
    """The links with both ends' labels and kinds, as the table and the exports list them."""
    from investigations.charts import NODE_KINDS

    nodes = {node.id: node for node in network.nodes}
    rows = []
    for edge in network.edges:
        source, target = nodes.get(edge.source), nodes.get(edge.target)
        if source is None or target is None:
            continue
        rows.append(
            {
                "source": source.id,
                "source_kind": str(NODE_KINDS.get(source.kind, source.kind)),
                "source_label": source.label,
                "label": edge.label,
                "target": target.id,
                "target_kind": str(NODE_KINDS.get(target.kind, target.kind)),
                "target_label": target.label,
            }
        )
    return rows


__all__ = [
    "DEFAULT_CAP",
    "DEFAULT_DEPTH",
    "MAX_DEPTH",
    "MIN_DEPTH",
    "ROLES",
    "Filters",
    "Network",
    "build_network",
    "case_files_in",
    "complaints_in",
    "find_start",
    "link_rows",
    "network_events",
    "node_rows",
]
