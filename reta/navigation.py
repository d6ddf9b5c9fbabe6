"""The navigation bar: each entry is shown only to users whose role may use it. Modules add
their entries here, with the same policy functions their views enforce."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from administration import policies
from analysis import policies as analysis_policies
from complaints import policies as complaint_policies
from htcds import policies as htcds_policies
from investigations import policies as investigation_policies
from paperforms import policies as paperform_policies
from stats import policies as stats_policies


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    allowed: Callable[[Any], bool]
    prefix: str  # the URL prefix that marks the entry as current
    badge: str | None = None  # a count shown next to the label (reta.context_processors.BADGES)


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("home", _("Home"), policies.is_signed_in, "/"),
    NavEntry(
        "complaints:complaint_create", _("New complaint"), complaint_policies.can_file_complaint, "/denuncias/nueva/"
    ),
    NavEntry("complaints:complaint_list", _("Complaints"), complaint_policies.can_view_complaints, "/denuncias/"),
    NavEntry(
        "complaints:alert_list",
        _("Alerts"),
        complaint_policies.can_view_alerts,
        "/denuncias/alertas/",
        badge="unread_alerts",
    ),
    NavEntry(
        "investigations:case_file_list",
        _("Case files"),
        investigation_policies.can_view_case_files,
        "/carpetas/",
    ),
    NavEntry("analysis:candidates", _("Cross-case analysis"), analysis_policies.can_use_analysis, "/analisis/"),
    # The monitoring secretariat's list of completeness (investigators reach it from the case files).
    NavEntry(
        "investigations:case_completeness",
        _("Completeness of the case files"),
        investigation_policies.is_monitor,
        "/carpetas/completitud/",
    ),
    # The Permanent Secretariat's compliance monitoring (issue 13, item 5).
    NavEntry(
        "investigations:compliance",
        _("Compliance monitoring"),
        investigation_policies.can_view_compliance,
        "/carpetas/cumplimiento/",
    ),
    NavEntry(
        "stats:overview",
        _("Statistics"),
        stats_policies.can_view_statistics,
        "/denuncias/estadisticas/",
    ),
    NavEntry(
        "htcds:export",
        _("HTCDS export"),
        htcds_policies.can_export_htcds,
        "/denuncias/estadisticas/htcds/",
    ),
    NavEntry(
        "paperforms:paperform_list",
        _("Paper forms"),
        paperform_policies.can_view_paper_forms,
        "/administracion/formularios/",
    ),
    NavEntry("administration:unit_list", _("Units"), policies.can_view_units, "/administracion/unidades/"),
    NavEntry("administration:user_list", _("Users"), policies.can_manage_users, "/administracion/usuarios/"),
    NavEntry("audit:event_list", _("Audit"), policies.can_view_audit, "/auditoria/"),
    NavEntry(
        "administration:catalogue_list", _("Catalogues"), policies.can_manage_catalogues, "/administracion/catalogos/"
    ),
)
