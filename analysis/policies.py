"""Who may use the network, the route map and their exports of cross-case analysis (issue 12,
items 4 and 5): the investigators, regional and national (DIVINTRAP), each within the scope
`visible_to` gives them. Nobody else (403): not the administrators, not the read-only roles.

May import: people.policies.
"""

from __future__ import annotations

from typing import Any

from administration.policies import is_signed_in
from people.policies import INVESTIGATOR_ROLES


def can_analyse_network(user: Any) -> bool:
    return is_signed_in(user) and user.role in INVESTIGATOR_ROLES


__all__ = ["can_analyse_network"]
