"""The submit path probe (issue 14.3): what one registration costs, against a bare one-row insert.

    DATABASE_URL=mysql://root@127.0.0.1:3306/reta_submit .venv/bin/python bench/submit_probe.py \
        [--drafts 40] [--captured 3] [--record LABEL] [--keep] [--index-worker]

1. (Re)creates the MariaDB database of DATABASE_URL (dropped first unless ``--keep``), migrates it,
   loads the reference data (``load_reference_data``) and one station officer of
   ``DIRTEPOL-CUSCO-CPNP-1`` (``probe.officer``).
2. Saves ``--drafts`` + ``--captured`` + 1 drafts through ``complaint_save_draft``: one victim (a
   16-year-old with a DNI) and one identified suspect each, every draft a different case (names,
   documents and dates of the facts differ, so the duplicate check finds nothing), the same facts
   otherwise (trafficking, an alert to the specialised units).
3. Signed in with Django's test Client (``force_login``), for each draft GETs the review page (not
   timed: it gives the fingerprint) and POSTs its confirmation (``action=confirm``) to
   ``complaints:complaint_review`` - the real view, middleware, session, the service, the
   receivers and the ``on_commit`` work (the match index). The first submit is a warm-up;
   ``--captured`` submits run inside ``CaptureQueriesContext`` (the queries, grouped by kind and
   table, and the rows each submit adds to every table); ``--drafts`` submits are timed without it.
4. The yardstick: a view with the same stack (URL, middleware, session, ``request_id_scope``,
   ``retry_on_contention`` and one ``transaction.atomic``) that inserts ONE row into a plain table
   created by the probe (``bench_probe_row``), warmed up and captured the same way, then timed in
   pairs with the submits (each timed submit followed by one timed bare insert), so that a machine
   whose speed drifts during the run slows both alike.

``--index-worker``: ``RETA_MATCH_INDEX=worker`` (production's mode, docs/deploy.md): the submit leaves
its match index work in ``analysis_indexwork`` and does none of it (the queries and times above are
the request's own); after the measures the rows left are drained by the worker's function
(``analysis.index_work.drain``, batches as ``manage.py match_index_worker``), timed. Without it:
``commit``, the default, the work done in the request after its commit.

Prints the report; ``--record LABEL`` also keeps it in ``bench/results.json`` (key ``submit``) and
rewrites ``bench/results.md`` (its section "Submit path"). DEBUG is off (as in production).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import secrets
import statistics as pystats
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "mysql://root@127.0.0.1:3306/reta_submit"
BARE_URL = "/bench-probe/bare-insert/"

FIRST_NAMES = ["Lucía", "María", "Rosa", "Ana", "Elena", "Carmen", "Julia", "Teresa", "Sofía", "Inés"]
LAST_NAMES = ["Condori", "Quispe", "Mamani", "Huamán", "Apaza", "Choque", "Ccama", "Flores", "Ramos", "Vargas"]
SUSPECT_NAMES = ["Marco", "Jorge", "Luis", "Pedro", "Raúl", "Víctor", "César", "Hugo", "Iván", "Óscar"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--drafts", type=int, default=40, help="timed submits (median reported)")
    parser.add_argument("--captured", type=int, default=3, help="submits whose queries and rows are captured")
    parser.add_argument("--keep", action="store_true", help="do not drop the database first (migrate it only)")
    parser.add_argument("--record", metavar="LABEL", help="keep the report in bench/results.json under LABEL")
    parser.add_argument("--show-sql", action="store_true", help="print every query of one captured submit")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed submits (top functions)")
    parser.add_argument(
        "--index-worker",
        action="store_true",
        help="RETA_MATCH_INDEX=worker: the submit leaves the index work; drained (timed) after the measures",
    )
    return parser.parse_args()


def prepare_environment(url: str, index: str = "commit") -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "reta.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["RETA_MATCH_INDEX"] = index
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["STATIC_ROOT"] = str(ROOT / "bench" / "data" / "staticfiles")  # collected as in production


def recreate_database(url: str, *, keep: bool) -> None:
    from run import recreate_database as recreate  # bench/run.py: the same MariaDB (re)creation

    if not url.startswith("mysql://"):
        raise SystemExit("the probe measures MariaDB: DATABASE_URL=mysql://...")
    recreate(url, reuse=keep)


# ---------------------------------------------------------------- the world


def build_world(count: int) -> tuple[Any, list[int]]:
    """The reference data, the officer and `count` drafts (pks)."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from administration.models import District, Role, Unit, User
    from complaints.catalogues import Origin, PlaceKind
    from complaints.services import ComplaintData, SuspectData, VictimData, complaint_save_draft

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_probe_row (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
            "created_at DATETIME(6) NOT NULL, author_id BIGINT NOT NULL, note VARCHAR(200) NOT NULL)"
        )
    officer, _ = User.objects.get_or_create(
        username="probe.officer",
        defaults={
            "unit": Unit.objects.get(code="DIRTEPOL-CUSCO-CPNP-1"),
            "role": Role.STATION_OFFICER,
            "expires_on": timezone.localdate() + datetime.timedelta(days=365),
        },
    )
    district = District.objects.get(code="170101")  # Tambopata, Madre de Dios
    start = timezone.localdate() - datetime.timedelta(days=5)
    drafts = []
    for index in range(count):
        first, last = FIRST_NAMES[index % 10], LAST_NAMES[(index // 10) % 10]
        data = ComplaintData(
            origin=Origin.STATION,
            # 40 days apart from every other draft: never "same place and date".
            facts_date=start - datetime.timedelta(days=40 * index),
            place_district=district,
            place_address=f"Av. León Velarde {100 + index}",
            place_kind=PlaceKind.BAR_NIGHTCLUB,
            complainant_first_names="Juana",
            complainant_last_names=f"{LAST_NAMES[index % 10]} Huallpa",
            complainant_document_type="dni",
            complainant_document_number=f"{41000000 + 7 * index + 3}",
            complainant_contact="984 111 222",
            complainant_relation="madre",
            narrative="La menor fue captada en Cusco con una falsa oferta de trabajo y trasladada a un bar.",
            responsible_officer="S3 PNP Rosa Huamán Quispe",
            conducts=["recruitment", "transfer"],
            means=["deception"],
            purposes=["prostitution"],
            victims=[
                VictimData(
                    first_names=f"{first} {SUSPECT_NAMES[(index // 100) % 10]}",
                    last_names=f"{last} Apaza",
                    sex="F",
                    age=16,
                    nationality="PE",
                    document_type="dni",
                    document_number=f"{76000000 + 13 * index + 1}",
                )
            ],
            suspects=[
                SuspectData(
                    first_names=SUSPECT_NAMES[index % 10],
                    last_names=f"{LAST_NAMES[(index + 3) % 10]} Rojas",
                    alias="El Tío",
                    sex="M",
                    approximate_age=45,
                    nationality="PE",
                    relation_to_victim="desconocido",
                )
            ],
        )
        drafts.append(complaint_save_draft(actor=officer, data=data).pk)
    return officer, drafts


def bare_urlconf() -> None:
    """The project's URLs plus the yardstick's view: one row inserted in the stack of a write
    service (request id, contention retry, one transaction)."""
    import types

    from django.conf import settings
    from django.db import connection, transaction
    from django.http import HttpRequest, HttpResponse
    from django.urls import clear_url_caches, include, path
    from django.utils import timezone
    from django.views.decorators.http import require_POST

    from audit.context import request_id_scope
    from reta.transactions import retry_on_contention

    @request_id_scope()
    @retry_on_contention()
    def insert_one(author_id: int, note: str) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_probe_row (created_at, author_id, note) VALUES (%s, %s, %s)",
                [timezone.now(), author_id, note],
            )

    @require_POST
    def bare_insert(request: HttpRequest) -> HttpResponse:
        insert_one(request.user.pk, request.POST.get("note", ""))
        return HttpResponse(status=204)

    module = types.ModuleType("submit_probe_urls")
    module.urlpatterns = [path(BARE_URL.strip("/") + "/", bare_insert), path("", include(settings.ROOT_URLCONF))]
    sys.modules["submit_probe_urls"] = module
    settings.ROOT_URLCONF = "submit_probe_urls"
    clear_url_caches()


# ---------------------------------------------------------------- measuring

TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN)\s+[`\"]?(\w+)[`\"]?", re.IGNORECASE)


