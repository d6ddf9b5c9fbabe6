"""What "in my scope" means for the statistics: exactly the complaints the complaint list shows
the user, the submitted ones. The rule is declared once, on the complaint
(`Complaint.scope_fields`: the registering unit OR the competent directorate lies in the scope,
administration.access); the read model carries both units in columns of the same names, so the
filter is built from that same declaration and needs no join.

May import: administration (access, selectors), complaints.models (the declaration), django.
(stats.models keeps a column of each name of `Complaint.scope_fields` on every row.)
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from administration.access import Scope
from administration.selectors import units_in_scope
from complaints.models import Complaint


def scope_filter(scope: Scope) -> Q:
    """The read-model rows of the scope. The units of the subtree are read first (one small
    query), then `registering_unit_id IN (<ids>) OR competent_directorate_id IN (<ids>)` - a cheap
    check per row, where MariaDB turns a subquery into a join that compares each row's unit path
    (three times slower at a million rows). Nothing for `Scope.nothing()`, everything (no query)
    at national scope."""
    if scope.is_national or scope.is_nothing:
        return scope.q(*Complaint.scope_fields)
    ids = units_in_scope(scope).order_by("pk").values_list("pk", flat=True)
    return scope.q(*Complaint.scope_fields, unit_ids=ids)


def scoped(queryset: QuerySet, scope: Scope) -> QuerySet:
    return queryset.filter(scope_filter(scope))
