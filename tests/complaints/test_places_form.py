"""The places of the route on the form (without JavaScript), the draft, the detail, the history and the
amendment screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from administration.models import District, Role
from complaints import services
from complaints.models import Alert, Complaint, ComplaintPlace
from complaints.services import PlaceData
from tests.complaints.test_form import CREATE, _rows, counts, post_data, register
from tests.conftest import signed_in_client
from tests.factories.administration import UserFactory
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(personas: dict) -> Any:
    return signed_in_client(personas["station_officer"])


def with_places(data: dict, rows: list[dict[str, Any]]) -> dict:
    return {**data, **_rows("places", rows)}


RECRUITED_IN_CUSCO = {
    "role": "recruitment",
    "department": "08",
    "province": "0801",
    "district": "080101",
    "address": "Terminal terrestre de Cusco",
    "kind": "transport",
}


def test_adding_a_place_without_javascript_shows_a_blank_row_and_saves_nothing(officer: Any) -> None:
    before = counts()
    response = officer.post(CREATE, post_data(bar_in_madre_de_dios(), action="add_place"))
    assert response.status_code == 200 and counts() == before
    html = response.content.decode()
    assert "Otros lugares de la ruta" in html and "Lugar de la ruta 1" in html
    assert 'name="places-0-role"' in html and '<label for="id_places-0-role">Función en la ruta</label>' in html
    assert '<option value="recruitment">Captación</option>' in html
    assert 'id="add-place"' in html and 'name="remove_place" value="0"' in html


def test_a_place_row_lists_its_provinces_and_districts_without_javascript(officer: Any) -> None:
    data = with_places(
        post_data(bar_in_madre_de_dios(), action="refresh"), [{"role": "recruitment", "department": "08"}]
    )
    response = officer.post(CREATE, data)
    row = response.context["entry"].places.forms[0]
    assert ("0801", "Cusco") in row.fields["province"].choices
    assert [code for code, _name in row.fields["district"].choices] == [""]
    data["places-0-province"] = "0801"
    response = officer.post(CREATE, data)
    assert '<option value="080101">Cusco</option>' in response.content.decode()
    assert counts() == (0, 0)


def test_removing_a_place_keeps_the_others(officer: Any) -> None:
    rows = [RECRUITED_IN_CUSCO, {"role": "transit", "department": "15"}]
    response = officer.post(
        CREATE, with_places(post_data(bar_in_madre_de_dios(), action=""), rows) | {"remove_place": "0"}
    )
    assert [form["role"].value() for form in response.context["entry"].places.forms] == ["transit"]


def test_registering_with_a_place_of_the_route_alerts_its_unit_and_the_pages_show_it(
    officer: Any, clients: dict, personas: dict
) -> None:
    UserFactory(username="mdd.inv", unit=personas["regional_investigator"].unit, role=Role.REGIONAL_INVESTIGATOR)
    response = register(officer, CREATE, with_places(post_data(bar_in_madre_de_dios()), [RECRUITED_IN_CUSCO, {}]))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    complaint = Complaint.objects.get()
    assert complaint.is_frozen
    place = complaint.places.get()  # the blank second row is no place
    assert (place.role, place.district_id, place.kind) == ("recruitment", "080101", "transport")
    assert Alert.objects.filter(complaint=complaint, unit__code="DIRTEPOL-CUSCO-TRATA", place_roles=["recruitment"])
    result = officer.get(response["Location"]).content.decode()
    assert "Captación" in result and "Unidad de trata — X DIRTEPOL Cusco" in result
    assert "competente por: captación" in result
    detail = clients["regional_investigator"].get(reverse("complaints:complaint_detail", kwargs={"pk": complaint.pk}))
    assert detail.status_code == 200  # Cusco was alerted: it sees the complaint
    html = detail.content.decode()
    assert "Otros lugares de la ruta" in html and "Terminal terrestre de Cusco" in html and "Captación" in html


def test_a_place_without_a_district_is_refused_in_spanish_at_registration_and_kept_in_a_draft(officer: Any) -> None:
    data = with_places(post_data(bar_in_madre_de_dios()), [{"role": "recruitment", "department": "08"}])
    response = officer.post(CREATE, data)
    assert response.status_code == 200 and Complaint.objects.count() == 0
    assert "Indique el distrito del lugar 1 de la ruta." in response.content.decode()
    draft = officer.post(CREATE, {**data, "action": "save_draft"})
    assert draft.status_code == 302
    saved = Complaint.objects.get()
    assert saved.places.get().district is None
    page = officer.get(reverse("complaints:complaint_edit", kwargs={"pk": saved.pk}))
    assert page.context["entry"].places.forms[0]["role"].value() == "recruitment"


def test_a_draft_keeps_its_places_on_the_edit_page(officer: Any, personas: dict) -> None:
    cusco = District.objects.get(code="080101")
    draft = services.complaint_save_draft(
        actor=personas["station_officer"],
        data=bar_in_madre_de_dios(places=[PlaceData(role="transit", district=cusco, address="Paradero")]),
    )
    page = officer.get(reverse("complaints:complaint_edit", kwargs={"pk": draft.pk}))
    row = page.context["entry"].places.forms[0]
    assert (row["role"].value(), row["province"].value(), row["district"].value()) == ("transit", "0801", "080101")
    assert 'value="Paradero"' in page.content.decode()


def test_a_private_home_of_the_route_is_withheld_and_the_history_shows_the_place(clients: dict, personas: dict) -> None:
    cusco = District.objects.get(code="080101")
    place = PlaceData(role="exploitation", district=cusco, address="Jr. Los Incas 123", kind="private_home")
    complaint = services.complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios(places=[place]))
    detail = clients["monitor"].get(reverse("complaints:complaint_detail", kwargs={"pk": complaint.pk}))
    assert "Jr. Los Incas 123" not in detail.content.decode()
    history = clients["national_admin"].get(reverse("complaints:complaint_history", kwargs={"pk": complaint.pk}))
    html = history.content.decode()
    assert history.status_code == 200 and "Lugar de la ruta 1" in html and "Explotación o destino" in html
    assert "Jr. Los Incas 123" not in html


def test_the_amendment_screen_changes_the_places(clients: dict, personas: dict) -> None:
    from tests.complaints.test_amend import amend_url, form_data

    cusco = District.objects.get(code="080101")
    complaint = services.complaint_file(
        actor=personas["station_officer"],
        data=bar_in_madre_de_dios(places=[PlaceData(role="transit", district=cusco)]),
    )
    admin = clients["national_admin"]
    page = admin.get(amend_url(complaint))
    assert "Otros lugares de la ruta" in page.content.decode()
    sent = form_data(page, reason="Era el lugar de captación.")
    sent["places-0-role"] = "recruitment"
    assert admin.post(amend_url(complaint), sent).status_code == 302
    assert ComplaintPlace.objects.get(complaint=complaint).role == "recruitment"
