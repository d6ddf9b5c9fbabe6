"""Who may see and export the statistics. Views, templates and the navigation ask these same
functions. What each one sees is its scope (administration.access.scope_of, read as
stats.scope does): the figures of the complaints its complaint list shows.

May import: administration (models, policies), complaints.policies (exports follow the export
permission of complaints).
"""

from __future__ import annotations

from typing import Any

from administration.policies import is_signed_in
from administration.roles import Role
from complaints.policies import can_export_complaints


def can_view_statistics(user: Any) -> bool:
    """Every role; each sees the figures of its own scope (the auditor: national aggregates)."""
    return is_signed_in(user) and user.role in Role.values


def can_export_statistics(user: Any) -> bool:
    """Exports are a permission of their own: the roles that may export complaints."""
    return can_export_complaints(user)
