"""THE access primitive of RETA: which rows a user may see (the tree of command), written once.

Every list, detail, export, download and statistic of every module reads through it:

- `Scope`, a part of the tree of command as a value: `Scope.national()`, `Scope.subtree(unit)`,
  `Scope.nothing()`. `scope_of(user)` gives a user's, from `ROLE_SCOPE` (administration.roles);
  `scope.q("registering_unit", ...)` keeps the rows one of whose units lies in it. Code that acts
  for no user (a management command, the benchmark) passes `Scope.national()` or a
  `CommandLineActor` itself: no function takes `user=None` to mean national.
- Each model a user sees part of declares its rule once, on the model, as data or as one
  classmethod (the first that the model has is used):
      visible_q(cls, user, *, prefix="")   a rule of its own (Complaint: submitted complaints in the
                                           scope, drafts in their own unit; Alert: the inbox of the
                                           user's unit; AuditEvent: the readers of the trail);
      scope_parent = "complaint"           the row is visible when the row it belongs to is (that
                                           model's rule, through the foreign key);
      scope_fields = ("unit",)             the row is visible when one of these units lies in the
                                           user's scope ("" for a unit itself).
  `prefix` is the path from the model being filtered (a child row's foreign key), so that a child
  is scoped by its parent's rule in the same query: `visible_q(Diligence, user)` is the
  complaint's rule on "complaint__...".
- `ScopedQuerySet` gives the managers `Model.objects.visible_to(user)`; models whose manager
  guards writes (the freeze, the append-only tables) combine it with their guard's queryset.
- `get_visible_or_404(model_or_queryset, user, **lookup)`: the one fetch of a row by the user;
  404 for a row outside the scope and for a malformed id alike (no probing by id). The
  `access_<model>` selectors are thin wrappers that add `select_related` and call it.

A row outside the scope is a 404 (here); a row in scope that the user may not touch is a 403
(the `policies.py` modules). Statistics count the complaints of a scope through the same
declaration (`Complaint.scope_fields`, stats.scope).

Why here: the models import this module to build their managers, so it imports Django,
`administration.roles` and `administration.policies` only - never a model module (a rule is read
from the model class when a query is built). It lives in `administration`, which owns the tree of
command, the units and the roles, and which every app already depends on.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from administration.policies import is_signed_in
from administration.roles import ROLE_SCOPE


class NoScope(Exception):
    """The user has no place in the tree (anonymous, lapsed, or without a unit)."""


def scope_root(user: Any) -> Any:
    """The unit whose subtree the user sees, or None for national scope; NoScope without a place."""
    if not is_signed_in(user):
        raise NoScope
    scope = ROLE_SCOPE.get(user.role)
    if scope == "national":
        return None
    if scope == "directorate":
        return user.unit.directorate or user.unit
    if scope == "unit":
        return user.unit
    raise NoScope


def field_path(*parts: str) -> str:
    """A lookup path from its parts, the empty ones left out: ("complaint", "unit") -> "complaint__unit"."""
    return "__".join(part for part in parts if part)


NOTHING = Q(pk__in=[])  # a filter no row passes (Django runs no query for it)


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
    def subtree(cls, unit: Any) -> Scope:
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

    def q(self, *unit_fields: str, unit_ids: Collection[int] | None = None) -> Q:
        """A filter keeping the rows ONE of whose units (reached by each of `unit_fields`, e.g.
        "registering_unit"; "" for the units themselves) lies in this scope. Everything when
        national, nothing at all for `Scope.nothing()`.

        The subtree is a prefix match on the units' materialised path (a join per field), or,
        when the caller has read the ids of the scope's units first (`unit_ids`), a comparison of
        the rows' own unit columns with them: the same rows, without the join."""
        if not unit_fields:
            raise TypeError("Scope.q() needs at least one unit field.")
        if self.kind == "national":
            return Q()
        if self.kind == "nothing":
            return NOTHING
        if unit_ids is not None:
            ids = list(unit_ids)
            filters = [Q(**{field_path(name or "pk", "in"): ids}) for name in unit_fields]
        else:
            filters = [Q(**{field_path(name, "path__startswith"): self.root_path}) for name in unit_fields]
        combined = filters[0]
        for condition in filters[1:]:
            combined |= condition
        return combined


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


@dataclass(frozen=True)
class CommandLineActor:
    """Who acts when a management command runs without a RETA account: `name` says who ran it
    (e.g. "issue_forms (root)") and is kept as a plain-text copy in the records and the audit
    trail. Its scope is national, said explicitly: a service that accepts one says so in its
    signature, instead of reading a missing user as national."""

    name: str
    scope: Scope = field(default_factory=Scope.national)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("A command-line actor must say who ran the command.")

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- the rule of each model


def visible_q(model: type[models.Model], user: Any, *, prefix: str = "") -> Q:
    """The filter keeping the rows of `model` that `user` may see, by the rule the model declares
    (this module's docstring). `prefix` is the lookup path from the model actually queried to
    `model` ("complaint" when diligences are filtered by their complaint's rule)."""
    own_rule = getattr(model, "visible_q", None)
    if own_rule is not None:
        return own_rule(user, prefix=prefix)
    parent = getattr(model, "scope_parent", None)
    if parent:
        parent_model = model._meta.get_field(parent).related_model
        return visible_q(parent_model, user, prefix=field_path(prefix, parent))
    unit_fields = getattr(model, "scope_fields", None)
    if not unit_fields:
        raise TypeError(f"{model.__name__} declares no access rule (visible_q, scope_parent or scope_fields).")
    return scope_of(user).q(*(field_path(prefix, name) for name in unit_fields))


class ScopedQuerySet(models.QuerySet):
    """The queryset of every model a user sees part of: `Model.objects.visible_to(user)`."""

    def visible_to(self, user: Any) -> ScopedQuerySet:
        """The rows the user may see (the model's rule, `visible_q`)."""
        return self.filter(visible_q(self.model, user))


def get_visible_or_404(model_or_queryset: Any, user: Any, **lookup: Any) -> Any:
    """The one row matching `lookup` among those `user` may see, fetched from a model or from a
    queryset of it (which may add `select_related`, `defer`...). Raises Http404 when there is
    none, when it is outside the user's scope, and when the lookup is malformed (a text where an
    id is expected, a bad UUID): an id tells nothing about rows the user may not see."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    elif isinstance(model_or_queryset, models.Manager):
        queryset = model_or_queryset.all()
    else:
        queryset = model_or_queryset._default_manager.all()
    rule = visible_q(queryset.model, user)  # outside the try: a model without a rule is a bug, not a 404
    try:
        return queryset.filter(rule).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


__all__ = [
    "NOTHING",
    "CommandLineActor",
    "NoScope",
    "Scope",
    "ScopedQuerySet",
    "field_path",
    "get_visible_or_404",
    "scope_label",
    "scope_of",
    "scope_root",
    "visible_q",
]
