"""RETA's codes → the values of the Human Trafficking Case Data Standard (HTCDS) v2 picklists, as
data, and the columns of the export. docs/htcds.md shows every table below; a test checks that
every RETA code of each catalogue has an entry (an explicit `None`: left blank, which HTCDS
allows for a value not known) and that every value given is in the picklist named. An entry an
administrator adds later to an editable catalogue (kinds of place, recruitment methods) maps to
the field's "Other" value where the picklist has one, else blank (`PLACE_KIND_ADDED`,
`RECRUITMENT_ADDED`).

HTCDS vocabulary: "Human Trafficking Case Data Standard (HTCDS) by IOM", CC BY 4.0
(http://creativecommons.org/licenses/by/4.0/). IOM does not endorse RETA.

Pure Python: no Django, no database. The RETA codes are the stable codes of LAW.md (purposes,
means), complaints.catalogues (sex, nationalities, kinds of place), stats.codes (age bands,
outcomes) and investigations.models (case status, recruitment methods), written here as strings.
"""

from __future__ import annotations

from dataclasses import dataclass

# A value not mapped: the cell is left blank (HTCDS allows a field to be empty when not known).
BLANK = None
# Several values in one cell (a victim may have several types of exploitation): joined by this,
# which no picklist value contains (" ; " would clash with "Water supply; sewerage, ...").
SEPARATOR = " | "

# ---------------------------------------------------------------- the person

# Sex (complaints.catalogues.Sex; "" not recorded) → Gender.
SEX_TO_GENDER: dict[str, str | None] = {
    "F": "Feminine",
    "M": "Masculine",
    "": "NonSpecifiedUnknown",
}

# Nationality (the statistics read model's codes, stats.codes.NATIONALITY_CODES: ISO 3166 alpha-2
# of the nationalities listed first, "other" for any other, "" not recorded) → Country Code (the
# country's name in the Country picklist follows from it, htcds.standard.country_names).
NATIONALITY_TO_COUNTRY_CODE: dict[str, str | None] = {
    "PE": "PE",
    "VE": "VE",
    "CO": "CO",
    "EC": "EC",
    "BO": "BO",
    "CL": "CL",
    "BR": "BR",
    "AR": "AR",
    "PY": "PY",
    "DO": "DO",
    "CN": "CN",
    "US": "US",
    "ES": "ES",
    "other": BLANK,  # the read model keeps no other country: not known here
    "": BLANK,
}

# ---------------------------------------------------------------- exploitation (LAW.md purposes)

# Purpose → Type of Exploitation.
PURPOSE_TO_EXPLOITATION: dict[str, str | None] = {
    "sale_of_children": "Other",
    "prostitution": "Sexual exploitation",
    "sexual_slavery": "Sexual exploitation",
    "other_sexual_exploitation": "Sexual exploitation",
    "begging": "Forced begging",
    "forced_labour": "Forced labour",
    "servitude": "Servitude",
    "slavery": "Servitude",
    "other_labour_exploitation": "Forced labour",
    "organ_removal": "Organ removal",
    "other_analogous_exploitation": "Other",
}

# Purpose → Type of Sex Exploitation (only where the purpose says which).
PURPOSE_TO_SEX_EXPLOITATION: dict[str, str | None] = {
    "sale_of_children": BLANK,
    "prostitution": "Prostitution",
    "sexual_slavery": BLANK,
    "other_sexual_exploitation": BLANK,
    "begging": BLANK,
    "forced_labour": BLANK,
    "servitude": BLANK,
    "slavery": BLANK,
    "other_labour_exploitation": BLANK,
    "organ_removal": BLANK,
    "other_analogous_exploitation": BLANK,
}

# The complaint's purpose category (stats.codes.CATEGORY_CODES) → Type of Exploitation, used only
# when a complaint has categories but no purpose recorded (records imported from the old system).
CATEGORY_TO_EXPLOITATION: dict[str, str | None] = {
    "sexual_exploitation": "Sexual exploitation",
    "labour_exploitation": "Forced labour",
    "sale_of_children": "Other",
    "begging": "Forced begging",
    "organ_trafficking": "Organ removal",
    "unassigned": BLANK,  # trafficking with no purpose assigned yet: not known
}

