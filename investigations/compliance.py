"""Compliance monitoring for the Permanent Secretariat (issue 13, item 5; seed 5.4): per unit,
grouped by directorate, with the directorates' subtotals and the total of the scope, for a period
of registration dates (America/Lima):

- complaints registered (by the unit that took them: the unit that received a paper form, else the
  registering unit) and the delay from the facts to the registration (median and 90th percentile
  in days, of the complaints with a date of the facts: `Complaint.registration_delay_days`);
- alerts raised to the unit in the period, still not acknowledged and past their deadline (or
  already marked overdue by the escalation), their number and the oldest one;
- case files opened in the period from an alert (one of its complaints raised an alert to the case
  file's owning unit: the alert inbox's "open a case file"), by status, and their mean
  completeness (investigations.completeness, 0-100);
- police reports transmitted to the prosecutor in the period (by the unit that numbered them);
- units that register complaints (stations, the hotline, the specialised units) with no
  registration in the period (listed);
- accounts with no sign-in in 365 days (`inactive_accounts_by_unit`: active accounts whose last
  sign-in, or creation when they never signed in, is older than that), as of now.

Why here and not in stats: the figures read case files and police reports, and stats never
imports investigations (tests/test_dependencies.py); investigations may import stats, so the charts
are stats.charts'. Scope: the units of `scope_of(user)` (administration.selectors.units_in_scope,
the statistics' own rule: national for the monitor, DIVINTRAP and the administrators; the
directorate of a regional investigator); a figure counts under its unit, so a unit's row is the
same whoever looks at it. Codes, names of units and counts only: no person, no case file number.

Bounded: nine queries whatever the number of units, complaints, alerts or case files (complaints,
alerts, case files and the few of completeness, reports, accounts, units); each GROUP BY unit,
the delays grouped by (unit, days) and the percentiles computed from those histograms.

May import: administration (access, models, selectors), complaints (models, alerts),
investigations (models, completeness), stats.charts, reta.exports.
"""

from __future__ import annotations

import datetime
import io
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from administration.access import Scope
from administration.models import Unit, User
from administration.selectors import REVIEW_DAYS, units_in_scope, unused_since
from complaints.alerts import deadline_hours
from complaints.models import Alert, Complaint
from investigations.completeness import annotate_checks, completeness_for
from investigations.models import CaseFile, CaseReport, CaseReportStatus, CaseStatus
from reta.exports import neutralise
from stats.charts import bar_chart

INACTIVE_DAYS = REVIEW_DAYS
# The units that register complaints: a unit of these kinds with none in the period is listed.
REGISTERING_KINDS = frozenset(
    {Unit.Kind.STATION, Unit.Kind.HOTLINE, Unit.Kind.REGIONAL_SPECIALISED, Unit.Kind.NATIONAL_SPECIALISED}
)
# Units of command that are neither rows nor groups (they register nothing).
COMMAND_KINDS = frozenset({Unit.Kind.MINISTRY, Unit.Kind.MONITORING, Unit.Kind.POLICE})
STATUSES = tuple(CaseStatus.values)
OUTSIDE = 0  # the group of the units under no directorate (the hotline)


# ---------------------------------------------------------------- percentiles


def quantile(histogram: Counter, p: float) -> float | None:
    """The p-quantile (0-1) of the values counted in `histogram` ({value: count}), by linear
    interpolation between the closest ranks (position p × (n − 1), as numpy's default and
    `statistics.quantiles(method="inclusive")`): the median of 2, 5, 30 is 5, their p90 25."""
    n = sum(histogram.values())
    if not n:
        return None
    position = p * (n - 1)
    low, high = math.floor(position), math.ceil(position)
    values: dict[int, float] = {}
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        for rank in (low, high):
            if seen <= rank < seen + count:
                values[rank] = value
        seen += count
    return _tidy(values[low] + (values[high] - values[low]) * (position - low))


def _tidy(value: float) -> float | int:
    """One decimal; a whole number without one (5, not 5.0)."""
    value = round(value, 1)
    return int(value) if value.is_integer() else value


# ---------------------------------------------------------------- the figures


