"""The victims of the export, read in a scope and a period: the rows of the statistics read model
(stats.models.StatVictim: codes only, no name, no free text), scoped exactly as every statistic is
(stats.scope: the complaints the user's complaint list shows), of complaints classified as
trafficking, registered in the period; with, per complaint, its purposes (codes), and the status
and the recruitment methods (codes) of the case files it grew from.

The case files are read for their codes only, whoever asks: the scope is decided by the complaint
(a monitor sees no case file, but may see, k-anonymised, that a complaint's case file is active).

May import: administration.access (Scope), administration.catalogues (the statistics codes of the
kinds of place), complaints.models, investigations.models, stats (codes,
models, scope), htcds (anonymity, records, mapping).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.db.models import Count, QuerySet

from administration.access import Scope
from administration.catalogues import Catalogue, catalogue_stat_codes
from complaints.models import Complaint
from htcds import mapping
from htcds.anonymity import Anonymised, Anonymity, Period, anonymise, summarise
from htcds.records import VictimFacts
from investigations.models import CaseComplaint, CasePerson
from stats.codes import (
    AGE_BAND_CODES,
    CATEGORY_CODES,
    MEANS_CODES,
    NATIONALITY_CODES,
    OUTCOME_CODES,
    SEX_CODES,
    code_of,
)
from stats.models import StatVictim
from stats.scope import scoped

CHUNK = 1000


def _decode(codes: Sequence[str], stored: int | None) -> str:
    return codes[stored - 1] if stored and 1 <= stored <= len(codes) else ""


def _bits(codes: Sequence[str], mask: int | None) -> tuple[str, ...]:
    return tuple(code for index, code in enumerate(codes) if (mask or 0) & (1 << index))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _complaint_codes(ids: list[int]) -> tuple[dict[int, tuple], dict[int, tuple], dict[int, tuple]]:
    """Per complaint: its purposes, the statuses of its case files, their recruitment methods."""
    purposes: dict[int, tuple] = {}
    statuses: dict[int, list[str]] = defaultdict(list)
    recruitment: dict[int, set[str]] = defaultdict(set)
    for chunk in _chunks(ids):
        for pk, codes in Complaint.objects.filter(pk__in=chunk).values_list("pk", "purposes"):
            purposes[pk] = tuple(codes or ())
        case_files: dict[int, list[int]] = defaultdict(list)
        links = CaseComplaint.objects.filter(complaint_id__in=chunk).values_list(
            "complaint_id", "case_file_id", "case_file__status"
        )
        for complaint_id, case_file_id, status in links:
            statuses[complaint_id].append(status)
            case_files[case_file_id].append(complaint_id)
        methods = (
            CasePerson.objects.filter(case_file_id__in=list(case_files))
            .exclude(recruitment_method="")
            .values_list("case_file_id", "recruitment_method")
        )
        for case_file_id, method in methods:
            for complaint_id in case_files[case_file_id]:
                recruitment[complaint_id].add(method)
    return (
        purposes,
        {pk: tuple(sorted(found)) for pk, found in statuses.items()},
        {pk: tuple(sorted(found)) for pk, found in recruitment.items()},
    )


def victim_facts(*, scope: Scope, year_from: int, year_to: int) -> list[VictimFacts]:
    """The victims of the scope's complaints classified as trafficking, registered in the period."""
    rows = list(
        _exported_victims(scope, year_from, year_to)
        .order_by("record_id", "pk")
        .values_list(
            "record_id",
            "year",
            "department",
            "sex",
            "age_band",
            "minor",
            "nationality",
            "outcome",
            "categories",
            "means",
            "place_kind",
        )
    )
    purposes, statuses, recruitment = _complaint_codes(sorted({row[0] for row in rows}))
    # Kinds of place are stored by their catalogue entry's statistics code (additions included).
    place_kinds = {number: code for code, number in catalogue_stat_codes(Catalogue.PLACE_KIND).items()}
    facts = []
    for complaint_id, year, department, sex, age, minor, nationality, outcome, categories, means, place in rows:
        facts.append(
            VictimFacts(
                year=year,
                department=f"{department:02d}" if department else "",
                sex=_decode(SEX_CODES, sex),
                age_band=_decode(AGE_BAND_CODES, age),
                minor=minor,
                nationality=_decode(NATIONALITY_CODES, nationality),
                outcome=_decode(OUTCOME_CODES, outcome),
                purposes=purposes.get(complaint_id, ()),
                categories=_bits(CATEGORY_CODES, categories),
                means=_bits(MEANS_CODES, means),
                place_kind=place_kinds.get(place, ""),
                case_statuses=statuses.get(complaint_id, ()),
                recruitment=recruitment.get(complaint_id, ()),
            )
        )
    return facts


def htcds_export(*, scope: Scope, year_from: int, year_to: int) -> Anonymised:
    """The k-anonymous HTCDS records of the scope and period (the downloads)."""
    facts = victim_facts(scope=scope, year_from=year_from, year_to=year_to)
    return anonymise(facts, period=Period(year_from, year_to))


def _exported_victims(scope: Scope, year_from: int, year_to: int) -> QuerySet:
    outcomes = [code_of(OUTCOME_CODES, outcome) for outcome in mapping.EXPORTED_OUTCOMES]
    return scoped(StatVictim.objects.all(), scope).filter(year__gte=year_from, year__lte=year_to, outcome__in=outcomes)


def victim_groups(*, scope: Scope, year_from: int, year_to: int) -> list[tuple[VictimFacts, int]]:
    """The victims of `victim_facts`, as groups alike on what the k-anonymity reads
    (htcds.anonymity.quasi_facts) with their number: one GROUP BY over the read model, a few
    hundred rows whatever the number of victims; nothing else is read."""
    rows = (
        _exported_victims(scope, year_from, year_to)
        .order_by()
        .values_list("year", "department", "sex", "age_band", "minor", "nationality")
        .annotate(n=Count("pk"))
    )
    return [
        (
            VictimFacts(
                year=year,
                department=f"{department:02d}" if department else "",
                sex=_decode(SEX_CODES, sex),
                age_band=_decode(AGE_BAND_CODES, age),
                minor=minor,
                nationality=_decode(NATIONALITY_CODES, nationality),
                outcome="",
            ),
            n,
        )
        for year, department, sex, age, minor, nationality, n in rows
    ]


def htcds_summary(*, scope: Scope, year_from: int, year_to: int) -> Anonymity:
    """What the export of the scope and period holds (victims, records, suppressed, what is
    generalised), for the page: the same choice as `htcds_export` (htcds.anonymity.summarise and
    anonymise share it), from `victim_groups` instead of every record."""
    groups = victim_groups(scope=scope, year_from=year_from, year_to=year_to)
    return summarise(groups, period=Period(year_from, year_to))
