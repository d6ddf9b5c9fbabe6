"""The statistics read model: derived rows written in the transaction of every registration and
amendment of a complaint (stats.services, called by the receivers of the complaints' domain
signals, stats.receivers), so that every statistics table is ONE scan of ONE narrow table
(stats.selectors, stats.crosstab).

Compact on purpose: at a million complaints they must fit in MariaDB's buffer pool. Values are
small integer codes and bitmasks whose meaning is fixed in stats.codes; no personal data, no free
text (SECURITY.md 16). Not frozen and without history: they are rebuilt from the frozen records
(`manage.py statistics --rebuild`).

Every row carries the two units the scope is read on, as the complaint list reads it
(`Complaint.scope_fields`, administration.access): the registering unit and the competent directorate
(where the facts happened). A user's statistics count a complaint when either lies in the user's
scope (stats.scope).

May import: django, administration.models, complaints.models (the complaint the rows derive from).
The tables were complaints_stat* until the app was split out of complaints (stats migration 0001
renames them to stats_stat*).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from administration.models import Unit
from complaints.models import Complaint


class StatCodeField(models.SmallIntegerField):
    """A code or bitmask of the statistics read model, 0-255: one byte on MySQL/MariaDB."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "mysql":
            return "tinyint unsigned"
        return super().db_type(connection)


class StatFacts(models.Model):
    """The complaint-level variables, on every row of the read model (no join to count victims by
    the outcome of their complaint). Multi-valued ones are bitmasks: a complaint counts once under
    each value it has."""

    # No database constraint, hence no index led by a unit: MariaDB would walk such an index to
    # GROUP BY the unit and fetch every row from it; the covering indexes below serve scoped reads.
    # DO_NOTHING: the complaint's own registering_unit already protects the unit (and a PROTECT
    # check here would scan these tables, which have no index led by the unit).
    registering_unit = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    # The complaint's competent directorate (the directorate of the department of the facts), as
    # registering_unit: the scope counts a complaint when either unit is in it. Null only for a
    # complaint without one (none is submitted without it today).
    competent_directorate = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False, null=True
    )
    year = models.PositiveSmallIntegerField(_("year of registration"))  # in America/Lima
    month = StatCodeField(_("month of registration"))
    department = StatCodeField(_("department of the facts"))  # INEI code as a number, 0 unknown
    origin = StatCodeField(_("origin"))
    outcome = StatCodeField(_("outcome"))
    place_kind = StatCodeField(_("kind of place"))
    categories = StatCodeField(_("purpose categories"))  # bitmask
    conducts = StatCodeField(_("conducts"))  # bitmask
    means = models.PositiveSmallIntegerField(_("means"))  # bitmask
    victim_sexes = StatCodeField(_("sexes of the victims"))  # bitmask
    victim_ages = StatCodeField(_("age bands of the victims"))  # bitmask
    victim_nationalities = models.PositiveSmallIntegerField(_("nationalities of the victims"))  # bitmask

    class Meta:
        abstract = True


# The complaint's people as the published table 2 counts them (STATISTICS.md): alleged traffickers
# identified or not, victims adult or minor, by sex (m, f, x: not recorded); victims whose
# minority is unknown count only in the total. Summed per year from one index.
PERSON_COUNTERS: tuple[str, ...] = (
    "suspects_identified_m",
    "suspects_identified_f",
    "suspects_identified_x",
    "suspects_unidentified_m",
    "suspects_unidentified_f",
    "suspects_unidentified_x",
    "victims_adult_m",
    "victims_adult_f",
    "victims_adult_x",
    "victims_minor_m",
    "victims_minor_f",
    "victims_minor_x",
    "victims_unknown",
)
# The units a scoped read filters on (stats.scope): the complaint's own declaration of who sees it
# (`Complaint.scope_fields`, administration.access), a column of each name on every row below. In
# the covering indexes that served scoped reads before the competent directorate joined the scope
# (8 bytes more per entry, also read at national scope). persons_by_year's index never held a
# unit: a scoped persons_by_year reads rows.
SCOPE_FIELDS: tuple[str, ...] = Complaint.scope_fields


class StatComplaint(StatFacts):
    """One row per submitted complaint, with the counts of its people (PERSON_COUNTERS)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, primary_key=True, related_name="stat")
    suspects_identified_m = StatCodeField(default=0)
    suspects_identified_f = StatCodeField(default=0)
    suspects_identified_x = StatCodeField(default=0)
    suspects_unidentified_m = StatCodeField(default=0)
    suspects_unidentified_f = StatCodeField(default=0)
    suspects_unidentified_x = StatCodeField(default=0)
    victims_adult_m = StatCodeField(default=0)
    victims_adult_f = StatCodeField(default=0)
    victims_adult_x = StatCodeField(default=0)
    victims_minor_m = StatCodeField(default=0)
    victims_minor_f = StatCodeField(default=0)
    victims_minor_x = StatCodeField(default=0)
    victims_unknown = StatCodeField(default=0)

    class Meta:
        verbose_name = _("statistics row of a complaint")
        verbose_name_plural = _("statistics rows of complaints")
        # Covering indexes: the published tables and the overview read no row of the table (at
        # national scope; in any scope but persons_by_year).
        indexes = [
            models.Index(
                fields=["year", "registering_unit", "outcome", "department", "competent_directorate"],
                name="stat_complaint_year_unit",
            ),
            models.Index(fields=["year", "categories", *SCOPE_FIELDS], name="stat_complaint_year_categories"),
            models.Index(fields=["year", *PERSON_COUNTERS], name="stat_complaint_year_persons"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.year}"


class StatVictim(StatFacts):
    """One row per victim of a submitted complaint: sex, age band, minority, nationality; never a name."""

    record = models.ForeignKey(
        StatComplaint, on_delete=models.CASCADE, related_name="victims", db_column="complaint_id"
    )
    sex = StatCodeField(_("sex"))
    age_band = StatCodeField(_("age band"))
    minor = models.BooleanField(_("minor"), null=True)  # by the age, else the minor flag; None unknown
    nationality = StatCodeField(_("nationality"))

    class Meta:
        verbose_name = _("statistics row of a victim")
        verbose_name_plural = _("statistics rows of victims")
        indexes = [
            models.Index(fields=["year", "sex", "minor", "age_band", *SCOPE_FIELDS], name="stat_victim_year_sex"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} victim"


class StatSuspect(StatFacts):
    """One row per alleged trafficker of a submitted complaint: sex, and whether a name or a
    document identifies the person; never the name."""

    record = models.ForeignKey(
        StatComplaint, on_delete=models.CASCADE, related_name="suspects", db_column="complaint_id"
    )
    sex = StatCodeField(_("sex"))
    identified = models.BooleanField(_("identified"))

    class Meta:
        verbose_name = _("statistics row of an alleged trafficker")
        verbose_name_plural = _("statistics rows of alleged traffickers")
        indexes: list = []  # persons_by_year sums StatComplaint's counters; crosstabs scan the table

    def __str__(self) -> str:
        return f"{self.record_id} suspect"
