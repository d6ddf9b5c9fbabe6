"""Reads that scope or look up the tree. `scope_q` is THE access mechanism of RETA: every list,
detail, export, file download and statistic of every module filters through it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from administration.models import District, Role, Unit, User

# How far each role sees down the tree of command (BRIEF.md "Who uses it").
#   unit        - the user's own unit and the units under it
#   directorate - the whole directorate the user's unit belongs to
#   national    - everything
ROLE_SCOPE: dict[str, str] = {
    Role.STATION_OFFICER: "unit",
    Role.HOTLINE_OPERATOR: "unit",
    Role.REGIONAL_INVESTIGATOR: "directorate",
    Role.NATIONAL_INVESTIGATOR: "national",
    Role.NATIONAL_ADMIN: "national",
    Role.MONITOR: "national",
    Role.AUDITOR: "national",
}


class NoScope(Exception):
    """The user has no place in the tree (anonymous, lapsed, or without a unit)."""


def scope_root(user: Any) -> Unit | None:
    """The unit whose subtree the user sees, or None for national scope."""
    if not getattr(user, "is_authenticated", False) or not user.can_sign_in():
        raise NoScope
    scope = ROLE_SCOPE.get(user.role)
    if scope == "national":
        return None
    if scope == "directorate":
        return user.unit.directorate or user.unit
    if scope == "unit":
        return user.unit
    raise NoScope


def scope_label(user: Any) -> str:
    try:
        root = scope_root(user)
    except NoScope:
        return ""
    return root.name if root is not None else _("National")


def scope_q(user: Any, unit_field: str) -> Q:
    """A filter keeping the rows whose unit (reached by `unit_field`, e.g. "registering_unit")
    lies in the user's scope. Nothing at all for a user without scope."""
    try:
        root = scope_root(user)
    except NoScope:
        return Q(pk__in=[])
    if root is None:
        return Q()
    prefix = f"{unit_field}__" if unit_field else ""
    return Q(**{f"{prefix}path__startswith": root.path})


def units_visible_to(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_q(user, ""))


def access_unit(user: Any, pk: Any) -> Unit:
    try:
        return units_visible_to(user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def users_visible_to(user: Any) -> QuerySet[User]:
    return User.objects.filter(scope_q(user, "unit")).select_related("unit")


def directorates() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=Unit.Kind.TERRITORIAL_DIRECTORATE, is_active=True)


def competent_directorate(district: District | str) -> Unit:
    """The territorial directorate whose jurisdiction holds the department of `district`."""
    department_code = district[:2] if isinstance(district, str) else district.department_id
    return directorates().get(jurisdiction=department_code)


def specialised_unit_of(directorate: Unit) -> Unit:
    return Unit.objects.get(parent=directorate, kind=Unit.Kind.REGIONAL_SPECIALISED, is_active=True)


def national_specialised_unit() -> Unit:
    return Unit.objects.get(kind=Unit.Kind.NATIONAL_SPECIALISED, is_active=True)
