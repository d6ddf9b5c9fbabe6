"""Every write of the statistics read model (stats.models): the rows of a complaint when it is
registered, replaced when it is amended, written for complaints loaded in bulk, and the rebuild
of the whole model (`manage.py statistics --rebuild`).

`statistics_record`, `statistics_replace` and `statistics_load` run in the caller's transaction:
the first two are called by the receivers of the complaints' domain signals (stats.receivers),
which complaints sends inside the transaction of each registration and amendment; the last by
the synthetic bulk loader (demo.synthetic) in the transaction of each batch. The rows are derived
codes and counts (stats.projection): no personal data, and separate tables, so the frozen
complaint itself is never touched.

The read model's `registering_unit` is the unit the complaint counts under
(`Complaint.counted_unit_id`): the unit that took a paper form, else the registering unit.

May import: complaints.models (reads of the complaint and its people), complaints.catalogues,
stats.models, stats.projection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from complaints.catalogues import Origin
from complaints.models import Complaint, ComplaintSuspect, ComplaintVictim
from stats.models import StatComplaint, StatSuspect, StatVictim
from stats.projection import SuspectFacts, VictimFacts, read_model_rows

Rows = tuple[StatComplaint, list[StatVictim], list[StatSuspect]]


def _insert(model: type[models.Model], rows: list[models.Model]) -> None:
    """Multi-row INSERTs of read-model rows, their values written as they are: plain integers,
    booleans and None (codes, counts, ids). `bulk_create` prepares every field of every row, which
    cost as much as the rest of a bulk load (demo.synthetic)."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[getattr(row, field.attname) for field in fields] for row in rows])


def _write(rows: list[Rows]) -> None:
    _insert(StatComplaint, [record for record, _victims, _suspects in rows])
    _insert(StatVictim, [victim for _record, victims, _suspects in rows for victim in victims])
    _insert(StatSuspect, [suspect for _record, _victims, suspects in rows for suspect in suspects])


def statistics_record(*, complaint: Complaint) -> None:
    """Write the rows of a complaint just registered (saved with its people)."""
    victims = [
        VictimFacts(age=v.age, minor=v.minor, sex=v.person.sex, nationality=v.person.nationality)
        for v in complaint.victims.select_related("person")
    ]
    suspects = [
        SuspectFacts(sex=s.person.sex, identified=s.identified) for s in complaint.suspects.select_related("person")
    ]
    _write(
        [
            read_model_rows(
                complaint_id=complaint.pk,
                registering_unit_id=complaint.counted_unit_id,
                competent_directorate_id=complaint.competent_directorate_id,
                submitted_at=complaint.submitted_at,
                place_district_id=complaint.place_district_id,
                origin=complaint.origin,
                outcome=complaint.outcome,
                place_kind=complaint.place_kind,
                purpose_categories=complaint.purpose_categories,
                conducts=complaint.conducts,
                means=complaint.means,
                victims=victims,
                suspects=suspects,
            )
        ]
    )


def statistics_replace(*, complaint: Complaint) -> None:
    """Rewrite the rows of an amended complaint."""
    StatComplaint.objects.filter(pk=complaint.pk).delete()  # with its victim and suspect rows
    statistics_record(complaint=complaint)


FIELDS = (
    "pk",
    "registering_unit_id",
    "paper_receiving_unit_id",
    "competent_directorate_id",
    "submitted_at",
    "place_district_id",
    "origin",
    "outcome",
    "place_kind",
    "purpose_categories",
    "conducts",
    "means",
)


def _counted_unit(row: dict[str, Any]) -> int:
    """`Complaint.counted_unit_id` of a row of FIELDS: the unit that took a paper form, else the
    registering unit (issue 10, item 6)."""
    if row["origin"] == Origin.PAPER and row["paper_receiving_unit_id"] is not None:
        return row["paper_receiving_unit_id"]
    return row["registering_unit_id"]


def _rows_of(ids: Sequence[int]) -> list[Rows]:
    """The rows of the submitted complaints among `ids`, read with a few set-based queries."""
    victims: dict[int, list[VictimFacts]] = defaultdict(list)
    for complaint_id, age, minor, sex, nationality in ComplaintVictim.objects.filter(complaint_id__in=ids).values_list(
        "complaint_id", "age", "minor", "person__sex", "person__nationality"
    ):
        victims[complaint_id].append(VictimFacts(age=age, minor=minor, sex=sex, nationality=nationality))
    suspects: dict[int, list[SuspectFacts]] = defaultdict(list)
    unidentified = Q(person__first_names="", person__last_names="", person__document_number="")
    rows = (
        ComplaintSuspect.objects.filter(complaint_id__in=ids)
        .annotate(unidentified=ExpressionWrapper(unidentified, output_field=BooleanField()))
        .values_list("complaint_id", "person__sex", "unidentified")
    )
    for complaint_id, sex, is_unidentified in rows:
        suspects[complaint_id].append(SuspectFacts(sex=sex, identified=not is_unidentified))
    complaints = Complaint.objects.filter(
        pk__in=ids, status=Complaint.Status.SUBMITTED, submitted_at__isnull=False
    ).values(*FIELDS)
    return [
        read_model_rows(
            complaint_id=row["pk"],
            registering_unit_id=_counted_unit(row),
            competent_directorate_id=row["competent_directorate_id"],
            submitted_at=row["submitted_at"],
            place_district_id=row["place_district_id"],
            origin=row["origin"],
            outcome=row["outcome"],
            place_kind=row["place_kind"],
            purpose_categories=row["purpose_categories"],
            conducts=row["conducts"],
            means=row["means"],
            victims=victims.get(row["pk"], ()),
            suspects=suspects.get(row["pk"], ()),
        )
        for row in complaints
    ]


def statistics_load(*, complaint_ids: Sequence[int]) -> int:
    """Write the rows of submitted complaints written in bulk without the services (they have no
    rows yet). Returns how many complaints got rows."""
    rows = _rows_of(complaint_ids)
    _write(rows)
    return len(rows)


def statistics_rebuild(*, complaints: Any = None, batch_size: int = 2000) -> int:
    """Rebuild the statistics read model of the submitted complaints (all of them, or those of the
    `complaints` queryset) in batches, a few set-based queries and one transaction per batch: for
    data loaded without the services (a restored dump) and after the read model changed. Returns
    how many."""
    queryset = (complaints if complaints is not None else Complaint.objects.all()).filter(
        status=Complaint.Status.SUBMITTED, submitted_at__isnull=False
    )
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        with transaction.atomic():
            rows = _rows_of(batch)
            StatVictim.objects.filter(record_id__in=batch).delete()
            StatSuspect.objects.filter(record_id__in=batch).delete()
            StatComplaint.objects.filter(pk__in=batch).delete()
            _write(rows)
    return len(ids)
