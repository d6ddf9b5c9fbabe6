"""The models of cross-case analysis (see the package docstring)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reta.guards import AppendOnlyModel

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
