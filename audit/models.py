"""The audit trail: append-only domain events shared by every module (SECURITY.md 12-14)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.access import NOTHING, ScopedQuerySet
from administration.policies import can_view_audit
from audit import chain
from audit.events import event_choices
from reta.guards import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

__all__ = ["AppendOnlyError", "AuditChainHead", "AuditEvent"]  # AppendOnlyError: re-exported for existing imports


class AuditEventQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """Append-only (reta.guards), with `visible_to(user)` (administration.access)."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        """Every event linked to the one before it, in order (audit.chain): in one INSERT under one
        lock of the chain head (`chain.insert_linked_many`) when the database gives the ids of a
        bulk insert back (SQLite, MariaDB 10.5+) and nothing else is asked; else one by one."""
        if kwargs.get("update_conflicts"):
            return super().bulk_create(objs, *args, **kwargs)  # refused by the guard
        objs = list(objs)
        if not args and not kwargs and connections[self.db].features.can_return_rows_from_bulk_insert:
            chain.insert_linked_many(objs, lambda: super(AuditEventQuerySet, self).bulk_create(objs))
            return objs
        for obj in objs:
            obj.save(using=self.db)
        return objs


class AuditEvent(AppendOnlyModel):
    """One domain event. Append-only (reta.guards): no save of a stored row, no delete, no bulk
    update or delete; on MySQL/MariaDB a trigger refuses UPDATE too (migration 0002).

    Each event is a link of the hash chain (`audit.chain`): `prev_hash` is the hash of the event
    before it, `hash` the sha256 of its fields and `prev_hash`. Both, and the time, are set when the
    event is inserted (`save` of a new row, under the lock of the chain head)."""

    append_only_message = "Audit events are append-only."

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")
        DENIED = "denied", _("denied")

    # Set under the chain's lock when the event is inserted (audit.chain.insert_linked).
    created_at = models.DateTimeField(_("time (UTC)"), default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # Plain-text copies so an entry survives the deletion or renaming of what it points at.
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    unit_code = models.CharField(_("unit"), max_length=64, blank=True, db_index=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    event = models.CharField(_("event"), max_length=64, db_index=True, choices=event_choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    request_id = models.CharField(_("request id"), max_length=32, blank=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # A database default, so a row inserted by raw SQL without them is stored, and found by verify_audit.
    prev_hash = models.CharField(
        _("hash of the previous event"), max_length=64, blank=True, editable=False, db_default=""
    )
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False, db_default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        base_manager_name = "objects"  # the append-only guard on Model.save and related access
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        default_permissions = ("view",)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            super().save(*args, **kwargs)  # refused by the guard
            return
        chain.insert_linked(self, lambda: super(AuditEvent, self).save(*args, **kwargs))

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.user_name or '-'} {self.event} {self.outcome}"

    @classmethod
    def visible_q(cls, user: Any, *, prefix: str = "") -> Q:
        """Who sees the trail (administration.access): the roles that read it (auditors and
        national administrators: `can_view_audit`) see all of it, nationally; no one else any."""
        return Q() if can_view_audit(user) else NOTHING


class AuditChainHead(models.Model):
    """The head of the audit hash chain: one row (pk 1), locked by every audit write
    (audit.chain.insert_linked). Not append-only: it moves with every event."""

    last_id = models.BigIntegerField(_("last event"), default=0)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        db_table = "audit_chainhead"
        verbose_name = _("head of the audit chain")
        verbose_name_plural = _("heads of the audit chain")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.last_id} {self.hash}"
