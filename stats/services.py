"""Every write of the statistics read model (stats.models): the rows of a complaint when it is
registered, replaced when it is amended, written for complaints loaded in bulk, and the rebuild
of the whole model (`manage.py statistics --rebuild`).

`statistics_record`, `statistics_replace` and `statistics_load` run in the caller's transaction:
the first two are called by the receivers of the complaints' domain signals (stats.receivers),
which complaints sends inside the transaction of each registration and amendment; the last by
the synthetic bulk loader (demo.synthetic) in the transaction of each batch. The rows are derived
codes and counts (stats.projection): no personal data, and separate tables, so the frozen
complaint itself is never touched.

A complaint linked to an earlier one of the same case (`Complaint.duplicate_of`) is counted once:
see "one case, several complaints" below.

The read model's `registering_unit` is the unit the complaint counts under
(`Complaint.counted_unit_id`): the unit that took a paper form, else the registering unit.

May import: administration.catalogues (the statistics codes of the kinds of place), complaints.models
(reads of the complaint and its people), complaints.catalogues, complaints.text, people.matching
(the keys that tell the same person), stats.models, stats.projection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection, models, transaction

from administration.catalogues import Catalogue, catalogue_stat_codes
from complaints.catalogues import Origin
from complaints.models import Complaint, ComplaintSuspect, ComplaintVictim
from complaints.text import normalise
from people.matching import document_key, is_identified
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


# ---------------------------------------------------------------- one case, several complaints
#
# A complaint registered as the same case as an earlier one (`Complaint.duplicate_of`,
# complaints.duplicates) is not counted again: it has no rows of its own. Its case is counted once,
# on the rows of the first complaint of the case (the end of the `duplicate_of` chain), with that
# complaint's facts (year, unit, department, outcome...). A victim or an alleged trafficker of a
# linked complaint is added to those rows only when identified (a name or a document) and not
# already among the case's people: the same document (type and number, people.matching) or the same
# first and last names (accents and case aside). An unidentified one is taken as one already counted.


def _person_keys(first_names: str, last_names: str, document_type: str, document_number: str) -> set[tuple[str, ...]]:
    keys: set[tuple[str, ...]] = set()
    first, last = normalise(first_names), normalise(last_names)
    if first or last:
        keys.add(("name", first, last))
    number = document_key(document_number)
    if number:
        keys.add(("document", document_type or "", number))
    return keys


def _merge(own: list[tuple[set, Any]], linked: list[tuple[set, Any]]) -> list[Any]:
    """The facts of the case's people: all of the first complaint's, then those of the linked
    complaints that are identified and not already in it."""
    seen: set[tuple[str, ...]] = set()
    for keys, _facts in own:
        seen |= keys
    merged = [facts for _keys, facts in own]
    for keys, facts in linked:
        if keys and not keys & seen:
            merged.append(facts)
            seen |= keys
    return merged


def case_first(complaint: Complaint) -> Complaint:
    """The first complaint of the case `complaint` belongs to: itself, or the end of its
    `duplicate_of` chain (a link is made at registration, to an earlier complaint: no cycle)."""
    while complaint.duplicate_of_id is not None:
        complaint = Complaint.objects.get(pk=complaint.duplicate_of_id)
    return complaint


def _linked_to(first_ids: Sequence[int]) -> dict[int, int]:
    """The submitted complaints linked, directly or along a chain, to each of `first_ids`: {linked
    pk: first pk}. One indexed query per level of links (the foreign key's index)."""
    members: dict[int, int] = {}
    frontier = {pk: pk for pk in first_ids}
    while frontier:
        level = Complaint.objects.filter(
            duplicate_of_id__in=list(frontier), status=Complaint.Status.SUBMITTED
        ).values_list("pk", "duplicate_of_id")
        frontier = {pk: frontier[parent] for pk, parent in level if pk not in members}
        members.update(frontier)
    return members


VICTIM_VALUES = (
    "complaint_id",
    "age",
    "minor",
    "person__sex",
    "person__nationality",
    "person__first_names",
    "person__last_names",
    "person__document_type",
    "person__document_number",
)
SUSPECT_VALUES = ("complaint_id", "person__sex", "person__first_names", "person__last_names", "person__document_number")


def _people_of(ids: Sequence[int]) -> tuple[dict[int, list], dict[int, list]]:
    """The victims and alleged traffickers of the complaints `ids`, as (keys, facts) per complaint."""
    victims: dict[int, list] = defaultdict(list)
    for complaint_id, age, minor, sex, nationality, first, last, kind, number in ComplaintVictim.objects.filter(
        complaint_id__in=ids
    ).values_list(*VICTIM_VALUES):
        victims[complaint_id].append(
            (
                _person_keys(first, last, kind, number),
                VictimFacts(age=age, minor=minor, sex=sex, nationality=nationality),
            )
        )
    suspects: dict[int, list] = defaultdict(list)
    for complaint_id, sex, first, last, number in ComplaintSuspect.objects.filter(complaint_id__in=ids).values_list(
        *SUSPECT_VALUES
    ):
        suspects[complaint_id].append(
            (
                _person_keys(first, last, "", number),
                SuspectFacts(sex=sex, identified=is_identified(first, last, number)),
            )
        )
    return victims, suspects


def _case_people(first_ids: Sequence[int]) -> tuple[dict[int, list[VictimFacts]], dict[int, list[SuspectFacts]]]:
    """The people each case counts, keyed by the pk of the case's first complaint."""
    members = _linked_to(first_ids)
    victims, suspects = _people_of([*first_ids, *members])
    linked: dict[int, list[int]] = defaultdict(list)
    for pk, first in sorted(members.items()):  # in the order of registration
        linked[first].append(pk)
    case_victims, case_suspects = {}, {}
    for pk in first_ids:
        others = linked[pk]
        case_victims[pk] = _merge(victims.get(pk, []), [item for other in others for item in victims.get(other, [])])
        case_suspects[pk] = _merge(suspects.get(pk, []), [item for other in others for item in suspects.get(other, [])])
    return case_victims, case_suspects


def _loaded_people(complaint: Complaint) -> tuple[list[VictimFacts], list[SuspectFacts]] | None:
    """The facts of the victims and alleged traffickers of `complaint` from the rows the caller
    loaded with their people (the registration reads them once, under the complaint's lock:
    complaints.services._load_rows), in the order `_people_of` reads them; None when it did not."""
    loaded = getattr(complaint, "_prefetched_objects_cache", {})
    if "victims" not in loaded or "suspects" not in loaded:
        return None
    victims = [
        VictimFacts(age=row.age, minor=row.minor, sex=row.person.sex, nationality=row.person.nationality)
        for row in complaint.victims.all()
    ]
    suspects = [
        SuspectFacts(
            sex=row.person.sex,
            identified=is_identified(row.person.first_names, row.person.last_names, row.person.document_number),
        )
        for row in complaint.suspects.all()
    ]
    return victims, suspects


def _complaint_rows(complaint: Complaint, victims: list[VictimFacts], suspects: list[SuspectFacts]) -> Rows:
    return read_model_rows(
        complaint_id=complaint.pk,
        registering_unit_id=complaint.counted_unit_id,
        competent_directorate_id=complaint.competent_directorate_id,
        submitted_at=complaint.submitted_at,
        place_district_id=complaint.place_district_id,
        origin=complaint.origin,
        outcome=complaint.outcome,
        place_kind=complaint.place_kind,
        place_kind_codes=catalogue_stat_codes(Catalogue.PLACE_KIND),
        purpose_categories=complaint.purpose_categories,
        conducts=complaint.conducts,
        means=complaint.means,
        victims=victims,
        suspects=suspects,
    )


def statistics_record(*, complaint: Complaint) -> None:
    """Write the rows of a complaint just registered (saved with its people). A complaint of a case
    already counted (`duplicate_of`) rewrites the rows of the case's first complaint instead.

    Nothing is linked to a complaint being registered (a complaint is linked to a registered one
    only, complaints.duplicates.linkable, and this one is registered by the caller's transaction):
    its case is its own people, those the registration loaded when it did (`_loaded_people`)."""
    if complaint.duplicate_of_id is not None:
        statistics_replace(complaint=complaint)
        return
    loaded = _loaded_people(complaint)
    if loaded is None:
        case_victims, case_suspects = _case_people([complaint.pk])
        loaded = case_victims[complaint.pk], case_suspects[complaint.pk]
    _write([_complaint_rows(complaint, *loaded)])


def statistics_replace(*, complaint: Complaint) -> None:
    """Rewrite the rows of an amended complaint: those of its case's first complaint, with the
    people of every complaint linked to it."""
    first = case_first(complaint)
    StatComplaint.objects.filter(pk=first.pk).delete()  # with its victim and suspect rows
    case_victims, case_suspects = _case_people([first.pk])
    _write([_complaint_rows(first, case_victims[first.pk], case_suspects[first.pk])])


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
    """The rows of the submitted complaints among `ids` that are the first of their case (a
    linked complaint has none of its own), read with a few set-based queries."""
    complaints = list(
        Complaint.objects.filter(
            pk__in=ids, status=Complaint.Status.SUBMITTED, submitted_at__isnull=False, duplicate_of__isnull=True
        ).values(*FIELDS)
    )
    victims, suspects = _case_people([row["pk"] for row in complaints])
    place_kind_codes = catalogue_stat_codes(Catalogue.PLACE_KIND)
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
            place_kind_codes=place_kind_codes,
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
