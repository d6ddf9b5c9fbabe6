"""The one access primitive (administration.access): for every scoped model, what
`Model.objects.visible_to(user)` gives each persona is what the tree of command says;
`get_visible_or_404` answers 404 outside the scope and for malformed ids; and no view module
reaches a scoped model around it.

The world: complaints registered across the tree (a draft in each of two stations), their alerts,
paper-form batches, register entries, answers and documents, and the audit trail all of that
wrote. Each expectation below is written out by hand from the tree of command, not computed by
the rule under test.
"""

from __future__ import annotations

import ast
import datetime
import itertools
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from administration.access import ScopedQuerySet, get_visible_or_404, visible_q
from administration.models import District, Unit, User
from audit.models import AuditEvent
from complaints.models import Alert, Complaint
from complaints.services import complaint_file, complaint_register_imported, complaint_save_draft
from diligences import services as register
from diligences.models import Diligence, DiligenceAnswer, DiligenceType, DocumentKind, GeneratedDocument
from paperforms.models import PaperFormBatch, PaperFormSerial
from paperforms.services import paper_form_batch_issue
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = (
    "station_officer",
    "hotline_operator",
    "regional_investigator",
    "national_investigator",
    "national_admin",
    "monitor",
    "auditor",
    "outsider",
)
NATIONAL = ("national_investigator", "national_admin", "monitor", "auditor")

# The complaints of the world (label: registering unit, facts), as `world` files them.
#   cusco     Cusco station,           facts in Madre de Dios (competent: DIRTEPOL-MADRE-DE-DIOS)
#   lima      Lima station,            facts in Cusco         (competent: DIRTEPOL-CUSCO)
#   trata     Cusco specialised unit,  facts in Cusco         (competent: DIRTEPOL-CUSCO)
#   hotline   the 0800 hotline,        facts in Lima          (competent: DIRTEPOL-LIMA)
#   divintrap DIVINTRAP,               facts in Lima          (competent: DIRTEPOL-LIMA)
#   mdd       Madre de Dios station,   facts in Madre de Dios (imported: no alerts)
#   draft_cusco, draft_lima: drafts of the Cusco and Lima stations
SUBMITTED = {"cusco", "lima", "trata", "hotline", "divintrap", "mdd"}


def _verified(user: User) -> User:
    """The national administrator as a real session has them: with the second factor."""
    user.is_verified = lambda: True  # what django-otp's middleware sets
    return user


