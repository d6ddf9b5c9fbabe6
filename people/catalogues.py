"""Catalogues about people: sex and identity documents. The complaint form, the identities of
`people.models` and the Investigation module use the same codes (stable: used in exports and
imports); `complaints.catalogues` re-exports them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    DNI = "dni", _("DNI")
    FOREIGN_ID = "ce", _("Foreigner's card (CE)")
    PASSPORT = "passport", _("Passport")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    OTHER = "other", _("Other document")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