def query_kind(sql: str) -> tuple[str, str]:
    """(kind, table) of one query: SELECT/INSERT/UPDATE/DELETE and its first table, SAVEPOINT..."""
    many = re.match(r"\d+ times: ", sql)  # executemany (bulk_create on MariaDB's backend log)
    if many:
        sql = sql[many.end() :]
    words = sql.split(None, 2)
    kind = words[0].upper() if words else ""
    if kind in ("SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "SET"):
        return kind, ""
    found = TABLE.search(sql)
    table = found.group(1) if found else ""
    if kind == "SELECT" and "FOR UPDATE" in sql.upper():
        kind = "SELECT FOR UPDATE"
    return kind, table


def table_counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM `{table}`")  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def submit_once(client: Any, pk: int) -> Any:
    from django.urls import reverse

    url = reverse("complaints:complaint_review", kwargs={"pk": pk})
    review = client.get(url)
    assert review.status_code == 200, review.status_code
    data = {"action": "confirm", "fingerprint": review.context["fingerprint"]}

    def post() -> Any:
        response = client.post(url, data)
        assert response.status_code == 302 and "/resultado/" in response["Location"], (
            response.status_code,
            response.content[:500],
        )
        return response

    return post


def bare_once(client: Any, index: int) -> Any:
    def post() -> Any:
        response = client.post(BARE_URL, {"note": f"row {index}"})
        assert response.status_code == 204, response.status_code
        return response

    return post


def capture(client: Any, prepare: Any, items: list[Any], captured: int, show_sql: bool = False) -> dict[str, Any]:
    """Warm-up on items[0]; then `captured` items under CaptureQueriesContext: their queries (by kind
    and table) and the rows they add to every table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare(client, items[0])()
    queries_per_run: list[int] = []
    groups: Counter[tuple[str, str]] = Counter()
    rows: Counter[str] = Counter()
    sample: list[str] = []
    for item in items[1 : 1 + captured]:
        post = prepare(client, item)
        before = table_counts()
        with CaptureQueriesContext(connection) as context:
            post()
        after = table_counts()
        queries_per_run.append(len(context.captured_queries))
        for query in context.captured_queries:
            groups[query_kind(query["sql"])] += 1
        for table, count in after.items():
            if count != before.get(table, 0):
                rows[table] += count - before.get(table, 0)
        sample = [query["sql"] for query in context.captured_queries]
    if show_sql:
        for number, sql in enumerate(sample, start=1):
            print(f"{number:3d} {sql[:400]}")
    runs = max(captured, 1)
    return {
        "queries": max(queries_per_run) if queries_per_run else 0,
        "queries_per_run": queries_per_run,
        "groups": sorted(
            ([kind, table, count / runs] for (kind, table), count in groups.items()),
            key=lambda item: (-item[2], item[0], item[1]),
        ),
        "rows": {table: count / runs for table, count in sorted(rows.items())},
    }


def timed_pairs(
    client: Any, submits: list[Any], bares: list[Any], profile: bool = False
) -> tuple[list[float], list[float]]:
    """Each timed submit followed by one timed bare insert: a machine whose speed drifts during the
    run (a shared host) slows both alike, so their ratio stays comparable between runs (measured
    one after the other, the same code gave 5.2x to 8.2x on one afternoon). `profile`: cProfile
    the submits only."""
    submit_times: list[float] = []
    bare_times: list[float] = []
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    for submit_item, bare_item in zip(submits, bares, strict=True):
        post = submit_once(client, submit_item)
        started = time.perf_counter()
        if profiler is not None:
            profiler.runcall(post)
        else:
            post()
        submit_times.append(time.perf_counter() - started)
        post = bare_once(client, bare_item)
        started = time.perf_counter()
        post()
        bare_times.append(time.perf_counter() - started)
    if profiler is not None:
        import pstats

        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(r"/(complaints|analysis|audit|people|stats|administration|reta)/\w+\.py", 40)
        stats.print_stats(r"MySQLdb/cursors\.py.*\((execute|_query)\)")  # the time spent in the database
        stats.sort_stats("tottime").print_stats(30)
    return submit_times, bare_times


def summary(times: list[float]) -> dict[str, Any]:
    return {
        "median_ms": pystats.median(times) * 1000,
        "p90_ms": sorted(times)[int(len(times) * 0.9) - 1] * 1000 if times else 0.0,
        "runs": len(times),
    }


def drain_index_work() -> dict[str, Any]:
    """The index work rows left by the submits (worker mode), drained as the worker does, timed."""
    from analysis.index_work import drain
    from analysis.models import IndexWork

    left = IndexWork.objects.count()
    started = time.perf_counter()
    done = failed = batches = 0
    while True:
        report = drain()
        if not report.claimed:
            break
        done, failed, batches = done + report.done, failed + report.failed, batches + 1
    return {
        "rows": left,
        "done": done,
        "failed": failed,
        "batches": batches,
        "seconds": time.perf_counter() - started,
    }


def machine() -> dict[str, Any]:
    import platform

    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT VERSION()")
        version = cursor.fetchone()[0]
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg()[0],
        "mariadb": version,
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def report_lines(submit: dict[str, Any], notes: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The section "Submit path" of bench/results.md (bench/run.py's write_report calls it too)."""
    lines = [
        "## Submit path",
        "",
        "`bench/submit_probe.py` (issue 14.3): the confirmation of the review page",
        "(`complaints:complaint_review`, `action=confirm`) through Django's test Client, for a draft with",
        "one victim and one identified suspect, on a fresh MariaDB database (reference data, one officer),",
        "DEBUG off; against a view of the same stack that inserts one row (`bench_probe_row`). Times are",
        "medians of the timed submits and bare inserts (after a warm-up): *paired*, each timed submit followed",
        "by a timed bare insert; *in sequence* (runs before 2026-12-07), all submits, then all bare inserts.",
        "Queries are counted by `CaptureQueriesContext`",
        "(the `on_commit` work included), rows by counting every table before and after.",
        "",
        "| run | date | timing | submit queries | submit median | bare insert queries | bare median | ratio |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, entry in submit.items():
        timing = "paired" if entry["submit"].get("interleaved") else "in sequence"
        ratio = entry["submit"]["median_ms"] / entry["bare"]["median_ms"]
        lines.append(
            f"| {label} | {entry['machine']['date']} (load {entry['machine']['load_average_at_start']:.1f}) | "
            f"{timing} | {entry['submit']['queries']} | {entry['submit']['median_ms']:.1f} ms | "
            f"{entry['bare']['queries']} | {entry['bare']['median_ms']:.1f} ms | {ratio:.1f}x |"
        )
    lines.append("")
    for label, entry in submit.items():
        work = entry.get("index_work")
        if work:
            lines.append(
                f"- **{label}**: `RETA_MATCH_INDEX=worker`: the submits left {work['rows']} index work rows "
                f"({work['rows'] / max(work['submits'], 1):g} per submit), drained by the worker's function in "
                f"{work['seconds'] * 1000:.0f} ms ({work['seconds'] * 1000 / max(work['submits'], 1):.1f} ms per "
                f"submit, {work['batches']} batches, {work['failed']} failed)."
            )
    for label, entry in submit.items():
        groups = ", ".join(
            f"{kind} {table} {count:g}".replace("  ", " ") for kind, table, count in entry["submit"]["groups"]
        )
        rows = ", ".join(f"{table} {count:g}" for table, count in entry["submit"]["rows"].items())
        lines += [f"- **{label}**: queries by kind and table: {groups}.", f"  Rows written per submit: {rows}."]
    lines.append("")
    if notes:
        lines += [f"- {note}" for note in notes] + [""]
    return lines


def main() -> None:
    args = parse_args()
    prepare_environment(args.database_url, "worker" if args.index_worker else "commit")
    recreate_database(args.database_url, keep=args.keep)

    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # the test Client's response.context (the review's fingerprint)

    started = time.monotonic()
    total = args.drafts + args.captured + 1
    officer, drafts = build_world(total)
    if args.index_worker:
        drain_index_work()  # the drafts' own work: done before the measures
    bare_urlconf()
    print(f"World ready: {total} drafts ({time.monotonic() - started:.0f} s).", flush=True)
    facts = machine()
    client = Client()
    client.force_login(officer)
    submit = capture(client, submit_once, drafts, args.captured, show_sql=args.show_sql)
    bare = capture(client, bare_once, list(range(total)), args.captured)
    timed = 1 + args.captured
    submit_times, bare_times = timed_pairs(client, drafts[timed:], list(range(timed, total)), profile=args.profile)
    submit.update(summary(submit_times))
    bare.update(summary(bare_times))
    submit["interleaved"] = True  # timed in pairs with the bare inserts (timed_pairs)
    entry = {"machine": facts, "submit": submit, "bare": bare}
    if args.index_worker:
        entry["index_work"] = {**drain_index_work(), "submits": total}
        work = entry["index_work"]
        print(
            f"index work (RETA_MATCH_INDEX=worker): {work['rows']} rows left by {total} submits, drained in "
            f"{work['seconds']:.2f} s ({work['seconds'] * 1000 / total:.1f} ms per submit; {work['batches']} batches, "
            f"{work['failed']} failed)"
        )
    print(
        f"submit: {submit['queries']} queries ({submit['queries_per_run']}), median {submit['median_ms']:.1f} ms "
        f"(p90 {submit['p90_ms']:.1f} ms, {submit['runs']} runs)"
    )
    print(f"bare insert: {bare['queries']} queries, median {bare['median_ms']:.1f} ms")
    print(f"ratio: {submit['median_ms'] / bare['median_ms']:.1f}x")
    print("queries by kind and table (per submit):")
    for kind, table, count in submit["groups"]:
        print(f"  {count:5.1f}  {kind:18s} {table}")
    print("rows written per submit:")
    for table, count in submit["rows"].items():
        print(f"  {count:5.1f}  {table}")
    print("bare insert queries:", ", ".join(f"{kind} {table} {count:g}" for kind, table, count in bare["groups"]))
    if args.record:
        from run import RESULTS_JSON, write_report

        data = json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.exists() else {"sizes": {}}
        data.setdefault("submit", {})[args.record] = entry
        write_report(data)
        print(f"Recorded as {args.record!r} in bench/results.json and bench/results.md.")


if __name__ == "__main__":
    main()