@dataclass
class Figures:
    """The figures of one unit, of a directorate or of the whole scope (sums of units)."""

    complaints: int = 0
    delays: Counter = field(default_factory=Counter)  # {days: complaints}
    overdue_alerts: int = 0
    oldest_overdue: datetime.datetime | None = None
    case_files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    completeness_sum: int = 0
    reports: int = 0
    inactive_accounts: int = 0

    @property
    def with_facts_date(self) -> int:
        return sum(self.delays.values())

    @property
    def delay_median(self) -> float | None:
        return quantile(self.delays, 0.5)

    @property
    def delay_p90(self) -> float | None:
        return quantile(self.delays, 0.9)

    @property
    def case_files_total(self) -> int:
        return sum(self.case_files.values())

    @property
    def completeness_mean(self) -> float | None:
        total = self.case_files_total
        return _tidy(self.completeness_sum / total) if total else None

    @property
    def oldest_overdue_date(self) -> datetime.date | None:
        return timezone.localdate(self.oldest_overdue) if self.oldest_overdue else None

    def add(self, other: Figures) -> None:
        self.complaints += other.complaints
        self.delays.update(other.delays)
        self.overdue_alerts += other.overdue_alerts
        if other.oldest_overdue and (self.oldest_overdue is None or other.oldest_overdue < self.oldest_overdue):
            self.oldest_overdue = other.oldest_overdue
        for status, n in other.case_files.items():
            self.case_files[status] += n
        self.completeness_sum += other.completeness_sum
        self.reports += other.reports
        self.inactive_accounts += other.inactive_accounts


@dataclass
class UnitRow:
    unit_id: int
    code: str
    name: str
    kind: str
    figures: Figures


@dataclass
class Group:
    """A directorate (or the units under none) with its units and their subtotal."""

    code: str
    name: str
    rows: list[UnitRow]
    total: Figures


@dataclass
class Report:
    scope: str
    date_from: datetime.date
    date_to: datetime.date
    directorate: str  # the name of the directorate filtered on, "" for all
    groups: list[Group]
    total: Figures
    zero_units: list[UnitRow]
    generated_at: datetime.datetime

    @property
    def unit_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


def _bounds(date_from: datetime.date, date_to: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start of date_from, start of the day after date_to) in America/Lima."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def _unit_filter(scope: Scope, field_name: str, directorate: Unit | None) -> Q:
    condition = scope.q(field_name)
    if directorate is not None:
        condition &= Q(**{f"{field_name}__directorate": directorate}) | Q(**{field_name: directorate})
    return condition


def _counted_unit_filter(scope: Scope, directorate: Unit | None) -> Q:
    """The complaints counted under a unit of the scope: the unit that took the paper form, else
    the registering unit (`Complaint.counted_unit_id`)."""
    if scope.is_national and directorate is None:
        return Q()
    registered = Q(paper_receiving_unit__isnull=True) & _unit_filter(scope, "registering_unit", directorate)
    return registered | (
        Q(paper_receiving_unit__isnull=False) & _unit_filter(scope, "paper_receiving_unit", directorate)
    )


def overdue_q(now: datetime.datetime) -> Q:
    """Alerts not acknowledged and past their deadline at `now` (complaints.alerts.deadline_hours),
    or already marked overdue by the escalation."""
    late = Q(overdue_at__isnull=False)
    for priority in Alert.Priority.values:
        late |= Q(priority=priority, created_at__lte=now - datetime.timedelta(hours=deadline_hours(priority)))
    return Q(acknowledged_at__isnull=True) & late


def inactive_accounts_by_unit(scope: Scope, *, now: datetime.datetime, directorate: Unit | None = None) -> dict:
    """{unit id: active accounts with no sign-in in INACTIVE_DAYS days at `now`} (never signed
    in: created before then) — administration's rule of an unused account (`unused_since`)."""
    idle = unused_since(now - datetime.timedelta(days=INACTIVE_DAYS))
    return dict(
        User.objects.filter(idle, _unit_filter(scope, "unit", directorate), is_active=True)
        .values_list("unit_id")
        .annotate(n=Count("*"))
        .order_by()
    )


