"""Reads of the Administration module: the units and accounts a user may see (through the one
access primitive, `administration.access`: `Unit.objects.visible_to(user)`,
`get_visible_or_404`), and the look-ups of the unit tree (directorates, the competent
directorate of a district, the specialised units).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from administration.access import Scope, get_visible_or_404
from administration.models import District, HandOver, Jurisdiction, Unit, User
from administration.policies import can_sign_in
from audit.context import request_cache


def units_in_scope(scope: Scope) -> QuerySet[Unit]:
    """The units of a scope (all of them when national): for code that reads for a scope, not a
    user (the statistics)."""
    return Unit.objects.filter(scope.q(*Unit.scope_fields))


def users_visible_to(user: Any) -> QuerySet[User]:
    """The accounts of the user's scope, with their units (the list of accounts)."""
    return User.objects.visible_to(user).select_related("unit")


def access_user(user: Any, pk: Any) -> User:
    """One account of the user's scope, with its unit; 404 otherwise."""
    return get_visible_or_404(User.objects.select_related("unit"), user, pk=pk)


def account_at_second_step(pk: Any) -> User | None:
    """The account that gave its password and is asked for its second factor (its id is in the
    session, no user is signed in yet), if it may still sign in."""
    account = User.objects.filter(pk=pk).select_related("unit").first()
    return account if account is not None and can_sign_in(account) else None


def directorates() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=Unit.Kind.TERRITORIAL_DIRECTORATE, is_active=True)


# The levels of a piece of jurisdiction, finest first: a district beats its province, which beats
# its department.
DISTRICT, PROVINCE, DEPARTMENT = "district", "province", "department"
LEVELS = (DISTRICT, PROVINCE, DEPARTMENT)


def level_of(piece: Jurisdiction) -> str:
    if piece.district_id:
        return DISTRICT
    return PROVINCE if piece.province_id else DEPARTMENT