@pytest.fixture
def world(personas: dict, units: dict) -> dict[str, Any]:
    cusco, lima = District.objects.get(code="080101"), District.objects.get(code="150101")
    _verified(personas["national_admin"])
    complaints = {
        "cusco": complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios()),
        "lima": complaint_file(actor=personas["outsider"], data=bar_in_madre_de_dios(place_district=cusco)),
        "trata": complaint_file(
            actor=personas["regional_investigator"], data=bar_in_madre_de_dios(place_district=cusco)
        ),
        "hotline": complaint_file(
            actor=personas["hotline_operator"], data=bar_in_madre_de_dios(origin="hotline", place_district=lima)
        ),
        "divintrap": complaint_file(
            actor=personas["national_investigator"], data=bar_in_madre_de_dios(place_district=lima)
        ),
        "mdd": complaint_register_imported(
            actor=personas["national_admin"],
            registering_unit=units["DIRTEPOL-MADRE-DE-DIOS-CPNP-1"],
            number="MDD-2010-000001",
            registered_at=datetime.datetime(2010, 6, 15, 12, tzinfo=datetime.UTC),
            data=bar_in_madre_de_dios(facts_date=datetime.date(2010, 6, 1)),
        ),
        "draft_cusco": complaint_save_draft(actor=personas["station_officer"], data=bar_in_madre_de_dios()),
        "draft_lima": complaint_save_draft(actor=personas["outsider"], data=bar_in_madre_de_dios()),
    }
    batches = {
        code: paper_form_batch_issue(actor=personas["national_admin"], unit=units[code], count=2)
        for code in ("DIRTEPOL-CUSCO-CPNP-1", "DIRTEPOL-CUSCO-TRATA", "DIRTEPOL-LIMA-CPNP-1", "LINEA-0800")
    }
    entry = {
        "kind": DiligenceType.RESCUE,
        "date": timezone.localdate(),
        "officer": "S3 PNP Rosa Huamán Quispe",
        "description": "Rescate de la víctima.",
    }
    diligences = {
        label: register.diligence_record(actor=actor, complaint=complaints[label], data=register.DiligenceData(**entry))
        for label, actor in (
            ("cusco", personas["station_officer"]),
            ("lima", personas["outsider"]),
            ("trata", personas["regional_investigator"]),
        )
    }
    answers = {
        label: register.answer_record(
            actor=actor,
            diligence=diligences[label],
            data=register.AnswerData(received_on=timezone.localdate(), summary="Respuesta recibida."),
        )
        for label, actor in (("cusco", personas["station_officer"]), ("lima", personas["outsider"]))
    }
    reniec = {
        "addressee": "Jefe de RENIEC",
        "city": "Cusco",
        "person": "Alias «La Tía»",
        "purpose": "Identificar a la presunta tratante.",
    }
    documents = {
        label: register.document_generate(
            actor=actor, complaint=complaints[label], kind=DocumentKind.RENIEC, fields=dict(reniec)
        )
        for label, actor in (("cusco", personas["station_officer"]), ("lima", personas["outsider"]))
    }
    return {
        "complaints": complaints,
        "batches": batches,
        "diligences": diligences,
        "answers": answers,
        "documents": documents,
    }


def _labels(rows: Any, named: dict[str, Any]) -> set[str]:
    by_pk = {row.pk: label for label, row in named.items()}
    return {by_pk[row.pk] for row in rows if row.pk in by_pk}


# ---------------------------------------------------------------- visible_to, model by model

COMPLAINTS_SEEN = {
    "station_officer": {"cusco", "draft_cusco"},  # its own station, and its draft
    "hotline_operator": {"hotline"},
    # the directorate: registered in it (Cusco station and specialised unit) or about facts in it (Lima's)
    "regional_investigator": {"cusco", "lima", "trata"},
    "outsider": {"lima", "draft_lima"},  # not the hotline's Lima facts: a station sees its own unit only
    **dict.fromkeys(NATIONAL, SUBMITTED),  # every submitted complaint; nobody else's drafts
}


def test_complaints_visible_to_each_persona(world: dict, personas: dict) -> None:
    for persona in PERSONAS:
        seen = _labels(Complaint.objects.visible_to(personas[persona]), world["complaints"])
        assert seen == COMPLAINTS_SEEN[persona], persona


def test_alerts_visible_to_each_persona_are_its_units_inbox(world: dict, personas: dict) -> None:
    """Alerts go to the competent directorate's specialised unit and to DIVINTRAP (trafficking),
    and each unit sees its own inbox only - not its subtree's."""
    expected = {
        "regional_investigator": {"lima", "trata"},  # DIRTEPOL-CUSCO-TRATA
        "national_investigator": SUBMITTED - {"mdd"},  # DIVINTRAP (the imported one raised none)
        "national_admin": SUBMITTED - {"mdd"},  # also DIVINTRAP
    }
    for persona in PERSONAS:
        alerts = Alert.objects.visible_to(personas[persona]).select_related("complaint")
        seen = {label for alert in alerts for label, c in world["complaints"].items() if c.pk == alert.complaint_id}
        assert seen == expected.get(persona, set()), persona


