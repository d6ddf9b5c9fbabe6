"""Who may use cross-case analysis (issue 12). Views, services and templates ask these functions.

The investigating roles only (`people.policies.INVESTIGATOR_ROLES`), each within the scope
`visible_to` gives them: DIVINTRAP (national) sees every candidate; a regional investigator the
candidates whose both sides lie in her scope (and counts of the rest). Confirming and rejecting a
candidate: whoever may see it. Undoing a merge: DIVINTRAP only (it may touch records of every
region). The network, the route map and their exports: the same investigators. Every other role
gets 403: not the administrators, not the read-only roles.

May import: administration (roles, policies), people.policies.
"""

from __future__ import annotations

from typing import Any

from administration.policies import is_signed_in
from administration.roles import Role
from people.policies import INVESTIGATOR_ROLES

ANALYSIS_ROLES = INVESTIGATOR_ROLES


def can_use_analysis(user: Any) -> bool:
    return is_signed_in(user) and user.role in ANALYSIS_ROLES


def can_decide_match(user: Any) -> bool:
    return can_use_analysis(user)


def can_undo_merge(user: Any) -> bool:
    return is_signed_in(user) and user.role == Role.NATIONAL_INVESTIGATOR


def can_analyse_network(user: Any) -> bool:
    return can_use_analysis(user)


__all__ = ["ANALYSIS_ROLES", "can_analyse_network", "can_decide_match", "can_undo_merge", "can_use_analysis"]
