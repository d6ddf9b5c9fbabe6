"""Synthetic data (demo.synthetic, `generate_synthetic`): reproducible with a seed, valid in
the import format, and written the fast way with exactly the rows the registration service writes."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from administration.models import UnitCounter
from complaints.importing import Catalogue, complaints_import, read_records
from complaints.models import Complaint, ComplaintSuspect, ComplaintVictim
from complaints.rules import classify, decision_to_dict
from complaints.rules.codes import CATEGORIES, OUTCOMES
from complaints.services import ComplaintData, VictimData, complaint_facts, complaint_file
from demo.synthetic import (
    SYNTHETIC_NARRATIVE,
    World,
    counters_peek,
    generate_records,
    record_facts,
    records_write,
    synthetic_load,
)

# The records of a seed depend on the moment they are made, and "this year" is read more than once.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock_stopped")]


def records(count: int, seed: int, **options: Any) -> list[dict[str, Any]]:
    return list(generate_records(count, seed=seed, world=World.load(), now=timezone.now(), **options))


def this_year() -> int:
    """The year in Peru (in UTC the year starts five hours earlier)."""
    return timezone.localdate().year


def test_the_same_seed_gives_the_same_complaints(units: dict) -> None:
    first = records(60, seed=7)

    assert records(60, seed=7) == first
    assert records(60, seed=8) != first
    assert len(first) == 60 and len({record["number"] for record in first}) == 60


def test_the_records_pass_the_import_checks(units: dict) -> None:
    lines = [json.dumps(record) for record in records(300, seed=1, from_year=2004, to_year=this_year())]

    valid, errors, _count = read_records(lines, catalogue=Catalogue.load())

    assert errors == [] and len(valid) == 300


def test_they_are_spread_over_the_period_and_the_tree(units: dict) -> None:
    data = records(2000, seed=2, from_year=2010, to_year=2015)
    years = Counter(int(record["registered_at"][:4]) for record in data)
    origins = Counter(record["origin"] for record in data)
    kinds = Counter(units[record["registering_unit"]].kind for record in data)
    victims = [victim for record in data for victim in record["victims"]]

    assert sorted(years) == list(range(2010, 2016)) and years[2015] > years[2010]  # grows over time
    assert set(origins) == {"station", "hotline", "paper", "other_agency"}
    assert kinds.most_common(1)[0][0] == "station"
    assert all(record["date_of_facts"] <= record["registered_at"][:10] for record in data)
    assert sum(victim["sex"] == "F" for victim in victims) > 0.75 * len(victims)
    minors = sum(victim["age"] is not None and victim["age"] < 18 for victim in victims)
    assert 0.2 * len(victims) < minors < 0.6 * len(victims)
    assert Counter(victim["nationality"] for victim in victims).most_common(1)[0][0] == "PE"
    numbers = [record["number"] for record in data if record["registering_unit"] == "DIVINTRAP"]
    assert numbers[0].startswith("DIVINTRAP-2010-000001")


def test_every_outcome_and_category_occurs(units: dict) -> None:
    outcomes, categories = Counter(), Counter()
    for record in records(4000, seed=3, from_year=2016, to_year=2020):
        decision = classify(record_facts(record))
        outcomes[decision.outcome] += 1
        categories.update(decision.purpose_categories)

    assert set(outcomes) == {term.code for term in OUTCOMES}
    assert set(categories) == {term.code for term in CATEGORIES}


def _snapshot(complaint: Complaint) -> dict[str, Any]:
    """Every column of a complaint and of its people and statistics rows, but its identity."""
    values = {f.attname: getattr(complaint, f.attname) for f in Complaint._meta.concrete_fields}
    for name in ("id", "number", "frozen_at", "search_text", "form_token"):
        values.pop(name)
    values["search_text"] = complaint.search_text.replace(complaint.number.lower(), "")
    people = []
    for model in (ComplaintVictim, ComplaintSuspect):
        for row in model.objects.filter(complaint=complaint).select_related("person").order_by("position"):
            person = {f.attname: getattr(row.person, f.attname) for f in row.person._meta.concrete_fields}
            link = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
            # The fast path links no identity (people.Identity): the registration service does.
            for name in ("id", "created_at", "identity_id"):
                person.pop(name)
            for name in ("id", "complaint_id", "person_id"):
                link.pop(name)
            people.append((model.__name__, link, person))
    values["people"] = people
    values["statistics"] = _read_model(complaint)
    return values


def _read_model(complaint: Complaint) -> dict[str, list[tuple]]:
    """The complaint's rows of every table of the statistics read model (the models whose
    complaint_id column points at it), whatever their shape."""
    rows = {}
    for model in apps.get_app_config("stats").get_models():
        link = next((f for f in model._meta.concrete_fields if f.column == "complaint_id"), None)
        if not model.__name__.startswith("Stat") or link is None:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", link.attname)]
        found = model.objects.filter(**{link.attname: complaint.pk}).values_list(*names)
        rows[model.__name__] = sorted(found, key=repr)
    assert rows and any(rows.values()), "no statistics read model found"
    return rows


def test_the_fast_path_writes_what_the_registration_service_writes(units: dict, personas: dict) -> None:
    """The same records written by `records_write` and by the legacy import (the service): every
    column and row alike but the number, the freezing moment and the ids."""
    admin = personas["national_admin"]
    data = records(40, seed=4, numbering=counters_peek, from_year=2006, to_year=this_year())

    assert records_write(data, author=admin) == 40
    twins = [dict(record, number=f"IMP-{record['number']}") for record in data]
    report = complaints_import(actor=admin, lines=[json.dumps(record) for record in twins])
    assert report.errors == [] and len(report.imported) == 40

    for record in data:
        fast = Complaint.objects.get(number=record["number"])
        service = Complaint.objects.get(number=f"IMP-{record['number']}")
        assert _snapshot(fast) == _snapshot(service), record["number"]
        assert fast.is_frozen and fast.frozen_at == fast.submitted_at


def test_the_stored_classification_is_the_engines(units: dict, personas: dict) -> None:
    synthetic_load(count=80, seed=5, author=personas["national_admin"], from_year=2005, to_year=this_year())

    for complaint in Complaint.objects.all():
        expected = decision_to_dict(classify(complaint_facts(complaint), today=timezone.localdate()))
        assert complaint.classification == expected
        assert (complaint.outcome, complaint.law_profile, complaint.purpose_categories) == (
            expected["outcome"],
            expected["law"],
            expected["purpose_categories"],
        )
        assert complaint.narrative == SYNTHETIC_NARRATIVE
        assert complaint.history.count() == 0  # synthetic data has no history rows


def test_counters_are_moved_past_the_synthetic_numbers(units: dict, personas: dict) -> None:
    year = this_year()
    synthetic_load(count=300, seed=6, author=personas["national_admin"], from_year=year, to_year=year)

    for counter in UnitCounter.objects.filter(series="complaint").filter(year=year):
        numbers = Complaint.objects.filter(
            registering_unit=counter.unit, number__startswith=f"{counter.unit.code}-{year}-"
        )
        assert counter.last_number == numbers.count()
    cusco = units["DIRTEPOL-CUSCO-CPNP-1"]
    used = UnitCounter.objects.filter(series="complaint").get(unit=cusco, year=year).last_number
    filed = complaint_file(
        actor=personas["station_officer"],
        data=ComplaintData(
            facts_date=timezone.localdate(),
            place_district=cusco.district,
            narrative="Relato.",
            responsible_officer="S3 PNP Rosa Huamán",
            conducts=["recruitment"],
            victims=[VictimData(sex="F", age=15)],
        ),
    )
    assert filed.number == f"{cusco.code}-{year}-{used + 1:06d}"


def test_the_command_writes_the_database_or_a_file(units: dict, personas: dict, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("generate_synthetic", "--complaints", "25", "--seed", "1", "--user", "national.admin", stdout=out)
    assert "Generadas 25 denuncias sintéticas" in out.getvalue()
    assert Complaint.objects.count() == 25
    assert all(len(_read_model(complaint)["StatComplaint"]) == 1 for complaint in Complaint.objects.all())

    target = tmp_path / "sinteticas.jsonl"
    call_command("generate_synthetic", "--complaints", "10", "--seed", "1", "--jsonl", str(target), stdout=out)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10 and Complaint.objects.count() == 25
    assert json.loads(lines[0])["narrative"] == SYNTHETIC_NARRATIVE