def test_units_visible_to_each_persona(world: dict, personas: dict, units: dict) -> None:
    cusco = {"DIRTEPOL-CUSCO", "DIRTEPOL-CUSCO-TRATA", "DIRTEPOL-CUSCO-CPNP-1"}
    expected = {
        "station_officer": {"DIRTEPOL-CUSCO-CPNP-1"},
        "hotline_operator": {"LINEA-0800"},
        "regional_investigator": cusco,
        "outsider": {"DIRTEPOL-LIMA-CPNP-1"},
        **dict.fromkeys(NATIONAL, set(units)),
    }
    for persona in PERSONAS:
        assert {unit.code for unit in Unit.objects.visible_to(personas[persona])} == expected[persona], persona


def test_accounts_visible_to_each_persona(world: dict, personas: dict) -> None:
    expected = {
        "station_officer": {"station_officer"},
        "hotline_operator": {"hotline_operator"},
        "regional_investigator": {"station_officer", "regional_investigator"},  # the directorate's accounts
        "outsider": {"outsider"},
        **dict.fromkeys(NATIONAL, set(PERSONAS)),
    }
    for persona in PERSONAS:
        assert _labels(User.objects.visible_to(personas[persona]), personas) == expected[persona], persona


PAPER_SEEN = {
    "station_officer": {"DIRTEPOL-CUSCO-CPNP-1"},
    "hotline_operator": {"LINEA-0800"},
    "regional_investigator": {"DIRTEPOL-CUSCO-CPNP-1", "DIRTEPOL-CUSCO-TRATA"},
    "outsider": {"DIRTEPOL-LIMA-CPNP-1"},
    **dict.fromkeys(NATIONAL, {"DIRTEPOL-CUSCO-CPNP-1", "DIRTEPOL-CUSCO-TRATA", "DIRTEPOL-LIMA-CPNP-1", "LINEA-0800"}),
}


def test_paper_form_batches_visible_to_each_persona(world: dict, personas: dict) -> None:
    for persona in PERSONAS:
        assert _labels(PaperFormBatch.objects.visible_to(personas[persona]), world["batches"]) == PAPER_SEEN[persona]


def test_paper_form_serials_visible_to_each_persona(world: dict, personas: dict) -> None:
    for persona in PERSONAS:
        serials = PaperFormSerial.objects.visible_to(personas[persona])
        assert {serial.unit.code for serial in serials} == PAPER_SEEN[persona], persona
        assert serials.count() == 2 * len(PAPER_SEEN[persona]), persona


def _through_complaint(named: dict[str, Any]) -> dict[str, set[str]]:
    """What a row of the register shows: whoever sees its complaint sees it."""
    return {persona: set(named) & COMPLAINTS_SEEN[persona] for persona in PERSONAS}


def test_register_entries_visible_to_each_persona(world: dict, personas: dict) -> None:
    expected = _through_complaint(world["diligences"])
    assert expected["outsider"] == {"lima"} and expected["regional_investigator"] == {"cusco", "lima", "trata"}
    for persona in PERSONAS:
        seen = _labels(Diligence.objects.visible_to(personas[persona]), world["diligences"])
        assert seen == expected[persona], persona


def test_answers_visible_to_each_persona(world: dict, personas: dict) -> None:
    expected = _through_complaint(world["answers"])
    assert expected["station_officer"] == {"cusco"} and expected["hotline_operator"] == set()
    for persona in PERSONAS:
        assert _labels(DiligenceAnswer.objects.visible_to(personas[persona]), world["answers"]) == expected[persona]


def test_generated_documents_visible_to_each_persona(world: dict, personas: dict) -> None:
    expected = _through_complaint(world["documents"])
    assert expected["outsider"] == {"lima"} and expected["monitor"] == {"cusco", "lima"}
    for persona in PERSONAS:
        seen = _labels(GeneratedDocument.objects.visible_to(personas[persona]), world["documents"])
        assert seen == expected[persona], persona


def test_audit_events_visible_to_the_readers_of_the_trail_only(world: dict, personas: dict) -> None:
    everything = set(AuditEvent.objects.values_list("pk", flat=True))
    assert len(everything) > 20
    for persona in PERSONAS:
        seen = set(AuditEvent.objects.visible_to(personas[persona]).values_list("pk", flat=True))
        assert seen == (everything if persona in ("auditor", "national_admin") else set()), persona
    personas["national_admin"].is_verified = lambda: False  # without the second factor: nothing
    assert not AuditEvent.objects.visible_to(personas["national_admin"]).exists()


