"""One append-only guard (reta.guards) for the audit trail and the preliminary investigation
register: every level refuses, for every model that uses it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models, transaction
from django.utils import timezone

from audit.events import AuditEventType
from audit.models import AuditEvent
from audit.services import audit_record
from diligences import services as register
from diligences.models import Diligence, DiligenceAnswer, GeneratedDocument
from reta.guards import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

pytestmark = pytest.mark.django_db

MODELS = (AuditEvent, Diligence, DiligenceAnswer, GeneratedDocument)


@pytest.fixture
def rows(complaints: dict, personas: dict) -> dict[type, Any]:
    officer = personas["station_officer"]
    entry = register.diligence_record(
        actor=officer,
        complaint=complaints["frozen"],
        data=register.DiligenceData(kind="rescue", date=timezone.localdate(), officer="S3 PNP Rosa Huamán Quispe"),
    )
    answer = register.answer_record(
        actor=officer, diligence=entry, data=register.AnswerData(received_on=timezone.localdate(), summary="Recibida.")
    )
    document = register.document_generate(
        actor=officer,
        complaint=complaints["frozen"],
        kind="reniec",
        fields={"addressee": "RENIEC", "city": "Cusco", "person": "Alias «La Tía»", "purpose": "Identificarla."},
    )
    event = audit_record(event=AuditEventType.EXPORT, actor=personas["auditor"])
    return {AuditEvent: event, Diligence: entry, DiligenceAnswer: answer, GeneratedDocument: document}


def test_the_guarded_models_are_the_audit_trail_and_the_register() -> None:
    assert all(issubclass(model, AppendOnlyModel) for model in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_a_stored_row_refuses_save_and_delete(model: type, rows: dict) -> None:
    row = model.objects.get(pk=rows[model].pk)
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_querysets_refuse_update_delete_and_upserts(model: type, rows: dict) -> None:
    row = model.objects.get(pk=rows[model].pk)
    queryset = model.objects.filter(pk=row.pk)
    with pytest.raises(AppendOnlyError):
        queryset.update(pk=row.pk)
    with pytest.raises(AppendOnlyError):
        queryset.delete()
    with pytest.raises(AppendOnlyError):
        queryset._raw_delete(queryset.db)
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update marks its atomic block failed
        model.objects.bulk_update([row], ["created_at"])
    with pytest.raises(AppendOnlyError):
        model.objects.bulk_create([row], update_conflicts=True, unique_fields=["id"], update_fields=["created_at"])
    assert model.objects.filter(pk=row.pk).count() == 1


def _subclasses(model: type) -> set[type]:
    found = set()
    for child in model.__subclasses__():
        found |= {child} | _subclasses(child)
    return {model for model in found if not model._meta.abstract}


def test_every_append_only_model_is_guarded_by_its_base_manager_too() -> None:
    """`_base_manager` serves Model.save's UPDATE and related access: a plain Manager there would
    let them through. A new AppendOnlyModel without `base_manager_name = "objects"` fails here."""
    models_ = _subclasses(AppendOnlyModel)
    assert set(MODELS) <= models_
    unguarded = {model.__name__ for model in models_ if not isinstance(model._base_manager.all(), AppendOnlyQuerySet)}
    assert unguarded == set()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_the_base_manager_and_the_save_update_path_refuse(model: type, rows: dict) -> None:
    row = model.objects.get(pk=rows[model].pk)
    queryset = model._base_manager.filter(pk=row.pk)
    with pytest.raises(AppendOnlyError):
        queryset.update(pk=row.pk)
    with pytest.raises(AppendOnlyError):
        queryset.delete()
    with pytest.raises(AppendOnlyError):
        queryset._raw_delete(queryset.db)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        model._base_manager.bulk_update([row], ["created_at"])
    with pytest.raises(AppendOnlyError), transaction.atomic():  # the UPDATE of Model.save, past the model's check
        models.Model.save(row)
    assert model.objects.filter(pk=row.pk).count() == 1
