"""Who receives the alert of a complaint, and when an alert is overdue (LAW.md "Alerts", "Several places").

Routing (`alert_receivers`, a pure read: nothing is written, so the review page can show the
receivers before the officer confirms):
  1. every place - the place of the facts (`Complaint.place_district`, role "facts") and each place
     of the route (`ComplaintPlace`, role recruitment / transit / exploitation) - gives the
     specialised unit of the directorate competent for it on the day the alert is raised: the
     finest jurisdiction valid that day, district before province before department
     (`administration.selectors.competent_directorate`; the directorate itself when it has no
     active specialised unit);
  2. trafficking (complete or to be verified) adds DIVINTRAP;
  3. a unit of 1-2 with no active account that can acknowledge alerts (`units_with_readers`) is never
     the only receiver: its directorate (one level up for a unit that is a directorate) and DIVINTRAP
     are added, whatever the outcome. The units added are not checked again: DIVINTRAP is the
     national backstop, and an alert nobody acknowledges escalates (below).
One receiver per unit: a unit competent for several places is alerted once, with every role.
The classification does not depend on the places; every alert of one registration has the
complaint's priority.

Escalation: an alert not acknowledged within `deadline_hours(priority)` (settings
RETA_ALERT_DEADLINE_HIGH_HOURS / _NORMAL_HOURS: 24 h and 72 h) is overdue; the service
`complaints.services.alert_escalate` marks it (`overdue_at`) and raises a new alert to the parent
unit (`escalated_from`), once (`manage.py escalate_alerts`, for cron).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from administration.models import District, Unit, User
from administration.selectors import competent_directorate, specialised_units
from complaints.models import Alert, Complaint, PlaceRole
from complaints.policies import ALERT_ROLES
from complaints.rules import Facts, Suspect, Victim, classify
from complaints.rules.codes import HIGH, RELATED_CRIME, TRAFFICKING, TRAFFICKING_INCOMPLETE
from people.matching import is_identified

FACTS = "facts"  # the role of the complaint's own place of the facts
ALERTING_OUTCOMES = frozenset({TRAFFICKING, TRAFFICKING_INCOMPLETE, RELATED_CRIME})
NATIONAL_OUTCOMES = frozenset({TRAFFICKING, TRAFFICKING_INCOMPLETE})


def role_label(role: str) -> str:
    if role == FACTS:
        return _("place of the facts")
    return str(PlaceRole(role).label).lower() if role in PlaceRole.values else role


@dataclass(frozen=True)
class Reason:
    """Why a unit receives the alert. `str(reason)` says it in the current language."""

    code: str  # an Alert.Basis value
    roles: tuple[str, ...] = ()  # PLACE: the roles of the places it is competent for
    instead_of: Unit | None = None  # NO_ACCOUNT: the unit without an active account
    no_account: bool = False  # this unit itself has no active account

    def __str__(self) -> str:
        if self.code == Alert.Basis.PLACE:
            return _("competent for: {places}").format(places=", ".join(role_label(role) for role in self.roles))
        if self.code == Alert.Basis.NATIONAL:
            return _("national trafficking division")
        if self.code == Alert.Basis.NO_ACCOUNT:
            name = self.instead_of.name if self.instead_of is not None else ""
            return _("{unit} has no active account").format(unit=name)
        if self.code == Alert.Basis.ESCALATION:
            return _("escalated: not acknowledged in time")
        return self.code


class AlertReceiver(NamedTuple):
    unit: Unit
    reason: Reason


def units_with_readers(units: Iterable[Unit], *, today: datetime.date | None = None) -> set[int]:
    """The ids of those `units` that have an account able to acknowledge alerts: active, not
    expired, in an active unit, with a role that reads alerts (complaints.policies.ALERT_ROLES).
    One query."""
    ids = {unit.pk for unit in units}
    if not ids:
        return set()
    today = today or timezone.localdate()
    return set(
        User.objects.filter(
            unit_id__in=ids, unit__is_active=True, is_active=True, role__in=ALERT_ROLES, expires_on__gte=today
        ).values_list("unit_id", flat=True)
    )


def unit_above(unit: Unit) -> Unit | None:
    """One level up for the alerts: a unit's directorate, or, for a directorate, its parent."""
    if unit.directorate_id and unit.directorate_id != unit.pk:
        return unit.directorate
    return unit.parent


