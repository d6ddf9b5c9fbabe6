"""Possible duplicates: registered complaints that may be the same case as the one being registered
(issue 10, item 3). Shown at review, before the freeze; the officer confirms "not the same case"
or registers the new complaint linked to the earlier one (`Complaint.duplicate_of`, recorded by
complaints.services at registration with what was seen: `Complaint.duplicate_check`).

A registered (frozen) complaint may be the same case when:
  - `document`: one of its victims has the same document (the type and the number, compared by
    people.matching.document_key, so "41.234.567" is "41234567");
  - `name_date`: one of its victims has the same first and last names, accents and case aside
    (complaints.text.normalise, the key of `Person.search_name`), and its date of the facts lies
    within NAME_DATE_WINDOW of this one's;
  - `paper_serial`: the same paper form serial;
  - `place_date`: the same district and the same date of the facts.

Only what the user may see is listed (`Complaint.objects.visible_to`, administration.access); a
match outside the user's scope is only counted, per registering unit (the unit to contact), never
with its number, names or dates. Every criterion is one indexed lookup (`Person.document_number`,
`people_document_key`, `Person.search_name`, `complaint_paper_serial`, `complaint_place_date`;
the victim rows of the persons found by document and by name read together, by the person foreign
key), then one query for what the user sees and one for the units of the rest: a constant number
of queries, whatever the size of the register (tests/complaints/test_duplicates.py counts them).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from administration.models import Unit
from complaints.models import Complaint, ComplaintVictim, Person
from complaints.text import normalise
from paperforms.serials import normalise_serial
from people.matching import document_key
from people.models import IdentityDocument

# Two complaints naming the same victim are taken as possibly the same case when their dates of
# the facts are at most this far apart.
NAME_DATE_WINDOW = datetime.timedelta(days=30)

DOCUMENT = "document"
NAME_DATE = "name_date"
PAPER_SERIAL = "paper_serial"
PLACE_DATE = "place_date"
REASONS: dict[str, Any] = {
    DOCUMENT: _("same victim document number"),
    NAME_DATE: _("same victim names and a close date of the facts"),
    PAPER_SERIAL: _("same paper form serial"),
    PLACE_DATE: _("same district and date of the facts"),
}
REASON_ORDER = tuple(REASONS)

# The officer's decision at review (the POST field `duplicate_decision`).
NOT_SAME = "not_same"
LINKED = "linked"
DECISIONS = (NOT_SAME, LINKED)


@dataclass(frozen=True)
class DuplicateMatch:
    """A registered complaint the user may see, and why it may be the same case."""

    complaint: Complaint
    reasons: tuple[str, ...]  # codes of REASONS, in REASON_ORDER

    @property
    def pk(self) -> int:
        return self.complaint.pk

    @property
    def reason_labels(self) -> list[Any]:
        return [REASONS[code] for code in self.reasons]


@dataclass(frozen=True)
class OutsideScope:
    """Matches the user may not see, counted per registering unit (the unit to contact)."""

    unit: Unit
    count: int


@dataclass
class DuplicateReport:
    matches: list[DuplicateMatch] = field(default_factory=list)
    outside: list[OutsideScope] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """Something to decide on: a visible match or a match outside the scope."""
        return bool(self.matches or self.outside)

    @property
    def outside_count(self) -> int:
        return sum(item.count for item in self.outside)

    @property
    def match_pks(self) -> set[int]:
        return {match.pk for match in self.matches}

    def record(self, *, decision: str = "", linked_number: str = "") -> dict[str, Any]:
        """What the registration keeps with the frozen complaint (`Complaint.duplicate_check`) and
        writes in its audit event: complaint numbers, reason codes and unit codes only."""
        return {
            "decision": decision,
            "linked_to": linked_number,
            "seen": [{"number": match.complaint.number, "reasons": list(match.reasons)} for match in self.matches],
            "outside": [{"unit": item.unit.code, "count": item.count} for item in self.outside],
        }


def _value(data: Any, name: str, default: Any = None) -> Any:
    """A field of the form data: a complaints.services.ComplaintData or a dict of the same names."""
    if isinstance(data, dict):
        return data.get(name, default)
    return getattr(data, name, default)


def _registered() -> Q:
    return Q(status=Complaint.Status.SUBMITTED, frozen_at__isnull=False)


def _document_people(victims: list[Any]) -> list[int]:
    """The recorded persons with the document of one of `victims` (the `document` criterion)."""
    documents = {
        (_value(victim, "document_type") or "", document_key(_value(victim, "document_number") or ""))
        for victim in victims
    }
    documents = {(kind, key) for kind, key in documents if key}
    if not documents:
        return []
    raw = {
        ((_value(victim, "document_type") or ""), (_value(victim, "document_number") or "").strip())
        for victim in victims
        if (_value(victim, "document_number") or "").strip()
    }
    by_key = Q()
    for kind, key in documents:
        by_key |= Q(key=key, document_type=kind)
    as_typed = Q()
    for kind, number in raw:
        as_typed |= Q(document_number=number, document_type=kind)
    # The identities' documents by their key (index people_document_key), and the recorded
    # persons by the number as typed (index on Person.document_number): an amendment may have
    # changed a recorded number after its identity was seeded. Plain lists of ids between the
    # steps: each query is an index lookup, whatever plan a semi-join would get.
    identities = list(IdentityDocument.objects.filter(by_key).values_list("identity_id", flat=True))
    people = Q(identity_id__in=identities) | as_typed if identities else as_typed
    return list(Person.objects.filter(people).values_list("pk", flat=True))


def _complaints_of_victims(
    by_document: list[int], by_name: list[int], facts_date: datetime.date | None
) -> tuple[set[int], set[int]]:
    """The registered complaints with one of `by_document` as a victim, and those with one of
    `by_name` as a victim and their date of the facts within NAME_DATE_WINDOW of `facts_date`: one
    query of the victim rows of both (the person foreign key's index)."""
    if not by_document and not by_name:
        return set(), set()
    rows = (
        ComplaintVictim.objects.filter(
            person_id__in=sorted({*by_document, *by_name}),
            complaint__status=Complaint.Status.SUBMITTED,
            complaint__frozen_at__isnull=False,
        )
        .order_by()
        .values_list("complaint_id", "person_id", "complaint__facts_date")
    )
    documents, names = set(by_document), set(by_name)
    first, last = (facts_date - NAME_DATE_WINDOW, facts_date + NAME_DATE_WINDOW) if facts_date else (None, None)
    same_document, same_name = set(), set()
    for complaint_id, person_id, date in rows:
        if person_id in documents:
            same_document.add(complaint_id)
        if person_id in names and date is not None and first <= date <= last:
            same_name.add(complaint_id)
    return same_document, same_name


def _name_keys(victims: list[Any]) -> set[str]:
    keys = set()
    for victim in victims:
        first, last = normalise(_value(victim, "first_names") or ""), normalise(_value(victim, "last_names") or "")
        if first and last:  # a first name alone would match half the register
            keys.add(f"{first} {last}")
    return keys


def _name_people(victims: list[Any], facts_date: datetime.date | None) -> list[int]:
    """The recorded persons with the first and last names of one of `victims` (the `name_date`
    criterion, which needs the date of the facts)."""
    keys = _name_keys(victims)
    if not keys or facts_date is None:
        return []
    # Person.search_name is the normalised "first last alias document": the names are its start.
    by_name = Q(search_name__in=keys)
    for key in keys:
        by_name |= Q(search_name__istartswith=f"{key} ")
    # The prefix also finds "José Pérez Ruiz" for "José Pérez": only the same names count.
    people = [
        pk
        for pk, first, last in Person.objects.filter(by_name).values_list("pk", "first_names", "last_names")
        if f"{normalise(first)} {normalise(last)}" in keys
    ]
    return people


def _paper_serial(data: Any) -> str:
    serial = (_value(data, "paper_serial") or "").strip()
    if not serial:
        return ""
    try:
        return normalise_serial(serial)  # the canonical form the registration stores
    except ValidationError:  # a serial that does not parse is compared as typed
        return serial


def find_possible_duplicates(user: Any, data: Any, *, exclude_pk: int | None = None) -> DuplicateReport:
    """The registered complaints that may be the same case as `data` (complaints.services'
    ComplaintData, as `ComplaintEntry.to_data()` gives it, or a dict of its field names): those
    `user` may see with their reasons, and the count of the others per registering unit.
    `exclude_pk`: the complaint being registered itself (a draft, or an amendment's record)."""
    victims = list(_value(data, "victims") or [])
    facts_date = _value(data, "facts_date")
    found: dict[int, set[str]] = {}

    def add(pks: set[int], reason: str) -> None:
        for pk in pks:
            found.setdefault(pk, set()).add(reason)

    same_document, same_name = _complaints_of_victims(
        _document_people(victims), _name_people(victims, facts_date), facts_date
    )
    add(same_document, DOCUMENT)
    add(same_name, NAME_DATE)
    serial = _paper_serial(data)
    if serial:
        same_form = Complaint.objects.filter(_registered(), paper_serial=serial).order_by()
        add(set(same_form.values_list("pk", flat=True)), PAPER_SERIAL)
    district = _value(data, "place_district")
    if district is not None and facts_date is not None:
        district_pk = getattr(district, "pk", district)
        same_place = Complaint.objects.filter(
            _registered(), place_district_id=district_pk, facts_date=facts_date
        ).order_by()
        add(set(same_place.values_list("pk", flat=True)), PLACE_DATE)
    found.pop(exclude_pk, None)
    if not found:
        return DuplicateReport()

    visible = list(
        Complaint.objects.visible_to(user)
        .filter(_registered(), pk__in=found)
        .select_related("registering_unit")
        .order_by("-submitted_at", "-pk")
    )
    matches = [
        DuplicateMatch(complaint=complaint, reasons=tuple(code for code in REASON_ORDER if code in found[complaint.pk]))
        for complaint in visible
    ]
    seen = {complaint.pk for complaint in visible}
    hidden = [pk for pk in found if pk not in seen]
    outside: list[OutsideScope] = []
    if hidden:
        per_unit = Counter(
            Complaint.objects.filter(pk__in=hidden).values_list("registering_unit_id", flat=True).order_by()
        )
        units = Unit.objects.in_bulk(list(per_unit))
        outside = sorted(
            (OutsideScope(unit=units[pk], count=count) for pk, count in per_unit.items()),
            key=lambda item: (-item.count, item.unit.code),
        )
    return DuplicateReport(matches=matches, outside=outside)


def linkable(user: Any, pk: Any) -> Complaint | None:
    """The registered complaint `pk` if `user` may see it (what a new complaint may be linked to)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Complaint.objects.visible_to(user).filter(_registered(), pk=pk).first()
