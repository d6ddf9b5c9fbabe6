"""The vocabulary and the law profiles agree with LAW.md and with each other. No database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from complaints.rules import codes
from complaints.rules.engine import AGGRAVATION_RULES, OUTCOME_ALERTS, RELATED_CRIME_CONDITIONS
from complaints.rules.profiles import LAW_28950_IN_FORCE, PROFILES, PROFILES_BY_CODE, get_profile, profile_for_date

# LAW.md, "Element codes", in the order of the law.
LAW_CODES = {
    "conducts": ["recruitment", "transport", "transfer", "harbouring", "receipt", "retention"],
    "means": [
        "violence",
        "threat",
        "coercion",
        "deprivation_of_liberty",
        "fraud",
        "deception",
        "abuse_of_power",
        "abuse_of_vulnerability",
        "payment_or_benefit",
    ],
    "purposes": [
        "sale_of_children",
        "prostitution",
        "sexual_slavery",
        "other_sexual_exploitation",
        "begging",
        "forced_labour",
        "servitude",
        "slavery",
        "other_labour_exploitation",
        "organ_removal",
        "other_analogous_exploitation",
    ],
    "case_facts": [
        "public_office_abuse",
        "organisation_position",
        "relative_or_carer",
        "criminal_organisation",
        "victim_died",
        "serious_injury",
        "life_in_danger",
        "multiple_victims",
        "two_or_more_perpetrators",
    ],
    "related_facts": [
        "promotes_prostitution",
        "pays_sex_with_minor",
        "lives_off_prostitution_earnings",
        "hands_over_for_sex",
        "child_sex_tourism",
        "illegal_border_crossing_for_profit",
    ],
}


@pytest.mark.parametrize("group", list(LAW_CODES))
def test_each_group_has_the_codes_of_law_md_in_its_order(group: str) -> None:
    assert [element.code for element in codes.GROUPS[group]] == LAW_CODES[group]


def test_the_spanish_labels_of_law_md_are_kept() -> None:
    assert codes.ELEMENTS["recruitment"].label == "captación"
    assert codes.ELEMENTS["coercion"].label == "otras formas de coacción"
    assert codes.ELEMENTS["payment_or_benefit"].label == "concesión o recepción de pagos o beneficios"
    assert codes.ELEMENTS["prostitution"].label == "para que ejerza la prostitución"
    assert codes.ELEMENTS["organ_removal"].label == "extracción o tráfico de órganos o tejidos humanos"


def test_codes_are_unique_across_groups() -> None:
    every_code = [element.code for group in codes.GROUPS.values() for element in group]
    assert len(every_code) == len(set(every_code)) == len(codes.ELEMENTS)


def test_every_element_has_a_label_an_article_and_a_hint_for_the_form() -> None:
    for element in codes.ELEMENTS.values():
        assert element.label and element.article and len(element.hint) > 40, element.code
    assert set(codes.GROUP_LABELS) == set(codes.GROUPS)


def test_every_purpose_counts_under_a_known_category() -> None:
    assert {purpose.category for purpose in codes.PURPOSES} == set(codes.CATEGORY_LABELS)
    assert [term.code for term in codes.CATEGORIES] == [
        "sexual_exploitation",
        "labour_exploitation",
        "sale_of_children",
        "begging",
        "organ_trafficking",
        "unassigned",
    ]


def test_every_aggravation_has_exactly_one_rule_and_a_degree() -> None:
    assert set(AGGRAVATION_RULES) == set(codes.AGGRAVATIONS_BY_CODE)
    assert {item.code for item in codes.AGGRAVATIONS if item.degree == 2} == {
        "death_injury_or_danger",
        "victim_under_14_or_disabled",
        "criminal_organisation",
    }
    assert {item.degree for item in codes.AGGRAVATIONS} == set(codes.DEGREE_PENALTIES) == set(codes.DEGREE_LABELS)


def test_every_related_fact_points_to_exactly_one_related_crime() -> None:
    assert sorted(crime.fact for crime in codes.RELATED_CRIMES) == sorted(LAW_CODES["related_facts"])
    assert set(RELATED_CRIME_CONDITIONS) <= set(codes.RELATED_CRIMES_BY_CODE)


def test_every_outcome_has_an_alert_and_every_alert_a_label() -> None:
    assert set(OUTCOME_ALERTS) == set(codes.OUTCOME_LABELS)
    assert {alert for alert in OUTCOME_ALERTS.values() if alert} == set(codes.ALERT_LABELS)


def test_every_warning_has_a_message() -> None:
    assert set(codes.WARNING_MESSAGES) == {
        "facts_before_law_28950",
        "purpose_to_determine",
        "means_missing_for_adult",
        "purpose_not_in_law",
        "age_to_verify",
    }


def test_profiles_follow_each_other_without_gap_or_overlap() -> None:
    assert [profile.code for profile in PROFILES] == ["PE-2007", "PE-2014", "PE-2021"]
    assert PROFILES[0].in_force_from == LAW_28950_IN_FORCE == date(2007, 1, 17)
    for earlier, later in zip(PROFILES, PROFILES[1:], strict=False):
        assert earlier.in_force_until is not None
        assert later.in_force_from == earlier.in_force_until + timedelta(days=1)
    assert PROFILES[-1].in_force_until is None


def test_only_pe_2007_lacks_the_open_purpose_and_only_pe_2021_has_pregnancy() -> None:
    analogous = "other_analogous_exploitation"
    assert [analogous in profile.purposes for profile in PROFILES] == [False, True, True]
    assert ["pregnant_victim" in profile.aggravations for profile in PROFILES] == [False, False, True]


def test_profiles_are_found_by_code_and_by_date() -> None:
    assert get_profile("PE-2014") is PROFILES_BY_CODE["PE-2014"]
    assert profile_for_date(date(1990, 1, 1)).code == "PE-2007"
    assert profile_for_date(date(2014, 10, 22)).code == "PE-2014"