# Kind of place of the facts (complaints.catalogues.PlaceKind) → Forced Labour Industry (ISIC
# sections), given only when the victim's exploitation is labour (Forced labour, Servitude).
PLACE_KIND_TO_INDUSTRY: dict[str, str | None] = {
    "bar_nightclub": "Accommodation and food service activities",
    "brothel": BLANK,
    "hotel": "Accommodation and food service activities",
    "restaurant": "Accommodation and food service activities",
    "mine": "Mining and quarrying",
    "farm": "Agriculture, forestry and fishing",
    "logging_camp": "Agriculture, forestry and fishing",
    "workshop": "Manufacturing",
    "market": "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    "private_home": (
        "Activities of households as employers; undifferentiated goods- and services- producing "
        "activities of households for own use"
    ),
    "street": BLANK,
    "transport": BLANK,
    "border": BLANK,
    "online": BLANK,
    "other": BLANK,
    "": BLANK,
}
# A kind of place an administrator added to the catalogue (administration.catalogues) after this
# table was written: the Forced Labour Industry picklist has no "Other" or "Unknown" value (its
# values are ISIC sections, and "Other service activities" is one section, not a catch-all), so
# an added kind is left blank (not known), as RETA's own "other" is.
PLACE_KIND_ADDED: str | None = BLANK
LABOUR_TYPES = frozenset({"Forced labour", "Servitude"})

# ---------------------------------------------------------------- means, recruitment, status

# Means (LAW.md) → Methods of Control.
MEANS_TO_CONTROL: dict[str, str | None] = {
    "violence": "Physical abuse",
    "threat": "Physical threats",
    "coercion": "Psychological abuse",
    "deprivation_of_liberty": "Other",
    "fraud": "False promises",
    "deception": "False promises",
    "abuse_of_power": "Other",
    "abuse_of_vulnerability": "Other",
    "payment_or_benefit": BLANK,  # a payment to whoever controls the victim, not a control of the victim
}

# Recruitment method of a person in a case file (investigations.models.RecruitmentMethod) →
# Method of Recruitment.
RECRUITMENT_TO_METHOD: dict[str, str | None] = {
    "job_offer_newspaper": "Through a newspaper advert",
    "job_offer_radio": "Other",
    "social_network": "Through online social networks",
    "acquaintance": "Through friends or social events",
    "family": "Through family or family events",
    "agency": "At a place of business",
    "other": "Other",
}

# A recruitment method an administrator added to the catalogue after this table was written: the
# Method of Recruitment picklist's own "Other".
RECRUITMENT_ADDED: str | None = "Other"


def industry_of(place_kind: str) -> str | None:
    """The Forced Labour Industry of a kind of place: its row above, or PLACE_KIND_ADDED for a kind
    added to the catalogue since; blank when none is recorded."""
    return PLACE_KIND_TO_INDUSTRY.get(place_kind, PLACE_KIND_ADDED) if place_kind else BLANK


def recruitment_method_of(code: str) -> str | None:
    """The Method of Recruitment of a recruitment method: its row above, or RECRUITMENT_ADDED for
    a method added to the catalogue since."""
    return RECRUITMENT_TO_METHOD.get(code, RECRUITMENT_ADDED) if code else BLANK


# Status of the case file the complaint grew from (investigations.models.CaseStatus) → Status.
CASE_STATUS_TO_STATUS: dict[str, str | None] = {
    "open": "Active",
    "under_investigation": "Active",
    "report_sent": "Follow up",
    "closed": "Closed",
}
# When the complaint grew into several case files, the one still most active gives the status.
STATUS_PRECEDENCE: tuple[str, ...] = ("Active", "Follow up", "Closed Referred", "Closed")

# Outcome of the complaint's legal classification (stats.codes.OUTCOME_CODES) → Trafficking
# Status. The export holds the victims of complaints classified as trafficking only: a police
# classification is preliminary, so "possible" (a court decides "actual").
OUTCOME_TO_TRAFFICKING_STATUS: dict[str, str | None] = {
    "trafficking": "Possible victim of trafficking",
    "trafficking_incomplete": "Possible victim of trafficking",
    "related_crime": "Not a victim of trafficking",
    "not_consistent": "Not a victim of trafficking",
}
EXPORTED_OUTCOMES: tuple[str, ...] = ("trafficking", "trafficking_incomplete")
DECISION_ORGANISATION = "Police"  # Trafficking Status Decision Making Organization

