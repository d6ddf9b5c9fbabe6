"""Where an identity is seen (issue 12, item 3): its sources (each recorded person of a complaint
and each role in a case file, with unit, date and role) over the whole family of the identity
(`people.services.identity_family_ids`: the survivor and everything merged into it), split by what
the user may see (`visible_to`) and what lies outside the user's scope (a count and the units, so
that the user can ask them). A whistleblower's role is never listed (it would unmask the informant).

May import: `administration`, `people`, `complaints`, `investigations`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintSuspect, ComplaintVictim
from investigations.models import CaseFile, CasePerson, CasePersonRole
from people import privacy
from people.services import identity_family_ids


@dataclass(frozen=True)
class SourceRow:
    kind: str  # "complaint" or "case_file"
    pk: int  # the complaint's or the case file's
    number: str
    unit: Any
    date: datetime.date | None
    role: str
    identity_id: int
    visible: bool
    url: str = ""
    case_person_pk: int | None = None
    protected: bool = False


@dataclass
class Seen:
    visible: list[SourceRow] = field(default_factory=list)
    outside_count: int = 0
    outside_units: list[str] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.visible or self.outside_count)


def _date(value: Any) -> datetime.date | None:
    if value is None:
        return None
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def sources(identity_ids: Iterable[int], user: Any) -> list[SourceRow]:
    """Every source of these identities (submitted complaints, case-file roles but a
    whistleblower's), each marked visible or not to `user`; oldest first. A bounded number of
    queries whatever the number of sources."""
    ids = list(identity_ids)
    raw: list[tuple[str, Any, str, int, bool, Any]] = []
    submitted = {"complaint__status": Complaint.Status.SUBMITTED}
    for model, label in ((ComplaintVictim, _("Victim")), (ComplaintSuspect, _("Alleged trafficker"))):
        rows = model.objects.filter(person__identity__in=ids, **submitted).select_related(
            "complaint__registering_unit", "person"
        )
        for row in rows:
            protected = model is ComplaintVictim and privacy.is_protected(row.age, row.minor)
            raw.append(("complaint", row.complaint, label, row.person.identity_id, protected, None))
    complainants = Complaint.objects.filter(
        complainant__identity__in=ids, status=Complaint.Status.SUBMITTED
    ).select_related("registering_unit", "complainant")
    for complaint in complainants:
        raw.append(("complaint", complaint, _("Complainant"), complaint.complainant.identity_id, False, None))
    roles = (
        CasePerson.objects.filter(identity__in=ids)
        .exclude(role=CasePersonRole.WHISTLEBLOWER)
        .select_related("case_file__owning_unit", "identity")
    )
    for role in roles:
        minor = False
        if role.role == CasePersonRole.VICTIM:
            day = timezone.localdate(role.case_file.opened_at)
            minor = privacy.is_minor(None, None, born=role.identity.date_of_birth, facts_date=day)
        raw.append(("case_file", role.case_file, role.get_role_display(), role.identity_id, minor is not False, role))
    complaint_ids = {obj.pk for kind, obj, *_rest in raw if kind == "complaint"}
    case_ids = {obj.pk for kind, obj, *_rest in raw if kind == "case_file"}
    seen_complaints = set(Complaint.objects.visible_to(user).filter(pk__in=complaint_ids).values_list("pk", flat=True))
    seen_cases = set(CaseFile.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    out = []
    for kind, obj, role_label, identity_id, protected, case_person in raw:
        if kind == "complaint":
            visible = obj.pk in seen_complaints
            row = SourceRow(
                kind=kind,
                pk=obj.pk,
                number=obj.number or "",
                unit=obj.registering_unit,
                date=_date(obj.submitted_at),
                role=role_label,
                identity_id=identity_id,
                visible=visible,
                url=reverse("complaints:complaint_detail", args=[obj.pk]) if visible else "",
                protected=protected,
            )
        else:
            visible = obj.pk in seen_cases
            row = SourceRow(
                kind=kind,
                pk=obj.pk,
                number=obj.number,
                unit=obj.owning_unit,
                date=_date(obj.opened_at),
                role=str(role_label),
                identity_id=identity_id,
                visible=visible,
                url=reverse("investigations:case_person_detail", args=[obj.pk, case_person.pk]) if visible else "",
                case_person_pk=case_person.pk,
                protected=protected,
            )
        out.append(row)
    out.sort(key=lambda row: (row.date or datetime.date.min, row.kind, row.pk))
    return out


def seen_elsewhere(identity: Any, user: Any, *, exclude_case_file: Any = None, exclude_complaint: Any = None) -> Seen:
    """The other complaints and case files of the family of `identity`: those `user` may see, and
    the count and units of the others."""
    rows = sources(identity_family_ids(identity), user)
    seen = Seen()
    units: set[str] = set()
    shown: set[tuple[str, int, str]] = set()
    for row in rows:
        if exclude_case_file is not None and row.kind == "case_file" and row.pk == exclude_case_file.pk:
            continue
        if exclude_complaint is not None and row.kind == "complaint" and row.pk == exclude_complaint.pk:
            continue
        if row.visible:
            key = (row.kind, row.pk, row.role)
            if key not in shown:
                shown.add(key)
                seen.visible.append(row)
        else:
            seen.outside_count += 1
            units.add(row.unit.name)
    seen.outside_units = sorted(units)
    return seen


def is_protected(rows: Iterable[SourceRow]) -> bool:
    """A family seen as a protected victim anywhere (a minor, or of unknown age) is protected."""
    return any(row.protected for row in rows)


def visible_identity_sources(user: Any) -> list[Any]:
    """The ids of the identities with a source the user may see (`visible_to`: a victim or a
    suspect of a submitted complaint, a person of a case file): three unevaluated querysets, to
    filter by inside one query (`identity__in=...`)."""
    complaints = Complaint.objects.visible_to(user).filter(status=Complaint.Status.SUBMITTED)
    return [
        ComplaintVictim.objects.filter(complaint__in=complaints).values("person__identity"),
        ComplaintSuspect.objects.filter(complaint__in=complaints).values("person__identity"),
        CasePerson.objects.filter(case_file__in=CaseFile.objects.visible_to(user)).values("identity"),
    ]


def identities_recorded_under(unit: Any) -> list[Any]:
    """The ids of the identities with a source recorded under `unit` (complaints' registering unit,
    case files' owning unit: what `unit_paths` reads): three unevaluated querysets, like
    `visible_identity_sources`."""
    return [
        ComplaintVictim.objects.filter(complaint__registering_unit__path__startswith=unit.path).values(
            "person__identity"
        ),
        ComplaintSuspect.objects.filter(complaint__registering_unit__path__startswith=unit.path).values(
            "person__identity"
        ),
        CasePerson.objects.filter(case_file__owning_unit__path__startswith=unit.path).values("identity"),
    ]


def visible_identity_ids(user: Any, identity_ids: Iterable[int]) -> set[int]:
    """Which of these identities the user may see: one of its sources (its own, not its family's)
    is in the user's scope. Three queries."""
    ids = list(identity_ids)
    victims, suspects, case_persons = visible_identity_sources(user)
    found = set(victims.filter(person__identity__in=ids).values_list("person__identity", flat=True))
    found |= set(suspects.filter(person__identity__in=ids).values_list("person__identity", flat=True))
    found |= set(case_persons.filter(identity__in=ids).values_list("identity", flat=True))
    return found


def unit_paths(identity_ids: Iterable[int]) -> dict[int, set[str]]:
    """The tree paths of the units where each identity was recorded (complaints' registering unit,
    case files' owning unit), for the region filter. Three queries."""
    ids = list(identity_ids)
    paths: dict[int, set[str]] = {}
    for model in (ComplaintVictim, ComplaintSuspect):
        for pk, path in model.objects.filter(person__identity__in=ids).values_list(
            "person__identity", "complaint__registering_unit__path"
        ):
            paths.setdefault(pk, set()).add(path)
    for pk, path in CasePerson.objects.filter(identity__in=ids).values_list("identity", "case_file__owning_unit__path"):
        paths.setdefault(pk, set()).add(path)
    return paths


def has_reserved_role(identity_ids: Iterable[int]) -> bool:
    """Whether one of these identities is a whistleblower in a case file: then it is never named,
    not even by initials, on the analysis pages (the code name protects it)."""
    return CasePerson.objects.filter(identity__in=list(identity_ids), role=CasePersonRole.WHISTLEBLOWER).exists()
