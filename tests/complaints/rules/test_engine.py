"""The decisions of the rule engine, one table row per rule of LAW.md. No database, no Django.

Expected values are written out from LAW.md, not read from the engine's own tables.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from complaints.rules import (
    Aggravation,
    Decision,
    RelatedCrime,
    Suspect,
    UnknownLawError,
    Victim,
    classify,
    decision_to_dict,
    facts_from_dict,
)
from complaints.rules.engine import today_in_peru
from complaints.rules.profiles import profile_for_date

from .builders import ADULT, DAY_2010, DAY_2018, DAY_2023, MINOR_15, make_facts, result, trafficking

# LAW.md, "The classification result": article by profile, alert by outcome.
TRAFFICKING_ARTICLE = {"PE-2007": "153", "PE-2014": "153", "PE-2021": "129-A"}
AGGRAVATED_ARTICLE = {"PE-2007": "153-A", "PE-2014": "153-A", "PE-2021": "129-B"}
ALERT = {"trafficking": "high", "trafficking_incomplete": "normal", "related_crime": "normal", "not_consistent": None}


def expected(
    outcome: str,
    *,
    law: str = "PE-2007",
    categories: tuple[str, ...] = (),
    aggravating: tuple[tuple[str, int], ...] = (),
    related: tuple[tuple[str, str], ...] = (),
    warnings: tuple[str, ...] = (),
) -> dict[str, Any]:
    in_trafficking = outcome in ("trafficking", "trafficking_incomplete")
    return {
        "law": law,
        "article": TRAFFICKING_ARTICLE[law] if in_trafficking else None,
        "outcome": outcome,
        "purpose_categories": list(categories),
        "aggravating": [
            {"code": code, "degree": degree, "article": AGGRAVATED_ARTICLE[law]} for code, degree in aggravating
        ],
        "related_crimes": [{"code": code, "article": article} for code, article in related],
        "alert": ALERT[outcome],
        "warnings": list(warnings),
    }


# --- The LAW.md example ---------------------------------------------------------------------------

LAW_EXAMPLE_FACTS = {
    "date_of_facts": "2010-05-01",
    "victims": [{"age": 16, "sex": "F"}],
    "suspects": [{"sex": "M"}],
    "conducts": ["recruitment", "transfer"],
    "means": ["deception"],
    "purposes": ["prostitution"],
    "case_facts": [],
    "related_facts": ["hands_over_for_sex"],
}

LAW_EXAMPLE_RESULT = {
    "law": "PE-2007",
    "article": "153",
    "outcome": "trafficking",
    "purpose_categories": ["sexual_exploitation"],
    "aggravating": [{"code": "victim_14_to_17_or_incapable", "degree": 1, "article": "153-A"}],
    "related_crimes": [{"code": "proxenetismo", "article": "181"}],
    "alert": "high",
    "warnings": [],
}


def test_the_law_md_example_gives_the_law_md_result() -> None:
    data = decision_to_dict(classify(facts_from_dict(LAW_EXAMPLE_FACTS)))
    explanation = data.pop("explanation")
    assert data == LAW_EXAMPLE_RESULT
    assert "Se registran conductas de captación y traslado (art. 153 del Código Penal, Ley 28950)." in explanation


def test_the_result_has_exactly_the_keys_of_law_md_in_order() -> None:
    data = decision_to_dict(classify(facts_from_dict(LAW_EXAMPLE_FACTS)))
    assert list(data) == [
        "law",
        "article",
        "outcome",
        "purpose_categories",
        "aggravating",
        "related_crimes",
        "alert",
        "warnings",
        "explanation",
    ]
    assert all(isinstance(sentence, str) for sentence in data["explanation"])
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


# --- Outcomes (LAW.md, "The decision") ------------------------------------------------------------

OUTCOME_ROWS = [
    pytest.param(
        trafficking(),
        expected("trafficking", categories=("labour_exploitation",)),
        id="conducts_and_a_means_are_trafficking",
    ),
    pytest.param(
        make_facts(victims=[MINOR_15], conducts=["transport"], purposes=["begging"]),
        expected("trafficking", categories=("begging",), aggravating=(("victim_14_to_17_or_incapable", 1),)),
        id="a_minor_needs_no_means",
    ),
    pytest.param(
        make_facts(victims=[Victim(minor=True)], conducts=["receipt"], purposes=["prostitution"]),
        expected("trafficking", categories=("sexual_exploitation",), warnings=("age_to_verify",)),
        id="a_minor_of_unknown_age_needs_no_means_and_gets_no_age_aggravation",
    ),
    pytest.param(
        make_facts(victims=[Victim(age=17)], conducts=["receipt"], purposes=["prostitution"]),
        expected(
            "trafficking", categories=("sexual_exploitation",), aggravating=(("victim_14_to_17_or_incapable", 1),)
        ),
        id="a_victim_aged_17_is_a_minor",
    ),
    pytest.param(
        make_facts(victims=[Victim(age=18)], conducts=["receipt"], purposes=["prostitution"]),
        expected("trafficking_incomplete", categories=("sexual_exploitation",), warnings=("means_missing_for_adult",)),
        id="a_victim_aged_18_is_an_adult",
    ),
    pytest.param(
        make_facts(victims=[Victim(age=20, minor=True)], conducts=["receipt"], purposes=["prostitution"]),
        expected("trafficking_incomplete", categories=("sexual_exploitation",), warnings=("means_missing_for_adult",)),
        id="a_known_adult_age_prevails_over_the_minor_flag",
    ),
    pytest.param(
        make_facts(victims=[Victim(age=16, minor=False)], conducts=["receipt"], purposes=["prostitution"]),
        expected(
            "trafficking", categories=("sexual_exploitation",), aggravating=(("victim_14_to_17_or_incapable", 1),)
        ),
        id="a_known_minor_age_prevails_over_the_minor_flag",
    ),
    pytest.param(
        make_facts(conducts=["recruitment"], purposes=["forced_labour"]),
        expected("trafficking_incomplete", categories=("labour_exploitation",), warnings=("means_missing_for_adult",)),
        id="an_adult_without_means_is_incomplete_trafficking",
    ),
    pytest.param(
        make_facts(victims=[Victim()], conducts=["recruitment"], purposes=["forced_labour"]),
        expected(
            "trafficking_incomplete",
            categories=("labour_exploitation",),
            warnings=("age_to_verify", "means_missing_for_adult"),
        ),
        id="an_unknown_age_without_means_is_incomplete_and_the_age_is_to_verify",
    ),
    pytest.param(
        make_facts(victims=[Victim(minor=False)], conducts=["recruitment"], purposes=["forced_labour"]),
        expected("trafficking_incomplete", categories=("labour_exploitation",), warnings=("means_missing_for_adult",)),
        id="a_victim_known_to_be_adult_without_age_needs_no_age_check",
    ),
    pytest.param(
        make_facts(victims=[], conducts=["recruitment"], purposes=["forced_labour"]),
        expected("trafficking_incomplete", categories=("labour_exploitation",), warnings=("means_missing_for_adult",)),
        id="no_victim_recorded_and_no_means_is_incomplete",
    ),
    pytest.param(
        make_facts(victims=[ADULT, MINOR_15], conducts=["harbouring"], purposes=["servitude"]),
        expected(
            "trafficking",
            categories=("labour_exploitation",),
            aggravating=(("multiple_victims", 1), ("victim_14_to_17_or_incapable", 1)),
        ),
        id="one_minor_among_the_victims_is_enough_to_need_no_means",
    ),
    pytest.param(
        trafficking(purposes=()),
        expected("trafficking", categories=("unassigned",), warnings=("purpose_to_determine",)),
        id="trafficking_without_purpose_counts_as_unassigned_and_the_purpose_is_to_determine",
    ),
    pytest.param(
        make_facts(victims=[MINOR_15], conducts=["retention"]),
        expected(
            "trafficking",
            categories=("unassigned",),
            aggravating=(("victim_14_to_17_or_incapable", 1),),
            warnings=("purpose_to_determine",),
        ),
        id="conducts_against_a_minor_without_purpose_are_trafficking_with_purpose_to_determine",
    ),
    pytest.param(
        make_facts(conducts=["recruitment"]),
        expected("not_consistent"),
        id="conducts_against_an_adult_with_no_means_and_no_purpose_are_not_consistent",
    ),
    pytest.param(
        make_facts(conducts=["recruitment"], related_facts=["promotes_prostitution"]),
        expected("related_crime", related=(("favorecimiento_prostitucion", "179"),)),
        id="without_trafficking_a_related_fact_gives_a_related_crime",
    ),
    pytest.param(
        make_facts(means=["violence"], purposes=["prostitution"], case_facts=["criminal_organisation"]),
        expected("not_consistent"),
        id="means_and_purposes_without_conducts_are_not_consistent",
    ),
    pytest.param(
        make_facts(victims=[MINOR_15], purposes=["prostitution"]),
        expected("not_consistent"),
        id="a_minor_and_a_purpose_without_conducts_are_not_consistent",
    ),
    pytest.param(make_facts(), expected("not_consistent"), id="nothing_ticked_is_not_consistent"),
]


@pytest.mark.parametrize(("facts", "expected_result"), OUTCOME_ROWS)
def test_the_outcome_follows_law_md(facts: Any, expected_result: dict[str, Any]) -> None:
    assert result(facts) == expected_result


# --- Law profiles by date (Constitution art. 109: in force the day after publication) -------------

PROFILE_ROWS = [
    pytest.param(date(1999, 3, 1), "PE-2007", ["facts_before_law_28950"], id="facts_long_before_law_28950"),
    pytest.param(
        date(2007, 1, 16), "PE-2007", ["facts_before_law_28950"], id="2007_01_16_the_day_law_28950_was_published"
    ),
    pytest.param(date(2007, 1, 17), "PE-2007", [], id="2007_01_17_law_28950_in_force"),
    pytest.param(date(2014, 10, 21), "PE-2007", [], id="2014_10_21_the_day_law_30251_was_published"),
    pytest.param(date(2014, 10, 22), "PE-2014", [], id="2014_10_22_law_30251_in_force"),
    pytest.param(date(2021, 3, 30), "PE-2014", [], id="2021_03_30_the_day_law_31146_was_published"),
    pytest.param(date(2021, 3, 31), "PE-2021", [], id="2021_03_31_law_31146_in_force"),
    pytest.param(date(2030, 1, 1), "PE-2021", [], id="later_facts_stay_under_law_31146"),
]


@pytest.mark.parametrize(("day", "law", "warnings"), PROFILE_ROWS)
def test_the_date_of_the_facts_chooses_the_profile(day: date, law: str, warnings: list[str]) -> None:
    data = result(trafficking(date_of_facts=day, case_facts=["criminal_organisation"]))
    assert data == expected(
        "trafficking",
        law=law,
        categories=("labour_exploitation",),
        aggravating=(("criminal_organisation", 2),),
        warnings=tuple(warnings),
    )


FORCED_ROWS = [
    pytest.param(DAY_2010, "PE-2021", [], id="2010_facts_forced_to_pe_2021"),
    pytest.param(DAY_2023, "PE-2007", [], id="2023_facts_forced_to_pe_2007"),
    pytest.param(DAY_2018, "PE-2014", [], id="the_profile_of_the_date_can_be_forced_too"),
    pytest.param(date(2006, 12, 31), "PE-2014", ["facts_before_law_28950"], id="facts_before_28950_keep_the_warning"),
    pytest.param(None, "PE-2007", [], id="facts_without_date_forced_to_pe_2007"),
]


@pytest.mark.parametrize(("day", "law", "warnings"), FORCED_ROWS)
def test_a_forced_profile_wins_over_the_date(day: date | None, law: str, warnings: list[str]) -> None:
    data = result(trafficking(date_of_facts=day), law=law, today=DAY_2023)
    assert data == expected("trafficking", law=law, categories=("labour_exploitation",), warnings=tuple(warnings))


def test_an_unknown_law_profile_is_refused_in_spanish() -> None:
    with pytest.raises(UnknownLawError, match="Perfil de ley desconocido: «PE-1991»"):
        classify(trafficking(), law="PE-1991")


@pytest.mark.parametrize(
    ("today", "law"),
    [
        pytest.param(date(2012, 1, 1), "PE-2007", id="today_in_2012"),
        pytest.param(date(2020, 1, 1), "PE-2014", id="today_in_2020"),
        pytest.param(date(2021, 3, 31), "PE-2021", id="today_2021_03_31"),
    ],
)
def test_without_a_date_of_facts_the_law_in_force_today_applies(today: date, law: str) -> None:
    assert classify(trafficking(date_of_facts=None), today=today).law == law


def test_without_a_date_of_facts_or_a_clock_the_law_in_force_in_peru_today_applies() -> None:
    decision = classify(trafficking(date_of_facts=None))
    assert decision.law == profile_for_date(today_in_peru()).code == "PE-2021"
    assert "facts_before_law_28950" not in decision.warnings


def test_the_clock_is_ignored_when_the_date_of_facts_is_known() -> None:
    assert classify(trafficking(date_of_facts=DAY_2010), today=DAY_2023).law == "PE-2007"


# --- Purposes and statistics categories -------------------------------------------------------

# LAW.md, "Purposes (fines) and the statistics category each counts under".
PURPOSE_CATEGORIES = [
    ("sale_of_children", "sale_of_children"),
    ("prostitution", "sexual_exploitation"),
    ("sexual_slavery", "sexual_exploitation"),
    ("other_sexual_exploitation", "sexual_exploitation"),
    ("begging", "begging"),
    ("forced_labour", "labour_exploitation"),
    ("servitude", "labour_exploitation"),
    ("slavery", "labour_exploitation"),
    ("other_labour_exploitation", "labour_exploitation"),
    ("organ_removal", "organ_trafficking"),
]
PROFILE_DAYS = [
    pytest.param("PE-2007", DAY_2010, id="PE-2007"),
    pytest.param("PE-2014", DAY_2018, id="PE-2014"),
    pytest.param("PE-2021", DAY_2023, id="PE-2021"),
]


@pytest.mark.parametrize(("law", "day"), PROFILE_DAYS)
@pytest.mark.parametrize(("purpose", "category"), PURPOSE_CATEGORIES)
def test_each_purpose_counts_under_its_category(purpose: str, category: str, law: str, day: date) -> None:
    data = result(trafficking(date_of_facts=day, purposes=[purpose]))
    assert data == expected("trafficking", law=law, categories=(category,))


@pytest.mark.parametrize(("law", "day"), PROFILE_DAYS[1:])
def test_other_analogous_exploitation_counts_as_unassigned_from_law_30251(law: str, day: date) -> None:
    data = result(trafficking(date_of_facts=day, purposes=["other_analogous_exploitation"]))
    assert data == expected("trafficking", law=law, categories=("unassigned",))


def test_other_analogous_exploitation_is_not_a_purpose_under_pe_2007() -> None:
    data = result(trafficking(purposes=["other_analogous_exploitation"]))
    assert data == expected(
        "trafficking", categories=("unassigned",), warnings=("purpose_not_in_law", "purpose_to_determine")
    )


def test_other_analogous_exploitation_beside_a_real_purpose_under_pe_2007_only_warns() -> None:
    data = result(trafficking(purposes=["other_analogous_exploitation", "prostitution"]))
    assert data == expected("trafficking", categories=("sexual_exploitation",), warnings=("purpose_not_in_law",))


def test_other_analogous_exploitation_cannot_make_an_adult_case_incomplete_under_pe_2007() -> None:
    data = result(make_facts(conducts=["recruitment"], purposes=["other_analogous_exploitation"]))
    assert data == expected("not_consistent", warnings=("purpose_not_in_law",))


def test_other_analogous_exploitation_makes_an_adult_case_incomplete_under_pe_2014() -> None:
    facts = make_facts(date_of_facts=DAY_2018, conducts=["recruitment"], purposes=["other_analogous_exploitation"])
    assert result(facts) == expected(
        "trafficking_incomplete", law="PE-2014", categories=("unassigned",), warnings=("means_missing_for_adult",)
    )


def test_other_analogous_exploitation_under_a_forced_pe_2007_warns() -> None:
    data = result(trafficking(date_of_facts=DAY_2023, purposes=["other_analogous_exploitation"]), law="PE-2007")
    assert data["warnings"] == ["purpose_not_in_law", "purpose_to_determine"]


def test_several_purposes_give_several_categories_sorted() -> None:
    purposes = ["sale_of_children", "prostitution", "forced_labour", "begging", "organ_removal", "servitude"]
    data = result(trafficking(purposes=purposes))
    assert data["purpose_categories"] == [
        "begging",
        "labour_exploitation",
        "organ_trafficking",
        "sale_of_children",
        "sexual_exploitation",
    ]


def test_purposes_give_no_category_when_the_outcome_is_not_trafficking() -> None:
    facts = make_facts(purposes=["prostitution"], related_facts=["lives_off_prostitution_earnings"])
    assert result(facts) == expected("related_crime", related=(("rufianismo", "180"),))


# --- Aggravating circumstances (153-A / 129-B) ----------------------------------------------------

AGGRAVATION_ROWS = [
    # First degree.
    pytest.param({"case_facts": ["public_office_abuse"]}, [("public_office_abuse", 1)], id="public_office_abuse"),
    pytest.param({"case_facts": ["organisation_position"]}, [("organisation_position", 1)], id="organisation_position"),
    pytest.param({"case_facts": ["multiple_victims"]}, [("multiple_victims", 1)], id="multiple_victims_ticked"),
    pytest.param({"victims": [ADULT, ADULT]}, [("multiple_victims", 1)], id="multiple_victims_from_two_victims"),
    pytest.param(
        {"case_facts": ["multiple_victims"], "victims": [ADULT, ADULT, ADULT]},
        [("multiple_victims", 1)],
        id="multiple_victims_ticked_and_counted_is_listed_once",
    ),
    pytest.param({"victims": [Victim(age=14)]}, [("victim_14_to_17_or_incapable", 1)], id="victim_aged_14"),
    pytest.param({"victims": [Victim(age=17)]}, [("victim_14_to_17_or_incapable", 1)], id="victim_aged_17"),
    pytest.param(
        {"victims": [Victim(age=40, legally_incapable=True)]},
        [("victim_14_to_17_or_incapable", 1)],
        id="victim_legally_incapable",
    ),
    pytest.param({"case_facts": ["relative_or_carer"]}, [("relative_or_carer", 1)], id="relative_or_carer"),
    pytest.param(
        {"case_facts": ["two_or_more_perpetrators"]}, [("two_or_more_perpetrators", 1)], id="two_perpetrators_ticked"
    ),
    pytest.param(
        {"suspects": [Suspect(), Suspect(sex="F")]},
        [("two_or_more_perpetrators", 1)],
        id="two_perpetrators_from_two_suspects",
    ),
    # Second degree.
    pytest.param({"case_facts": ["victim_died"]}, [("death_injury_or_danger", 2)], id="victim_died"),
    pytest.param({"case_facts": ["serious_injury"]}, [("death_injury_or_danger", 2)], id="serious_injury"),
    pytest.param({"case_facts": ["life_in_danger"]}, [("death_injury_or_danger", 2)], id="life_in_danger"),
    pytest.param(
        {"case_facts": ["victim_died", "serious_injury", "life_in_danger"]},
        [("death_injury_or_danger", 2)],
        id="death_injury_and_danger_are_one_aggravation",
    ),
    pytest.param({"victims": [Victim(age=13)]}, [("victim_under_14_or_disabled", 2)], id="victim_aged_13"),
    pytest.param({"victims": [Victim(age=0)]}, [("victim_under_14_or_disabled", 2)], id="victim_aged_0"),
    pytest.param(
        {"victims": [Victim(age=30, disability=True)]},
        [("victim_under_14_or_disabled", 2)],
        id="victim_with_a_disability",
    ),
    pytest.param({"case_facts": ["criminal_organisation"]}, [("criminal_organisation", 2)], id="criminal_organisation"),
    # None.
    pytest.param({"victims": [Victim(age=18)]}, [], id="victim_aged_18_no_age_aggravation"),
    pytest.param({}, [], id="nothing_aggravating"),
    pytest.param({"victims": []}, [], id="no_victim_recorded"),
    pytest.param({"suspects": []}, [], id="no_suspect_recorded"),
]


@pytest.mark.parametrize(("law", "day"), PROFILE_DAYS)
@pytest.mark.parametrize(("overrides", "aggravating"), AGGRAVATION_ROWS)
def test_each_aggravation_has_its_degree_and_article(
    overrides: dict[str, Any], aggravating: list[tuple[str, int]], law: str, day: date
) -> None:
    data = result(trafficking(date_of_facts=day, **overrides))
    assert data["aggravating"] == [
        {"code": code, "degree": degree, "article": AGGRAVATED_ARTICLE[law]} for code, degree in aggravating
    ]


@pytest.mark.parametrize(
    ("law", "day", "aggravating"),
    [
        pytest.param("PE-2007", DAY_2010, [], id="PE-2007"),
        pytest.param("PE-2014", DAY_2018, [], id="PE-2014"),
        pytest.param("PE-2021", DAY_2023, [{"code": "pregnant_victim", "degree": 1, "article": "129-B"}], id="PE-2021"),
    ],
)
def test_a_pregnant_victim_aggravates_only_under_pe_2021(law: str, day: date, aggravating: list[Any]) -> None:
    data = result(trafficking(date_of_facts=day, victims=[Victim(age=25, pregnant=True)]))
    assert data["law"] == law
    assert data["aggravating"] == aggravating


def test_a_minor_of_unknown_age_gets_no_age_aggravation_and_the_age_is_to_verify() -> None:
    data = result(trafficking(victims=[Victim(minor=True)]))
    assert data == expected("trafficking", categories=("labour_exploitation",), warnings=("age_to_verify",))


def test_a_minor_of_unknown_age_with_a_disability_still_aggravates_by_disability() -> None:
    data = result(trafficking(victims=[Victim(minor=True, disability=True, legally_incapable=True)]))
    assert [item["code"] for item in data["aggravating"]] == [
        "victim_14_to_17_or_incapable",
        "victim_under_14_or_disabled",
    ]
    assert data["warnings"] == ["age_to_verify"]


def test_a_victim_of_unknown_age_in_trafficking_by_means_raises_no_warning() -> None:
    assert result(trafficking(victims=[Victim()]))["warnings"] == []


def test_every_aggravation_at_once_is_listed_sorted_by_code() -> None:
    facts = trafficking(
        date_of_facts=DAY_2023,
        victims=[Victim(age=13), Victim(age=15, pregnant=True)],
        suspects=[Suspect(), Suspect()],
        case_facts=["public_office_abuse", "organisation_position", "relative_or_carer", "criminal_organisation"]
        + ["victim_died"],
    )
    assert result(facts)["aggravating"] == [
        {"code": "criminal_organisation", "degree": 2, "article": "129-B"},
        {"code": "death_injury_or_danger", "degree": 2, "article": "129-B"},
        {"code": "multiple_victims", "degree": 1, "article": "129-B"},
        {"code": "organisation_position", "degree": 1, "article": "129-B"},
        {"code": "pregnant_victim", "degree": 1, "article": "129-B"},
        {"code": "public_office_abuse", "degree": 1, "article": "129-B"},
        {"code": "relative_or_carer", "degree": 1, "article": "129-B"},
        {"code": "two_or_more_perpetrators", "degree": 1, "article": "129-B"},
        {"code": "victim_14_to_17_or_incapable", "degree": 1, "article": "129-B"},
        {"code": "victim_under_14_or_disabled", "degree": 2, "article": "129-B"},
    ]


ALL_CASE_FACTS = [
    "public_office_abuse",
    "organisation_position",
    "relative_or_carer",
    "criminal_organisation",
    "victim_died",
    "serious_injury",
    "life_in_danger",
    "multiple_victims",
    "two_or_more_perpetrators",
]


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        pytest.param(
            make_facts(conducts=["recruitment"], purposes=["begging"], case_facts=ALL_CASE_FACTS),
            "trafficking_incomplete",
            id="incomplete",
        ),
        pytest.param(
            make_facts(related_facts=["hands_over_for_sex"], case_facts=ALL_CASE_FACTS, victims=[Victim(age=12)] * 2),
            "related_crime",
            id="related_crime",
        ),
        pytest.param(make_facts(case_facts=ALL_CASE_FACTS), "not_consistent", id="not_consistent"),
    ],
)
def test_aggravations_are_listed_only_when_the_outcome_is_trafficking(facts: Any, outcome: str) -> None:
    data = result(facts)
    assert data["outcome"] == outcome
    assert data["aggravating"] == []


# --- Related crimes (delitos afines) --------------------------------------------------------------

RELATED_ROWS = [
    pytest.param("promotes_prostitution", "favorecimiento_prostitucion", "179", id="favorecimiento_prostitucion"),
    pytest.param("lives_off_prostitution_earnings", "rufianismo", "180", id="rufianismo"),
    pytest.param("hands_over_for_sex", "proxenetismo", "181", id="proxenetismo"),
    pytest.param("child_sex_tourism", "turismo_sexual_infantil", "181-A", id="turismo_sexual_infantil"),
    pytest.param("illegal_border_crossing_for_profit", "trafico_ilicito_migrantes", "303-A", id="trafico_migrantes"),
]


@pytest.mark.parametrize(("law", "day"), PROFILE_DAYS)
@pytest.mark.parametrize(("fact", "crime", "article"), RELATED_ROWS)
def test_each_related_fact_gives_its_related_crime(fact: str, crime: str, article: str, law: str, day: date) -> None:
    data = result(make_facts(date_of_facts=day, related_facts=[fact]))
    assert data == expected("related_crime", law=law, related=((crime, article),))


@pytest.mark.parametrize(
    ("victims", "related"),
    [
        pytest.param([Victim(age=14)], [("usuario_cliente", "179-A")], id="victim_aged_14"),
        pytest.param([Victim(age=17)], [("usuario_cliente", "179-A")], id="victim_aged_17"),
        pytest.param([ADULT, Victim(age=16)], [("usuario_cliente", "179-A")], id="one_victim_aged_16_among_others"),
        pytest.param([Victim(age=13)], [], id="victim_aged_13"),
        pytest.param([Victim(age=18)], [], id="victim_aged_18"),
        pytest.param([Victim(minor=True)], [], id="minor_of_unknown_age"),
        pytest.param([], [], id="no_victim_recorded"),
    ],
)
def test_usuario_cliente_needs_a_victim_aged_14_to_17(victims: list[Victim], related: list[tuple[str, str]]) -> None:
    data = result(make_facts(victims=victims, related_facts=["pays_sex_with_minor"]))
    outcome = "related_crime" if related else "not_consistent"
    assert data == expected(outcome, related=tuple(related))


def test_related_crimes_are_listed_beside_trafficking() -> None:
    data = result(trafficking(related_facts=["illegal_border_crossing_for_profit"]))
    assert data == expected(
        "trafficking", categories=("labour_exploitation",), related=(("trafico_ilicito_migrantes", "303-A"),)
    )


def test_related_crimes_are_listed_beside_incomplete_trafficking() -> None:
    data = result(make_facts(conducts=["recruitment"], purposes=["prostitution"], related_facts=["hands_over_for_sex"]))
    assert data == expected(
        "trafficking_incomplete",
        categories=("sexual_exploitation",),
        related=(("proxenetismo", "181"),),
        warnings=("means_missing_for_adult",),
    )


def test_every_related_crime_at_once_is_listed_sorted_by_code() -> None:
    facts = make_facts(
        victims=[Victim(age=15)],
        related_facts=[
            "promotes_prostitution",
            "pays_sex_with_minor",
            "lives_off_prostitution_earnings",
            "hands_over_for_sex",
            "child_sex_tourism",
            "illegal_border_crossing_for_profit",
        ],
    )
    assert result(facts)["related_crimes"] == [
        {"code": "favorecimiento_prostitucion", "article": "179"},
        {"code": "proxenetismo", "article": "181"},
        {"code": "rufianismo", "article": "180"},
        {"code": "trafico_ilicito_migrantes", "article": "303-A"},
        {"code": "turismo_sexual_infantil", "article": "181-A"},
        {"code": "usuario_cliente", "article": "179-A"},
    ]


# --- Alerts and article ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "outcome", "alert", "article"),
    [
        pytest.param(trafficking(), "trafficking", "high", "153", id="trafficking_high"),
        pytest.param(
            make_facts(conducts=["transport"], purposes=["slavery"]),
            "trafficking_incomplete",
            "normal",
            "153",
            id="incomplete_normal",
        ),
        pytest.param(
            make_facts(related_facts=["child_sex_tourism"]), "related_crime", "normal", None, id="related_crime_normal"
        ),
        pytest.param(make_facts(), "not_consistent", None, None, id="not_consistent_none"),
    ],
)
def test_each_outcome_raises_its_alert_and_cites_the_article_only_for_trafficking(
    facts: Any, outcome: str, alert: str | None, article: str | None
) -> None:
    decision = classify(facts)
    assert (decision.outcome, decision.alert, decision.article) == (outcome, alert, article)


def test_pe_2021_cites_article_129_a() -> None:
    assert classify(trafficking(date_of_facts=DAY_2023)).article == "129-A"


# --- The result ------------------------------------------------------------------------------------


def test_the_decision_is_frozen() -> None:
    decision = classify(trafficking())
    with pytest.raises(AttributeError):
        decision.outcome = "not_consistent"  # type: ignore[misc]


def test_decision_to_dict_sorts_every_list_by_code() -> None:
    decision = Decision(
        law="PE-2014",
        article="153",
        outcome="trafficking",
        purpose_categories=("sexual_exploitation", "begging"),
        aggravating=(
            Aggravation(code="victim_under_14_or_disabled", degree=2, article="153-A"),
            Aggravation(code="multiple_victims", degree=1, article="153-A"),
        ),
        related_crimes=(
            RelatedCrime(code="rufianismo", article="180"),
            RelatedCrime(code="proxenetismo", article="181"),
        ),
        alert="high",
        warnings=("purpose_to_determine", "age_to_verify"),
        explanation=("Segunda.", "Primera."),
    )
    data = decision_to_dict(decision)
    assert data["purpose_categories"] == ["begging", "sexual_exploitation"]
    assert [item["code"] for item in data["aggravating"]] == ["multiple_victims", "victim_under_14_or_disabled"]
    assert [item["code"] for item in data["related_crimes"]] == ["proxenetismo", "rufianismo"]
    assert data["warnings"] == ["age_to_verify", "purpose_to_determine"]
    assert data["explanation"] == ["Segunda.", "Primera."]  # sentences keep their reading order


def test_the_engine_returns_sorted_tuples() -> None:
    facts = trafficking(
        victims=[Victim(minor=True), Victim(age=12)],
        purposes=["prostitution", "begging"],
        related_facts=["promotes_prostitution", "hands_over_for_sex"],
    )
    decision = classify(facts)
    assert decision.purpose_categories == ("begging", "sexual_exploitation")
    assert [item.code for item in decision.aggravating] == ["multiple_victims", "victim_under_14_or_disabled"]
    assert [crime.code for crime in decision.related_crimes] == ["favorecimiento_prostitucion", "proxenetismo"]
    assert decision.warnings == ("age_to_verify",)
