"""A complaint printed as a filled form (paperforms.pdf, paperforms:complaint_pdf): the number,
the classification and its explanation; identities masked unless an identity role asks with the
logged POST; every download audited."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from complaints.models import Complaint
from complaints.rules.codes import GROUPS, OUTCOME_LABELS, WARNING_MESSAGES
from complaints.services import VictimData, complaint_file
from paperforms.pdf import render_complaint_pdf, short_hint
from people import privacy
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

MINOR_NAME = "Lucía Condori Apaza"


def text_of(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "complaint.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(raw.split())


def url(complaint: Any) -> str:
    return reverse("paperforms:complaint_pdf", args=[complaint.pk])


def test_the_masked_pdf_holds_number_classification_and_explanation(
    personas: dict, complaints: dict, tmp_path: Path
) -> None:
    complaint = complaints["frozen"]
    response = signed_in_client(personas["regional_investigator"]).get(url(complaint))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="denuncia-{complaint.number}.pdf"'
    assert response["Cache-Control"] == "no-store"
    text = text_of(response.content, tmp_path)

    assert complaint.number in text
    assert OUTCOME_LABELS[complaint.outcome] in text
    explanation = complaint.classification["explanation"]
    assert explanation
    for sentence in explanation:
        assert " ".join(sentence.split()) in text, sentence
    assert "explotación sexual" in text  # the purpose category
    assert "DIRTEPOL Madre de Dios" in text  # the competent directorate
    # The form itself: its sections, the ticked boxes and the place.
    assert "4. VÍCTIMAS" in text and "Tambopata" in text and "Comisaría PNP Cusco" in text

    # No identity of the minor, nor the complainant's name, document or phone.
    for secret in ("Lucía", "Condori", "Apaza", "76543210", "Mamani", "Huallpa", "41234567", "984 111 222"):
        assert secret not in text, secret
    assert "Menor de edad (identidad protegida)" in text
    assert "J.M.H." in text  # the adult complainant: initials
    assert "Identidades protegidas" in text

    event = AuditEvent.objects.get(event="complaint_pdf")
    assert event.object_id == str(complaint.pk) and event.details["identities"] is False
    assert event.user_name == "regional.investigator"
    assert not AuditEvent.objects.filter(event="identity_shown").exists()


def test_an_identity_role_unmasks_with_the_logged_post(personas: dict, complaints: dict, tmp_path: Path) -> None:
    complaint = complaints["frozen"]
    response = signed_in_client(personas["national_admin"]).post(url(complaint))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-identidades.pdf"')
    text = text_of(response.content, tmp_path)
    # The adults are shown; a minor is not, to anyone but an investigator (people.privacy).
    assert "Juana" in text and "Mamani Huallpa" in text and "41234567" in text and "984 111 222" in text
    for secret in (MINOR_NAME, "Lucía", "Condori", "Apaza", "76543210"):
        assert secret not in text, secret
    assert "Menor de edad (identidad protegida)" in text
    assert "CONTIENE IDENTIDADES" in text

    shown = AuditEvent.objects.get(event="identity_shown")
    assert shown.details == {
        "document": "complaint_pdf",
        "victims": 1,
        "minors": 1,
        "suspects": 1,
        "complainant": True,
        "shown": ["complainant", "adults", "others"],
    }
    printed = AuditEvent.objects.get(event="complaint_pdf")
    assert printed.details["identities"] is True
    assert shown.request_id and shown.request_id == printed.request_id
    # No personal data in the audit trail.
    for event in AuditEvent.objects.all():
        assert "Lucía" not in str(event.details) and "Lucía" not in event.object_repr


@pytest.mark.parametrize("persona", ["monitor", "auditor"])
def test_roles_without_need_to_know_cannot_unmask(persona: str, personas: dict, complaints: dict) -> None:
    client = signed_in_client(personas[persona])
    assert client.post(url(complaints["frozen"])).status_code == 403
    assert client.get(url(complaints["frozen"])).status_code == 200
    assert not AuditEvent.objects.filter(event="identity_shown").exists()
    assert AuditEvent.objects.filter(event="complaint_pdf").count() == 1  # the GET only


def test_a_complaint_outside_the_scope_is_not_found(personas: dict, complaints: dict) -> None:
    client = signed_in_client(personas["outsider"])
    assert client.get(url(complaints["frozen"])).status_code == 404
    assert client.post(url(complaints["frozen"])).status_code == 404
    assert not AuditEvent.objects.filter(event__in=["complaint_pdf", "identity_shown"]).exists()


def test_names_are_masked_in_the_narrative_too(personas: dict, tmp_path: Path) -> None:
    data = bar_in_madre_de_dios(
        narrative="Lucía Condori (DNI 76543210) fue captada por «La Tía»; su madre Juana llamó al 984 111 222.",
    )
    complaint = complaint_file(actor=personas["station_officer"], data=data)
    text = text_of(render_complaint_pdf(complaint, generated_by=personas["monitor"], show_identity=False), tmp_path)
    for secret in ("Lucía", "Condori", "76543210", "Juana", "984 111 222"):
        assert secret not in text, secret
    assert "L. C. (DNI ••••••) fue captada" in text
    shown = text_of(render_complaint_pdf(complaint, generated_by="x", show_identity=True), tmp_path)
    # Revealed: the adults' names and contacts are shown, the minor's name and document never are.
    assert "L. C. (DNI ••••••) fue captada" in shown and "su madre Juana llamó al 984 111 222" in shown
    for secret in ("Lucía", "Condori", "76543210"):
        assert secret not in shown, secret


def test_an_adult_victim_shows_initials_and_a_long_narrative_goes_to_the_annex(personas: dict, tmp_path: Path) -> None:
    narrative = " ".join(
        f"Frase número {i} del relato de los hechos, con detalles del lugar y de las personas." for i in range(90)
    )
    victims = [VictimData(first_names="María", last_names="Quispe Flores", sex="F", age=25 + i) for i in range(6)]
    data = bar_in_madre_de_dios(narrative=narrative, victims=victims)
    complaint = complaint_file(actor=personas["station_officer"], data=data)
    text = text_of(render_complaint_pdf(complaint, generated_by=personas["monitor"], show_identity=False), tmp_path)
    assert "M.Q.F." in text and "María" not in text
    assert "Víctima 5: M.Q.F." in text and "Víctima 6" in text  # rows beyond the form's four
    assert "(el relato continúa en el anexo)" in text
    assert "Frase número 89 del relato" in text  # the whole narrative is in the annex


def test_a_draft_prints_as_not_yet_classified(personas: dict, complaints: dict, tmp_path: Path) -> None:
    response = signed_in_client(personas["station_officer"]).get(url(complaints["draft"]))
    assert response.status_code == 200
    assert f"borrador-{complaints['draft'].pk}.pdf" in response["Content-Disposition"]
    text = text_of(response.content, tmp_path)
    assert "aún no ha sido calificada" in text


def test_warnings_are_printed_in_words(personas: dict, tmp_path: Path) -> None:
    data = bar_in_madre_de_dios(means=[], purposes=["prostitution"], victims=[VictimData(sex="F")])
    complaint = complaint_file(actor=personas["station_officer"], data=data)
    assert complaint.classification["warnings"]
    text = text_of(render_complaint_pdf(complaint, generated_by="x", show_identity=False), tmp_path)
    for code in complaint.classification["warnings"]:
        assert " ".join(WARNING_MESSAGES[code].split()) in text


def test_the_pdf_reads_its_people_in_the_same_few_queries_however_many_they_are(personas: dict) -> None:
    def queries_to_render(victims: int) -> int:
        people = [VictimData(sex="F", age=15 + n, nationality="PE") for n in range(victims)]
        complaint = Complaint.objects.get(
            pk=complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(victims=people)).pk
        )
        with CaptureQueriesContext(connection) as queries:
            content = render_complaint_pdf(complaint, generated_by="x", show_identity=False)
        assert content.startswith(b"%PDF")
        return len(queries)

    assert queries_to_render(1) == queries_to_render(6) <= 10


def test_every_check_box_has_a_short_hint_with_its_article() -> None:
    for group, elements in GROUPS.items():
        for element in elements:
            hint = short_hint(group, element)
            assert hint.startswith(f"Art. {element.article}: "), hint
            assert 20 < len(hint) <= 170, hint
            assert len(hint) < len(element.hint) + 20


def test_masking_text_replaces_whole_words_only() -> None:
    class P:
        first_names, last_names, document_number = "Ana", "Rosa Li", "1234"

    text = "Ana y Rosa Li vieron a Anabel de la Cruz; DNI 1234, 12345."
    masked = privacy.masked_text(text, people=[P()], revealed=False, labels=privacy.FORM)
    assert masked == "A. y R. L. vieron a Anabel de la Cruz; DNI ••••••, 12345."
