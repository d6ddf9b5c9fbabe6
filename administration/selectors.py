"""Reads of the Administration module: the units and accounts a user may see (through the one
access primitive, `administration.access`: `Unit.objects.visible_to(user)`,
`get_visible_or_404`), and the look-ups of the unit tree (directorates, the competent
directorate of a district, the specialised units).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from administration.access import Scope, get_visible_or_404
from administration.models import District, Unit, User
from administration.policies import can_sign_in


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


def competent_directorate(district: District | str) -> Unit:
    """The territorial directorate whose jurisdiction holds the department of `district`."""
    department_code = district[:2] if isinstance(district, str) else district.department_id
    return directorates().get(jurisdiction=department_code)


def specialised_unit_of(directorate: Unit) -> Unit:
    return Unit.objects.get(parent=directorate, kind=Unit.Kind.REGIONAL_SPECIALISED, is_active=True)


def national_specialised_unit() -> Unit:
    return Unit.objects.get(kind=Unit.Kind.NATIONAL_SPECIALISED, is_active=True)