def compliance_report(
    *,
    scope: Scope,
    date_from: datetime.date,
    date_to: datetime.date,
    now: datetime.datetime,
    directorate: Unit | None = None,
) -> Report:
    """The monitoring table of the scope for the period (see the module's docstring)."""
    start, end = _bounds(date_from, date_to)
    figures: dict[int, Figures] = defaultdict(Figures)

    # Complaints and their delays: (unit, days, count).
    complaints = (
        Complaint.objects.filter(status=Complaint.Status.SUBMITTED, submitted_at__gte=start, submitted_at__lt=end)
        .filter(_counted_unit_filter(scope, directorate))
        .annotate(counted_unit=Coalesce("paper_receiving_unit", "registering_unit"))
        .values_list("counted_unit", "registration_delay_days")
        .annotate(n=Count("*"))
        .order_by()
    )
    for unit_id, days, n in complaints:
        figures[unit_id].complaints += n
        if days is not None:
            figures[unit_id].delays[days] += n

    # Alerts raised in the period, not acknowledged and past their deadline now.
    alerts = (
        Alert.objects.filter(overdue_q(now), _unit_filter(scope, "unit", directorate), created_at__gte=start)
        .filter(created_at__lt=end)
        .values_list("unit_id")
        .annotate(n=Count("*"), oldest=Min("created_at"))
        .order_by()
    )
    for unit_id, n, oldest in alerts:
        figures[unit_id].overdue_alerts = n
        figures[unit_id].oldest_overdue = oldest

    # Case files opened in the period from an alert to their owning unit, by status, with completeness.
    from_alert = Alert.objects.filter(
        unit=OuterRef("owning_unit"), complaint__case_file_links__case_file=OuterRef("pk")
    )
    case_files = list(
        annotate_checks(
            CaseFile.objects.filter(
                _unit_filter(scope, "owning_unit", directorate), opened_at__gte=start, opened_at__lt=end
            ).filter(Exists(from_alert))
        )
        .only("pk", "owning_unit", "status", "lead")
        .order_by()
    )
    scores = completeness_for(case_files)
    for case_file in case_files:
        unit = figures[case_file.owning_unit_id]
        unit.case_files[case_file.status] = unit.case_files.get(case_file.status, 0) + 1
        unit.completeness_sum += scores[case_file.pk].score

    # Police reports transmitted in the period.
    reports = (
        CaseReport.objects.filter(
            _unit_filter(scope, "unit", directorate),
            status=CaseReportStatus.TRANSMITTED,
            transmitted_at__gte=start,
            transmitted_at__lt=end,
        )
        .values_list("unit_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for unit_id, n in reports:
        figures[unit_id].reports = n

    for unit_id, n in inactive_accounts_by_unit(scope, now=now, directorate=directorate).items():
        figures[unit_id].inactive_accounts = n

    return _report(scope, date_from, date_to, directorate, figures, now)


def _report(
    scope: Scope,
    date_from: datetime.date,
    date_to: datetime.date,
    directorate: Unit | None,
    figures: dict[int, Figures],
    now: datetime.datetime,
) -> Report:
    units = units_in_scope(scope)
    if directorate is not None:
        units = units.filter(Q(directorate=directorate) | Q(pk=directorate.pk))
    units = units.select_related("directorate").order_by("path")
    groups: dict[int, Group] = {}
    zero: list[UnitRow] = []
    outside_name = gettext("Units outside a directorate")
    for unit in units:
        has_figures = unit.pk in figures
        registers = unit.kind in REGISTERING_KINDS
        if unit.kind in COMMAND_KINDS and not has_figures:
            continue
        if not has_figures and not (registers and unit.is_active):
            continue
        head = unit.directorate if unit.directorate_id else None
        key = head.pk if head is not None else OUTSIDE
        if key not in groups:
            groups[key] = Group(
                code=head.code if head else "",
                name=head.name if head else outside_name,
                rows=[],
                total=Figures(),
            )
        row = UnitRow(unit.pk, unit.code, unit.name, unit.kind, figures.get(unit.pk, Figures()))
        groups[key].rows.append(row)
        groups[key].total.add(row.figures)
        if registers and unit.is_active and row.figures.complaints == 0:
            zero.append(row)
    ordered = sorted(groups.values(), key=lambda group: (group.code == "", group.name))
    total = Figures()
    for group in ordered:
        total.add(group.total)
    return Report(
        scope=scope.label,
        date_from=date_from,
        date_to=date_to,
        directorate=directorate.name if directorate is not None else "",
        groups=ordered,
        total=total,
        zero_units=zero,
        generated_at=now,
    )


# ---------------------------------------------------------------- charts, rows and exports


def _number(value: float | None) -> Any:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def status_labels() -> list[tuple[str, str]]:
    return [(status, str(label)) for status, label in CaseStatus.choices]


def columns() -> list[tuple[str, str]]:
    """(code, label) of the exported columns, in order."""
    return [
        ("directorate", gettext("Directorate")),
        ("unit_code", gettext("Unit code")),
        ("unit", gettext("Unit")),
        ("complaints", gettext("Complaints registered")),
        ("with_facts_date", gettext("With a date of the facts")),
        ("delay_median_days", gettext("Delay facts → registration, median (days)")),
        ("delay_p90_days", gettext("Delay facts → registration, 90th percentile (days)")),
        ("overdue_alerts", gettext("Alerts not acknowledged past their deadline")),
        ("oldest_overdue_alert", gettext("Oldest of those alerts (raised on)")),
        *[
            (f"case_files_{code}", gettext("Case files from alerts: {status}").format(status=label))
            for code, label in status_labels()
        ],
        ("case_files_total", gettext("Case files from alerts, total")),
        ("completeness_mean", gettext("Mean completeness of those case files (0-100)")),
        ("reports_transmitted", gettext("Reports transmitted to the prosecutor")),
        ("inactive_accounts", gettext("Accounts without sign-in in 365 days")),
    ]


def _cells(f: Figures) -> list[Any]:
    oldest = f.oldest_overdue_date
    return [
        f.complaints,
        f.with_facts_date,
        _number(f.delay_median),
        _number(f.delay_p90),
        f.overdue_alerts,
        oldest.isoformat() if oldest else "",
        *[f.case_files.get(code, 0) for code in STATUSES],
        f.case_files_total,
        _number(f.completeness_mean),
        f.reports,
        f.inactive_accounts,
    ]


def rows(report: Report) -> list[list[Any]]:
    """The table as exported: each unit, each directorate's subtotal, the total of the scope."""
    lines: list[list[Any]] = []
    for group in report.groups:
        for row in group.rows:
            lines.append([group.name, row.code, row.name, *_cells(row.figures)])
        lines.append([group.name, group.code, gettext("Subtotal {name}").format(name=group.name), *_cells(group.total)])
    lines.append(["", "", gettext("Total ({scope})").format(scope=report.scope), *_cells(report.total)])
    return lines


def metadata(report: Report, *, generated_by: Any = None) -> list[tuple[str, str]]:
    items = [
        (gettext("Table"), gettext("Compliance monitoring by unit")),
        (gettext("Period (date of registration)"), f"{report.date_from.isoformat()} – {report.date_to.isoformat()}"),
        (gettext("Scope"), report.scope),
        (gettext("Directorate"), report.directorate or gettext("All")),
        (gettext("Generated"), timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M:%S %Z")),
        (
            gettext("Units with no registration in the period"),
            ", ".join(row.code for row in report.zero_units) or gettext("none"),
        ),
    ]
    if generated_by is not None:
        items.append((gettext("Generated by"), generated_by.get_username()))
    return items


def filename(report: Report, fmt: str) -> str:
    return f"reta-cumplimiento-{report.date_from.isoformat()}-{report.date_to.isoformat()}.{fmt}"


def csv_lines(report: Report, *, generated_by: Any = None) -> tuple[list[str], list[list[Any]]]:
    """The header line and the other lines of the CSV: what it covers, a blank line, the column
    codes, then the rows."""
    items = metadata(report, generated_by=generated_by)
    lines: list[list[Any]] = [[label, value] for label, value in items[1:]]
    lines.append([])
    lines.append([code for code, _label in columns()])
    lines += rows(report)
    return [items[0][0], items[0][1]], lines


def render_compliance_xlsx(report: Report, *, generated_by: Any = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "cumplimiento"
    bold = Font(bold=True)
    items = metadata(report, generated_by=generated_by)
    sheet.append([neutralise(items[0][1])])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in items[1:]:
        sheet.append([neutralise(label), neutralise(value)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    sheet.append([neutralise(label) for _code, label in columns()])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in rows(report):
        sheet.append([neutralise(cell) for cell in line])  # counts stay numbers
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Chart:
    name: str
    title: str
    svg: SafeString
    headers: list[str]
    lines: list[tuple[str, list[Any]]]


def charts(report: Report) -> list[Chart]:
    """The charts of the page, one bar per directorate, each with the numbers of its table."""
    names = [group.name for group in report.groups]
    totals = [group.total for group in report.groups]
    made = []

    def chart(name: str, title: str, series: list[tuple[str, list[Any]]]) -> None:
        drawn = [(label, [int(round(v or 0)) for v in values]) for label, values in series]
        svg = bar_chart(
            title=title, categories=names or ["—"], series=drawn if names else [(label, [0]) for label, _v in series]
        )
        lines = [
            (names[i], [_number(values[i]) if values[i] is not None else "—" for _l, values in series])
            for i in range(len(names))
        ]
        made.append(Chart(name, title, svg, [label for label, _values in series], lines))

    chart(
        "complaints",
        gettext("Complaints registered by directorate"),
        [(gettext("Complaints"), [t.complaints for t in totals])],
    )
    chart(
        "delay",
        gettext("Delay from the facts to the registration (days)"),
        [
            (gettext("Median"), [t.delay_median for t in totals]),
            (gettext("90th percentile"), [t.delay_p90 for t in totals]),
        ],
    )
    chart(
        "alerts",
        gettext("Alerts not acknowledged past their deadline"),
        [(gettext("Alerts"), [t.overdue_alerts for t in totals])],
    )
    chart(
        "case_files",
        gettext("Case files opened from alerts, by status"),
        [(label, [t.case_files.get(code, 0) for t in totals]) for code, label in status_labels()],
    )
    return made


def deadline_note() -> str:
    return gettext(
        "An alert must be acknowledged within {high} hours (high priority) or {normal} hours (normal priority)."
    ).format(high=settings.RETA_ALERT_DEADLINE_HIGH_HOURS, normal=settings.RETA_ALERT_DEADLINE_NORMAL_HOURS)


def flat_units(report: Report) -> Iterable[UnitRow]:
    for group in report.groups:
        yield from group.rows
