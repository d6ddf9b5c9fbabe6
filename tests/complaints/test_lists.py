"""Finding complaints: scope, filters, search, sorting, pagination, query counts, export."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from administration.models import Unit
from audit.models import AuditEvent
from complaints.models import Complaint
from complaints.services import VictimData, complaint_file
from reta.exports import neutralise
from tests.conftest import signed_in_client
from tests.factories.administration import UserFactory
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

LIST = "complaints:complaint_list"
EXPORT = "complaints:complaint_export"


def text_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def listed(client: Client, **params: Any) -> list[str]:
    """Numbers (or "draft-<pk>") of the complaints a GET of the list shows, in order."""
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return [row_key(c) for c in response.context["page"].object_list]


def row_key(complaint: Complaint) -> str:
    return complaint.number or f"draft-{complaint.pk}"


def search(client: Client, text: str, **filters: Any) -> Any:
    """Search as the page does it: POST the form, follow the redirect."""
    response = client.post(reverse(LIST), {"q": text, **filters})
    assert response.status_code == 302, response.content[:500]
    return response


def found(client: Client, text: str, **filters: Any) -> list[str]:
    response = client.get(search(client, text, **filters)["Location"])
    assert response.status_code == 200
    return [row_key(c) for c in response.context["page"].object_list]


def file_days_ago(actor: Any, days: int, **overrides: Any) -> Complaint:
    facts = timezone.localdate() - datetime.timedelta(days=days)
    return complaint_file(actor=actor, data=bar_in_madre_de_dios(facts_date=facts, **overrides))


def mdd_investigator(units: dict) -> Any:
    return UserFactory(
        username="investigador.mdd", unit=units["DIRTEPOL-MADRE-DE-DIOS-TRATA"], role="regional_investigator"
    )


def export_rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text_of(response).lstrip("\ufeff"))))


# ---------------------------------------------------------------- scope


def test_the_station_sees_its_complaint_and_its_draft(clients: dict, complaints: dict) -> None:
    shown = listed(clients["station_officer"])
    assert set(shown) == {complaints["frozen"].number, f"draft-{complaints['draft'].pk}"}


def test_another_station_sees_nothing_of_cusco(clients: dict, complaints: dict) -> None:
    assert listed(clients["outsider"]) == []
    assert listed(clients["hotline_operator"]) == []


def test_the_directorate_of_the_place_of_the_facts_sees_it_but_not_the_draft(units: dict, complaints: dict) -> None:
    client = signed_in_client(mdd_investigator(units))
    assert listed(client) == [complaints["frozen"].number]
    assert client.get(reverse("complaints:complaint_detail", args=[complaints["frozen"].pk])).status_code == 200
    assert client.get(reverse("complaints:complaint_detail", args=[complaints["draft"].pk])).status_code == 404


def test_drafts_are_seen_only_in_their_own_unit(clients: dict, complaints: dict) -> None:
    for persona in ("national_investigator", "national_admin", "monitor", "regional_investigator"):
        assert f"draft-{complaints['draft'].pk}" not in listed(clients[persona]), persona
        detail = clients[persona].get(reverse("complaints:complaint_detail", args=[complaints["draft"].pk]))
        assert detail.status_code == 404, persona
    own = clients["station_officer"].get(reverse("complaints:complaint_detail", args=[complaints["draft"].pk]))
    assert own.status_code == 200


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("complaints:complaint_detail", "get"),
        ("complaints:complaint_print", "get"),
        ("complaints:complaint_show_identity", "post"),
    ],
)
def test_a_lima_officer_gets_404_on_the_cusco_complaint(
    clients: dict, complaints: dict, name: str, method: str
) -> None:
    response = getattr(clients["outsider"], method)(reverse(name, args=[complaints["frozen"].pk]))
    assert response.status_code == 404


def test_an_unknown_id_is_a_404_like_an_out_of_scope_one(clients: dict, complaints: dict) -> None:
    missing = Complaint.objects.order_by("-pk").first().pk + 100
    response = clients["national_investigator"].get(reverse("complaints:complaint_detail", args=[missing]))
    assert response.status_code == 404


# ---------------------------------------------------------------- search


@pytest.mark.parametrize("text", ["lucia", "LUCÍA", "Lucia Condori", "condori lucia", "  luCía   apaza "])
def test_a_search_by_name_ignores_accents_case_and_order(clients: dict, complaints: dict, text: str) -> None:
    assert found(clients["national_investigator"], text) == [complaints["frozen"].number]


def test_a_search_by_number_or_document(clients: dict, complaints: dict) -> None:
    frozen = complaints["frozen"]
    client = clients["national_investigator"]
    assert found(client, frozen.number.lower()) == [frozen.number]
    assert found(client, "76543210") == [frozen.number]
    assert found(client, "la tia") == [frozen.number]  # an alleged trafficker's alias
    assert found(client, "pedro") == []


def test_the_search_text_never_goes_into_the_url(clients: dict, complaints: dict) -> None:
    client = clients["regional_investigator"]  # may search by name (people.policies)
    response = search(client, "Lucía Condori", status="submitted")
    location = response["Location"]
    assert "luc" not in location.lower() and "condori" not in location.lower()
    assert "status=submitted" in location and "s=" in location
    page = client.get(location)
    assert [row_key(c) for c in page.context["page"].object_list] == [complaints["frozen"].number]
    # Sorting links carry the token, never the text.
    links = re.findall(r'href="([^"]*)"', page.content.decode())
    assert any("s=" in link and "sort=" in link for link in links)
    assert not [link for link in links if "condori" in link.lower() or "luc" in link.lower()]


def test_an_expired_search_token_goes_back_to_the_filters_with_a_message(clients: dict, complaints: dict) -> None:
    client = clients["station_officer"]
    response = client.get(reverse(LIST), {"s": "no-such-token", "status": "submitted", "page": "2"})
    assert response.status_code == 302 and response["Location"] == reverse(LIST) + "?status=submitted"
    page = client.get(response["Location"])
    assert [row_key(c) for c in page.context["page"].object_list] == [complaints["frozen"].number]
    assert [str(m) for m in page.context["messages"]]


def test_a_search_of_another_session_is_not_found(clients: dict, complaints: dict, personas: dict) -> None:
    location = search(clients["national_investigator"], "lucia")["Location"]
    other = signed_in_client(personas["monitor"])
    assert other.get(location)["Location"] == reverse(LIST)
    export = other.get(reverse(EXPORT) + "?" + location.split("?", 1)[1])
    assert export.status_code == 302 and not AuditEvent.objects.filter(event="export").exists()


# ---------------------------------------------------------------- filters


def test_filters_by_status_outcome_category_and_origin(clients: dict, complaints: dict, personas: dict) -> None:
    hotline = complaint_file(
        actor=personas["hotline_operator"], data=bar_in_madre_de_dios(origin="hotline", purposes=["forced_labour"])
    )
    client = clients["national_investigator"]
    frozen = complaints["frozen"].number
    assert set(listed(client)) == {frozen, hotline.number}
    assert listed(client, category="sexual_exploitation") == [frozen]
    assert listed(client, category="labour_exploitation") == [hotline.number]
    assert listed(client, category="begging") == []
    assert listed(client, origin="hotline") == [hotline.number]
    assert set(listed(client, outcome="trafficking")) == {frozen, hotline.number}
    assert listed(client, outcome="related_crime") == []
    station = clients["station_officer"]
    assert listed(station, status="draft") == [f"draft-{complaints['draft'].pk}"]
    assert listed(station, status="submitted") == [frozen]


def test_filters_by_dates_of_registration_and_of_the_facts(clients: dict, complaints: dict) -> None:
    client = clients["national_investigator"]
    frozen = complaints["frozen"]
    registered = timezone.localdate(frozen.submitted_at)  # the day in Peru, as the officer sees it
    day_before = registered - datetime.timedelta(days=1)
    assert listed(client, registered_from=registered.isoformat(), registered_to=registered.isoformat()) == [
        frozen.number
    ]
    assert listed(client, registered_to=day_before.isoformat()) == []
    facts, day_after = frozen.facts_date, frozen.facts_date + datetime.timedelta(days=1)
    assert listed(client, facts_from=facts.isoformat(), facts_to=facts.isoformat()) == [frozen.number]
    assert listed(client, facts_from=day_after.isoformat()) == []


def test_filters_by_registering_unit_and_directorate(clients: dict, complaints: dict) -> None:
    client = clients["national_investigator"]
    frozen = complaints["frozen"].number
    assert listed(client, directorate="DIRTEPOL-CUSCO") == [frozen]
    assert listed(client, directorate="DIRTEPOL-LIMA") == []
    assert listed(client, unit="dirtepol-cusco-cpnp-1") == [frozen]
    assert listed(client, unit="Comisaría PNP Cusco") == [frozen]
    assert listed(client, unit="Comisaría PNP Lima") == []


def test_filters_by_days_between_the_facts_and_the_registration(clients: dict, personas: dict) -> None:
    officer = personas["station_officer"]
    quick, slow = file_days_ago(officer, 2), file_days_ago(officer, 40)
    client = clients["national_investigator"]
    assert listed(client, delay_max=10) == [quick.number]
    assert listed(client, delay_min=10) == [slow.number]
    assert set(listed(client, delay_min=2, delay_max=40)) == {quick.number, slow.number}


def test_bad_filters_are_explained_not_a_500(clients: dict, complaints: dict) -> None:
    response = clients["national_investigator"].get(
        reverse(LIST), {"facts_from": "2026-11-21", "facts_to": "2026-11-01", "delay_min": "-3", "outcome": "x"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"facts_to", "delay_min", "outcome"} <= set(errors)
    assert 'role="alert"' in response.content.decode()
    posted = clients["national_investigator"].post(reverse(LIST), {"registered_from": "not-a-date"})
    assert posted.status_code == 200 and "registered_from" in posted.context["form"].errors


# ---------------------------------------------------------------- sorting, pagination, queries


def test_it_sorts_by_timeliness_both_ways(clients: dict, personas: dict) -> None:
    officer = personas["station_officer"]
    middle, slow, quick = file_days_ago(officer, 12), file_days_ago(officer, 300), file_days_ago(officer, 1)
    client = clients["national_investigator"]
    assert listed(client, sort="delay") == [quick.number, middle.number, slow.number]
    assert listed(client, sort="-delay") == [slow.number, middle.number, quick.number]
    response = client.get(reverse(LIST), {"sort": "-delay"})
    assert [c.registration_delay_days for c in response.context["page"]] == [300, 12, 1]
    assert 'aria-sort="descending"' in response.content.decode()


def test_it_sorts_by_registration_date(clients: dict, personas: dict, complaints: dict) -> None:
    first = complaints["frozen"]
    second = complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    station = clients["station_officer"]
    draft = f"draft-{complaints['draft'].pk}"
    assert listed(station) == [draft, second.number, first.number]  # drafts first: pending work
    assert listed(station, sort="registered") == [first.number, second.number, draft]


def _many(personas: dict, count: int) -> None:
    officer = personas["station_officer"]
    for index in range(count):
        file_days_ago(officer, index % 30)


@pytest.mark.parametrize("count", [5, 60])
def test_a_page_costs_a_bounded_number_of_queries(
    clients: dict, personas: dict, count: int, django_assert_max_num_queries: Any
) -> None:
    _many(personas, count)
    client = clients["national_investigator"]
    client.get(reverse(LIST))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse(LIST), {"sort": "-delay"})
    assert len(response.context["page"].object_list) == min(count, 50)
    location = search(client, "lucia")["Location"]
    with django_assert_max_num_queries(12):
        response = client.get(location)
    assert response.context["page"].paginator.count == count


def test_fifty_per_page(clients: dict, personas: dict) -> None:
    _many(personas, 60)
    client = clients["station_officer"]
    first = client.get(reverse(LIST))
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    second = client.get(reverse(LIST), {"page": 2})
    assert len(second.context["page"].object_list) == 10
    assert client.get(reverse(LIST), {"page": "zzz"}).status_code == 200


def test_the_list_shows_codes_as_labels_and_the_delay(clients: dict, complaints: dict) -> None:
    page = clients["station_officer"].get(reverse(LIST)).content.decode()
    frozen = complaints["frozen"]
    assert frozen.number in page
    assert "consistente con trata de personas" in page
    assert "explotación sexual" in page
    assert "Madre de Dios / Tambopata / Tambopata" in page
    assert "14–17" in page
    assert f">{frozen.registration_delay_days}<" in page


def test_the_list_asks_for_the_list_policy(clients: dict) -> None:
    assert Client().get(reverse(LIST)).status_code == 302


# ---------------------------------------------------------------- the detail page


def test_the_detail_page_shows_the_record(clients: dict, complaints: dict, django_assert_max_num_queries: Any) -> None:
    frozen = complaints["frozen"]
    client = clients["national_investigator"]
    client.get(reverse(LIST))
    # one for its case files (investigations), 2 for the audit chain head, one for the editable
    # catalogues and one for the research variables (administration.catalogues, extra_fields)
    with django_assert_max_num_queries(19):
        response = client.get(reverse("complaints:complaint_detail", args=[frozen.pk]))
    page = response.content.decode()
    assert frozen.number in page
    assert "Comisaría PNP Cusco" in page
    assert "captación" in page and "engaño" in page and "para que ejerza la prostitución" in page
    assert "Conductas" in page  # the group headings, from the Spanish legal vocabulary
    assert "falsa oferta de trabajo" in page  # the narrative
    assert "Unidad de trata — DIRTEPOL Madre de Dios" in page and "DIVINTRAP" in page  # the alerts
    assert f'id="registration-delay">{frozen.registration_delay_days}<' in page
    assert 'id="print-link"' in page
    assert 'id="amend-link"' not in page and 'id="edit-link"' not in page  # not the investigator's to change


def test_the_detail_page_escapes_what_people_typed(clients: dict, personas: dict) -> None:
    hostile = complaint_file(
        actor=personas["station_officer"], data=bar_in_madre_de_dios(narrative="<script>alert(1)</script> hechos")
    )
    page = clients["station_officer"].get(reverse("complaints:complaint_detail", args=[hostile.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("persona", ["station_officer", "hotline_operator", "auditor", "outsider"])
def test_the_export_is_refused_without_the_export_permission(clients: dict, complaints: dict, persona: str) -> None:
    assert clients[persona].get(reverse(EXPORT)).status_code == 403


def test_the_export_carries_codes_and_counts(clients: dict, complaints: dict) -> None:
    response = clients["national_investigator"].get(reverse(EXPORT))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = export_rows(response)
    assert len(rows) == 1  # the draft belongs to the Cusco station only
    row = rows[0]
    frozen = complaints["frozen"]
    assert row["number"] == frozen.number
    assert row["registering_unit"] == "DIRTEPOL-CUSCO-CPNP-1"
    assert row["directorate"] == "DIRTEPOL-CUSCO"
    assert (row["department"], row["province"], row["district"]) == ("17", "1701", "170101")
    assert row["outcome"] == "trafficking" and row["categories"] == "sexual_exploitation"
    assert (row["victims"], row["victims_minors"], row["suspects"]) == ("1", "1", "1")
    assert row["registration_delay_days"] == str(frozen.registration_delay_days)
    assert row["status"] == "submitted" and row["origin"] == "station" and row["place_kind"] == "bar_nightclub"
    assert row["registered_at"].endswith("+00:00")


def test_the_export_follows_the_filters_and_the_search(clients: dict, complaints: dict, personas: dict) -> None:
    other = complaint_file(
        actor=personas["station_officer"],
        data=bar_in_madre_de_dios(victims=[VictimData(first_names="Rosa", sex="F", age=30)]),
    )
    client = clients["national_investigator"]
    location = search(client, "lucia")["Location"]
    query = location.split("?", 1)[1]
    rows = export_rows(client.get(f"{reverse(EXPORT)}?{query}"))
    assert [row["number"] for row in rows] == [complaints["frozen"].number]
    rows = export_rows(client.get(reverse(EXPORT), {"sort": "registered"}))
    assert [row["number"] for row in rows] == [complaints["frozen"].number, other.number]
    event = AuditEvent.objects.filter(event="export").order_by("id").first()
    assert event.details["filters"]["search"] == "[withheld]"
    assert "lucia" not in str(event.details).lower()
    assert event.details["rows"] == 1


def test_an_export_with_bad_filters_goes_back_to_the_list(clients: dict, complaints: dict) -> None:
    response = clients["national_investigator"].get(reverse(EXPORT), {"delay_min": "-1"})
    assert response.status_code == 302 and response["Location"].startswith(reverse(LIST))
    assert not AuditEvent.objects.filter(event="export").exists()


def test_the_export_neutralises_cells_that_a_spreadsheet_would_run(units: dict) -> None:
    """The export has no free text: its only text that users type is the unit code (administrators
    create units), which the complaint number repeats. A unit named like a formula is exported
    inert."""
    station = Unit.objects.create(
        code="=HYPERLINK(1)", name="=Comisaría", kind=Unit.Kind.STATION, parent=units["DIRTEPOL-CUSCO"]
    )
    officer = UserFactory(username="oficial.formula", unit=station, role="station_officer")
    complaint = complaint_file(actor=officer, data=bar_in_madre_de_dios())
    admin_like = UserFactory(username="investigador.nacional2", unit=units["DIVINTRAP"], role="national_investigator")
    rows = export_rows(signed_in_client(admin_like).get(reverse(EXPORT)))
    assert rows[0]["number"] == "'" + complaint.number
    assert rows[0]["registering_unit"] == "'=HYPERLINK(1)"
    assert neutralise("+1") == "'+1" and neutralise("@a") == "'@a" and neutralise("-2") == "'-2"


def test_every_export_is_in_the_audit_trail(clients: dict, complaints: dict) -> None:
    clients["monitor"].get(reverse(EXPORT), {"outcome": "trafficking", "directorate": "DIRTEPOL-CUSCO"})
    event = AuditEvent.objects.get(event="export")
    assert event.user_name == "monitor" and event.object_repr == "complaints"
    assert event.details["filters"] == {
        "outcome": "trafficking",
        "directorate": "DIRTEPOL-CUSCO",
        "sort": "-registered",
    }


def test_the_action_links_follow_the_policies(clients: dict, complaints: dict) -> None:
    def links(persona: str, complaint: Complaint) -> set[str]:
        page = clients[persona].get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
        return set(re.findall(r'id="(edit|amend|history|print)-link"', page))

    frozen, draft = complaints["frozen"], complaints["draft"]
    assert links("station_officer", draft) == {"edit", "print"}
    assert links("station_officer", frozen) == {"history", "print"}
    assert links("national_admin", frozen) == {"amend", "history", "print"}
    assert links("monitor", frozen) == {"history", "print"}
