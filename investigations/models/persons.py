"""The persons of a case file beyond their role (issue 11 item 2): photographs and fingerprint
cards, and for victims the results of the investigation and the protective measures.

The person in a role itself is `investigations.models.case_files.CasePerson` (a pointer at
people.Identity, with the role in the organisation and the recruitment method, whose choices
`OrganisationRole` and `RecruitmentMethod` live there and are re-exported here). What is learnt of
the identity (documents, aliases, addresses, phones, descriptions) are the growing rows of
people.models, with source "investigation" and the case file's number as reference.

All three models are append-only (reta.guards, and on MariaDB by trigger, migration 0004): an
image is replaced by uploading another, a result or a measure is corrected by a new row. Their
scope is the case file's (`scope_parent = "case_person"`, whose parent is the case file).

Images are stored by `reta.private_media.private_storage` (outside the web root, no URL) after
investigations.images has checked and re-encoded them; only
investigations.views.persons.case_person_image serves them. May import: Django, reta, administration.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import ScopedQuerySet
from administration.catalogues import Catalogue, CatalogueCharField
from investigations.models.case_files import CasePerson, OrganisationRole, RecruitmentMethod
from reta.guards import AppendOnlyModel, AppendOnlyQuerySet
from reta.private_media import private_storage

__all__ = [
    "ImageKind",
    "MeasureKind",
    "OrganisationRole",
    "PersonImage",
    "ProtectiveMeasure",
    "RecruitmentMethod",
    "VictimOutcome",
]


class CaseChildQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """Append-only rows scoped by their case file (`visible_to`)."""


class ImageKind(models.TextChoices):
    PHOTO = "photo", _("Photograph")
    FINGERPRINT_CARD = "fingerprint_card", _("Fingerprint card")


def person_image_path(instance: PersonImage, filename: str) -> str:
    """A name that says nothing about the person: case_persons/<case person>/<uuid>.<ext>."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"case_persons/{instance.case_person_id}/{uuid.uuid4().hex}.{extension}"


class PersonImage(AppendOnlyModel):
    """A photograph or a fingerprint card of a person in a case file, re-encoded without metadata."""

    append_only_message = "The images of a person are append-only: upload another one."

    case_person = models.ForeignKey(CasePerson, on_delete=models.PROTECT, related_name="images")
    kind = models.CharField(_("kind"), max_length=20, choices=ImageKind.choices, default=ImageKind.PHOTO)
    file = models.FileField(_("file"), storage=private_storage, upload_to=person_image_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=20)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    scope_parent = "case_person"
    objects = CaseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("image of a person")
        verbose_name_plural = _("images of persons")
        base_manager_name = "objects"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class VictimOutcome(AppendOnlyModel):
    """What became of a victim: rescued, referred to a shelter or the MIMP, returned to the family,
    repatriated; on a date, by or to an institution."""

    append_only_message = "The results for a victim are append-only: record a new one."

    case_person = models.ForeignKey(CasePerson, on_delete=models.PROTECT, related_name="outcomes")
    result = CatalogueCharField(_("result"), max_length=20, catalogue=Catalogue.VICTIM_OUTCOME)
    on_date = models.DateField(_("date"))
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    scope_parent = "case_person"
    objects = CaseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("result for a victim")
        verbose_name_plural = _("results for victims")
        base_manager_name = "objects"
        ordering = ["on_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_result_display()} #{self.pk}"


class MeasureKind(models.TextChoices):
    """Protective measures for victims and witnesses (Law 28950 and its regulation; NCPP art. 248)."""

    POLICE_PROTECTION = "police_protection", _("Police protection")
    IDENTITY_RESERVE = "identity_reserve", _("Reserve of identity")
    SHELTER = "shelter", _("Temporary shelter")
    MEDICAL_CARE = "medical_care", _("Medical care")
    PSYCHOLOGICAL_CARE = "psychological_care", _("Psychological care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    RELOCATION = "relocation", _("Change of residence")
    OTHER = "other", _("Other measure")


class ProtectiveMeasure(AppendOnlyModel):
    """A protective measure for a victim (or a witness): kind, date, who ordered it, its text."""

    append_only_message = "The protective measures are append-only: record a new one."

    case_person = models.ForeignKey(CasePerson, on_delete=models.PROTECT, related_name="protective_measures")
    kind = models.CharField(_("kind of measure"), max_length=20, choices=MeasureKind.choices)
    ordered_on = models.DateField(_("ordered on"))
    ordered_by = models.CharField(_("ordered by"), max_length=200, help_text=_("Authority or institution."))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    text = models.TextField(_("text of the measure"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    scope_parent = "case_person"
    objects = CaseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("protective measure")
        verbose_name_plural = _("protective measures")
        base_manager_name = "objects"
        ordering = ["ordered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
