"""The variables a statistics table can be grouped or filtered by (`VARIABLES`), what is counted
(`MEASURES`: complaints, victims, alleged traffickers, each a table of the read model), how each
variable's stored values decode into values and labels (`Labels`, `decode`, `mask_values`) and
how a filter's values encode into stored ones (`encode`).

May import: administration.models (Department, for the map), administration.places (the Spanish
order of place names), administration.catalogues (the editable catalogues' labels),
complaints.catalogues and complaints.rules.codes (the labels of the values), administration.models
(ExtraField) and complaints.models (ComplaintExtraValue) for the research variables (`extra_variables`),
complaints.models (Complaint) for the registration moment of the tree of the registration date,
stats.codes, stats.models, stats.tables, stats.units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from administration.catalogues import Catalogue, catalogue_choices, catalogue_codes, catalogue_stat_codes
from administration.models import Department
from administration.places import spanish_key
from complaints.catalogues import COMMON_NATIONALITIES, Origin, Sex
from complaints.rules.codes import CATEGORIES, CONDUCTS, MEANS, OUTCOMES
from stats.codes import (
    AGE_BAND_CODES,
    CATEGORY_CODES,
    CONDUCT_CODES,
    MEANS_CODES,
    NATIONALITY_CODES,
    NONE,
    NONE_TOKEN,
    ORIGIN_CODES,
    OTHER_NATIONALITY,
    OUTCOME_CODES,
    SEX_CODES,
)
from stats.models import StatComplaint, StatFacts, StatSuspect, StatVictim
from stats.tables import years
from stats.units import UNIT_COLUMNS, Units, bucket_order


@dataclass(frozen=True)
class Variable:
    """A variable of the cross-tabulation and how the read model holds it.

    kind: "number" (year, month: the stored number), "department" (the INEI code as a number),
    "code" (position + 1 in `values`), "catalogue" (an editable catalogue's entry by its statistics
    code, administration.CatalogueEntry.stat_code: the values are the catalogue's codes, read when
    asked, `catalogue_values`), "unit" (the registering unit, mapped to its code or its
    directorate), "mask" (a bitmask over `values`; `none_bit`: bit 0 means "not recorded" and the
    values start at bit 1, else a 0 mask means none). `victim_field`: the victim's own column, a
    code, on StatVictim (when counting victims, a victim variable has one value per row).
    """

    code: str
    label: Promise
    field: str
    kind: str
    values: tuple[str, ...] = ()
    complete: bool = True  # show every value, even with no count
    none_bit: bool = False
    victim_field: str = ""
    none_label: Promise = _("Not recorded")
    extra_field: int = 0  # a research variable (administration.ExtraField): its pk; kind "extra"
    catalogue: str = ""  # kind "catalogue": the editable catalogue (administration.models.Catalogue)

    def multi(self, measure: str) -> bool:
        """Several values per counted thing: a complaint has several categories, or victims."""
        return self.kind == "mask" and not (measure == "victims" and self.victim_field)

    def bit(self, index: int) -> int:
        return 1 << (index + 1 if self.none_bit else index)


VARIABLES: dict[str, Variable] = {
    v.code: v
    for v in (
        Variable("year", _("Year"), "year", "number"),
        Variable("month", _("Month"), "month", "number"),
        Variable("directorate", _("Directorate"), "registering_unit_id", "unit", complete=False),
        Variable("department", _("Department of the facts"), "department", "department", complete=False),
        Variable("unit", _("Registering unit"), "registering_unit_id", "unit", complete=False),
        Variable("origin", _("Origin"), "origin", "code", ORIGIN_CODES),
        Variable("outcome", _("Outcome"), "outcome", "code", OUTCOME_CODES, none_label=_("Not classified")),
        Variable(
            "category", _("Purpose category"), "categories", "mask", CATEGORY_CODES, none_label=_("No purpose category")
        ),
        Variable("conduct", _("Conduct"), "conducts", "mask", CONDUCT_CODES, none_label=_("No conduct")),
        Variable("means", _("Means"), "means", "mask", MEANS_CODES, none_label=_("No means")),
        Variable("victim_sex", _("Victim's sex"), "victim_sexes", "mask", SEX_CODES, none_bit=True, victim_field="sex"),
        Variable(
            "victim_age",
            _("Victim's age band"),
            "victim_ages",
            "mask",
            AGE_BAND_CODES,
            none_bit=True,
            victim_field="age_band",
            none_label=_("Age unknown"),
        ),
        Variable(
            "victim_nationality",
            _("Victim's nationality"),
            "victim_nationalities",
            "mask",
            NATIONALITY_CODES,
            complete=False,
            none_bit=True,
            victim_field="nationality",
        ),
        Variable("place_kind", _("Kind of place"), "place_kind", "catalogue", catalogue=Catalogue.PLACE_KIND),
    )
}
EXTRA_PREFIX = "extra_"


_EXTRA_CACHE = "stats.extra_variables"


def _extra_read() -> tuple[dict[str, Variable], dict[int, Any]]:
    """The research variables of complaints that group a table and their ExtraField rows by pk,
    read once per request (held on it: audit.context.request_cache; the form's two selects, the
    table and its labels ask for them)."""
    from administration.models import ExtraField
    from audit.context import request_cache

    cache = request_cache(_EXTRA_CACHE)
    if cache is not None and "variables" in cache:
        return cache["variables"], cache["fields"]
    found: dict[str, Variable] = {}
    fields: dict[int, ExtraField] = {}
    rows = ExtraField.objects.filter(target=ExtraField.Target.COMPLAINT, kind__in=["yes_no", "choice"])
    for field in rows.order_by("order", "code"):
        values = ("yes", "no") if field.kind == ExtraField.Kind.YES_NO else tuple(row[0] for row in field.choices)
        code = EXTRA_PREFIX + field.code
        found[code] = Variable(code, field.label, code, "extra", values, extra_field=field.pk)  # type: ignore[arg-type]
        fields[field.pk] = field
    if cache is not None:
        cache.update(variables=found, fields=fields)
    return found, fields


def extra_variables() -> dict[str, Variable]:
    """The research variables of complaints that group a table: lists and yes/no ones (their
    values are read from complaints.ComplaintExtraValue by a subquery, `extra_column`)."""
    return _extra_read()[0]


def variable_named(code: str | None) -> Variable | None:
    """A variable of the cross-tabulation by its code: a fixed one or a research variable."""
    if not code:
        return None
    if code in VARIABLES:
        return VARIABLES[code]
    return extra_variables().get(code) if code.startswith(EXTRA_PREFIX) else None


def all_variables() -> dict[str, Variable]:
    return {**VARIABLES, **extra_variables()}


def extra_column(variable: Variable, measure: str) -> Any:
    """The stored value of a research variable for each row of the read model (a subquery)."""
    from django.db.models import OuterRef, Subquery

    from complaints.models import ComplaintExtraValue

    outer = "complaint_id" if measure == "complaints" else "record_id"
    values = ComplaintExtraValue.objects.filter(complaint_id=OuterRef(outer), field_id=variable.extra_field)
    return Subquery(values.order_by().values("value")[:1])


def registration_moment(measure: str) -> Any:
    """When each row's complaint was registered (`Complaint.submitted_at`): a subquery of the
    complaint by its primary key, so that the read model's scan joins nothing; the tree of the
    registration date reads it only for the rows of the units that moved (stats.units.placed_bucket)."""
    from django.db.models import OuterRef, Subquery

    from complaints.models import Complaint

    outer = "complaint_id" if measure == "complaints" else "record_id"
    return Subquery(Complaint.objects.filter(pk=OuterRef(outer)).order_by().values("submitted_at")[:1])


# Variables a filter may restrict (the year is the period).
FILTER_VARIABLES: tuple[str, ...] = tuple(code for code in VARIABLES if code != "year")

MEASURES: dict[str, Promise] = {
    "complaints": _("Complaints"),
    "victims": _("Victims"),
    "suspects": _("Alleged traffickers"),
}
MEASURE_MODELS: dict[str, type[StatFacts]] = {
    "complaints": StatComplaint,
    "victims": StatVictim,
    "suspects": StatSuspect,
}


class Labels:
    """The values of each variable, in order, with their labels (loaded on demand)."""

    def __init__(self, units: Units | None = None) -> None:
        self.units = units or Units()
        self._departments: dict[str, tuple[str, float, float]] | None = None
        self._extra_fields: dict[int, Any] | None = None  # read once (per request: `_extra_read`)

    def departments(self) -> dict[str, tuple[str, float, float]]:
        if self._departments is None:
            rows = Department.objects.order_by().values_list("code", "name", "latitude", "longitude")
            self._departments = {  # in Spanish order of the name: the filters, the tables, the map's table
                code: (name, float(lat), float(lon))
                for code, name, lat, lon in sorted(rows, key=lambda row: spanish_key(row[1]))
            }
        return self._departments

    def domain(self, variable: Variable, year_from: int, year_to: int) -> list[tuple[Any, str]]:
        """Every known value of the variable, in the order tables show them."""
        code = variable.code
        if variable.kind == "extra":
            if self._extra_fields is None:
                self._extra_fields = _extra_read()[1]
            field = self._extra_fields.get(variable.extra_field)
            return [(value, field.display(value) if field else value) for value in variable.values]
        if variable.kind == "catalogue":  # every entry, deactivated ones too (older records hold them)
            return catalogue_choices(variable.catalogue, keep=catalogue_codes(variable.catalogue))
        if code == "year":
            return [(year, str(year)) for year in years(year_from, year_to)]
        if code == "month":
            return [(month, str(MONTHS[month])) for month in range(1, 13)]
        if code == "directorate":
            return [(bucket, self.units.name(bucket)) for bucket in UNIT_COLUMNS]
        if code == "department":
            return [(dep, name) for dep, (name, _lat, _lon) in self.departments().items()]
        if code == "unit":
            units = sorted(self.units.all().values(), key=lambda info: info.path)
            return [(info.code, info.name) for info in units]
        labels: dict[str, str] = {}
        if code == "origin":
            labels = {value: str(label) for value, label in Origin.choices}
        elif code == "outcome":
            labels = {term.code: gettext(term.msgid) for term in OUTCOMES}  # in the interface language
        elif code == "category":
            labels = {term.code: term.label for term in CATEGORIES}
        elif code == "conduct":
            labels = {element.code: element.label for element in CONDUCTS}
        elif code == "means":
            labels = {element.code: element.label for element in MEANS}
        elif code == "victim_sex":
            labels = {value: str(label) for value, label in Sex.choices}
        elif code == "victim_nationality":
            labels = {value: str(label) for value, label in COMMON_NATIONALITIES}
            labels[OTHER_NATIONALITY] = gettext("Other nationalities")
        return [(value, labels.get(value, value)) for value in variable.values]

    def label(self, variable: Variable, value: Any, year_from: int, year_to: int) -> str:
        if value == NONE:
            return str(variable.none_label)
        for known, label in self.domain(variable, year_from, year_to):
            if known == value:
                return label
        return str(value)

    def values(self, variable: Variable, present: Iterable[Any], year_from: int, year_to: int) -> list[tuple[Any, str]]:
        """The values a table shows: the whole domain of a `complete` variable, else the values
        with counts; then values found in the data but unknown to the domain; "not recorded" last."""
        present = set(present)
        domain = self.domain(variable, year_from, year_to)
        if variable.code == "directorate":
            known = {value for value, _label in domain}
            domain += [(bucket, self.units.name(bucket)) for bucket in bucket_order(present - known - {NONE})]
        known = {value for value, _label in domain}
        shown = [(value, label) for value, label in domain if variable.complete or value in present]
        shown += [(value, str(value)) for value in sorted(present - known - {NONE}, key=str)]
        if NONE in present:
            shown.append((NONE, str(variable.none_label)))
        return shown


def encode(variable: Variable, value: str, units: Units) -> list[int]:
    """The stored codes a filter value stands for (a unit or directorate: the unit ids)."""
    if value in (NONE, NONE_TOKEN):
        return [0]
    if variable.kind == "unit":
        if variable.code == "directorate":
            return units.ids_where(buckets=[value])
        return units.ids_where(codes=[value])
    if variable.kind in ("number", "department"):
        return [int(value)] if value.isdigit() else []
    if variable.kind == "catalogue":
        stat_code = catalogue_stat_codes(variable.catalogue).get(value)
        return [stat_code] if stat_code else []
    return [variable.values.index(value) + 1] if value in variable.values else []


def mask_values(variable: Variable, mask: int | None) -> list[Any]:
    """The values a bitmask holds; "not recorded" for its bit 0, or for an empty mask."""
    mask = mask or 0
    values = [value for index, value in enumerate(variable.values) if mask & variable.bit(index)]
    if (mask & 1) if variable.none_bit else not mask:
        values.append(NONE)
    return values


def decode(variable: Variable, stored: Any, units: Units, *, multi: bool = False) -> list[Any]:
    """The values (codes) a grouped column stands for: one, or those of a bitmask."""
    if multi:
        return mask_values(variable, stored)
    if variable.kind == "extra":
        return [stored] if stored in variable.values else [NONE]
    if stored is None:
        return [NONE]
    if variable.kind == "unit":
        info = units.get(stored)
        return [info.bucket if variable.code == "directorate" else info.code]
    if variable.kind == "number":
        return [stored]
    if variable.kind == "department":
        return [f"{stored:02d}" if stored else NONE]
    if variable.kind == "catalogue":
        by_stat_code = {number: code for code, number in catalogue_stat_codes(variable.catalogue).items()}
        return [by_stat_code.get(stored, NONE)]
    if 1 <= stored <= len(variable.values):  # a code ("code" variables, a victim's own column)
        return [variable.values[stored - 1]]
    return [NONE]