def competent_unit(district: District | str, *, on: datetime.date | None = None) -> Unit:
    """The specialised unit of the directorate competent for `district` on the day `on` (today when
    not given: an alert goes to the unit competent when it is raised); the directorate itself when
    it has none (active)."""
    directorate = competent_directorate(district, on=on or timezone.localdate())
    specialised = (
        Unit.objects.filter(parent=directorate, kind=Unit.Kind.REGIONAL_SPECIALISED, is_active=True)
        .select_related("directorate", "parent")  # unit_above, when it has no account
        .order_by("pk")
        .first()
    )
    return specialised or directorate


def places_of(source: Any) -> list[tuple[District, str]]:
    """(district, role) of every place with a district: the place of the facts first, then the route."""
    places = [(source.place_district, FACTS)] if source.place_district is not None else []
    if isinstance(source, Complaint):
        if not source.pk:
            rows = []
        elif "places" in getattr(source, "_prefetched_objects_cache", {}):  # read once by the registration
            rows = list(source.places.all())
        else:
            rows = list(source.places.select_related("district"))
    else:
        rows = list(getattr(source, "places", []))
    places += [(row.district, row.role) for row in rows if row.district is not None]
    return places


def _facts_of_data(data: Any) -> Facts:
    """The rule engine's view of form data (complaints.services.ComplaintData)."""
    return Facts(
        date_of_facts=data.facts_date,
        victims=[
            Victim(
                age=v.age,
                minor=v.minor,
                sex=v.sex or None,
                pregnant=v.pregnant,
                disability=v.disability,
                legally_incapable=v.legally_incapable,
                consented=v.consented,
                nationality=v.nationality or None,
            )
            for v in data.victims
        ],
        suspects=[
            Suspect(sex=s.sex or None, identified=is_identified(s.first_names, s.last_names, "")) for s in data.suspects
        ],
        conducts=data.conducts,
        means=data.means,
        purposes=data.purposes,
        case_facts=data.case_facts,
        related_facts=data.related_facts,
    )


def alert_receivers(
    source: Complaint | Any,
    *,
    outcome: str | None = None,
    on: datetime.date | None = None,
) -> list[AlertReceiver]:
    """The units the alert of `source` goes to, each once, with the reason (module docstring).

    `source` is a classified `Complaint` (its stored outcome and places) or form data
    (`complaints.services.ComplaintData`, classified here unless `outcome` is given). A complaint
    not classified yet (a draft) and facts that call for no alert give []. `on`: the day the
    jurisdictions are read as of (today: the alert is raised now). Each district is read once (and
    not again in the same request: administration.selectors.competent_directorate), the specialised
    units of all of them and DIVINTRAP together (administration.selectors.specialised_units). Reads only."""
    if outcome is None:
        if isinstance(source, Complaint):
            outcome = source.outcome
        else:
            outcome = classify(_facts_of_data(source), today=timezone.localdate()).outcome
    if outcome not in ALERTING_OUTCOMES:
        return []
    on = on or timezone.localdate()
    places = places_of(source)
    directorate_of: dict[str, Unit] = {}  # by district code: a district of several places is read once
    for district, _role in places:
        if district.pk not in directorate_of:
            directorate_of[district.pk] = competent_directorate(district, on=on)
    # `competent_unit` of every district and DIVINTRAP, in one query.
    specialised, national = specialised_units(directorate_of.values())
    receivers: dict[int, AlertReceiver] = {}
    for district, role in places:
        directorate = directorate_of[district.pk]
        unit = specialised.get(directorate.pk, directorate)
        known = receivers.get(unit.pk)
        roles = known.reason.roles if known is not None else ()
        if role not in roles:
            receivers[unit.pk] = AlertReceiver(unit, Reason(Alert.Basis.PLACE, (*roles, role)))
    if outcome in NATIONAL_OUTCOMES and national.pk not in receivers:
        receivers[national.pk] = AlertReceiver(national, Reason(Alert.Basis.NATIONAL))
    routed = list(receivers.values())
    readers = units_with_readers(receiver.unit for receiver in routed)
    for receiver in routed:
        if receiver.unit.pk in readers:
            continue
        receivers[receiver.unit.pk] = receiver._replace(
            reason=Reason(receiver.reason.code, receiver.reason.roles, receiver.reason.instead_of, no_account=True)
        )
        for unit in (unit_above(receiver.unit), national):
            if unit is not None and unit.pk not in receivers:
                receivers[unit.pk] = AlertReceiver(unit, Reason(Alert.Basis.NO_ACCOUNT, instead_of=receiver.unit))
    return list(receivers.values())


