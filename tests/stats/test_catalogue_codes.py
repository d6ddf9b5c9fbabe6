"""Stable statistics codes of the editable catalogues (issue 13, catalogues): a kind of place an
administrator adds gets its own code in the statistics read model, counted and labelled as its own
value in the cross-tabulation and its exports, and the codes the starting kinds had never change."""

# ruff: noqa: F811 - tests take the fixtures imported above as arguments

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from administration import services as admin_services
from administration.catalogue_seed import SEED
from administration.catalogues import catalogue_stat_codes
from administration.models import Catalogue, CatalogueCodeError, CatalogueEntry
from administration.services import CatalogueError
from complaints.models import Complaint
from stats import codes
from stats.crosstab import crosstab
from stats.exports import csv_lines, render_statistics_xlsx
from stats.models import StatComplaint, StatVictim
from stats.services import statistics_rebuild
from tests.stats.test_statistics import NATIONAL, at, register  # noqa: F401 - the fixture that registers

pytestmark = pytest.mark.django_db

# The codes the read model gave the kinds of place when they were a fixed tuple (position + 1):
# rows written then must keep meaning the same.
FORMER_PLACE_KIND_CODES = (
    "bar_nightclub",
    "brothel",
    "hotel",
    "restaurant",
    "mine",
    "farm",
    "logging_camp",
    "workshop",
    "market",
    "private_home",
    "street",
    "transport",
    "border",
    "online",
    "other",
)
CUSCO_STATION = "DIRTEPOL-CUSCO-CPNP-1"


@pytest.fixture(autouse=True)
def seeded(db: Any) -> None:
    """The entries of migration 0009 (a transactional test's flush on the same worker empties them)."""
    admin_services.catalogues_seed()


def add_kind(personas: dict, code: str = "fishing_camp", *, order: int = 1) -> CatalogueEntry:
    """An administrator adds a kind of place, listed first (order 1): every position shifts."""
    return admin_services.catalogue_entry_add(
        actor=personas["national_admin"],
        catalogue=Catalogue.PLACE_KIND,
        code=code,
        label_es="Campamento pesquero",
        label_en="Fishing camp",
        order=order,
    )


def stored_place(complaint: Complaint) -> int:
    return StatComplaint.objects.get(pk=complaint.pk).place_kind


def test_the_starting_entries_keep_the_codes_the_read_model_gave_them() -> None:
    assert catalogue_stat_codes(Catalogue.PLACE_KIND) == {
        code: index + 1 for index, code in enumerate(FORMER_PLACE_KIND_CODES)
    }
    for catalogue in Catalogue.values:  # every catalogue: its starting entries 1..n, in SEED's order
        seed = [code for name, code, *_rest in SEED if name == catalogue]
        stored = dict(CatalogueEntry.objects.filter(catalogue=catalogue).values_list("code", "stat_code"))
        assert stored == {code: index + 1 for index, code in enumerate(seed)}, catalogue


def test_an_added_kind_of_place_is_counted_under_its_own_label(
    personas: dict, register: Callable[..., Complaint]
) -> None:
    brothel = register(CUSCO_STATION, at(2010, 3), place_kind="brothel")
    assert stored_place(brothel) == 2
    entry = add_kind(personas)
    assert entry.stat_code == len(FORMER_PLACE_KIND_CODES) + 1
    fishing = register(CUSCO_STATION, at(2010, 5), place_kind="fishing_camp")
    register(CUSCO_STATION, at(2010, 6), place_kind="")
    assert stored_place(fishing) == entry.stat_code
    assert set(StatVictim.objects.filter(record_id=fishing.pk).values_list("place_kind", flat=True)) == {16}
    assert stored_place(brothel) == 2  # the earlier code keeps its meaning

    with translation.override("es"):
        table = crosstab(scope=NATIONAL, rows="place_kind", columns="unit", year_from=2010, year_to=2010)
        labels = {row.code: row.label for row in table.rows}
        assert table.cell("fishing_camp", CUSCO_STATION) == 1
        assert table.cell("brothel", CUSCO_STATION) == 1
        assert table.cell(codes.NONE, CUSCO_STATION) == 1  # only the complaint with no kind
        assert labels["fishing_camp"] == "Campamento pesquero"
        assert labels["brothel"] == "Prostíbulo"
        assert labels[codes.NONE] == "No registrado"
        _header, lines = csv_lines(table)
        assert ["fishing_camp", 1, 1] in [list(line) for line in lines]
        sheet = load_workbook(io.BytesIO(render_statistics_xlsx(table))).active
        rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
        assert rows["Campamento pesquero"] == (1, 1)
    with translation.override("en"):
        table = crosstab(scope=NATIONAL, rows="place_kind", year_from=2010, year_to=2010)
        assert {row.code: row.label for row in table.rows}["fishing_camp"] == "Fishing camp"
    # The victims are counted under it too, and a filter on it keeps exactly that complaint.
    victims = crosstab(scope=NATIONAL, rows="place_kind", measure="victims", year_from=2010, year_to=2010)
    assert victims.cell("fishing_camp", "total") == 1
    filtered = crosstab(
        scope=NATIONAL, rows="year", filters={"place_kind": ["fishing_camp"]}, year_from=2010, year_to=2010
    )
    assert filtered.cell(2010, "total") == 1