# ---------------------------------------------------------------- quasi-identifiers

# Department of the facts (INEI code) → its name, and the macro-region it generalises to.
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "01": ("Amazonas", "Norte"),
    "02": ("Áncash", "Centro"),
    "03": ("Apurímac", "Sur"),
    "04": ("Arequipa", "Sur"),
    "05": ("Ayacucho", "Sur"),
    "06": ("Cajamarca", "Norte"),
    "07": ("Callao", "Lima y Callao"),
    "08": ("Cusco", "Sur"),
    "09": ("Huancavelica", "Centro"),
    "10": ("Huánuco", "Centro"),
    "11": ("Ica", "Centro"),
    "12": ("Junín", "Centro"),
    "13": ("La Libertad", "Norte"),
    "14": ("Lambayeque", "Norte"),
    "15": ("Lima", "Lima y Callao"),
    "16": ("Loreto", "Oriente"),
    "17": ("Madre de Dios", "Oriente"),
    "18": ("Moquegua", "Sur"),
    "19": ("Pasco", "Centro"),
    "20": ("Piura", "Norte"),
    "21": ("Puno", "Sur"),
    "22": ("San Martín", "Oriente"),
    "23": ("Tacna", "Sur"),
    "24": ("Tumbes", "Norte"),
    "25": ("Ucayali", "Oriente"),
}

# Age band of the read model (stats.codes.AGE_BANDS) at each level of generalisation; a victim
# whose age is unknown but whose minority is known is "0-17" or "18+" at every level.
AGE_LEVELS: tuple[dict[str, str], ...] = (
    {"0-13": "0-13", "14-17": "14-17", "18-24": "18-24", "25-34": "25-34", "35+": "35+"},
    {"0-13": "0-17", "14-17": "0-17", "18-24": "18-34", "25-34": "18-34", "35+": "35+"},
    {"0-13": "0-17", "14-17": "0-17", "18-24": "18+", "25-34": "18+", "35+": "18+"},
)
MINOR_BAND, ADULT_BAND = "0-17", "18+"
# Nationalities kept when the nationality is generalised: the two of nine in ten victims.
KEPT_NATIONALITIES = frozenset({"PE", "VE"})
# Years are generalised to periods of this many years (aligned: 2005-2009, 2010-2014, ...).
PERIOD_YEARS = 5


# ---------------------------------------------------------------- the columns of the export


@dataclass(frozen=True)
class Column:
    """A column of the export: an HTCDS core field (`htcds`, named by its system name in
    core_fields.csv) or a RETA extra (named reta_...), the picklist its values come from (None:
    RETA's own values, listed in docs/htcds.md), whether a cell may hold several values, and
    whether it is a quasi-identifier of the k-anonymity."""

    name: str
    htcds: bool
    picklist: str | None
    multi: bool = False
    quasi_identifier: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("prs_Gender", True, "Gender", quasi_identifier=True),
    Column("reta_AgeBand", False, None, quasi_identifier=True),
    Column("prs_Citizenship", True, "Country", quasi_identifier=True),
    # The same nationality as prs_Citizenship, by its code: no further split of the records.
    Column("reta_CitizenshipCode", False, "Country Code", quasi_identifier=True),
    Column("reta_DepartmentOfFacts", False, None, quasi_identifier=True),
    Column("reta_YearOfRegistration", False, None, quasi_identifier=True),
    Column("vic_TraffickingStatus", True, "Trafficking Status"),
    Column("vic_TraffickinStatusDecisionMakingOrg", True, "Trafficking Status Decision Making Organization"),
    Column("vic_TypeOfExploitation", True, "Type of Exploitation", multi=True),
    Column("vic_TypeOfSexExploitation", True, "Type of Sex Exploitation", multi=True),
    Column("vic_ForcedLabourIndustry", True, "Forced Labour Industry"),
    Column("vic_MethodOfRecruitment", True, "Method of Recruitment", multi=True),
    Column("vic_MethodsOfControl", True, "Methods of Control", multi=True),
    Column("cas_Status", True, "Status"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)


def joined(values: list[str | None]) -> str:
    """The cell of a multi-valued column: the distinct values, in the picklist's order of first
    appearance given, blanks left out; "" when none."""
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return SEPARATOR.join(seen)
