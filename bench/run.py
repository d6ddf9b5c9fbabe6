"""The benchmarks (`make bench`): statistics (issue 5, point 7) and cross-case matching (issue 12,
item 6, `bench/bench_matching.py`). Not part of `make test` nor of CI.

    .venv/bin/python bench/run.py [--sizes 100000 1000000] [--database-url mysql://root@127.0.0.1:3306/reta_bench]
                                  [--reuse] [--repeat 7] [--seed 2026] [--sections stats matching]
                                  [--match-sizes 1000000] [--match-lookups 200] [--match-chunk-size 5000]

The matching section (`--sections matching`) generates identities in the same database and times
the real index rebuild and `analysis.candidates.candidates_for` (see bench/bench_matching.py); the
steps below are the statistics section's.

1. (Re)creates the MariaDB database (``reta_bench`` by default; ``--reuse`` keeps it and its data),
   migrates it and loads the reference data and two bench accounts: ``bench.admin`` (national
   administrator, the author of the synthetic complaints) and ``bench.monitor`` (monitor, national
   scope, who looks at the pages).
2. For each size, tops the database up to that many synthetic complaints (``generate_synthetic``'s
   loader; the time and rate of each load are reported) and runs ``ANALYZE TABLE``.
3. Times, for each published table and two cross-tabulations, the median of ``--repeat`` runs
   (after one warm-up run) of:
   - the PAGE: the real view through Django's test Client (middleware, session, the statistics
     function, the template with its SVG chart), signed in as ``bench.monitor``;
   - SQL (read model): one hand-written GROUP BY giving the same counts from the statistics read
     model the page reads (``stats_stat*``): the best single query on this schema; the TARGET
     is the page within 2x of it (and under 1 s at 1,000,000 complaints);
   - SQL (base tables): one hand-written GROUP BY over the registration tables themselves
     (complaints, victims, suspects, people, units, the JSON categories): what the counts cost
     without the read model, for reference.
   The counts of both queries are checked against the statistics function's table (a wrong page
   fails the run).
4. Keeps every measured size in ``bench/results.json`` (a run replaces the sizes it measured and
   keeps the others, and the hand-written ``notes``) and writes ``bench/results.md`` from it, with
   the machine's facts. ``--report-only`` rewrites ``results.md`` from ``results.json``.
"""

# ruff: noqa: S608 - the hand-written queries are built from integer years and constants only.
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import statistics as pystats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS_JSON = ROOT / "bench" / "results.json"
RESULTS_MD = ROOT / "bench" / "results.md"
DEFAULT_URL = "mysql://root@127.0.0.1:3306/reta_bench"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep the database and the complaints it holds")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each measure (median reported)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument(
        "--sections",
        nargs="+",
        choices=["stats", "matching"],
        default=["stats", "matching"],
        help="stats: the statistics pages; matching: cross-case candidate search (bench/matching.py)",
    )
    parser.add_argument("--match-sizes", type=int, nargs="+", default=[1_000_000], help="recorded persons")
    parser.add_argument("--match-lookups", type=int, default=200, help="identities searched (median, p95)")
    parser.add_argument(
        "--match-keep-index", action="store_true", help="with --reuse: measure the search on the index present"
    )
    parser.add_argument("--match-chunk-size", type=int, default=20_000, help="identities per rebuild transaction")
    parser.add_argument(
        "--match-generate-only",
        action="store_true",
        help="generate the recorded persons and stop (the time is kept for a later --reuse run)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="write results.md from results.json (its sizes and notes) and stop"
    )
    return parser.parse_args()


def prepare_environment(url: str) -> None:
    """Production-like settings: DEBUG off (no query log), the bench database, a throwaway key."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "reta.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["EMAIL_URL"] = "consolemail://"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["STATIC_ROOT"] = str(ROOT / "bench" / "data" / "staticfiles")  # collected as in production


def recreate_database(url: str, *, reuse: bool) -> None:
    """Drop (unless `reuse`) and create the MariaDB database of `url` (utf8mb4); also the load
    test's (bench/load/run.py)."""
    import MySQLdb

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"bad database name {name!r}")
    server = MySQLdb.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 3306,
        user=parsed.username or "root",
        password=parsed.password or "",
    )
    cursor = server.cursor()
    if not reuse:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
    cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    server.close()


# ---------------------------------------------------------------- the hand-written queries

