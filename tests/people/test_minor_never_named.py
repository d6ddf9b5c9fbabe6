"""A minor's name (and document) never appears, for any persona, on any output: the detail page
(also after the logged reveal), the printable page, the history, the filled PDF (also the copy
"with identities") and the generated documents - even when it was typed into the narrative.
The one exception (issue 10, item 5): the investigators, after the logged reveal, on the detail
page and the PDF "with identities" (tests/people/test_privacy_every_page.py)."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from complaints.services import SuspectData, complaint_amend, complaint_data_of, complaint_file
from diligences import services as register
from diligences.models import DocumentKind
from diligences.pdf import DEFAULT_ADDRESSEES
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

SEEING = ("station_officer", "regional_investigator", "national_investigator", "national_admin", "monitor", "auditor")
IDENTITY = ("regional_investigator", "national_investigator", "national_admin")
INVESTIGATORS = ("regional_investigator", "national_investigator")
WRITERS = ("station_officer", "regional_investigator", "national_investigator")
MINOR = ("Lucía", "Lucia", "Elena", "Condori", "Apaza", "76543210")


@pytest.fixture
def case(personas: dict) -> Complaint:
    """The 16-year-old of the fixtures, named in the narrative and in a description too, then
    amended (her name corrected) so that the history has something to show."""
    data = bar_in_madre_de_dios(
        narrative="Lucía Condori Apaza (DNI 76543210) fue captada en Cusco; su madre Juana la buscó.",
        suspects=[SuspectData(alias="La Tía", sex="F", description="Vigilaba a Lucía en el bar.")],
    )
    complaint = complaint_file(actor=personas["station_officer"], data=data)
    admin = personas["national_admin"]
    admin.is_verified = lambda: True
    amended = complaint_data_of(complaint)
    amended.victims = [dataclasses.replace(amended.victims[0], first_names="Lucía Elena")]
    amended.narrative = "Lucía Elena Condori Apaza (DNI 76543210) fue captada en Cusco; su madre Juana la buscó."
    return complaint_amend(actor=admin, complaint=complaint, data=amended, reason="Nombre completo", expected_version=1)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(raw.split())


def assert_unnamed(text: str, where: str) -> None:
    present = [word for word in MINOR if word in text]
    assert not present, f"{where}: {present}"


def html(client: Client, name: str, pk: int, method: str = "get") -> str:
    response = getattr(client, method)(reverse(name, args=[pk]))
    assert response.status_code == 200, (name, method, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("persona", SEEING)
def test_no_page_names_the_minor(clients: dict, case: Complaint, persona: str) -> None:
    client = clients[persona]
    assert_unnamed(html(client, "complaints:complaint_detail", case.pk), f"detail as {persona}")
    assert_unnamed(html(client, "complaints:complaint_print", case.pk), f"print as {persona}")
    history = html(client, "complaints:complaint_history", case.pk)
    assert "Nombre completo" in history  # the amendment is there, her name is not
    assert_unnamed(history, f"history as {persona}")
    if persona in IDENTITY:
        shown = html(client, "complaints:complaint_show_identity", case.pk, "post")
        assert "Juana Mamani Huallpa" in shown  # the reveal shows the adults...
        if persona in INVESTIGATORS:  # ...the minor to the investigators only
            assert "Lucía Elena Condori Apaza" in shown
        else:
            assert_unnamed(shown, f"revealed detail as {persona}")


@pytest.mark.parametrize("persona", SEEING)
def test_no_filled_pdf_names_the_minor(clients: dict, case: Complaint, persona: str, tmp_path: Path) -> None:
    client = clients[persona]
    url = reverse("paperforms:complaint_pdf", args=[case.pk])
    assert_unnamed(pdf_text(client.get(url).content, tmp_path), f"PDF as {persona}")
    if persona in IDENTITY:
        response = client.post(url)
        assert response.status_code == 200
        text = pdf_text(response.content, tmp_path)
        assert "Juana" in text
        if persona in INVESTIGATORS:
            assert "Lucía Elena Condori Apaza" in text
        else:
            assert_unnamed(text, f"PDF with identities as {persona}")


@pytest.mark.parametrize("persona", WRITERS)
def test_no_generated_document_names_the_minor(
    clients: dict, personas: dict, case: Complaint, persona: str, tmp_path: Path
) -> None:
    url = reverse("diligences:diligence_document_create", args=[case.pk, DocumentKind.FORENSIC_EXAM])
    page = clients[persona].get(url).content.decode()
    assert "L.E.C.A." in page  # the form cites her by initials
    assert_unnamed(page, f"document form as {persona}")
    fields: dict[str, Any] = {
        "addressee": DEFAULT_ADDRESSEES[DocumentKind.FORENSIC_EXAM],
        "city": "Cusco",
        "victim": "1",
        "examinations": ["physical", "age"],
        "notes": "",
    }
    document = register.document_generate(
        actor=personas[persona], complaint=case, kind=DocumentKind.FORENSIC_EXAM, fields=fields, show_adult_names=True
    )
    text = pdf_text(document.read_pdf(), tmp_path)
    assert "L.E.C.A." in text
    assert_unnamed(text, f"document as {persona}")
