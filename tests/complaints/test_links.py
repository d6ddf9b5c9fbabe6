"""The complaint pages link to each other with plain `{% url %}`: every screen exists, so no link
falls back to nothing (the `optional_url` scaffolding is gone)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_detail_page_links_to_the_screens_its_policies_allow(clients: dict, complaints: dict) -> None:
    frozen, draft = complaints["frozen"], complaints["draft"]
    admin_page = (
        clients["national_admin"].get(reverse("complaints:complaint_detail", args=[frozen.pk])).content.decode()
    )
    assert f'id="amend-link" href="/denuncias/{frozen.pk}/enmendar/"' in admin_page
    assert f'id="history-link" href="/denuncias/{frozen.pk}/historial/"' in admin_page
    officer_page = (
        clients["station_officer"].get(reverse("complaints:complaint_detail", args=[draft.pk])).content.decode()
    )
    assert f'id="edit-link" href="/denuncias/{draft.pk}/editar/"' in officer_page


def test_the_history_the_amendment_and_the_register_link_back_to_the_complaint(clients: dict, complaints: dict) -> None:
    frozen = complaints["frozen"]
    detail = f'href="/denuncias/{frozen.pk}/"'
    admin = clients["national_admin"]
    assert detail in admin.get(reverse("complaints:complaint_history", args=[frozen.pk])).content.decode()
    assert detail in admin.get(reverse("complaints:complaint_amend", args=[frozen.pk])).content.decode()
    register = clients["regional_investigator"].get(reverse("diligences:diligence_list", args=[frozen.pk]))
    assert f'<a href="/denuncias/{frozen.pk}/" id="complaint-link">' in register.content.decode()
