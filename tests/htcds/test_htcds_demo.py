"""The HTCDS export of the demo data (fixtures + the demo loader, as `load_demo_data` loads them):
only values of the HTCDS v2 picklists, and no combination of the quasi-identifiers seen fewer than
k times (issue 13, "done when")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from administration.access import Scope
from administration.services import reference_data_load
from demo.accounts import demo_users_ensure
from demo.case_files import demo_case_file_ensure
from demo.complaints import demo_complaints_ensure
from htcds import exports, selectors, standard
from tests.htcds.test_htcds import _csv_records, _csv_text, _xlsx_records, assert_conforms, assert_k_anonymous


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The reference data, the demo accounts, complaints and case file, loaded once for the module
    and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_load()
        demo_users_ensure(password="una-clave-de-prueba-larga")
        demo_complaints_ensure()
        demo_case_file_ensure()
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_export_holds_only_picklist_values_and_is_k_anonymous(demo: None) -> None:
    last = timezone.localdate().year + 1
    result = selectors.htcds_export(scope=Scope.national(), year_from=2004, year_to=last)
    covered = exports.Covered(2004, last, "todo el país")
    assert result.total > 1000 and len(result.rows) > 0.9 * result.total

    notes, records = _csv_records(_csv_text(result, covered))
    assert len(records) == len(result.rows)
    assert_conforms(records)
    assert_k_anonymous(records)
    xlsx_notes, xlsx_records = _xlsx_records(exports.render_htcds_xlsx(result, covered))
    assert xlsx_records == records
    assert standard.ATTRIBUTION in notes.values() and standard.ATTRIBUTION in xlsx_notes.values()
    assert str(result.suppressed) in notes.values()
    # The demo's codes reach the standard's vocabulary.
    types = Counter(value for record in records for value in record["vic_TypeOfExploitation"].split(" | ") if value)
    assert types["Sexual exploitation"] > types["Forced labour"] > 0
    assert {record["vic_TraffickingStatus"] for record in records} == {"Possible victim of trafficking"}
    assert {record["prs_Gender"] for record in records} >= {"Feminine", "Masculine"}


@pytest.mark.django_db
def test_the_demo_case_file_gives_its_status_and_recruitment_to_its_complaints_victims(demo: None) -> None:
    last = timezone.localdate().year + 1
    facts = selectors.victim_facts(scope=Scope.national(), year_from=2004, year_to=last)
    with_case = [item for item in facts if item.case_statuses]
    assert with_case, "the demo case file's complaint is exported"
    assert all("job_offer_newspaper" in item.recruitment for item in with_case)


@pytest.mark.django_db
def test_the_pages_figures_are_the_exports_nationally_and_in_a_directorate(demo: None) -> None:
    """The page counts (htcds_summary: one GROUP BY) what the download builds (htcds_export)."""
    from administration.access import scope_of
    from administration.models import User

    last = timezone.localdate().year + 1
    investigator = User.objects.filter(role="regional_investigator", is_active=True).order_by("username").first()
    assert investigator is not None
    for scope in (Scope.national(), scope_of(investigator)):
        for year_from, year_to in ((2004, last), (last - 2, last)):
            summary = selectors.htcds_summary(scope=scope, year_from=year_from, year_to=year_to)
            result = selectors.htcds_export(scope=scope, year_from=year_from, year_to=year_to)
            assert (summary.levels, summary.total, summary.suppressed) == (
                result.levels,
                result.total,
                result.suppressed,
            )
            assert summary.exported == len(result.rows)
    national = selectors.htcds_summary(scope=Scope.national(), year_from=2004, year_to=last)
    assert national.total > 1000
