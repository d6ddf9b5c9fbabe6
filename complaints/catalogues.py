"""Catalogues of the complaint form that are not law: kinds of place, identity documents,
origins. Readable by administrators; codes are stable (used in exports and imports). Sex and
identity documents belong to the people app (`people.catalogues`) and are re-exported here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from people.catalogues import DocumentType, Sex

__all__ = ["COMMON_NATIONALITIES", "DocumentType", "Minor", "Origin", "PlaceKind", "Sex"]


class Origin(models.TextChoices):
    STATION = "station", _("Police station")
    HOTLINE = "hotline", _("Hotline 0800")
    PAPER = "paper", _("Paper form")
    OTHER_AGENCY = "other_agency", _("Other agency")


class PlaceKind(models.TextChoices):
    BAR_NIGHTCLUB = "bar_nightclub", _("Bar, nightclub or karaoke")
    BROTHEL = "brothel", _("Brothel")
    HOTEL = "hotel", _("Hotel or hostel")
    RESTAURANT = "restaurant", _("Restaurant or eatery")
    MINE = "mine", _("Mining camp")
    FARM = "farm", _("Farm or plantation")
    LOGGING_CAMP = "logging_camp", _("Logging camp")
    WORKSHOP = "workshop", _("Workshop or factory")
    MARKET = "market", _("Market or shop")
    PRIVATE_HOME = "private_home", _("Private home")
    STREET = "street", _("Street or public place")
    TRANSPORT = "transport", _("Bus terminal, port or airport")
    BORDER = "border", _("Border crossing")
    ONLINE = "online", _("Internet or social network")
    OTHER = "other", _("Other")


class Minor(models.TextChoices):
    """For a victim whose age is unknown: is she or he a minor?"""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


# ISO 3166 alpha-2 codes offered first in nationality lists (the region's migration flows).
COMMON_NATIONALITIES: tuple[tuple[str, str], ...] = (
    ("PE", _("Peru")),
    ("VE", _("Venezuela")),
    ("CO", _("Colombia")),
    ("EC", _("Ecuador")),
    ("BO", _("Bolivia")),
    ("CL", _("Chile")),
    ("BR", _("Brazil")),
    ("AR", _("Argentina")),
    ("PY", _("Paraguay")),
    ("DO", _("Dominican Republic")),
    ("CN", _("China")),
    ("US", _("United States")),
    ("ES", _("Spain")),
)
