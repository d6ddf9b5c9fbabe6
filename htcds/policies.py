"""Who may export the HTCDS records: the roles that may export the statistics
(stats.policies.can_export_statistics: regional and national investigators, verified national
administrators, the monitor of the Permanent Secretariat), each in the scope of its statistics
(administration.access.scope_of, read as stats.scope reads it): national for the monitor,
DIVINTRAP and the administrator, the directorate for a regional investigator (k-anonymity is then
computed on that directorate's records alone). The page that offers the downloads is theirs too.

May import: stats.policies.
"""

from __future__ import annotations

from typing import Any

from stats.policies import can_export_statistics


def can_export_htcds(user: Any) -> bool:
    return can_export_statistics(user)