# The column of table 1 a unit counts under (as stats.units.Units: the hotline, else its
# directorate's code: DIVINTRAP's is DIRINCRI).
COLUMN_OF_UNIT = "CASE WHEN u.kind = 'hotline' THEN 'LINEA-0800' ELSE COALESCE(d.code, 'OTHER') END"
UNIT_JOIN = (
    "JOIN administration_unit u ON u.id = {alias}.registering_unit_id "
    "LEFT JOIN administration_unit d ON d.id = u.directorate_id"
)
# Year of registration in America/Lima (UTC-5 all year round since 1994) from the stored UTC time.
# A complaint is registered when it has a registration time (drafts have none): the range on
# submitted_at is the whole filter, so (registering_unit_id, submitted_at) covers table 1's query.
LIMA_YEAR = "YEAR(c.submitted_at - INTERVAL 5 HOUR)"


def lima_bounds(year_from: int, year_to: int) -> tuple[str, str]:
    return f"'{year_from}-01-01 05:00:00'", f"'{year_to + 1}-01-01 05:00:00'"


def sql_cases(read_model: bool, year_from: int, year_to: int) -> str:
    """Counted by unit first, then the few hundred (year, unit) groups mapped to their column."""
    if read_model:
        counted = (
            "SELECT year, registering_unit_id, COUNT(*) AS n FROM stats_statcomplaint "
            f"WHERE year BETWEEN {year_from} AND {year_to} GROUP BY year, registering_unit_id"
        )
    else:
        low, high = lima_bounds(year_from, year_to)
        counted = (
            f"SELECT {LIMA_YEAR} AS year, c.registering_unit_id, COUNT(*) AS n FROM complaints_complaint c "
            f"WHERE c.submitted_at >= {low} AND c.submitted_at < {high} GROUP BY year, c.registering_unit_id"
        )
    return (
        f"SELECT x.year, {COLUMN_OF_UNIT} AS col, SUM(x.n) FROM ({counted}) x "
        f"{UNIT_JOIN.format(alias='x')} GROUP BY x.year, col"
    )


def sql_persons(read_model: bool, year_from: int, year_to: int) -> str:
    if read_model:  # each complaint's row carries the counts of its people (models.PERSON_COUNTERS)
        from stats.models import PERSON_COUNTERS

        sums = ", ".join(f"SUM({name})" for name in PERSON_COUNTERS)
        return (
            f"SELECT year, {sums} FROM stats_statcomplaint WHERE year BETWEEN {year_from} AND {year_to} GROUP BY year"
        )
    from people.privacy import minor_sql

    low, high = lima_bounds(year_from, year_to)
    where = f"c.submitted_at >= {low} AND c.submitted_at < {high}"
    return (
        f"SELECT {LIMA_YEAR} AS y, 'victim' AS role, p.sex, "
        f"{minor_sql('v.age', 'v.minor')} AS is_minor, NULL, COUNT(*) "
        "FROM complaints_complaintvictim v JOIN complaints_complaint c ON c.id = v.complaint_id "
        f"JOIN complaints_person p ON p.id = v.person_id WHERE {where} GROUP BY y, p.sex, is_minor "
        f"UNION ALL SELECT {LIMA_YEAR} AS y, 'suspect', p.sex, NULL, "
        "(p.first_names <> '' OR p.last_names <> '' OR p.document_number <> '') AS is_identified, COUNT(*) "
        "FROM complaints_complaintsuspect s JOIN complaints_complaint c ON c.id = s.complaint_id "
        f"JOIN complaints_person p ON p.id = s.person_id WHERE {where} GROUP BY y, p.sex, is_identified"
    )


def category_bits() -> str:
    """The purpose categories and their bit in the read model's bitmask, as a derived table."""
    from stats.codes import CATEGORY_CODES

    return " UNION ALL ".join(f"SELECT {1 << bit} AS bit, '{code}' AS code" for bit, code in enumerate(CATEGORY_CODES))


def sql_purposes(read_model: bool, year_from: int, year_to: int) -> str:
    if read_model:  # counted by bitmask (a few dozen groups a year), then each mask spread over its categories
        return (
            "SELECT x.year, b.code, SUM(x.n) FROM (SELECT year, categories, COUNT(*) AS n "
            f"FROM stats_statcomplaint WHERE year BETWEEN {year_from} AND {year_to} GROUP BY year, categories) x "
            f"JOIN ({category_bits()}) b ON x.categories & b.bit <> 0 GROUP BY x.year, b.code"
        )
    low, high = lima_bounds(year_from, year_to)
    return (
        f"SELECT {LIMA_YEAR} AS y, j.code, COUNT(*) FROM complaints_complaint c, "
        "JSON_TABLE(c.purpose_categories, '$[*]' COLUMNS (code VARCHAR(32) PATH '$')) j "
        f"WHERE c.submitted_at >= {low} AND c.submitted_at < {high} GROUP BY y, j.code"
    )


