"""A victim as the export knows her or him (`VictimFacts`: codes only, decoded from the statistics
read model and the case files) and the HTCDS values of the columns that are not
quasi-identifiers (`coded_values`). The quasi-identifiers are generalised by htcds.anonymity.

Pure Python: no Django, no database. There is no field for a name, a document, an address or any
free text: a record cannot carry one.
"""

from __future__ import annotations

from dataclasses import dataclass

from htcds import mapping


@dataclass(frozen=True)
class VictimFacts:
    """One victim of a complaint classified as trafficking, as RETA codes."""

    year: int  # of registration, America/Lima
    department: str  # INEI code of the department of the facts ("08"), "" unknown
    sex: str  # "F", "M", "" not recorded
    age_band: str  # stats.codes.AGE_BAND_CODES, "" unknown
    minor: bool | None  # known minority when the age is not
    nationality: str  # stats.codes.NATIONALITY_CODES ("PE", ..., "other"), "" not recorded
    outcome: str  # stats.codes.OUTCOME_CODES
    purposes: tuple[str, ...] = ()  # LAW.md purpose codes of the complaint
    categories: tuple[str, ...] = ()  # the complaint's purpose categories (stats.codes.CATEGORY_CODES)
    means: tuple[str, ...] = ()  # LAW.md means codes of the complaint
    place_kind: str = ""  # the kind of place of the facts (catalogue place_kind, additions included)
    case_statuses: tuple[str, ...] = ()  # investigations CaseStatus of the case files it grew from
    recruitment: tuple[str, ...] = ()  # recruitment methods (catalogue) recorded in those case files


def exploitation_types(facts: VictimFacts) -> list[str]:
    if facts.purposes:
        found = [mapping.PURPOSE_TO_EXPLOITATION.get(code) for code in facts.purposes]
    else:
        found = [mapping.CATEGORY_TO_EXPLOITATION.get(code) for code in facts.categories]
    return [value for value in found if value]


def case_status(statuses: tuple[str, ...]) -> str:
    mapped = {mapping.CASE_STATUS_TO_STATUS.get(status) for status in statuses} - {None}
    for status in mapping.STATUS_PRECEDENCE:
        if status in mapped:
            return status
    return ""


def coded_values(facts: VictimFacts) -> dict[str, str]:
    """The HTCDS values of the columns that are not quasi-identifiers ("" when not known)."""
    types = exploitation_types(facts)
    industry = ""
    if mapping.LABOUR_TYPES & set(types):
        industry = mapping.industry_of(facts.place_kind) or ""
    return {
        "vic_TraffickingStatus": mapping.OUTCOME_TO_TRAFFICKING_STATUS.get(facts.outcome) or "",
        "vic_TraffickinStatusDecisionMakingOrg": mapping.DECISION_ORGANISATION,
        "vic_TypeOfExploitation": mapping.joined(types),
        "vic_TypeOfSexExploitation": mapping.joined(
            [mapping.PURPOSE_TO_SEX_EXPLOITATION.get(code) for code in facts.purposes]
        ),
        "vic_ForcedLabourIndustry": industry,
        "vic_MethodOfRecruitment": mapping.joined(
            [mapping.recruitment_method_of(code) for code in sorted(facts.recruitment)]
        ),
        "vic_MethodsOfControl": mapping.joined([mapping.MEANS_TO_CONTROL.get(code) for code in facts.means]),
        "cas_Status": case_status(facts.case_statuses),
    }
