"""Catalogues about people: sex, identity documents and social networks. The complaint form, the
identities of `people.models` and the Investigation module use the same codes (stable: used in
exports and imports); `complaints.catalogues` re-exports sex and documents."""

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


class SocialNetwork(models.TextChoices):
    """Networks whose accounts `people.identifiers.normalise_account` reduces to one handle (the
    Investigation module's accounts, cross-case matching)."""

    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    X = "x", _("X (Twitter)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    OTHER = "other", _("Other network")
