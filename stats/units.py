"""The registering units as the statistics name and group them: the 26 columns of the published
table 1 (UNITS.md: the 0800 hotline, DIRINCRI with DIVINTRAP, the 24 territorial directorates) and
`Units`, the unit tree read once on demand (the column each unit counts under, its code, name and
path).

Two trees (issue 13): by default a record counts under the directorate its registering unit has
NOW ("tree now", `TREE_NOW`); with `TREE_REGISTERED` under the directorate that unit had on the
day the record was registered, as `administration.models.UnitPlacement` keeps it (a unit without
placements has always stood where it stands). The registering unit of a record never changes, so
both trees count the same records: only the column changes, never the total.

May import: administration.models (Unit, UnitPlacement).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from administration.models import Unit, UnitPlacement

HOTLINE = "LINEA-0800"
DIRINCRI = "DIRINCRI"
DIRECTORATE_COLUMNS: tuple[str, ...] = tuple(
    f"DIRTEPOL-{seat}"
    for seat in (
        "PIURA",
        "CHICLAYO",
        "TRUJILLO",
        "TARAPOTO",
        "IQUITOS",
        "PUCALLPA",
        "LIMA",
        "HUANCAVELICA",
        "HUANCAYO",
        "AYACUCHO",
        "MADRE-DE-DIOS",
        "CUSCO",
        "AREQUIPA",
        "PUNO",
        "HUARAZ",
        "CAJAMARCA",
        "ICA",
        "APURIMAC",
        "PASCO",
        "TUMBES",
        "HUANUCO",
        "CALLAO",
        "MOQUEGUA",
        "TACNA",
    )
)
UNIT_COLUMNS: tuple[str, ...] = (HOTLINE, DIRINCRI, *DIRECTORATE_COLUMNS)
# The headings of the published table (STATISTICS.md), for screens and paper where 28 columns fit.
COLUMN_ABBREVIATIONS: dict[str, str] = dict(
    zip(
        UNIT_COLUMNS,
        (
            "0800 DIRINCRI PIU CHI LLI TAR IQU PUC LIM HVC JUN AYA MDD "
            "CUS ARE PUN HUZ CAJ ICA APU PAS TUM HUA CAL MOQ TAC"
        ).split(),
        strict=True,
    )
)
OTHER_UNITS = "OTHER"  # units under no directorate and outside the hotline (none registers today)

TREE_NOW = "now"
TREE_REGISTERED = "registered"
TREE_CHOICES = (
    (TREE_NOW, gettext_lazy("Tree in force today")),
    (TREE_REGISTERED, gettext_lazy("Tree of the registration date")),
)


@dataclass(frozen=True)
class Placement:
    """Where a unit counted from `valid_from` to `valid_to` (days included; None: open)."""

    valid_from: datetime.date | None
    valid_to: datetime.date | None
    bucket: str

    def holds(self, field: str) -> Q:
        """The rows whose registration moment (`field`) falls in this placement: from midnight of
        `valid_from` to midnight after `valid_to`, in America/Lima."""
        held = Q()
        if self.valid_from is not None:
            held &= Q(**{f"{field}__gte": _day_start(self.valid_from)})
        if self.valid_to is not None:
            held &= Q(**{f"{field}__lt": _day_start(self.valid_to + datetime.timedelta(days=1))})
        return held


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in America/Lima."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    bucket: str  # its column of cases_by_unit_year: LINEA-0800, DIRINCRI, a directorate, OTHER
    path: str


class Units:
    """The unit tree as the statistics need it: one query, on demand."""

    def __init__(self) -> None:
        self._by_id: dict[int, UnitInfo] | None = None
        self._names: dict[str, str] = {}
        self._placements: dict[int, list[Placement]] | None = None

    def _load(self) -> dict[int, UnitInfo]:
        if self._by_id is None:
            rows = Unit.objects.order_by().values_list("pk", "code", "name", "kind", "path", "directorate__code")
            self._by_id = {}
            for pk, code, name, kind, path, directorate in rows:
                self._names[code] = name
                if kind == Unit.Kind.HOTLINE or f"/{HOTLINE}/" in f"/{path}":
                    bucket = HOTLINE
                else:
                    bucket = directorate or OTHER_UNITS
                self._by_id[pk] = UnitInfo(code=code, name=name, bucket=bucket, path=path)
        return self._by_id

    def placements(self) -> dict[int, list[Placement]]:
        """{unit id: its placements, oldest first} for the units whose place in the tree changed
        (administration.tree): their records may count under another column by the tree of the
        registration date. One query, on demand."""
        if self._placements is None:
            self._load()
            self._placements = {}
            rows = UnitPlacement.objects.order_by("unit_id", "valid_from", "pk").values_list(
                "unit_id", "valid_from", "valid_to", "directorate__code"
            )
            for unit_id, valid_from, valid_to, directorate in rows:
                current = self.get(unit_id).bucket
                bucket = directorate or (HOTLINE if current == HOTLINE else OTHER_UNITS)
                self._placements.setdefault(unit_id, []).append(Placement(valid_from, valid_to, bucket))
        return self._placements

    def placed_bucket(self, registered_at: str) -> Case | None:
        """The column of the tree of the registration date as ONE SQL expression over the rows of
        the read model: CASE WHEN registering_unit_id = <moved unit> AND <its registration moment,
        `registered_at`, in the placement (`Placement.holds`)> THEN '<the placement's column>' ...
        END - NULL for a row no placement holds, which counts under its unit's current column
        (`bucket_of`), as every row of a unit that never moved. None when no unit ever moved.
        Rows, columns and filters by directorate all read it (stats.crosstab.registered_tree)."""
        whens = [
            When(Q(registering_unit_id=unit_id) & placement.holds(registered_at), then=Value(placement.bucket))
            for unit_id, placements in self.placements().items()
            for placement in placements
        ]
        return Case(*whens, default=Value(None), output_field=CharField()) if whens else None

    def bucket_of(self, unit_id: int, placed: str | None) -> str:
        """The column a row counts under: the one of its placement (`placed_bucket`), else its unit's
        current one."""
        return placed if placed is not None else self.get(unit_id).bucket

    def get(self, pk: int) -> UnitInfo:
        info = self._load().get(pk)
        return info if info is not None else UnitInfo(code=str(pk), name=str(pk), bucket=OTHER_UNITS, path="")

    def all(self) -> dict[int, UnitInfo]:
        return self._load()

    def name(self, code: str) -> str:
        self._load()
        if code == OTHER_UNITS:
            return gettext("Other units")
        return self._names.get(code, code)

    def ids_where(self, *, buckets: Iterable[str] = (), codes: Iterable[str] = ()) -> list[int]:
        buckets, codes = set(buckets), set(codes)
        return [pk for pk, info in self._load().items() if info.bucket in buckets or info.code in codes]


def bucket_order(codes: Iterable[str]) -> list[str]:
    fixed = {code: index for index, code in enumerate(UNIT_COLUMNS)}
    return sorted(set(codes), key=lambda code: (fixed.get(code, len(fixed) + (code == OTHER_UNITS)), code))