def sql_crosstab(read_model: bool, year_from: int, year_to: int) -> str:
    """Complaints by directorate and purpose category ("" for none), and each directorate's total
    (category NULL): a complaint with two categories counts under each, once in the total. Counted
    by unit first, then mapped to the directorates (a complaint has one unit and each category once,
    so the unit counts add up)."""
    if read_model:
        counted = (
            "SELECT registering_unit_id, categories, COUNT(*) AS n FROM stats_statcomplaint "
            f"WHERE year BETWEEN {year_from} AND {year_to} GROUP BY registering_unit_id, categories"
        )
        return (
            f"WITH x AS ({counted}) SELECT {COLUMN_OF_UNIT} AS col, y.category, SUM(y.n) FROM ("
            "SELECT x.registering_unit_id, COALESCE(b.code, '') AS category, x.n FROM x "
            f"LEFT JOIN ({category_bits()}) b ON x.categories & b.bit <> 0 "
            "UNION ALL SELECT x.registering_unit_id, NULL, x.n FROM x) y "
            f"{UNIT_JOIN.format(alias='y')} GROUP BY col, y.category"
        )
    low, high = lima_bounds(year_from, year_to)
    low_high = f"c.submitted_at >= {low} AND c.submitted_at < {high}"
    cells = (
        "SELECT c.registering_unit_id, COALESCE(j.code, '') AS category, COUNT(*) AS n "
        "FROM complaints_complaint c LEFT JOIN "
        "JSON_TABLE(c.purpose_categories, '$[*]' COLUMNS (code VARCHAR(32) PATH '$')) j ON TRUE "
        f"WHERE {low_high} GROUP BY c.registering_unit_id, category"
    )
    totals = (
        "SELECT c.registering_unit_id, NULL, COUNT(*) FROM complaints_complaint c "
        f"WHERE {low_high} GROUP BY c.registering_unit_id"
    )
    return (
        f"SELECT {COLUMN_OF_UNIT} AS col, x.category, SUM(x.n) FROM ({cells} UNION ALL {totals}) x "
        f"{UNIT_JOIN.format(alias='x')} GROUP BY col, x.category"
    )


# ---------------------------------------------------------------- the same counts, checked


def check_cases(table: Any, rows: list[tuple]) -> None:
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year, column, n in rows:
        counts[int(year), column] += int(n)
    for row in table.rows:
        for column, value in zip(table.columns[:-1], row.cells[:-1], strict=True):
            assert counts.get((row.code, column.code), 0) == value, (row.code, column.code)
    assert sum(counts.values()) == table.total.cells[-1]


def check_persons(table: Any, rows: list[tuple]) -> None:
    if rows and len(rows[0]) != 6:  # the read model: a year and the sums of PERSON_COUNTERS
        check_person_counters(table, rows)
        return
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year, role, sex, minor, identified, n in rows:
        year, n = int(year), int(n)
        if role == "suspect":
            group = "suspects_identified" if identified else "suspects_unidentified"
        else:
            counts[year, "victims_total"] += n
            if minor is None:
                counts[year, "victims_unknown_age"] += n
                continue
            group = "victims_minor" if minor else "victims_adult"
        counts[year, f"{group}_total"] += n
        if sex in ("M", "F"):
            counts[year, f"{group}_{sex.lower()}"] += n
    for row in table.rows:
        for column, value in zip(table.columns, row.cells, strict=True):
            assert counts.get((row.code, column.code), 0) == value, (row.code, column.code)


def check_person_counters(table: Any, rows: list[tuple]) -> None:
    from stats.models import PERSON_COUNTERS

    for year, *sums in rows:
        value = dict(zip(PERSON_COUNTERS, (int(n or 0) for n in sums), strict=True))
        expected = {}
        for group in ("suspects_identified", "suspects_unidentified", "victims_adult", "victims_minor"):
            expected[f"{group}_m"], expected[f"{group}_f"] = value[f"{group}_m"], value[f"{group}_f"]
            expected[f"{group}_total"] = value[f"{group}_m"] + value[f"{group}_f"] + value[f"{group}_x"]
        expected["victims_unknown_age"] = value["victims_unknown"]
        expected["victims_total"] = (
            expected["victims_adult_total"] + expected["victims_minor_total"] + value["victims_unknown"]
        )
        row = next(row for row in table.rows if row.code == int(year))
        for column, cell in zip(table.columns, row.cells, strict=True):
            assert expected[column.code] == cell, (year, column.code)


