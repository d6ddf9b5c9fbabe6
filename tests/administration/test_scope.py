"""The scope as a value (administration.access.Scope): what each persona's scope is, the filter
it gives on unit fields, and the units and accounts visible through it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from administration.access import Scope, scope_label, scope_of
from administration.models import Unit, User
from administration.selectors import units_in_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "root"),
    [
        ("station_officer", "DIRTEPOL-CUSCO-CPNP-1"),  # its own unit
        ("hotline_operator", "LINEA-0800"),
        ("regional_investigator", "DIRTEPOL-CUSCO"),  # the whole directorate of its unit
        ("outsider", "DIRTEPOL-LIMA-CPNP-1"),
        ("national_investigator", None),
        ("national_admin", None),
        ("monitor", None),
        ("auditor", None),
    ],
)
def test_each_role_has_the_scope_of_its_place_in_the_tree(personas: dict, units: dict, persona: str, root) -> None:
    scope = scope_of(personas[persona])
    if root is None:
        assert scope == Scope.national() and scope.is_national and scope.q("registering_unit") == Q()
    else:
        assert scope == Scope.subtree(units[root]) and not scope.is_national and not scope.is_nothing
        assert scope.root_path == units[root].path and scope.label == units[root].name
        assert scope.q("registering_unit") == Q(registering_unit__path__startswith=units[root].path)
    assert scope_label(personas[persona]) == scope.label
    assert set(Unit.objects.visible_to(personas[persona])) == set(units_in_scope(scope))
    assert set(User.objects.visible_to(personas[persona])) == set(User.objects.filter(scope.q("unit")))


def test_a_user_without_a_place_in_the_tree_has_nothing(personas: dict) -> None:
    lapsed = personas["outsider"]
    lapsed.is_active = False
    for user in (AnonymousUser(), lapsed):
        scope = scope_of(user)
        assert scope == Scope.nothing() and scope.is_nothing and scope.label == ""
        assert not units_in_scope(scope).exists()
        assert scope.q("registering_unit") == Q(pk__in=[])


def test_national_and_nothing_are_values_not_users(units: dict) -> None:
    assert Scope.national().label in ("National", "Nacional")
    assert units_in_scope(Scope.national()).count() == Unit.objects.count()
    cusco = units["DIRTEPOL-CUSCO"]
    inside = {unit.code for unit in units_in_scope(Scope.subtree(cusco))}
    assert inside == {code for code, unit in units.items() if unit.path.startswith(cusco.path)}
    assert "DIRTEPOL-LIMA" not in inside
