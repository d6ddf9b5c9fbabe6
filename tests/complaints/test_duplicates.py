"""Possible duplicates at review (complaints.duplicates) and the decision frozen with the complaint
(complaints.services.complaint_file(duplicate_of=..., duplicate_decision=...))."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from administration.models import District
from audit.models import AuditEvent
from complaints import services
from complaints.catalogues import Origin
from complaints.duplicates import (
    DOCUMENT,
    NAME_DATE,
    PAPER_SERIAL,
    PLACE_DATE,
    DuplicateReport,
    find_possible_duplicates,
)
from complaints.freeze import FrozenRecordError
from complaints.models import Complaint
from complaints.services import VictimData
from paperforms.serials import format_serial
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db


def _victim(**values: object) -> VictimData:
    base = {"first_names": "Rosa", "last_names": "Mamani Ccori", "sex": "F", "age": 22, "nationality": "PE"}
    base.update(values)
    return VictimData(**base)


def _elsewhere(**overrides: object) -> services.ComplaintData:
    """Another case: another victim, in Cusco, another day (matches nothing of the Madre de Dios case)."""
    values = {
        "place_district": District.objects.get(code="080101"),
        "facts_date": datetime.date(2026, 10, 1),
        "victims": [_victim()],
    }
    values.update(overrides)
    return bar_in_madre_de_dios(**values)


def test_the_same_victim_document_is_found_normalised_and_with_its_type(personas: dict) -> None:
    officer = personas["station_officer"]
    earlier = services.complaint_file(actor=officer, data=bar_in_madre_de_dios())  # DNI 76543210
    typed = _elsewhere(victims=[_victim(document_type="dni", document_number=" 76.543.210 ")])
    report = find_possible_duplicates(officer, typed)
    assert [(match.complaint.number, match.reasons) for match in report.matches] == [(earlier.number, (DOCUMENT,))]
    assert report.outside == []
    other_type = _elsewhere(victims=[_victim(document_type="passport", document_number="76543210")])
    assert not find_possible_duplicates(officer, other_type).found


def test_a_station_officer_sees_his_matches_and_only_a_count_of_the_others(personas: dict) -> None:
    cusco = personas["station_officer"]
    lima = personas["outsider"]  # a station in Lima: the Cusco station's complaint is not in its scope
    services.complaint_file(actor=cusco, data=bar_in_madre_de_dios())
    services.complaint_file(actor=cusco, data=bar_in_madre_de_dios())
    same_victim = _elsewhere(victims=[_victim(document_type="dni", document_number="76543210")])

    report = find_possible_duplicates(lima, same_victim)
    assert report.matches == []
    assert [(item.unit.code, item.count) for item in report.outside] == [("DIRTEPOL-CUSCO-CPNP-1", 2)]
    assert report.found and report.outside_count == 2
    with translation.override("es"):
        html = render_to_string("complaints/_review_duplicates.html", {"duplicates": report})
    assert "Comisaría PNP Cusco" in html and "DIRTEPOL-CUSCO-CPNP-1" in html
    assert "DIRTEPOL-CUSCO-CPNP-1-2026" not in html  # never the numbers of what the user may not see
    assert "Lucía" not in html and "Condori" not in html

    national = find_possible_duplicates(personas["national_investigator"], same_victim)
    assert len(national.matches) == 2 and national.outside == []


def test_names_match_without_accents_or_case_within_the_date_window(personas: dict) -> None:
    officer = personas["station_officer"]
    earlier = services.complaint_file(
        actor=officer, data=_elsewhere(victims=[_victim(first_names="José", last_names="Pérez Quispe")])
    )
    close = _elsewhere(
        facts_date=datetime.date(2026, 10, 25),
        place_district=District.objects.get(code="170101"),
        victims=[_victim(first_names="JOSE", last_names="perez  QUISPE")],
    )
    report = find_possible_duplicates(officer, close)
    assert [(match.pk, match.reasons) for match in report.matches] == [(earlier.pk, (NAME_DATE,))]

    far = _elsewhere(
        facts_date=datetime.date(2026, 11, 5),  # 35 days later: outside the window
        victims=[_victim(first_names="Jose", last_names="Perez Quispe")],
    )
    assert not find_possible_duplicates(officer, far).found
    longer = _elsewhere(
        facts_date=datetime.date(2026, 10, 2), victims=[_victim(first_names="José", last_names="Pérez Quispe Ruiz")]
    )
    assert not find_possible_duplicates(officer, longer).found


def test_the_document_and_the_names_of_victims_are_told_apart_in_one_read(personas: dict) -> None:
    """complaints.duplicates reads the victim rows of the persons found by document and by name
    together: each complaint keeps its own reasons, the names only within the date window."""
    officer = personas["station_officer"]
    by_both = services.complaint_file(
        actor=officer, data=_elsewhere(victims=[_victim(document_type="dni", document_number="41112222")])
    )
    by_name = services.complaint_file(
        actor=officer,
        data=_elsewhere(facts_date=datetime.date(2026, 9, 20), victims=[_victim(first_names="Elena", age=30)]),
    )
    data = _elsewhere(
        facts_date=datetime.date(2026, 9, 25),
        victims=[_victim(document_type="dni", document_number="41.112.222"), _victim(first_names="ELENA")],
    )
    report = find_possible_duplicates(officer, data)
    assert sorted((m.pk, m.reasons) for m in report.matches) == [
        (by_both.pk, (DOCUMENT, NAME_DATE)),
        (by_name.pk, (NAME_DATE,)),
    ]
    data.facts_date = datetime.date(2026, 11, 10)  # both outside the window of the names: the document stays
    assert [(m.pk, m.reasons) for m in find_possible_duplicates(officer, data).matches] == [(by_both.pk, (DOCUMENT,))]


def test_the_same_paper_serial_and_the_same_place_and_date(personas: dict) -> None:
    officer = personas["station_officer"]
    serial = format_serial(123)
    imported = services.complaint_register_imported(
        actor=personas["national_admin"],
        registering_unit=officer.unit,
        number="OLD-2026-000001",
        registered_at=datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC),
        data=bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial, victims=[_victim(first_names="Ana")]),
    )
    typed = _elsewhere(origin=Origin.PAPER, paper_serial=f" {serial.lower()} ")
    assert [(m.pk, m.reasons) for m in find_possible_duplicates(officer, typed).matches] == [
        (imported.pk, (PAPER_SERIAL,))
    ]
    same_place_and_day = _elsewhere(
        place_district=District.objects.get(code="170101"), facts_date=datetime.date(2026, 11, 20)
    )
    report = find_possible_duplicates(officer, same_place_and_day)
    assert [(m.pk, m.reasons) for m in report.matches] == [(imported.pk, (PLACE_DATE,))]
    next_day = _elsewhere(place_district=District.objects.get(code="170101"), facts_date=datetime.date(2026, 11, 21))
    assert not find_possible_duplicates(officer, next_day).found


def test_drafts_and_the_complaint_itself_are_not_duplicates(personas: dict) -> None:
    officer = personas["station_officer"]
    draft = services.complaint_save_draft(actor=officer, data=bar_in_madre_de_dios())
    assert not find_possible_duplicates(officer, bar_in_madre_de_dios()).found
    frozen = services.complaint_file(actor=officer, data=bar_in_madre_de_dios(), complaint=draft)
    assert not find_possible_duplicates(officer, bar_in_madre_de_dios(), exclude_pk=frozen.pk).found


def test_the_lookup_takes_a_constant_number_of_queries(personas: dict) -> None:
    officer, lima = personas["station_officer"], personas["outsider"]
    data = bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=format_serial(7))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            report = find_possible_duplicates(lima, data)
        assert report.found
        return len(captured.captured_queries)

    services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    first = queries()
    for _ in range(4):
        services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    services.complaint_file(actor=personas["hotline_operator"], data=bar_in_madre_de_dios(origin="hotline"))
    assert queries() == first <= 10


def test_linking_to_an_earlier_complaint_is_recorded_frozen_and_audited(personas: dict) -> None:
    officer = personas["station_officer"]
    earlier = services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    linked = services.complaint_file(
        actor=officer, data=bar_in_madre_de_dios(), duplicate_of=earlier.pk, duplicate_decision="linked"
    )
    linked.refresh_from_db()
    assert linked.duplicate_of == earlier
    assert list(earlier.linked_complaints.all()) == [linked]
    assert linked.duplicate_check == {
        "decision": "linked",
        "linked_to": earlier.number,
        "seen": [{"number": earlier.number, "reasons": [DOCUMENT, NAME_DATE, PLACE_DATE]}],
        "outside": [],
    }
    event = AuditEvent.objects.get(event="complaint_duplicates_checked", object_id=str(linked.pk))
    assert event.details["linked_to"] == earlier.number
    with pytest.raises(FrozenRecordError):
        Complaint.objects.filter(pk=linked.pk).update(duplicate_of=None)
    linked.duplicate_of = None
    with pytest.raises(FrozenRecordError):
        linked.save()
    assert Complaint.objects.get(pk=linked.pk).duplicate_of_id == earlier.pk


def test_not_the_same_case_is_recorded_with_what_was_seen(personas: dict) -> None:
    officer = personas["station_officer"]
    earlier = services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    second = services.complaint_file(actor=officer, data=bar_in_madre_de_dios(), duplicate_decision="not_same")
    assert second.duplicate_of is None
    assert second.duplicate_check["decision"] == "not_same"
    assert [item["number"] for item in second.duplicate_check["seen"]] == [earlier.number]


@pytest.mark.parametrize(
    ("decision", "target", "field"),
    [
        ("linked", None, "duplicate_of"),
        ("not_same", "earlier", "duplicate_of"),
        ("maybe", None, "duplicate_decision"),
        ("linked", "draft", "duplicate_of"),
        ("linked", "invisible", "duplicate_of"),
        ("linked", "abc", "duplicate_of"),
    ],
)
def test_a_wrong_decision_is_refused_in_spanish_and_nothing_is_saved(
    personas: dict, decision: str, target: str | None, field: str
) -> None:
    officer = personas["station_officer"]
    targets = {
        None: None,
        "abc": "abc",
        "earlier": services.complaint_file(actor=officer, data=bar_in_madre_de_dios()).pk,
        "draft": services.complaint_save_draft(actor=officer, data=bar_in_madre_de_dios()).pk,
        # registered by the Lima station about facts in Lima: not in the Cusco station's scope
        "invisible": services.complaint_file(
            actor=personas["outsider"], data=_elsewhere(place_district=District.objects.get(code="150101"))
        ).pk,
    }
    before = Complaint.objects.count()
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(
            actor=officer, data=bar_in_madre_de_dios(), duplicate_of=targets[target], duplicate_decision=decision
        )
    assert error.value.field == field
    assert any(word in error.value.message for word in ("denuncia", "caso"))
    assert Complaint.objects.count() == before


def test_the_review_fragment_offers_one_labelled_choice_per_visible_match(personas: dict) -> None:
    officer = personas["station_officer"]
    earlier = services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    report = find_possible_duplicates(officer, bar_in_madre_de_dios())
    with translation.override("es"):
        html = render_to_string("complaints/_review_duplicates.html", {"duplicates": report})
    assert earlier.number in html
    assert f'href="/denuncias/{earlier.pk}/"' in html
    assert 'name="duplicate_decision" value="not_same"' in html
    assert f'name="duplicate_of" value="{earlier.pk}"' in html
    assert "Mismo número de documento de la víctima" in html
    assert html.count("<label") >= 2
    assert render_to_string("complaints/_review_duplicates.html", {"duplicates": DuplicateReport()}).strip() == ""


def _counts() -> tuple[int, list[tuple[int, int]]]:
    from stats.models import StatComplaint, StatVictim

    return StatComplaint.objects.count(), sorted(StatVictim.objects.values_list("record_id", "age_band"))


def test_statistics_count_a_linked_complaint_once_and_its_same_victim_once(personas: dict) -> None:
    from administration.access import Scope
    from stats import selectors
    from stats.projection import registration_year_month
    from stats.services import statistics_rebuild

    officer = personas["station_officer"]
    earlier = services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    year, _month = registration_year_month(earlier.submitted_at)
    same_victim = _victim(first_names="LUCIA", last_names="condori apaza", age=16, document_type="", document_number="")
    new_victim = _victim(first_names="Rosa", last_names="Mamani Ccori", age=25)
    unnamed = _victim(first_names="", last_names="", age=30)
    linked = services.complaint_file(
        actor=officer,
        data=bar_in_madre_de_dios(victims=[same_victim, new_victim, unnamed]),
        duplicate_of=earlier,
        duplicate_decision="linked",
    )
    assert linked.duplicate_of_id == earlier.pk
    complaints, victims = _counts()
    assert complaints == 1  # one case
    assert [record for record, _band in victims] == [earlier.pk, earlier.pk]  # Lucía once, Rosa added
    table = selectors.cases_by_unit_year(scope=Scope.national(), year_from=year, year_to=year)
    assert table.cell("total", "total") == 1
    persons = selectors.persons_by_year(scope=Scope.national(), year_from=year, year_to=year)
    assert sum(persons.total.cells[-1:]) >= 2  # both victims counted in the case's year

    statistics_rebuild(batch_size=1)  # the linked complaint in a batch of its own: same counts
    assert _counts() == (complaints, victims)

    services.complaint_file(actor=officer, data=bar_in_madre_de_dios(), duplicate_decision="not_same")
    assert _counts()[0] == 2
    table = selectors.cases_by_unit_year(scope=Scope.national(), year_from=year, year_to=year)
    assert table.cell("total", "total") == 2


def test_the_link_shows_on_both_detail_pages_and_in_the_history_only_where_visible(
    personas: dict, clients: dict
) -> None:
    from django.urls import reverse

    officer = personas["station_officer"]
    earlier = services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    linked = services.complaint_file(actor=officer, data=bar_in_madre_de_dios(), duplicate_of=earlier.pk)
    assert linked.duplicate_check["decision"] == "linked"  # a complaint chosen means "linked"

    page = clients["station_officer"].get(reverse("complaints:complaint_detail", args=[linked.pk]))
    assert page.status_code == 200
    assert f'href="/denuncias/{earlier.pk}/">{earlier.number}</a>' in page.content.decode()
    page = clients["station_officer"].get(reverse("complaints:complaint_detail", args=[earlier.pk]))
    assert f'href="/denuncias/{linked.pk}/">{linked.number}</a>' in page.content.decode()

    # The Lima station registers a case in Lima; DIVINTRAP (national scope) links a complaint about
    # facts in Cusco to it. The Cusco investigator sees the new complaint, not the earlier one; the
    # Lima station sees its own complaint, not the new one: neither sees the other's number.
    in_lima = services.complaint_file(
        actor=personas["outsider"], data=_elsewhere(place_district=District.objects.get(code="150101"))
    )
    from_divintrap = services.complaint_file(
        actor=personas["national_investigator"],
        data=_elsewhere(facts_date=datetime.date(2026, 10, 3)),
        duplicate_of=in_lima.pk,
        duplicate_decision="linked",
    )
    page = clients["regional_investigator"].get(reverse("complaints:complaint_detail", args=[from_divintrap.pk]))
    assert page.status_code == 200
    assert in_lima.number not in page.content.decode()
    assert "fuera de su ámbito" in page.content.decode()
    page = clients["outsider"].get(reverse("complaints:complaint_detail", args=[in_lima.pk]))
    assert page.status_code == 200
    assert from_divintrap.number not in page.content.decode()
    page = clients["national_investigator"].get(reverse("complaints:complaint_detail", args=[in_lima.pk]))
    assert from_divintrap.number in page.content.decode()

    history = clients["national_admin"].get(reverse("complaints:complaint_history", args=[linked.pk]))
    assert history.status_code == 200
    assert earlier.number in history.content.decode()


@pytest.mark.mysql
@pytest.mark.skipif(connection.vendor != "mysql", reason="The freeze triggers exist on MySQL/MariaDB only.")
def test_the_database_refuses_to_change_or_remove_the_link_of_a_frozen_complaint(personas: dict) -> None:
    officer = personas["station_officer"]
    earlier = services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    linked = services.complaint_file(actor=officer, data=bar_in_madre_de_dios(), duplicate_of=earlier.pk)
    for sql in (
        "UPDATE complaints_complaint SET duplicate_of_id = NULL WHERE id = %s",
        "UPDATE complaints_complaint SET duplicate_check = '{}' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="frozen complaint"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [linked.pk])
    linked.refresh_from_db()
    assert linked.duplicate_of_id == earlier.pk and linked.duplicate_check["decision"] == "linked"


def test_after_review_an_answer_is_required_when_something_was_found(personas: dict) -> None:
    officer = personas["station_officer"]
    services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    with pytest.raises(services.ComplaintError) as error:
        services.complaint_file(actor=officer, data=bar_in_madre_de_dios(), duplicates_reviewed=True)
    assert error.value.field == "duplicate_decision" and "mismo caso" in error.value.message
    assert Complaint.objects.count() == 1
    other = services.complaint_file(actor=officer, data=_elsewhere(), duplicates_reviewed=True)  # nothing found
    assert other.duplicate_check == {"decision": "", "linked_to": "", "seen": [], "outside": []}


def test_amending_or_chaining_linked_complaints_keeps_one_case_in_the_statistics(personas: dict) -> None:
    from stats.models import StatComplaint, StatVictim
    from stats.services import statistics_rebuild

    officer, admin = personas["station_officer"], personas["national_admin"]
    admin.is_verified = lambda: True  # signed in with the second factor
    first = services.complaint_file(actor=officer, data=bar_in_madre_de_dios())
    second = services.complaint_file(actor=officer, data=bar_in_madre_de_dios(), duplicate_of=first.pk)
    third = services.complaint_file(
        actor=officer,
        data=bar_in_madre_de_dios(victims=[_victim(first_names="Rosa", last_names="Mamani Ccori")]),
        duplicate_of=second.pk,
    )
    assert list(StatComplaint.objects.values_list("pk", flat=True)) == [first.pk]
    assert StatVictim.objects.filter(record_id=first.pk).count() == 2  # Lucía, and Rosa of the third
    data = services.complaint_data_of(second)
    data.victims.append(_victim(first_names="Carmen", last_names="Ttito Huamán"))
    services.complaint_amend(actor=admin, complaint=second, data=data, reason="Otra víctima.", expected_version=1)
    assert list(StatComplaint.objects.values_list("pk", flat=True)) == [first.pk]
    assert StatVictim.objects.filter(record_id=first.pk).count() == 3
    statistics_rebuild(batch_size=2)
    assert list(StatComplaint.objects.values_list("pk", flat=True)) == [first.pk]
    assert StatVictim.objects.count() == 3
    assert third.duplicate_of_id == second.pk
