"""The printed paper form lists the kinds of place of the editable catalogue (issue 13, catalogues):
the active entries, an administrator's additions included and deactivated ones left out; a filled
complaint still shows the kind it holds; and entering a paper form accepts an added kind, which the
statistics count under its own code."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from administration import services as admin_services
from administration.models import Catalogue, CatalogueEntry
from complaints.models import Complaint
from complaints.services import complaint_file
from paperforms.pdf import render_blank_form_pdf, render_complaint_pdf
from stats.models import StatComplaint
from tests.complaints.test_form import post_data
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios
from tests.paperforms.test_paper_entry import issued, paper_case
from tests.paperforms.test_paper_forms import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db: object) -> None:
    """The entries of migration 0009 (a transactional test's flush on the same worker empties them)."""
    admin_services.catalogues_seed()


def add_fishing_camp(personas: dict) -> CatalogueEntry:
    return admin_services.catalogue_entry_add(
        actor=personas["national_admin"],
        catalogue=Catalogue.PLACE_KIND,
        code="fishing_camp",
        label_es="Campamento pesquero",
        label_en="Fishing camp",
        order=135,
    )


def deactivate(personas: dict, code: str) -> None:
    entry = CatalogueEntry.objects.get(catalogue=Catalogue.PLACE_KIND, code=code)
    admin_services.catalogue_entry_update(
        actor=personas["national_admin"],
        entry=entry,
        label_es=entry.label_es,
        label_en=entry.label_en,
        order=entry.order,
        active=False,
    )


def test_the_blank_form_lists_the_active_kinds_of_place_of_the_catalogue(personas: dict, tmp_path: Path) -> None:
    before = pdf_text(render_blank_form_pdf(["RETA-000001-3"], generated_by="prueba"), tmp_path)
    assert "Paso de frontera" in before and "Campamento pesquero" not in before
    add_fishing_camp(personas)
    deactivate(personas, "border")
    text = pdf_text(render_blank_form_pdf(["RETA-000001-3"], generated_by="prueba"), tmp_path)
    assert "Campamento pesquero" in text  # the addition, in Spanish whatever the interface language
    assert "Paso de frontera" not in text  # deactivated: no longer offered on a new form
    for label in ("Prostíbulo", "Campamento minero", "Terminal terrestre, puerto o aeropuerto", "Otro"):
        assert label in text, label


def test_a_filled_form_still_shows_a_kind_deactivated_since(personas: dict, tmp_path: Path) -> None:
    complaint = complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(place_kind="border"))
    deactivate(personas, "border")
    text = pdf_text(render_complaint_pdf(complaint, generated_by="prueba"), tmp_path)
    assert "Paso de frontera" in text


def test_a_paper_form_with_an_added_kind_of_place_is_entered_and_counted(units: dict, personas: dict) -> None:
    entry = add_fishing_camp(personas)
    serial = issued(units, personas, "DIRTEPOL-CUSCO-CPNP-1")
    case = paper_case(serial.serial)
    case.place_kind = "fishing_camp"
    client = signed_in_client(personas["station_officer"])
    first = client.post(reverse("complaints:complaint_create"), post_data(case))
    review = client.get(first["Location"])
    assert "Campamento pesquero" in review.content.decode()  # the review page shows its label
    confirmed = client.post(first["Location"], {"action": "confirm", "fingerprint": review.context["fingerprint"]})
    assert confirmed.status_code == 302
    complaint = Complaint.objects.get(paper_serial=serial.serial)
    assert complaint.place_kind == "fishing_camp"
    assert StatComplaint.objects.get(pk=complaint.pk).place_kind == entry.stat_code
