# ruff: noqa: S608 - the SQL names this module's own tables, never input
"""Issue 10, item 4, in the database (MariaDB): the places of the route are frozen with their
complaint by trigger (migration 0017) as the victims and suspects are (0013), lifted only by the
amendment lease; their history is append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from complaints import services
from complaints.models import ComplaintPlace
from complaints.services import PlaceData
from tests.factories.complaints import bar_in_madre_de_dios

ON_MYSQL = connection.vendor == "mysql"
pytestmark = [
    pytest.mark.mysql,
    pytest.mark.skipif(not ON_MYSQL, reason="The triggers exist on MySQL/MariaDB only."),
    pytest.mark.django_db,
]


def refused(sql: str, params: list | None = None) -> str | None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    except DatabaseError as error:
        return str(error)
    return None


@pytest.fixture
def route(personas: dict) -> dict:
    from administration.models import District

    cusco = District.objects.get(code="080101")
    data = bar_in_madre_de_dios(places=[PlaceData(role="recruitment", district=cusco)])
    officer = personas["station_officer"]
    frozen = services.complaint_file(actor=officer, data=data)
    draft = services.complaint_save_draft(actor=officer, data=bar_in_madre_de_dios(places=list(data.places)))
    return {"frozen": frozen, "draft": draft, "place": frozen.places.get(), "draft_place": draft.places.get()}


def test_a_place_of_a_frozen_complaint_refuses_update_delete_and_insert(route: dict) -> None:
    place, frozen = route["place"], route["frozen"]
    attempts = [
        ("UPDATE complaints_complaintplace SET address = 'x' WHERE id = %s", [place.pk]),
        ("UPDATE complaints_complaintplace SET role = 'transit' WHERE id = %s", [place.pk]),
        ("DELETE FROM complaints_complaintplace WHERE id = %s", [place.pk]),
        (
            "INSERT INTO complaints_complaintplace (complaint_id, position, role, address, kind)"
            " VALUES (%s, 9, 'transit', '', '')",
            [frozen.pk],
        ),
        # moving a draft's row into the frozen complaint, or the frozen row out of it
        ("UPDATE complaints_complaintplace SET complaint_id = %s WHERE id = %s", [frozen.pk, route["draft_place"].pk]),
        ("UPDATE complaints_complaintplace SET complaint_id = %s WHERE id = %s", [route["draft"].pk, place.pk]),
    ]
    for sql, params in attempts:
        assert "frozen complaint" in (refused(sql, params) or ""), sql
    assert ComplaintPlace.objects.get(pk=place.pk).role == "recruitment"
    # the draft's own row still changes and goes
    assert (
        refused("UPDATE complaints_complaintplace SET address = 'y' WHERE id = %s", [route["draft_place"].pk]) is None
    )
    assert refused("DELETE FROM complaints_complaintplace WHERE id = %s", [route["draft_place"].pk]) is None


def test_the_lease_lifts_the_freeze_of_the_places_and_their_history_is_append_only(route: dict) -> None:
    place = route["place"]
    with connection.cursor() as cursor:
        cursor.execute("CALL reta_amendment_open(%s)", [route["frozen"].pk])
    try:
        assert refused("UPDATE complaints_complaintplace SET address = 'enmendado' WHERE id = %s", [place.pk]) is None
    finally:
        with connection.cursor() as cursor:
            cursor.execute("CALL reta_amendment_close()")
    assert refused("UPDATE complaints_complaintplace SET address = 'otra vez' WHERE id = %s", [place.pk])
    history_id = ComplaintPlace.history.filter(id=place.pk).latest("history_id").history_id
    for sql in (
        "UPDATE complaints_historicalcomplaintplace SET address = 'x' WHERE history_id = %s",
        "DELETE FROM complaints_historicalcomplaintplace WHERE history_id = %s",
    ):
        assert "append-only" in (refused(sql, [history_id]) or ""), sql