def test_codes_never_shift_nor_get_reused(personas: dict, register: Callable[..., Complaint]) -> None:
    other = register(CUSCO_STATION, at(2010, 3), place_kind="other")
    first = add_kind(personas, "fishing_camp", order=1)
    admin_services.catalogue_entry_update(
        actor=personas["national_admin"],
        entry=first,
        label_es=first.label_es,
        label_en=first.label_en,
        order=first.order,
        active=False,
    )
    second = admin_services.catalogue_entry_add(
        actor=personas["national_admin"],
        catalogue=Catalogue.PLACE_KIND,
        code="quarry",
        label_es="Cantera",
        label_en="Quarry",
        order=2,
    )
    assert (first.stat_code, second.stat_code) == (16, 17)  # the deactivated code is never reused
    moved = CatalogueEntry.objects.get(catalogue=Catalogue.PLACE_KIND, code="bar_nightclub")
    admin_services.catalogue_entry_update(
        actor=personas["national_admin"], entry=moved, label_es="Bar", label_en="Bar", order=999, active=True
    )
    assert catalogue_stat_codes(Catalogue.PLACE_KIND)["bar_nightclub"] == 1
    assert stored_place(other) == 15
    table = crosstab(scope=NATIONAL, rows="place_kind", year_from=2010, year_to=2010)
    assert table.cell("other", "total") == 1
    # A statistics code can be changed neither by a save nor by a queryset update.
    moved.refresh_from_db()
    moved.stat_code = 40
    with pytest.raises(CatalogueCodeError):
        moved.save()
    with pytest.raises(CatalogueCodeError):
        CatalogueEntry.objects.filter(pk=moved.pk).update(stat_code=40)
    # Another catalogue counts its own codes: its additions start after its own starting entries.
    method = admin_services.catalogue_entry_add(
        actor=personas["national_admin"],
        catalogue=Catalogue.RECRUITMENT_METHOD,
        code="job_fair",
        label_es="Feria de empleo",
        label_en="Job fair",
    )
    assert method.stat_code == len([row for row in SEED if row[0] == Catalogue.RECRUITMENT_METHOD]) + 1


def test_the_rebuild_projects_the_added_code(personas: dict, register: Callable[..., Complaint]) -> None:
    add_kind(personas)
    fishing = register(CUSCO_STATION, at(2010, 5), place_kind="fishing_camp")
    StatComplaint.objects.all().delete()
    assert statistics_rebuild() == 1
    assert stored_place(fishing) == 16
    StatComplaint.objects.all().delete()
    call_command("statistics", "--rebuild", stdout=io.StringIO())
    assert stored_place(fishing) == 16


def test_the_migration_gives_the_codes_the_service_gives(personas: dict) -> None:
    """Migration 0012 on a database where administrators had added entries before it: the same
    codes as the service gives (starting entries by SEED, additions next in order of creation)."""
    add_kind(personas, "fishing_camp")
    add_kind(personas, "quarry")
    given = dict(CatalogueEntry.objects.values_list("pk", "stat_code"))
    assert given[CatalogueEntry.objects.get(code="quarry").pk] == 17
    migration = importlib.import_module("administration.migrations.0012_catalogue_stat_codes")
    migration.give_stat_codes(apps, None)
    assert dict(CatalogueEntry.objects.values_list("pk", "stat_code")) == given


def test_a_full_catalogue_refuses_an_addition_in_spanish(personas: dict) -> None:
    CatalogueEntry(
        catalogue=Catalogue.PLACE_KIND, code="last_one", label_es="Último", label_en="Last", stat_code=255
    ).save()
    with translation.override("es"), pytest.raises(CatalogueError, match="ya tiene 255 entradas"):
        add_kind(personas)
    assert not CatalogueEntry.objects.filter(code="fishing_camp").exists()


def test_the_catalogue_page_shows_each_entrys_statistics_code(personas: dict) -> None:
    from django.urls import reverse

    from tests.conftest import signed_in_client

    add_kind(personas)
    page = signed_in_client(personas["national_admin"]).get(
        reverse("administration:catalogue_detail", args=[Catalogue.PLACE_KIND])
    )
    text = page.content.decode()
    assert "Código estadístico" in text
    assert "<td><code>fishing_camp</code></td><td>16</td>" in text
    assert "<td><code>brothel</code></td><td>2</td>" in text
