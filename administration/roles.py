"""The roles of RETA and how far each one sees down the tree of command (BRIEF.md "Who uses it").

A module of its own, importing Django only, so that `administration.access` (which the models
import to build their managers) and the `policies` modules can read the roles without importing a
model module. `administration.models` re-exports `Role`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STATION_OFFICER = "station_officer", _("Station officer")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")
    REGIONAL_INVESTIGATOR = "regional_investigator", _("Regional investigator")
    NATIONAL_INVESTIGATOR = "national_investigator", _("National investigator (DIVINTRAP)")
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    MONITOR = "monitor", _("Monitor (human rights secretariat)")
    AUDITOR = "auditor", _("Auditor")


# How far each role sees down the tree of command:
#   unit        - the user's own unit and the units under it
#   directorate - the whole directorate the user's unit belongs to
#   national    - everything
ROLE_SCOPE: dict[str, str] = {
    Role.STATION_OFFICER: "unit",
    Role.HOTLINE_OPERATOR: "unit",
    Role.REGIONAL_INVESTIGATOR: "directorate",
    Role.NATIONAL_INVESTIGATOR: "national",
    Role.NATIONAL_ADMIN: "national",
    Role.MONITOR: "national",
    Role.AUDITOR: "national",
}

__all__ = ["ROLE_SCOPE", "Role"]
