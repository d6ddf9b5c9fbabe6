"""Editable catalogues (issue 13, item 2): national administrators add, relabel, reorder and
deactivate entries; codes never change meaning once used; old records keep their label; labels in
the user's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from administration import services
from administration.catalogues import CatalogueChoiceField, catalogue_choices, catalogue_label
from administration.models import Catalogue, CatalogueCodeError, CatalogueEntry
from audit.context import bind, unbind
from audit.models import AuditEvent
from diligences import services as register
from diligences.models import Diligence
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db: Any) -> None:
    """The entries of migration 0009 (a transactional test's flush on the same worker empties them)."""
    services.catalogues_seed()


def _entry(catalogue: str, code: str) -> CatalogueEntry:
    return CatalogueEntry.objects.get(catalogue=catalogue, code=code)


def _record_rescue(complaints: dict, personas: dict) -> Diligence:
    return register.diligence_record(
        actor=personas["station_officer"],
        complaint=complaints["frozen"],
        data=register.DiligenceData(
            kind="rescue",
            date=timezone.localdate(),
            officer="S3 PNP Rosa Huamán Quispe",
            addressee="",
            document_number="",
            description="Intervención en el bar.",
        ),
    )


def test_the_catalogues_start_with_the_codes_the_records_already_hold() -> None:
    assert _entry(Catalogue.DILIGENCE_TYPE, "rescue").label_es == "Rescate de la víctima"
    assert _entry(Catalogue.PLACE_KIND, "private_home").label_en == "Private home"
    assert CatalogueEntry.objects.filter(catalogue=Catalogue.TRANSPORT).count() == 7
    assert CatalogueEntry.objects.filter(catalogue=Catalogue.VICTIM_OUTCOME).count() == 4


def test_a_deactivated_entry_leaves_new_forms_but_an_old_record_keeps_its_label(
    complaints: dict, personas: dict
) -> None:
    old = _record_rescue(complaints, personas)
    services.catalogue_entry_update(
        actor=personas["national_admin"],
        entry=_entry(Catalogue.DILIGENCE_TYPE, "rescue"),
        label_es="Rescate de la víctima",
        label_en="Rescue of the victim",
        order=80,
        active=False,
    )
    client = signed_in_client(personas["station_officer"])
    form_page = client.get(reverse("diligences:diligence_create", args=[complaints["frozen"].pk]))
    assert form_page.status_code == 200
    assert 'value="inspection"' in form_page.content.decode()
    assert 'value="rescue"' not in form_page.content.decode()
    listing = client.get(reverse("diligences:diligence_list", args=[complaints["frozen"].pk]))
    assert "Rescate de la víctima" in listing.content.decode()
    with translation.override("es"):
        assert Diligence.objects.get(pk=old.pk).get_kind_display() == "Rescate de la víctima"


def test_a_form_editing_an_old_record_still_offers_its_deactivated_code() -> None:
    CatalogueEntry.objects.filter(catalogue=Catalogue.TRANSPORT, code="boat").update(active=False)
    fresh = CatalogueChoiceField(Catalogue.TRANSPORT, blank_label="—")
    assert "boat" not in dict(fresh.choices)
    fresh.keep("boat")
    assert "boat" in dict(fresh.choices) and fresh.valid_value("boat")
    assert "boat" not in dict(catalogue_choices(Catalogue.TRANSPORT))


def test_a_relabelled_entry_shows_its_new_label_on_old_records(complaints: dict, personas: dict) -> None:
    old = _record_rescue(complaints, personas)
    services.catalogue_entry_update(
        actor=personas["national_admin"],
        entry=_entry(Catalogue.DILIGENCE_TYPE, "rescue"),
        label_es="Rescate o liberación de la víctima",
        label_en="Rescue or release of the victim",
        order=80,
        active=True,
    )
    listing = signed_in_client(personas["station_officer"]).get(
        reverse("diligences:diligence_list", args=[complaints["frozen"].pk])
    )
    assert "Rescate o liberación de la víctima" in listing.content.decode()
    entry = _entry(Catalogue.DILIGENCE_TYPE, "rescue")
    assert entry.history.latest().label_es == "Rescate o liberación de la víctima"  # historised
    event = AuditEvent.objects.get(event="catalogue_entry_changed")
    assert event.details["changes"]["label_es"] == ["Rescate de la víctima", "Rescate o liberación de la víctima"]
    assert Diligence.objects.get(pk=old.pk).kind == "rescue"


def test_the_english_label_shows_in_english(complaints: dict, personas: dict) -> None:
    _record_rescue(complaints, personas)
    client = signed_in_client(personas["station_officer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listing = client.get(reverse("diligences:diligence_list", args=[complaints["frozen"].pk]))
    assert "Rescue of the victim" in listing.content.decode()
    assert "Rescate de la víctima" not in listing.content.decode()
    with translation.override("en"):
        assert catalogue_label(Catalogue.TRANSPORT, "bus") == "Bus"
    with translation.override("es"):
        assert catalogue_label(Catalogue.TRANSPORT, "bus") == "Ómnibus"


def test_a_code_never_changes(personas: dict) -> None:
    entry = _entry(Catalogue.DILIGENCE_TYPE, "rescue")
    entry.code = "liberation"
    with pytest.raises(CatalogueCodeError):
        entry.save()
    with pytest.raises(CatalogueCodeError):
        CatalogueEntry.objects.filter(pk=entry.pk).update(code="liberation")
    client = signed_in_client(personas["national_admin"])
    response = client.post(
        reverse("administration:catalogue_entry_edit", args=[entry.pk]),
        {"code": "liberation", "label_es": "Rescate", "label_en": "Rescue", "order": 5, "active": "on"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.code, entry.label_es, entry.order) == ("rescue", "Rescate", 5)


def test_an_administrator_adds_an_entry_that_new_forms_offer_and_services_accept(
    complaints: dict, personas: dict
) -> None:
    client = signed_in_client(personas["national_admin"])
    url = reverse("administration:catalogue_entry_add", args=[Catalogue.DILIGENCE_TYPE])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"code": "drone_overflight", "label_es": "Sobrevuelo con dron", "label_en": "Drone overflight", "order": 5}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event="catalogue_entry_added", object_repr="diligence_type:drone_overflight")
    detail = client.get(reverse("administration:catalogue_detail", args=[Catalogue.DILIGENCE_TYPE]))
    assert "Sobrevuelo con dron" in detail.content.decode()
    officer = signed_in_client(personas["station_officer"])
    form_page = officer.get(reverse("diligences:diligence_create", args=[complaints["frozen"].pk]))
    assert 'value="drone_overflight"' in form_page.content.decode()
    recorded = register.diligence_record(
        actor=personas["station_officer"],
        complaint=complaints["frozen"],
        data=register.DiligenceData(
            kind="drone_overflight",
            date=timezone.localdate(),
            officer="S3 PNP Rosa Huamán Quispe",
            addressee="",
            document_number="",
            description="",
        ),
    )
    with translation.override("es"):
        assert recorded.get_kind_display() == "Sobrevuelo con dron"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("rescue", "ya está en el catálogo"),
        ("Con Espacios", "letras minúsculas"),
        ("x" * 33, "letras minúsculas"),
    ],
)
def test_a_bad_code_is_refused_in_spanish_and_nothing_is_saved(personas: dict, code: str, message: str) -> None:
    before = CatalogueEntry.objects.count()
    client = signed_in_client(personas["national_admin"])
    response = client.post(
        reverse("administration:catalogue_entry_add", args=[Catalogue.DILIGENCE_TYPE]),
        {"code": code, "label_es": "Algo", "label_en": "Something", "order": 1},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CatalogueEntry.objects.count() == before


def test_only_national_administrators_edit_catalogues(personas: dict) -> None:
    with pytest.raises(PermissionDenied):
        services.catalogue_entry_add(
            actor=personas["station_officer"],
            catalogue=Catalogue.TRANSPORT,
            code="train",
            label_es="Tren",
            label_en="Train",
        )
    response = signed_in_client(personas["regional_investigator"]).get(reverse("administration:catalogue_list"))
    assert response.status_code == 403


def test_an_unknown_catalogue_is_not_found(personas: dict) -> None:
    client = signed_in_client(personas["national_admin"])
    assert client.get(reverse("administration:catalogue_detail", args=["sex"])).status_code == 404


def test_a_list_reads_each_catalogue_once_per_request(
    complaints: dict, personas: dict, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        _record_rescue(complaints, personas)
    client = signed_in_client(personas["station_officer"])
    url = reverse("diligences:diligence_list", args=[complaints["frozen"].pk])
    client.get(url)
    with django_assert_max_num_queries(60) as captured:
        client.get(url)
    catalogue_reads = [q for q in captured.captured_queries if "administration_catalogueentry" in q["sql"]]
    assert len(catalogue_reads) <= 1


def _request(request_id: str, user: Any = None) -> Any:
    request = RequestFactory().get("/")
    request.request_id = request_id
    if user is not None:
        request.user = user
    return request


def _in_request(request: Any, read: Any) -> Any:
    token = bind(request)
    try:
        return read()
    finally:
        unbind(token)


def test_two_requests_never_share_their_catalogues(personas: dict) -> None:
    """Each request holds the entries it read (audit.context.request_cache): two requests served
    in turn read once each, and a change made by a third shows on the next request."""
    first, second = _request("first"), _request("second")

    def rescue_label() -> str:
        return catalogue_label(Catalogue.DILIGENCE_TYPE, "rescue")

    with CaptureQueriesContext(connection) as captured:
        for request in (first, second, first, second, first):
            assert _in_request(request, rescue_label) == "Rescate de la víctima"
    assert len([q for q in captured.captured_queries if "administration_catalogueentry" in q["sql"]]) == 2

    admin_request = _request("admin", personas["national_admin"])
    _in_request(
        admin_request,
        lambda: services.catalogue_entry_update(
            actor=personas["national_admin"],
            entry=_entry(Catalogue.DILIGENCE_TYPE, "rescue"),
            label_es="Rescate o liberación de la víctima",
            label_en="Rescue or release of the victim",
            order=80,
            active=True,
        ),
    )
    assert _in_request(admin_request, rescue_label) == "Rescate o liberación de la víctima"
    assert _in_request(_request("next"), rescue_label) == "Rescate o liberación de la víctima"
    assert _in_request(first, rescue_label) == "Rescate de la víctima"  # what the first request already read


def test_the_catalogue_page_shows_no_date_that_the_forms_would_ignore(personas: dict) -> None:
    """Forms offer an entry while it is active, from the moment it is added: the page shows no
    "valid from" date that nothing applied (CatalogueEntry.valid_from is gone, migration 0013)."""
    url = reverse("administration:catalogue_detail", args=[Catalogue.DILIGENCE_TYPE])
    page = signed_in_client(personas["national_admin"]).get(url).content.decode()
    assert "Rescate de la víctima" in page
    assert "Válido desde" not in page and page.count('<th scope="col">') == 7
    assert "valid_from" not in {field.name for field in CatalogueEntry._meta.get_fields()}
