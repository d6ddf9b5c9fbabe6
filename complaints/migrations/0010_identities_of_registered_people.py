"""Every identified person (a name or a document number) of an already registered complaint gets
an identity (people.Identity), seeded from what was recorded, as the registration does from now
on (complaints.services._link_identities): the primary name, a name row, an alias row and a
document row with its matching key, source "complaint" and the complaint's number as reference,
each with its "+" history row. No identity is merged with another (matching is a later issue).

The recorded people are frozen: on MySQL/MariaDB the triggers of migration 0002 refuse any UPDATE
of their rows unless @reta_amendment is set on the connection. This migration sets it for its own
statements (the one-off link of each recorded person to its new identity, nothing else) and clears
it at the end, even on failure. Run on a schema of migration 0013 or later (a test does), it also
opens and closes the amendment lease, which is what the triggers look for there. The ORM guards are
not in the way: migrations use plain managers.
Works in chunks of people so that a large database does not need to fit in memory.
"""

from django.db import migrations
from django.utils import timezone

from people.matching import document_key, name_key

CHUNK = 2000
REASON = "identity of a registered record (migration complaints 0010)"


def _links(apps, alias, person_ids):
    """person id -> (complaint number, registering unit id) of the registered complaint it is in."""
    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintVictim = apps.get_model("complaints", "ComplaintVictim")
    ComplaintSuspect = apps.get_model("complaints", "ComplaintSuspect")
    links = {}
    for row_model in (ComplaintVictim, ComplaintSuspect):
        rows = row_model.objects.using(alias).filter(person_id__in=person_ids, complaint__frozen_at__isnull=False)
        for person_id, number, unit_id in rows.values_list(
            "person_id", "complaint__number", "complaint__registering_unit_id"
        ):
            links[person_id] = (number or "", unit_id)
    filed = Complaint.objects.using(alias).filter(complainant_id__in=person_ids, frozen_at__isnull=False)
    for person_id, number, unit_id in filed.values_list("complainant_id", "number", "registering_unit_id"):
        links[person_id] = (number or "", unit_id)
    return links


def _history(model, rows, now):
    """The "+" history rows of freshly created rows (plain bulk_create writes none)."""
    if not rows:
        return []
    fields = [field.attname for field in rows[0]._meta.concrete_fields]
    return [
        model(
            **{name: getattr(row, name) for name in fields},
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )
        for row in rows
    ]


def _insert(connection, model, rows):
    """Insert `rows` and learn their ids (their history rows need them)."""
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.using(connection.alias).bulk_create(rows, batch_size=500)
    else:
        for row in rows:
            row.save(using=connection.alias)


def _create_identities(apps, connection, people, links, now):
    alias = connection.alias
    Identity = apps.get_model("people", "Identity")
    IdentityName = apps.get_model("people", "IdentityName")
    IdentityDocument = apps.get_model("people", "IdentityDocument")
    identities = [
        Identity(
            first_names=person.first_names,
            last_names=person.last_names,
            name_key=name_key(f"{person.first_names} {person.last_names}"),
            sex=person.sex,
            nationality=person.nationality,
            created_at=now,
            created_in_id=links[person.pk][1],
        )
        for person in people
    ]
    _insert(connection, Identity, identities)
    names, documents = [], []
    for person, identity in zip(people, identities, strict=True):
        facts = {
            "identity_id": identity.pk,
            "source": "complaint",
            "source_reference": links[person.pk][0][:120],
            "recorded_at": now,
        }
        full_name = " ".join(part for part in (person.first_names, person.last_names) if part)
        for kind, name in (("name", full_name), ("alias", person.alias)):
            if name:
                names.append(IdentityName(kind=kind, name=name, key=name_key(name), **facts))
        if person.document_number:
            documents.append(
                IdentityDocument(
                    document_type=person.document_type,
                    number=person.document_number,
                    key=document_key(person.document_number),
                    **facts,
                )
            )
    _insert(connection, IdentityName, names)
    _insert(connection, IdentityDocument, documents)
    for model_name, rows in (
        ("HistoricalIdentity", identities),
        ("HistoricalIdentityName", names),
        ("HistoricalIdentityDocument", documents),
    ):
        history = apps.get_model("people", model_name)
        history.objects.using(alias).bulk_create(_history(history, rows, now), batch_size=500)
    for person, identity in zip(people, identities, strict=True):
        person.identity_id = identity.pk
    return people


def link_identities(apps, schema_editor):
    Person = apps.get_model("complaints", "Person")
    alias = schema_editor.connection.alias
    mysql = schema_editor.connection.vendor == "mysql"
    candidates = (
        Person.objects.using(alias)
        .filter(identity__isnull=True)
        .exclude(first_names="", last_names="", document_number="")
        .order_by("pk")
    )
    if not candidates.exists():
        return
    now = timezone.now()
    connection = schema_editor.connection
    lease = False
    if mysql:
        with connection.cursor() as cursor:
            cursor.execute("SET @reta_amendment = 1")  # this migration's own statements only
            # Run again on a later schema (migration 0013: the lift is a lease), open the lease.
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.ROUTINES"
                " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'reta_amendment_open'"
            )
            lease = cursor.fetchone()[0] > 0
            if lease:
                cursor.execute("CALL reta_amendment_open(NULL)")
    try:
        last = 0
        while True:
            people = list(candidates.filter(pk__gt=last)[:CHUNK])
            if not people:
                break
            last = people[-1].pk
            links = _links(apps, alias, [person.pk for person in people])
            people = [person for person in people if person.pk in links]  # drafts get theirs at submission
            if people:
                linked = _create_identities(apps, connection, people, links, now)
                Person.objects.using(alias).bulk_update(linked, ["identity"], batch_size=500)
    finally:
        if mysql:
            with connection.cursor() as cursor:
                cursor.execute("SET @reta_amendment = NULL")
                if lease:
                    cursor.execute("CALL reta_amendment_close()")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_person_identity"),
        ("people", "0001_initial"),
    ]

    operations = [migrations.RunPython(link_identities, migrations.RunPython.noop)]
