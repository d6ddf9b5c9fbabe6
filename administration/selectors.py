"""Reads that scope or look up the tree. The scope is THE access mechanism of RETA: every list,
detail, export, file download and statistic of every module filters through it.

`scope_of(user)` gives the user's `Scope`, an explicit value: `Scope.national()` (everything),
`Scope.subtree(unit)` (a unit and every unit under it) or `Scope.nothing()` (no place in the tree).
`scope.q("registering_unit")` is the filter on a unit field; `scope_q(user, field)` is the same
for a user. Code that acts for no user (a management command, the benchmark) passes
`Scope.national()` itself: no function takes `user=None` to mean national.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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


@dataclass(frozen=True)
class Scope:
    """A part of the tree of command: everything (`national`), the unit at `root_path` and every
    unit under it (`subtree`), or nothing. Build it with `Scope.national()`, `Scope.subtree(unit)`,
    `Scope.nothing()`, or `scope_of(user)`."""

    kind: Literal["national", "subtree", "nothing"]
    root_path: str = ""  # the root unit's materialised path (subtree only)
    root_name: str = ""  # the root unit's name, for the label (subtree only)

    @classmethod
    def national(cls) -> Scope:
        return cls("national")

    @classmethod
    def nothing(cls) -> Scope:
        return cls("nothing")

    @classmethod
    def subtree(cls, unit: Unit) -> Scope:
        return cls("subtree", root_path=unit.path, root_name=unit.name)

    @property
    def is_national(self) -> bool:
        return self.kind == "national"

    @property
    def is_nothing(self) -> bool:
        return self.kind == "nothing"

    @property
    def label(self) -> str:
        """What screens and exports call it: "National", the root unit's name, or "" for nothing."""
        if self.kind == "national":
            return _("National")
        return self.root_name

    def q(self, unit_field: str) -> Q:
        """A filter keeping the rows whose unit (reached by `unit_field`, e.g. "registering_unit";
        "" for the units themselves) lies in this scope. Nothing at all for `Scope.nothing()`."""
        if self.kind == "national":
            return Q()
        if self.kind == "nothing":
            return Q(pk__in=[])
        prefix = f"{unit_field}__" if unit_field else ""
        return Q(**{f"{prefix}path__startswith": self.root_path})


def scope_of(user: Any) -> Scope:
    """The user's scope: national, the subtree of `scope_root(user)`, or nothing for a user
    without a place in the tree (anonymous, lapsed, without a unit or a role)."""
    try:
        root = scope_root(user)
    except NoScope:
        return Scope.nothing()
    return Scope.national() if root is None else Scope.subtree(root)


def scope_label(user: Any) -> str:
    return scope_of(user).label


def scope_q(user: Any, unit_field: str) -> Q:
    """A filter keeping the rows whose unit (reached by `unit_field`, e.g. "registering_unit")
    lies in the user's scope. Nothing at all for a user without scope."""
    return scope_of(user).q(unit_field)


def units_in_scope(scope: Scope) -> QuerySet[Unit]:
    """The units of a scope (all of them when national)."""
    return Unit.objects.filter(scope.q(""))


def units_visible_to(user: Any) -> QuerySet[Unit]:
    return units_in_scope(scope_of(user))


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
