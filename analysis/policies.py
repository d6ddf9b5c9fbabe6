"""Who may use cross-case analysis (issue 12). Views, services and templates ask these functions.

The investigating roles only: DIVINTRAP (national) sees every candidate; a regional investigator
the candidates whose both sides lie in her scope (and counts of the rest). Confirming and rejecting
a candidate: whoever may see it. Undoing a merge: DIVINTRAP only (it may touch records of every
region). Every other role gets 403.
"""

from __future__ import annotations

from typing import Any

from administration.policies import is_signed_in
from administration.roles import Role

ANALYSIS_ROLES = (Role.NATIONAL_INVESTIGATOR, Role.REGIONAL_INVESTIGATOR)


def can_use_analysis(user: Any) -> bool:
    return is_signed_in(user) and user.role in ANALYSIS_ROLES


def can_decide_match(user: Any) -> bool:
    return can_use_analysis(user)


def can_undo_merge(user: Any) -> bool:
    return is_signed_in(user) and user.role == Role.NATIONAL_INVESTIGATOR
