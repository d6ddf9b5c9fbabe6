"""The navigation bar: each entry is shown only to users whose role may use it. Modules add
their entries here, with the same policy functions their views enforce."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from administration import policies


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    allowed: Callable[[Any], bool]
    prefix: str  # the URL prefix that marks the entry as current


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("home", _("Home"), lambda user: True, "/"),
    NavEntry("administration:unit_list", _("Units"), policies.can_view_units, "/administracion/unidades/"),
    NavEntry("administration:user_list", _("Users"), policies.can_manage_users, "/administracion/usuarios/"),
    NavEntry("audit:event_list", _("Audit"), policies.can_view_audit, "/auditoria/"),
)
