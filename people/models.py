"""Identities and what is learnt of them over time (see the package docstring for why).

An identity is not frozen: it grows as investigations learn more. What grows are rows, each with
its source (where it was learnt: a complaint, an investigation, an official record), a reference
(the complaint or case number: never personal data) and, where it makes sense, its validity (an
alias used from/to, a document issued/expiring, a phone or an address in use from/to). A row is
added, or closed by its `valid_to`; the record it came from is never touched. Every model keeps its
row history (django-simple-history).

Identity fields are sensitive personal data (Law 29733): show them only through `people.privacy`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.models import District, Unit
from people.catalogues import DocumentType, Sex
from people.matching import document_key, name_key, phone_key
from reta.guards import AppendOnlyModel
from reta.history import history_records


class Source(models.TextChoices):
    """Where a fact about a person was learnt."""

    COMPLAINT = "complaint", _("Complaint")
    INVESTIGATION = "investigation", _("Investigation")
    OFFICIAL_RECORD = "official_record", _("Official record (RENIEC, Migraciones)")
    OTHER = "other", _("Other source")


class Identity(models.Model):
    """The real person, across complaints and case files. The primary name is the one shown; every
    name and alias known, with its source, is an `IdentityName`."""

    first_names = models.CharField(_("first names"), max_length=120, blank=True)
    last_names = models.CharField(_("last names"), max_length=120, blank=True)
    name_key = models.CharField(max_length=250, blank=True, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_in = models.ForeignKey(
        Unit, verbose_name=_("registered by unit"), on_delete=models.PROTECT, related_name="+", null=True
    )
    # Set when an analyst confirmed that this identity is the same person as another (issue 12):
    # this identity keeps all its rows and everything pointing at it; reads resolve to the survivor
    # (`resolved`, `people.services.identity_family`). Only `identity_merge` / `identity_unmerge` set it.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        editable=False,
    )

    history = history_records()

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"Identidad #{self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.set_keys()
        return super().save(*args, **kwargs)

    def set_keys(self) -> None:
        """The matching key `save()` writes (called by the bulk writers too: people.services)."""
        self.name_key = name_key(f"{self.first_names} {self.last_names}")

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_names, self.last_names) if part)

    @property
    def initials(self) -> str:
        words = f"{self.first_names} {self.last_names}".split()
        return ".".join(word[0].upper() for word in words if word) + ("." if words else "")

    def resolved(self) -> Identity:
        """The identity this one is read as: itself, or the survivor it was merged into (followed
        to the end of the chain)."""
        identity, seen = self, {self.pk}
        while identity.merged_into_id is not None and identity.merged_into_id not in seen:
            seen.add(identity.merged_into_id)
            identity = identity.merged_into
        return identity


class IdentityMerge(AppendOnlyModel):
    """An analyst's decision that `merged` is the same person as `survivor` (issue 12): `merged`
    gets `merged_into = survivor` and keeps every row of its own; nothing pointing at it is
    rewritten. Never changed nor deleted: an unmerge is an `IdentityUnmerge` row of its own."""

    survivor = models.ForeignKey(
        Identity, verbose_name=_("surviving identity"), on_delete=models.PROTECT, related_name="merges_received"
    )
    merged = models.ForeignKey(
        Identity, verbose_name=_("merged identity"), on_delete=models.PROTECT, related_name="merges_given"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    reason = models.TextField(_("reason"))
    candidate_score = models.FloatField(_("score of the candidate"), null=True, blank=True)
    candidate_reasons = models.TextField(_("reasons of the candidate"), blank=True)

    append_only_message = "A merge of identities is never changed nor deleted: unmerge it."

    class Meta:
        base_manager_name = "objects"  # Model.save and related access go through the guard
        verbose_name = _("merge of identities")
        verbose_name_plural = _("merges of identities")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"Fusión #{self.pk}"

    @property
    def undone(self) -> bool:
        return hasattr(self, "unmerge")


class IdentityUnmerge(AppendOnlyModel):
    """The reversal of one merge: `merge.merged` is its own identity again, exactly as before."""

    merge = models.OneToOneField(
        IdentityMerge, verbose_name=_("merge"), on_delete=models.PROTECT, related_name="unmerge"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    append_only_message = "An unmerge is never changed nor deleted."

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("unmerge of identities")
        verbose_name_plural = _("unmerges of identities")

    def __str__(self) -> str:
        return f"Separación #{self.pk}"


class IdentityFact(models.Model):
    """What every growing row of an identity has: its source and its validity."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_reference = models.CharField(
        _("source reference"), max_length=120, blank=True, help_text=_("A complaint or case file number.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class IdentityName(IdentityFact):
    class Kind(models.TextChoices):
        NAME = "name", _("Name")
        ALIAS = "alias", _("Alias")

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.NAME)
    name = models.CharField(_("name or alias"), max_length=250)
    key = models.CharField(max_length=250, editable=False, db_index=True)

    history = history_records()

    class Meta:
        verbose_name = _("name or alias")
        verbose_name_plural = _("names and aliases")
        ordering = ["identity", "kind", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.set_keys()
        return super().save(*args, **kwargs)

    def set_keys(self) -> None:
        """The matching key `save()` writes (called by the bulk writers too: people.services)."""
        self.key = name_key(self.name)


class IdentityDocument(IdentityFact):
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices, blank=True)
    number = models.CharField(_("document number"), max_length=30)
    key = models.CharField(max_length=30, editable=False)
    issuing_country = models.CharField(_("issuing country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))

    history = history_records()

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["identity", "recorded_at", "id"]
        # Matching looks a number up by its key, whatever the type (a DNI typed as a CE is common).
        indexes = [models.Index(fields=["key", "document_type"], name="people_document_key")]

    def __str__(self) -> str:
        return f"{self.get_document_type_display() or 'Documento'} #{self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.set_keys()
        return super().save(*args, **kwargs)

    def set_keys(self) -> None:
        """The matching key `save()` writes (called by the bulk writers too: people.services)."""
        self.key = document_key(self.number)


class IdentityPhone(IdentityFact):
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=40)
    key = models.CharField(max_length=40, editable=False, db_index=True)

    history = history_records()

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["identity", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Teléfono #{self.pk}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.key = phone_key(self.number)
        return super().save(*args, **kwargs)


class IdentityAddress(IdentityFact):
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="addresses")
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    history = history_records()

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["identity", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Domicilio #{self.pk}"


class Build(models.TextChoices):
    SLIM = "slim", _("Slim")
    MEDIUM = "medium", _("Medium")
    ATHLETIC = "athletic", _("Athletic")
    HEAVY = "heavy", _("Heavy")


class IdentityDescription(IdentityFact):
    """A physical description of the person as seen on `observed_on` (an investigation, a
    photograph, a witness). A newer description is a new row; an old one stays."""

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="descriptions")
    observed_on = models.DateField(_("observed on"), null=True, blank=True)
    height_cm = models.PositiveSmallIntegerField(_("height (cm)"), null=True, blank=True)
    build = models.CharField(_("build"), max_length=10, choices=Build.choices, blank=True)
    hair = models.CharField(_("hair"), max_length=120, blank=True)
    eyes = models.CharField(_("eyes"), max_length=120, blank=True)
    marks = models.CharField(_("scars, tattoos and other marks"), max_length=300, blank=True)
    text = models.TextField(_("description"), blank=True)

    history = history_records()

    class Meta:
        verbose_name = _("physical description")
        verbose_name_plural = _("physical descriptions")
        ordering = ["identity", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Descripción #{self.pk}"