def reason_of(alert: Alert) -> Reason:
    """The reason a stored alert was raised to its unit (what `alert_receivers` said then)."""
    return Reason(alert.basis, tuple(alert.place_roles or ()), alert.instead_of, no_account=alert.no_account)


def describe(alerts: Iterable[Alert], now: datetime.datetime | None = None) -> list[Alert]:
    """The alerts with what the pages show of each: `why` (the reason, in words), `due_at`,
    `is_late` (past its deadline and not acknowledged, or marked overdue)."""
    now = now or timezone.now()
    alerts = list(alerts)
    for alert in alerts:
        alert.why = str(reason_of(alert)) if alert.basis else ""
        alert.due_at = alert_due_at(alert)
        alert.is_late = is_overdue(alert, now)
    return alerts


def _routing(item: Alert | AlertReceiver) -> tuple[Unit, bool, Unit | None]:
    if isinstance(item, AlertReceiver):
        return item.unit, item.reason.no_account, item.reason.instead_of
    return item.unit, item.no_account, item.instead_of


def no_account_notes(items: Iterable[Alert | AlertReceiver]) -> list[str]:
    """For the officer: one sentence per unit alerted that has no active account, saying which units
    were alerted in its place. `items`: the stored alerts (the result page) or the receivers of
    `alert_receivers` (a review before saving)."""
    routed = [_routing(item) for item in items]
    notes = []
    for unit, no_account, _instead_of in routed:
        if not no_account:
            continue
        added = [
            other.name for other, _flag, instead_of in routed if instead_of is not None and instead_of.pk == unit.pk
        ]
        if added:
            notes.append(
                _(
                    "{unit} has no active account that can acknowledge alerts: the alert was also sent to {added}."
                ).format(unit=unit.name, added=_(" and ").join(added))
            )
        else:
            notes.append(
                _(
                    "{unit} has no active account that can acknowledge alerts; its directorate and the "
                    "DIVINTRAP were alerted already."
                ).format(unit=unit.name)
            )
    return notes


# ---------------------------------------------------------------- deadlines


def deadline_hours(priority: str) -> int:
    if priority == HIGH:
        return settings.RETA_ALERT_DEADLINE_HIGH_HOURS
    return settings.RETA_ALERT_DEADLINE_NORMAL_HOURS


def alert_due_at(alert: Alert) -> datetime.datetime:
    """When the alert must have been acknowledged."""
    return alert.created_at + datetime.timedelta(hours=deadline_hours(alert.priority))


def is_overdue(alert: Alert, now: datetime.datetime | None = None) -> bool:
    if alert.overdue_at is not None:
        return True
    return alert.acknowledged_at is None and alert_due_at(alert) <= (now or timezone.now())


def overdue_alerts(now: datetime.datetime | None = None) -> QuerySet[Alert]:
    """Alerts past their deadline, not acknowledged, not marked overdue yet (the escalation's work)."""
    now = now or timezone.now()
    late = Q()
    for priority in Alert.Priority.values:
        late |= Q(priority=priority, created_at__lte=now - datetime.timedelta(hours=deadline_hours(priority)))
    pending = Alert.objects.filter(late, acknowledged_at__isnull=True, overdue_at__isnull=True)
    return pending.order_by("created_at", "pk")


__all__ = [
    "AlertReceiver",
    "Reason",
    "alert_due_at",
    "alert_receivers",
    "competent_unit",
    "describe",
    "deadline_hours",
    "is_overdue",
    "no_account_notes",
    "overdue_alerts",
    "reason_of",
    "unit_above",
    "units_with_readers",
]