def test_anonymous_and_lapsed_users_see_nothing_of_any_scoped_model(world: dict, personas: dict) -> None:
    lapsed = personas["station_officer"]
    lapsed.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    for user in (AnonymousUser(), lapsed):
        for model in SCOPED_MODELS:
            assert not model.objects.visible_to(user).exists(), (user, model.__name__)


def test_the_managers_keep_their_write_guards(world: dict) -> None:
    """visible_to composes with the freeze and the append-only guards: a visible row is still
    guarded, and the guards still answer through the scoped queryset."""
    from complaints.freeze import FrozenRecordError
    from reta.guards import AppendOnlyError

    national = User.objects.get(username="monitor")
    with pytest.raises(FrozenRecordError):
        Complaint.objects.visible_to(national).update(narrative="cambio")
    for model in (Diligence, DiligenceAnswer, GeneratedDocument, AuditEvent):
        with pytest.raises(AppendOnlyError):
            model.objects.all().update(created_at=timezone.now())
        with pytest.raises(AppendOnlyError):
            model.objects.all().delete()


# ---------------------------------------------------------------- get_visible_or_404

SCOPED_MODELS = (
    Unit,
    User,
    Complaint,
    Alert,
    PaperFormBatch,
    PaperFormSerial,
    Diligence,
    DiligenceAnswer,
    GeneratedDocument,
    AuditEvent,
)
MALFORMED_IDS = ("abc", "", "1; DROP TABLE x", [1], {"pk": 1}, "1.5", None, -1, 10**12)


def test_get_visible_or_404_fetches_a_row_in_scope_and_404s_outside_it(world: dict, personas: dict) -> None:
    officer, outsider = personas["station_officer"], personas["outsider"]
    mine = world["complaints"]["cusco"]
    assert get_visible_or_404(Complaint, officer, pk=mine.pk) == mine
    assert get_visible_or_404(Complaint.objects.select_related("registering_unit"), officer, pk=mine.pk) == mine
    rows = {
        Complaint: mine,
        Diligence: world["diligences"]["cusco"],
        DiligenceAnswer: world["answers"]["cusco"],
        GeneratedDocument: world["documents"]["cusco"],
        PaperFormBatch: world["batches"]["DIRTEPOL-CUSCO-CPNP-1"],
        PaperFormSerial: world["batches"]["DIRTEPOL-CUSCO-CPNP-1"].serials.first(),
        Unit: officer.unit,
        User: officer,
    }
    for model, row in rows.items():
        assert get_visible_or_404(model, officer, pk=row.pk) == row, model.__name__
        with pytest.raises(Http404):
            get_visible_or_404(model, outsider, pk=row.pk)
    alert = Alert.objects.filter(complaint=world["complaints"]["lima"], unit__code="DIRTEPOL-CUSCO-TRATA").get()
    assert get_visible_or_404(Alert, personas["regional_investigator"], pk=alert.pk) == alert
    with pytest.raises(Http404):
        get_visible_or_404(Alert, personas["national_investigator"], pk=alert.pk)  # another unit's inbox
    event = AuditEvent.objects.first()
    assert get_visible_or_404(AuditEvent, personas["auditor"], pk=event.pk) == event
    with pytest.raises(Http404):
        get_visible_or_404(AuditEvent, personas["monitor"], pk=event.pk)
    with pytest.raises(Http404):  # another unit's draft
        get_visible_or_404(Complaint, outsider, pk=world["complaints"]["draft_cusco"].pk)


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda model: model.__name__)
def test_get_visible_or_404_answers_404_for_a_malformed_id(world: dict, personas: dict, model: type) -> None:
    for value in MALFORMED_IDS:
        with pytest.raises(Http404):
            get_visible_or_404(model, personas["national_admin"], pk=value)