def valid_on(on: datetime.date, prefix: str = "") -> Q:
    """The rows (Jurisdiction, or through `prefix` a relation to them) valid on the day `on`
    (valid_from and valid_to are days included; empty: open)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def _ubigeo(place: District | str) -> tuple[str, str, str]:
    """(district, province, department) codes of a district (INEI: DDPPdd)."""
    code = place if isinstance(place, str) else place.pk
    return code, code[:4], code[:2]


def jurisdiction_pieces(place: District | str, *, on: datetime.date, level: str = DISTRICT) -> tuple[str, list[Unit]]:
    """The directorates competent for `place` on the day `on` at the finest level that has any,
    from `level` up (DISTRICT: the district's own piece, else its province's, else its
    department's; PROVINCE: `place` stands for its province, its district's pieces are ignored),
    with that level. Dated `Jurisdiction` rows first; a department no row covers that day is read
    from the directorates' current departments (`Unit.jurisdiction`, the reference data's). More
    than one directorate at that level is an ambiguity (administration.tree refuses to write one)."""
    pieces = list(Jurisdiction.objects.filter(_wanted(place, level)).filter(valid_on(on)).select_related("directorate"))
    found = _finest(place, level, pieces)
    if found is not None:
        return found
    return DEPARTMENT, list(directorates().filter(jurisdiction=_ubigeo(place)[2]))


def _wanted(place: District | str, level: str) -> Q:
    """The rows of Jurisdiction that may decide `place` at `level` or above."""
    district_code, province_code, department_code = _ubigeo(place)
    wanted = Q(province_id=province_code, district__isnull=True) | Q(
        department_id=department_code, province__isnull=True, district__isnull=True
    )
    if level == DISTRICT:
        wanted |= Q(district_id=district_code)
    return wanted


def _finest(place: District | str, level: str, pieces: list[Jurisdiction]) -> tuple[str, list[Unit]] | None:
    """The directorates of the finest level, from `level` up, among the dated `pieces` that cover
    `place` (None when none does: the current departments decide)."""
    district_code, province_code, department_code = _ubigeo(place)
    covering = {
        DISTRICT: lambda piece: piece.district_id == district_code,
        PROVINCE: lambda piece: piece.province_id == province_code and piece.district_id is None,
        DEPARTMENT: lambda piece: piece.department_id == department_code and piece.province_id is None,
    }
    for candidate in LEVELS[LEVELS.index(level) :]:
        found = [piece.directorate for piece in pieces if level_of(piece) == candidate and covering[candidate](piece)]
        if found:
            return candidate, list({unit.pk: unit for unit in found}.values())
    return None


def jurisdiction_pieces_of(
    places: list[tuple[District | str, str]], *, on: datetime.date
) -> list[tuple[str, list[Unit]]]:
    """`jurisdiction_pieces` of each (place, level), in order, in two queries whatever their
    number: the dated pieces of all of them, then the directorates holding their departments now."""
    if not places:
        return []
    wanted = Q(pk__in=[])
    for place, level in places:
        wanted |= _wanted(place, level)
    pieces = list(Jurisdiction.objects.filter(wanted).filter(valid_on(on)).select_related("directorate"))
    found = [_finest(place, level, pieces) for place, level in places]
    departments = {_ubigeo(place)[2] for (place, _level), result in zip(places, found, strict=True) if result is None}
    holders: dict[str, list[Unit]] = {}
    if departments:
        through = Unit.jurisdiction.through.objects.filter(
            department_id__in=departments, unit__in=directorates()
        ).select_related("unit")
        for row in through.order_by("unit__code"):
            holders.setdefault(row.department_id, []).append(row.unit)
    return [
        result if result is not None else (DEPARTMENT, holders.get(_ubigeo(place)[2], []))
        for (place, _level), result in zip(places, found, strict=True)
    ]


_COMPETENT = "administration.competent_directorate"


def competent_directorate(district: District | str, *, on: datetime.date | None = None) -> Unit:
    """The directorate competent for `district` on the day `on` (today when not given): the finest
    piece of jurisdiction valid that day - the district's own, else its province's, else its
    department's (`jurisdiction_pieces`). A complaint's is read as of its registration, an alert's
    as of the moment it is raised (complaints.services). Raises Unit.DoesNotExist when no
    directorate is competent and Unit.MultipleObjectsReturned on an ambiguity.

    Read once per district and day in what is being served (audit.context.request_cache: a
    registration classifies, then alerts, the place of the facts; the review page the same), and
    read again after any write of a unit or of a piece of jurisdiction (`forget_competent_directorates`)."""
    on = on or timezone.localdate()
    code = _ubigeo(district)[0]
    cache = request_cache(_COMPETENT)
    if cache is not None and (code, on) in cache:
        return cache[(code, on)]
    _level, found = jurisdiction_pieces(district, on=on)
    if not found:
        raise Unit.DoesNotExist(f"No directorate is competent for {code}.")
    if len(found) > 1:
        raise Unit.MultipleObjectsReturned(
            f"Several directorates are competent for {code}: {sorted(unit.code for unit in found)}."
        )
    if cache is not None:
        cache[(code, on)] = found[0]
    return found[0]


def forget_competent_directorates(**_signal: Any) -> None:
    """What `competent_directorate` read is read again: connected to every save and delete of a
    unit or a piece of jurisdiction and to every change of a directorate's departments (below), so
    a change of the tree in the middle of a request or a command is seen by what follows it."""
    cache = request_cache(_COMPETENT)
    if cache is not None:
        cache.clear()


for _model in (Unit, Jurisdiction):
    post_save.connect(forget_competent_directorates, sender=_model, dispatch_uid=f"forget_competent.save.{_model}")
    post_delete.connect(forget_competent_directorates, sender=_model, dispatch_uid=f"forget_competent.delete.{_model}")
m2m_changed.connect(
    forget_competent_directorates, sender=Unit.jurisdiction.through, dispatch_uid="forget_competent.departments"
)


def specialised_unit_of(directorate: Unit) -> Unit:
    return Unit.objects.get(parent=directorate, kind=Unit.Kind.REGIONAL_SPECIALISED, is_active=True)


def national_specialised_unit() -> Unit:
    # With the units above it: the alerts go there when it has no account (complaints.alerts).
    return Unit.objects.select_related("directorate", "parent").get(kind=Unit.Kind.NATIONAL_SPECIALISED, is_active=True)


def specialised_units(directorates: Iterable[Unit]) -> tuple[dict[int, Unit], Unit]:
    """The active regional specialised unit of each of `directorates` that has one (by the
    directorate's primary key; the first by primary key when several), and the national
    specialised unit (`national_specialised_unit`: raises the same when there is not exactly one),
    in one query, each with the units above it (complaints.alerts)."""
    regional = Q(parent__in=[unit.pk for unit in directorates], kind=Unit.Kind.REGIONAL_SPECIALISED)
    units = Unit.objects.filter(regional | Q(kind=Unit.Kind.NATIONAL_SPECIALISED), is_active=True)
    by_directorate: dict[int, Unit] = {}
    national = []
    for unit in units.select_related("directorate", "parent").order_by("pk"):
        if unit.kind == Unit.Kind.NATIONAL_SPECIALISED:
            national.append(unit)
        else:
            by_directorate.setdefault(unit.parent_id, unit)
    if not national:
        raise Unit.DoesNotExist("Unit matching query does not exist.")
    if len(national) > 1:
        raise Unit.MultipleObjectsReturned(f"get() returned more than one Unit -- it returned {len(national)}!")
    return by_directorate, national[0]


# ---------------------------------------------------------------- rotation and the yearly review

REVIEW_DAYS = 365  # an account not used or not reviewed for a year is reviewed (SECURITY.md 1)
EXPIRY_WARNING_DAYS = 30  # accounts expiring within this many days are listed too


def handovers_about(user: Any, account: User) -> QuerySet[HandOver]:
    """The hand-overs `account` gave (she moved) or received (a colleague moved), among those
    `user` may see."""
    return (
        HandOver.objects.visible_to(user)
        .filter(Q(officer=account) | Q(colleague=account))
        .select_related("officer", "colleague", "from_unit", "to_unit", "created_by")
    )


def handovers_received(user: Any, *, days: int = 30) -> QuerySet[HandOver]:
    """What colleagues who moved handed over to `user` in the last `days` days (her home page)."""
    since = timezone.now() - datetime.timedelta(days=days)
    return HandOver.objects.filter(colleague=user, created_at__gte=since).select_related("officer", "from_unit")


def unused_since(cutoff: datetime.datetime) -> Q:
    """The accounts not used since `cutoff`: no sign-in since, or never signed in and created
    before (the one rule of an unused account: the yearly review and the compliance report)."""
    return Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)


def accounts_for_review(
    *,
    scope: Scope | None = None,
    today: datetime.date | None = None,
    days: int = REVIEW_DAYS,
    expiring_within: int = EXPIRY_WARNING_DAYS,
) -> QuerySet[User]:
    """The active accounts the yearly review must look at: not used for `days` days (no sign-in
    since, or never signed in and created before), or not reviewed for `days` days (never reviewed
    and created before, or reviewed before), or expired or expiring within `expiring_within` days.

    Public for the other modules (the compliance report reads the inactive accounts): pass a
    `scope` (administration.access) to keep the accounts of part of the tree; national by default.
    `review_reasons(account, today=...)` says why each one is listed."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min))
    unused = unused_since(cutoff)
    unreviewed = Q(reviewed_at__lt=cutoff) | Q(reviewed_at__isnull=True, date_joined__lt=cutoff)
    expiring = Q(expires_on__lte=today + datetime.timedelta(days=expiring_within))
    queryset = User.objects.filter(is_active=True).filter(unused | unreviewed | expiring)
    if scope is not None:
        queryset = queryset.filter(scope.q(*User.scope_fields))
    return queryset.select_related("unit", "reviewed_by").order_by("expires_on", "username")


@dataclass(frozen=True)
class ReviewReasons:
    unused: bool
    unreviewed: bool
    expired: bool
    expiring: bool


def review_reasons(
    account: User,
    *,
    today: datetime.date | None = None,
    days: int = REVIEW_DAYS,
    expiring_within: int = EXPIRY_WARNING_DAYS,
) -> ReviewReasons:
    """Why `account` is in `accounts_for_review` (the same rules, on one account)."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min))
    used_at = account.last_login or account.date_joined
    reviewed_at = account.reviewed_at or account.date_joined
    return ReviewReasons(
        unused=used_at < cutoff,
        unreviewed=reviewed_at < cutoff,
        expired=account.is_expired(today),
        expiring=not account.is_expired(today)
        and account.expires_on <= today + datetime.timedelta(days=expiring_within),
    )
