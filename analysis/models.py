"""The models of cross-case analysis (see the package docstring).

`MatchKey` is the match index: one row per blocking key of one record. A candidate search looks
up only the rows that share a (key, kind) with the identity searched for, never every identity
(`analysis.candidates`). The index is derived data: `analysis.indexing` writes it when records
are saved (the signals leave an `IndexWork` row in the writer's transaction; the work is done on
commit or by a worker) and `manage.py rebuild_match_index` rebuilds it whole; nothing else writes
it and no page edits it. A key is personal data derived from a record (Law 29733):
it is shown on no page, only the reasons of a candidate are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reta.guards import AppendOnlyModel


class KeyKind(models.TextChoices):
    """What a key is made of (analysis.keys builds each)."""

    # Strong keys: one shared value is enough to propose a candidate.
    DOCUMENT = "document", _("Document number")
    PHONE = "phone", _("Phone number (E.164)")
    PLATE = "plate", _("Vehicle plate")
    ACCOUNT = "account", _("Social-network account")
    PLACE = "place", _("Place (coordinates or district and address)")
    # Weak keys: blocking keys of names; they only propose a candidate that the scoring then
    # confirms with a first-name match AND a birth date or a compatible age (analysis.candidates).
    NAME_PHONETIC = "name_phonetic", _("Whole name, Spanish phonetic key")
    NAME_DATE = "name_date", _("Name token (phonetic) and date of birth")
    NAME_YEAR = "name_year", _("First-name token (phonetic) and year of birth")
    # Scoring data: never looked up by value (too common), read for the candidates found.
    NAME = "name", _("Name as written, folded (first names|last names)")
    ALIAS = "alias", _("Alias, Spanish phonetic key")
    BIRTH_DATE = "birth_date", _("Date of birth")
    BIRTH_YEAR = "birth_year", _("Year of birth (from an approximate age)")


STRONG_KINDS: frozenset[str] = frozenset(
    {KeyKind.DOCUMENT, KeyKind.PHONE, KeyKind.PLATE, KeyKind.ACCOUNT, KeyKind.PLACE}
)
# Weak kinds looked up by value to find name candidates (blocking).
BLOCKING_NAME_KINDS: frozenset[str] = frozenset({KeyKind.NAME_PHONETIC, KeyKind.NAME_DATE, KeyKind.NAME_YEAR})
# Kinds read, for the candidates found, to score them.
SCORING_KINDS: frozenset[str] = frozenset({KeyKind.NAME, KeyKind.ALIAS, KeyKind.BIRTH_DATE, KeyKind.BIRTH_YEAR})


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    WEAK = "weak", _("Weak")


class ThingKind(models.TextChoices):
    """Things of case files indexed on their own (with or without a holder identity)."""

    NONE = "", _("Not a thing (a person's key)")
    CASE_PHONE = "case_phone", _("Phone of a case file")
    CASE_VEHICLE = "case_vehicle", _("Vehicle of a case file")
    CASE_ACCOUNT = "case_account", _("Account of a case file")
    CASE_PLACE = "case_place", _("Place of a case file")


class MatchKey(models.Model):
    """One blocking key of one record.

    - `identity`: the identity the key belongs to (a person's document, name, phone...; a case
      phone, vehicle or account whose holder/owner is a person of the case), else null.
    - `thing_kind` + `thing_id`: a thing of a case file (phone, vehicle, account, place), with or
      without an identity.
    - `kind`, `key`: what is compared (`KeyKind`; the key is a canonical or folded value),
      `qualifier`: the document type or the social network, for the reason shown.
    - `source_model` ("people.identitydocument", "complaints.person", "investigations.casephone"...)
      and `source_pk`: the row the key was read from; `complaint` / `case_file`: where that row
      was recorded (scope: "seen elsewhere" shows only what the user may see).
    """

    identity = models.ForeignKey(
        "people.Identity", on_delete=models.CASCADE, null=True, blank=True, related_name="match_keys"
    )
    thing_kind = models.CharField(max_length=16, choices=ThingKind.choices, blank=True, default="")
    thing_id = models.PositiveBigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=KeyKind.choices)
    key = models.CharField(max_length=160)
    qualifier = models.CharField(max_length=20, blank=True, default="")
    strength = models.CharField(max_length=6, choices=Strength.choices)
    source_model = models.CharField(max_length=60)
    source_pk = models.PositiveBigIntegerField()
    # Scope of the source. No database constraint: the index is rebuilt, never the source of truth.
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    case_file = models.ForeignKey(
        "investigations.CaseFile",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("match key")
        verbose_name_plural = _("match keys")
        indexes = [
            # The blocking lookup: rows sharing a key (covering: no table access for the ids).
            models.Index(fields=["key", "kind", "identity"], name="analysis_key_kind"),
            # The keys of one identity (the start of a search, and the scoring data of candidates).
            models.Index(fields=["identity", "kind"], name="analysis_identity_kind"),
            models.Index(fields=["source_model", "source_pk"], name="analysis_source"),
            models.Index(fields=["thing_kind", "thing_id"], name="analysis_thing"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class IndexWork(models.Model):
    """One piece of match-index work not done yet (issue 14, the submit path): a durable queue.

    Written by `analysis.signals` INSIDE the writer's transaction (a rolled-back write leaves no
    row; a committed one leaves its work even if the process dies right after the commit), done
    and deleted by `analysis.index_work.drain` (on commit in the same request, or by `manage.py
    match_index_worker`: setting `RETA_MATCH_INDEX`).

    - `source_model` + `source_pk`: "people.identity" and an identity's id (the identity and its
      own rows: names, documents, phones, addresses, persons of case files, are re-indexed as the
      identity they name), or a source row of `analysis.indexing` ("complaints.person",
      "investigations.casephone", "complaints.complaintplace"...). No foreign key: the row may
      have been deleted (its keys are then removed).
    - `attempts`, `retry_at`: a piece that failed stays, and is tried again from `retry_at` on.
    """

    source_model = models.CharField(max_length=60)
    source_pk = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("match index work")
        verbose_name_plural = _("match index work")

    def __str__(self) -> str:
        return f"{self.source_model} #{self.source_pk}"


# ---------------------------------------------------------------- decisions (issue 12, item 2)


class MatchDecision(AppendOnlyModel):
    """An analyst's decision on a candidate pair of identities, kept for ever: `confirmed` (the
    identities were merged: `merge`), `rejected` (the pair is never proposed again) or `undone`
    (the reversal of a confirmation: `reverses`, the merge was undone). The pair is stored in pk
    order (`identity_a` < `identity_b`), with the score and reasons the candidate had then."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed: the same person")
        REJECTED = "rejected", _("Rejected: different persons")
        UNDONE = "undone", _("Confirmation undone")

    identity_a = models.ForeignKey(
        "people.Identity", verbose_name=_("identity"), on_delete=models.PROTECT, related_name="+"
    )
    identity_b = models.ForeignKey(
        "people.Identity", verbose_name=_("other identity"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    score = models.FloatField(_("score"), null=True, blank=True)
    reasons = models.TextField(_("reasons of the candidate"), blank=True)
    merge = models.ForeignKey(
        "people.IdentityMerge",
        verbose_name=_("merge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
    )

    append_only_message = "A decision on a candidate is never changed nor deleted."

    class Meta:
        base_manager_name = "objects"  # Model.save and related access go through the guard
        verbose_name = _("decision on a candidate match")
        verbose_name_plural = _("decisions on candidate matches")
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["identity_a", "identity_b"], name="analysis_decision_pair")]
        constraints = [
            models.CheckConstraint(condition=models.Q(identity_a__lt=models.F("identity_b")), name="decision_pk_order")
        ]

    def __str__(self) -> str:
        return f"Decisión #{self.pk}"

    @property
    def reason_lines(self) -> list[str]:
        return [line for line in self.reasons.splitlines() if line]


# ---------------------------------------------------------------- the candidate queue


class CandidatePair(models.Model):
    """One pair of identities the match index proposes now, stored so that the national list of
    candidates (`/analisis/`) is a paginated read whatever the size of the country's records.

    Derived data, like `MatchKey`: `analysis.queue` writes it (after an identity's keys are
    rewritten, on commit or by the worker: `analysis.index_work`), `manage.py rebuild_candidate_queue` rebuilds it
    whole; no page edits it. The pair is in pk order (`identity_a` < `identity_b`); pairs an
    analyst decided on and pairs of one merged family are not kept (and a decided pair is never
    read from here, whatever a late refresh wrote). `reasons`: the reasons of the candidate as the
    index gives them untranslated (`analysis.candidates`' source strings, one a line), translated
    when shown. The region and the scope are not copied here: the list reads them through the
    records (`visible_to`), so that a complaint moved to another unit moves its candidates too.
    """

    identity_a = models.ForeignKey(
        "people.Identity", verbose_name=_("identity"), on_delete=models.CASCADE, related_name="+"
    )
    identity_b = models.ForeignKey(
        "people.Identity", verbose_name=_("other identity"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    strong = models.BooleanField(_("strong key"), default=False)
    reasons = models.TextField(_("reasons of the candidate"), blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")
        constraints = [
            models.UniqueConstraint(fields=["identity_a", "identity_b"], name="analysis_candidate_pair"),
            models.CheckConstraint(
                condition=models.Q(identity_a__lt=models.F("identity_b")), name="candidate_pk_order"
            ),
        ]
        indexes = [
            # The list's order (score, then the newest identity), read backwards.
            models.Index(fields=["score", "identity_b", "identity_a"], name="analysis_queue_order"),
            models.Index(fields=["strong", "score", "identity_b"], name="analysis_queue_strong"),
        ]

    def __str__(self) -> str:
        return f"#{self.identity_a_id} · #{self.identity_b_id}"

    @property
    def reason_lines(self) -> list[str]:
        return [line for line in self.reasons.splitlines() if line]