def test_a_model_without_a_rule_is_a_bug_not_a_404(personas: dict) -> None:
    with pytest.raises(TypeError, match="declares no access rule"):
        get_visible_or_404(District, personas["monitor"], pk="080101")


def test_every_scoped_manager_has_a_rule_and_every_scoped_model_a_scoped_manager() -> None:
    scoped = {
        model
        for model in apps.get_models()
        if issubclass(model._default_manager._queryset_class, ScopedQuerySet)  # type: ignore[attr-defined]
    }
    assert set(SCOPED_MODELS) <= scoped
    for model in scoped:
        visible_q(model, AnonymousUser())  # raises TypeError without a rule


def test_a_child_row_is_scoped_through_its_parents_rule(personas: dict) -> None:
    """One rule, written once: the register reads its complaint's rule on "complaint__..."."""
    officer = personas["station_officer"]

    def sql(model: type, rule: object) -> str:  # the rule holds a subquery (alerted units): compare its SQL
        return str(model.objects.filter(rule).query)

    assert sql(Diligence, visible_q(Diligence, officer)) == sql(
        Diligence, Complaint.visible_q(officer, prefix="complaint")
    )
    assert sql(GeneratedDocument, visible_q(GeneratedDocument, officer)) == sql(
        GeneratedDocument, Complaint.visible_q(officer, prefix="complaint")
    )
    assert sql(DiligenceAnswer, visible_q(DiligenceAnswer, officer)) == sql(
        DiligenceAnswer, Complaint.visible_q(officer, prefix="diligence__complaint")
    )


# ---------------------------------------------------------------- views go through the primitive


def _view_modules() -> list[Path]:
    apps_dirs = sorted(path.parent for path in ROOT.glob("*/apps.py")) + [ROOT / "reta"]
    found = []
    for app in apps_dirs:
        found += [app / "views.py"] if (app / "views.py").exists() else []
        found += sorted((app / "views").glob("*.py")) if (app / "views").is_dir() else []
    return found


def _direct_reads(source: str, where: str, scoped_names: set[str]) -> list[str]:
    """`get_object_or_404(...)` anywhere, and `<ScopedModel>.objects.<anything but visible_to>`."""
    problems: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "get_object_or_404":
                problems.append((node.lineno, "get_object_or_404"))
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in ("objects", "_default_manager")
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id in scoped_names
            and node.attr != "visible_to"
        ):
            problems.append((node.lineno, f"{node.value.value.id}.{node.value.attr}.{node.attr}"))
    return [f"{where}:{line} {what}" for line, what in sorted(problems)]


def test_no_view_reads_a_scoped_model_around_the_access_primitive() -> None:
    """Views read scoped models through `Model.objects.visible_to(user)`, `get_visible_or_404` or a
    selector built on them - never `Model.objects.get/filter/...` nor `get_object_or_404`."""
    scoped_names = {model.__name__ for model in apps.get_models() if hasattr(model._default_manager, "visible_to")}
    assert {model.__name__ for model in SCOPED_MODELS} <= scoped_names
    modules = _view_modules()
    assert len(modules) >= 8  # the walk finds the view modules
    problems = list(
        itertools.chain.from_iterable(
            _direct_reads(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), scoped_names)
            for path in modules
        )
    )
    assert problems == []


def test_the_guard_catches_a_direct_read() -> None:
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "def view(request, pk):\n"
        "    a = Complaint.objects.get(pk=pk)\n"
        "    b = get_object_or_404(Alert, pk=pk)\n"
        "    c = Alert.objects.filter(pk=pk).first()\n"
        "    d = District.objects.get(pk=pk)\n"
        "    return Complaint.objects.visible_to(request.user)\n"
    )
    assert _direct_reads(source, "views.py", {"Complaint", "Alert"}) == [
        "views.py:3 Complaint.objects.get",
        "views.py:4 get_object_or_404",
        "views.py:5 Alert.objects.filter",
    ]