def check_purposes(table: Any, rows: list[tuple]) -> None:
    counts = {(int(year), code): int(n) for year, code, n in rows}
    for row in table.rows:
        for column, value in zip(table.columns, row.cells, strict=True):
            assert counts.get((row.code, column.code), 0) == value, (row.code, column.code)


def check_crosstab(table: Any, rows: list[tuple]) -> None:
    """The table's rows are the categories ("" for none), its columns the directorates, then the
    total; category NULL rows hold each directorate's total."""
    cells, by_column = {}, {}
    for column, category, n in rows:
        if category is None:
            by_column[column] = int(n)
        else:
            cells[column, category] = int(n)
    index = {column.code: i for i, column in enumerate(table.columns)}
    for row in table.rows:
        for column in table.columns[:-1]:
            assert cells.get((column.code, row.code), 0) == row.cells[index[column.code]], (row.code, column.code)
    for column in table.columns[:-1]:
        assert by_column.get(column.code, 0) == table.total.cells[index[column.code]], column.code
    assert sum(by_column.values()) == table.total.cells[-1]


# ---------------------------------------------------------------- measuring


def median_seconds(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median of `repeat` timed runs after one warm-up run (buffer pool, caches, templates)."""
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return pystats.median(times), result


def measure(repeat: int, year_from: int, year_to: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from administration.access import Scope
    from administration.models import User
    from stats import selectors
    from stats.crosstab import crosstab

    client = Client()
    client.force_login(User.objects.get(username="bench.monitor"))
    crosstab_period = (2010, 2011)
    cases = [
        ("cases_by_unit_year", year_from, year_to, sql_cases, check_cases),
        ("persons_by_year", year_from, year_to, sql_persons, check_persons),
        ("purposes_by_year", year_from, year_to, sql_purposes, check_purposes),
        ("crosstab", *crosstab_period, sql_crosstab, check_crosstab),
        ("crosstab", year_from, year_to, sql_crosstab, check_crosstab),
    ]
    results = []
    for name, first, last, sql_of, check in cases:
        if name == "crosstab":
            query = {"rows": "category", "columns": "directorate", "year_from": first, "year_to": last}
            url = f"{reverse('stats:crosstab')}?{urlencode(query)}"
            label = f"crosstab: purpose category × directorate, {first}-{last}"

            def function(first: int = first, last: int = last) -> Any:
                return crosstab(
                    scope=Scope.national(), rows="category", columns="directorate", year_from=first, year_to=last
                )

        else:
            url = f"{reverse('stats:table', kwargs={'name': name})}?year_from={first}&year_to={last}"
            label = f"{name}, {first}-{last}"

            def function(name: str = name, first: int = first, last: int = last) -> Any:
                return selectors.table(name, scope=Scope.national(), year_from=first, year_to=last)

        def page(url: str = url) -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        def run_sql(sql: str) -> list[tuple]:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())

        page_time, size = median_seconds(page, repeat)
        function_time, table = median_seconds(function, repeat)
        read_sql, base_sql = sql_of(True, first, last), sql_of(False, first, last)
        read_time, read_rows = median_seconds(lambda sql=read_sql: run_sql(sql), repeat)
        # The base-table queries take seconds to minutes at a million complaints: fewer runs.
        base_time, base_rows = median_seconds(lambda sql=base_sql: run_sql(sql), min(repeat, 2))
        check(table, read_rows)
        check(table, base_rows)
        results.append(
            {
                "name": label,
                "url": url,
                "page_bytes": size,
                "page": page_time,
                "function": function_time,
                "sql_read_model": read_time,
                "sql_base_tables": base_time,
                "sql_read_model_text": read_sql,
                "sql_base_tables_text": base_sql,
            }
        )
        print(
            f"  {label:<58} page {page_time * 1000:8.1f} ms  function {function_time * 1000:8.1f} ms  "
            f"SQL read model {read_time * 1000:8.1f} ms  SQL base {base_time * 1000:8.1f} ms  "
            f"ratio {page_time / read_time:5.2f}",
            flush=True,
        )
    return results


# ---------------------------------------------------------------- the machine and the report


def machine_facts() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT VERSION(), @@innodb_buffer_pool_size, @@innodb_flush_log_at_trx_commit")
        version, pool, flush = cursor.fetchone()
    cpu = platform.processor()
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(t.split()[1]) for t in Path("/proc/meminfo").read_text().splitlines() if t.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory_kb = 0
    import django

    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "mariadb": version,
        "innodb_buffer_pool_mb": int(pool) // (1024 * 1024),
        "innodb_flush_log_at_trx_commit": int(flush),
        "python": platform.python_version(),
        "django": django.get_version(),
        "load_average_at_start": os.getloadavg()[0],
    }


def table_sizes() -> dict[str, dict[str, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, table_rows, data_length + index_length FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND (table_name IN ('complaints_complaint', 'complaints_person', "
            "'complaints_complaintvictim', 'complaints_complaintsuspect') OR table_name LIKE 'stats\\_stat%') "
            "ORDER BY table_name"
        )
        return {
            name: {"rows_estimate": int(rows or 0), "mb": int(size or 0) // (1024 * 1024)}
            for name, rows, size in cursor
        }


def write_report(data: dict[str, Any]) -> None:
    RESULTS_JSON.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [
        "# Statistics benchmark",
        "",
        "Written by `make bench` (`bench/run.py`; the raw numbers are in `bench/results.json`). Synthetic",
        "complaints (`generate_synthetic`) in MariaDB; every time is the median of the timed runs after a",
        "warm-up run (two runs for the slow base-table queries).",
        "",
        "- **page**: the real view through Django's test Client signed in as a monitor (national scope):",
        "  middleware, session, the statistics function, the template and its SVG chart.",
        "- **function**: the statistics function alone (`stats.selectors`, `stats.crosstab`), no template.",
        "- **SQL (read model)**: one hand-written GROUP BY giving the same counts from the statistics read",
        "  model (`stats_stat*`) — the best single query on this schema, and the target's yardstick:",
        "  **page ≤ 2 × SQL (read model), and page < 1 s at 1,000,000 complaints**.",
        "- **SQL (base tables)**: one hand-written GROUP BY over the registration tables themselves",
        "  (complaints, victims, suspects, people, units, the JSON categories), for reference: what the",
        "  counts cost without the read model.",
        "",
        "Both queries' counts are checked against the statistics function's table on every run.",
        "",
    ]
    for size_key in sorted(data["sizes"], key=int):
        entry = data["sizes"][size_key]
        facts = entry["machine"]
        lines += [
            f"## {int(size_key):,} complaints",
            "",
            f"Measured {facts['date']} on {facts['cores']} cores ({facts['cpu']}), {facts['memory_gb']} GB of memory, "
            f"MariaDB {facts['mariadb']} (InnoDB buffer pool {facts['innodb_buffer_pool_mb']} MB), Python "
            f"{facts['python']}, Django {facts['django']}; load average at the start "
            f"{facts['load_average_at_start']:.1f}.",
            "",
        ]
        for step in entry.get("loads", []):
            lines.append(
                f"- Loaded {step['count']:,} complaints in {step['seconds']:,.0f} s ({step['rate']:,.0f} per second)."
            )
        sizes = entry.get("tables", {})
        if sizes:
            described = ", ".join(f"{name} {v['rows_estimate']:,} rows ≈ {v['mb']:,} MB" for name, v in sizes.items())
            lines += [f"- Tables (InnoDB estimates): {described}."]
        lines += [
            "",
            "| statistic | page | function | SQL (read model) | page / SQL "
            "| SQL (base tables) | page / SQL base | target |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for item in entry["results"]:
            ratio = item["page"] / item["sql_read_model"]
            base_ratio = item["page"] / item["sql_base_tables"]
            ok = ratio <= 2 and (int(size_key) < 1_000_000 or item["page"] < 1)
            lines.append(
                f"| {item['name']} | {item['page'] * 1000:,.0f} ms | {item['function'] * 1000:,.0f} ms | "
                f"{item['sql_read_model'] * 1000:,.0f} ms | {ratio:.2f} | {item['sql_base_tables'] * 1000:,.0f} ms | "
                f"{base_ratio:.2f} | {'met' if ok else '**missed**'} |"
            )
        lines.append("")
    if data.get("matching"):
        from bench_matching import report_lines

        lines += report_lines(data["matching"])
    if data.get("submit"):
        from submit_probe import report_lines as submit_lines

        lines += submit_lines(data["submit"], data.get("submit_notes", []))
    if data.get("notes"):
        lines += ["## Notes", ""] + [f"- {note}" for note in data["notes"]] + [""]
    any_entry = next(iter(data["sizes"].values()), None)
    if any_entry:
        lines += ["## The queries", ""]
        for item in any_entry["results"]:
            lines += [
                f"**{item['name']}** — page `{item['url']}`",
                "",
                "```sql",
                f"-- read model\n{item['sql_read_model_text']};",
                f"-- base tables\n{item['sql_base_tables_text']};",
                "```",
                "",
            ]
    RESULTS_MD.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    args = parse_args()
    if args.report_only:
        write_report(json.loads(RESULTS_JSON.read_text(encoding="utf-8")))
        return
    prepare_environment(args.database_url)
    recreate_database(args.database_url, reuse=args.reuse)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from administration.models import Role, Unit, User
    from complaints.models import Complaint
    from demo.synthetic import synthetic_load

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    expires = timezone.localdate() + datetime.timedelta(days=365)
    for username, unit, role in (
        ("bench.admin", "DIVINTRAP", Role.NATIONAL_ADMIN),
        ("bench.monitor", "SPDH", Role.MONITOR),
    ):
        if not User.objects.filter(username=username).exists():
            user = User(username=username, unit=Unit.objects.get(code=unit), role=role, expires_on=expires)
            user.set_unusable_password()
            user.save()
    admin = User.objects.get(username="bench.admin")
    print(f"Database ready ({time.monotonic() - started:.0f} s).", flush=True)

    data = json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.exists() else {"sizes": {}}
    this_year = timezone.localdate().year
    if "matching" in args.sections:
        import bench_matching

        for size in sorted(args.match_sizes):
            if args.match_generate_only:
                print(f"Matching: generating {size:,} recorded persons", flush=True)
                load_average = os.getloadavg()[0]
                load = bench_matching.generate(size, args.seed)
                print(f"  generated {load['generated']:,} identities in {load['seconds']:,.0f} s", flush=True)
                if load["generated"]:
                    load["load_average_at_start"] = load_average
                    data.setdefault("matching_loads", {})[str(size)] = load
                    write_report(data)
                continue
            facts = machine_facts()
            entry = bench_matching.run(
                size,
                seed=args.seed,
                lookups=args.match_lookups,
                chunk_size=args.match_chunk_size,
                keep_index=args.match_keep_index,
            )
            earlier = data.get("matching_loads", {}).pop(str(size), None)
            if earlier and not entry["load"]["generated"]:
                entry["load"] = {**earlier, "earlier_run": True}
            data.setdefault("matching", {})[str(size)] = {"machine": facts, **entry}
            write_report(data)
    for index, size in enumerate(sorted(args.sizes) if "stats" in args.sections else []):
        present = Complaint.objects.count()
        loads = []
        if present < size:
            count = size - present
            print(f"Loading {count:,} synthetic complaints (to {size:,})...", flush=True)
            load_started = time.monotonic()

            def progress(done: int, load_started: float = load_started) -> None:
                if done % 50_000 < args.batch_size:
                    elapsed = time.monotonic() - load_started
                    print(f"  {done:,} ({done / elapsed:,.0f}/s)", flush=True)

            written = synthetic_load(
                count=count,
                seed=args.seed + index,
                author=admin,
                from_year=2004,
                to_year=this_year,
                batch_size=args.batch_size,
                progress=progress,
            )
            seconds = time.monotonic() - load_started
            loads.append({"count": written, "seconds": seconds, "rate": written / seconds})
            print(f"  loaded {written:,} in {seconds:,.0f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
                "AND (table_name LIKE 'complaints\\_%' OR table_name LIKE 'stats\\_%')"
            )
            for (table,) in cursor.fetchall():  # fresh statistics for the optimizer, as after a nightly ANALYZE
                cursor.execute(f"ANALYZE TABLE `{table}`")
                cursor.fetchall()
        print(f"Measuring at {Complaint.objects.count():,} complaints:", flush=True)
        facts = machine_facts()
        results = measure(args.repeat, 2004, this_year)
        data["sizes"][str(size)] = {"machine": facts, "loads": loads, "tables": table_sizes(), "results": results}
        write_report(data)
    print(f"Wrote {RESULTS_MD.relative_to(ROOT)} ({time.monotonic() - started:,.0f} s in all).")


if __name__ == "__main__":
    main()
