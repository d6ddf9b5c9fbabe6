"""The load test of a national day (`make load`, issue 14.3). Not part of `make test` nor of CI.

    .venv/bin/python bench/load/run.py [--reuse] [--database-url mysql://root@127.0.0.1:3306/reta_load]
        [--officers 2000] [--investigators 50] [--monitors 5] [--admins 2] [--complaints 30000]
        [--users 60] [--spawn-rate 2] [--steady 180] [--workers 3] [--port 8765] [--compare 20]

1. (Re)creates the MariaDB database (``reta_load``; ``--reuse`` keeps it and its population),
   migrates it, loads the reference data and the population (bench/load/population.py): station
   officers spread over every station, investigators with case files opened through the service,
   secretariat monitors, national administrators with a TOTP device, synthetic complaints.
2. Probes the submit path in-process (Django test client, same settings): the number of queries
   of each request of a registration with one victim and one suspect, and of the bare insert.
3. Starts gunicorn (DEBUG off, a random real SECRET_KEY, static files collected and served by
   whitenoise, bench.load.settings: the product's URLs plus the bare insert view) on loopback, with
   ``RETA_MATCH_INDEX=worker`` (as in production, docs/deploy.md), and ONE
   ``manage.py match_index_worker`` process beside it (``--index-worker-batch``); ``--commit-index``
   measures the other mode (the requests do the index work, no worker).
4. Sequential comparison on that gunicorn, before the load: one officer registers ``--compare``
   complaints and writes as many bare rows, alternately (the time of each request).
5. Locust, headless (bench/load/locustfile.py): ramp-up at ``--spawn-rate`` users a second to
   ``--users``, then ``--steady`` seconds of steady load; the statistics are reset when the
   ramp-up ends, so the figures are the steady state's.
6. Stops gunicorn, counts the match index work rows left (``analysis_indexwork``) and times the
   worker until it has drained them, then stops it (SIGTERM).
7. Writes bench/load.md (and the raw CSVs under bench/data/load/).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data" / "load"
REPORT = ROOT / "bench" / "load.md"
DEFAULT_URL = "mysql://root@127.0.0.1:3306/reta_load"
PASSWORD = "carga-reta-2026-clave"  # noqa: S105 - the load accounts' password, a throwaway database
ACCOUNTS = DATA / "accounts.json"
FACTS = DATA / "facts.json"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL))
    add("--reuse", action="store_true", help="keep the database and its population (skip step 1's generation)")
    add("--officers", type=int, default=2000)
    add("--investigators", type=int, default=50)
    add("--monitors", type=int, default=5)
    add("--admins", type=int, default=2)
    add("--complaints", type=int, default=30_000, help="synthetic background complaints")
    add("--case-files", type=int, default=2, help="case files per investigator")
    add("--seed", type=int, default=2026)
    add("--users", type=int, default=60, help="simultaneous Locust users")
    add("--spawn-rate", type=float, default=2.0, help="users started per second during the ramp-up")
    add("--steady", type=int, default=180, help="seconds of steady load after the ramp-up")
    add("--sign-in-rate", type=float, default=0.5, help="the sign-in wave: officers arriving per second")
    add("--wait", type=float, nargs=2, default=[1.0, 4.0], metavar=("MIN", "MAX"), help="think time of a user (s)")
    add("--workers", type=int, default=3, help="gunicorn workers (README 'Production': 3)")
    add("--port", type=int, default=8765)
    add("--compare", type=int, default=20, help="sequential registrations and bare inserts (step 4)")
    add("--note", default="", help="a note for the report (e.g. the machine was busy)")
    add(
        "--commit-index", action="store_true", help="RETA_MATCH_INDEX=commit: the requests do the index work, no worker"
    )
    add("--index-worker-batch", type=int, default=200, help="work rows per batch of the match index worker")
    add("--drain-timeout", type=int, default=900, help="seconds the worker is given to drain what is left at the end")
    return parser.parse_args()


def environment(url: str, secret_key: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load.settings",
        DATABASE_URL=url,
        DEBUG="False",
        SECRET_KEY=secret_key,
        EMAIL_URL="dummymail://",  # alert e-mails are built, not sent (no SMTP here)
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        STATIC_ROOT=str(DATA / "staticfiles"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def say(message: str) -> None:
    print(f"[load {datetime.datetime.now(datetime.UTC):%H:%M:%S} UTC] {message}", flush=True)


# ---------------------------------------------------------------- steps 1 and 2 (in this process)


def prepare(args: argparse.Namespace, served_index: str = "commit") -> dict[str, Any]:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from administration.models import User
    from bench.load import population
    from bench.load.views import CREATE_TABLE

    facts: dict[str, Any] = json.loads(FACTS.read_text()) if args.reuse and FACTS.exists() else {}
    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    facts["migrate_seconds"] = round(time.monotonic() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
    if not User.objects.filter(username__startswith=population.PREFIX).exists():
        if args.reuse:
            say("--reuse: no load population in the database, generating it")
        started = time.monotonic()
        call_command("load_reference_data", verbosity=0)
        say(f"reference data ({time.monotonic() - started:.0f} s)")
        accounts = population.accounts_create(
            officers=args.officers,
            investigators=args.investigators,
            monitors=args.monitors,
            admins=args.admins,
            password=PASSWORD,
        )
        say(f"accounts: {accounts}")
        complaints = population.complaints_create(count=args.complaints, seed=args.seed)
        say(f"synthetic complaints: {complaints}")
        case_files = population.case_files_create(per_investigator=args.case_files)
        say(f"case files: {case_files}")
        facts["generation"] = {"accounts": accounts, "complaints": complaints, "case_files": case_files}
    else:
        say("reusing the population in the database")
    started = time.monotonic()
    if not (args.reuse and (DATA / "staticfiles" / "staticfiles.json").exists()):
        call_command("collectstatic", "--noinput", verbosity=0)
        say(f"collectstatic ({time.monotonic() - started:.0f} s)")
    ACCOUNTS.write_text(json.dumps(population.accounts_file(PASSWORD)))
    facts["sizes"] = sizes()
    from django.test import override_settings

    with override_settings(RETA_MATCH_INDEX=served_index):  # the requests' queries as gunicorn serves them
        facts["probe"] = probe()
    FACTS.write_text(json.dumps(facts, indent=1))
    connection.close()
    return facts


def sizes() -> dict[str, int]:
    from django.db.models import Count

    from administration.models import Unit, User
    from complaints.models import Complaint, ComplaintSuspect, ComplaintVictim
    from diligences.models import Diligence
    from investigations.models import CaseFile

    roles = dict(User.objects.values_list("role").annotate(n=Count("pk")))
    return {
        "units": Unit.objects.count(),
        "stations": Unit.objects.filter(kind=Unit.Kind.STATION).count(),
        "accounts": User.objects.count(),
        **{f"accounts_{role}": n for role, n in sorted(roles.items())},
        "complaints": Complaint.objects.count(),
        "complaints_registered": Complaint.objects.filter(status=Complaint.Status.SUBMITTED).count(),
        "victims": ComplaintVictim.objects.count(),
        "suspects": ComplaintSuspect.objects.count(),
        "case_files": CaseFile.objects.count(),
        "diligences": Diligence.objects.count(),
    }


def _tables(queries: list[dict[str, str]]) -> dict[str, int]:
    """Queries by statement and table ('INSERT complaints_complaint': 1, ...)."""
    counted: dict[str, int] = {}
    for query in queries:
        sql = re.sub(r"^\d+ times: ", "", query["sql"].lstrip())  # executemany, as Django logs it
        verb = sql.split(None, 1)[0].upper() if sql else "?"
        match = re.search(r"(?:FROM|INTO|UPDATE)\s+`?(\w+)`?", sql, re.IGNORECASE)
        key = f"{verb} {match.group(1) if match else ''}".strip()
        counted[key] = counted.get(key, 0) + 1
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


def as_dict(data: Any) -> dict[str, list[str]]:
    """Form pairs as the test client takes them (a list of values by name)."""
    if isinstance(data, dict):
        return data
    values: dict[str, list[str]] = {}
    for name, value in data:
        values.setdefault(name, []).append(value)
    return values


def probe() -> dict[str, Any]:
    """The queries of each request of one registration (one victim, one suspect) and of the bare
    insert, through the test client with the load settings (in this process, no gunicorn; in the
    index mode gunicorn is given: with the worker, the work rows it leaves are drained later)."""
    import random

    from django.conf import settings
    from django.contrib.auth.hashers import check_password, make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from administration.models import User
    from bench.load.forms import csrf_token, post_form
    from bench.load.population import PREFIX
    from bench.load.scenario import complaint_values

    officer = User.objects.filter(username__startswith=f"{PREFIX}oficial.").order_by("-username").first()
    client = Client()
    result: dict[str, Any] = {"steps": []}

    def step(name: str, method: str, url: str, data: Any = None, expect: int = 200) -> Any:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(url, as_dict(data)) if method == "POST" else client.get(url)
            elapsed = time.perf_counter() - started
        if response.status_code != expect:
            raise SystemExit(f"probe: {method} {url} answered {response.status_code}, expected {expect}")
        result["steps"].append(
            {
                "name": name,
                "method": method,
                "queries": len(queries.captured_queries),
                "ms": round(elapsed * 1000, 1),
                "tables": _tables(queries.captured_queries),
            }
        )
        return response

    Client().get("/acceso/")  # the first request of the process loads the URLconf and templates: not counted
    result["match_index"] = settings.RETA_MATCH_INDEX
    page = step("sign-in form", "GET", "/acceso/")
    form = post_form(page.content.decode(), action="/acceso/")
    step("sign-in (password)", "POST", "/acceso/", form.values(username=officer.username, password=PASSWORD), 302)
    page = step("complaint form", "GET", "/denuncias/nueva/")
    form = post_form(page.content.decode(), form_id="complaint-form")
    values = complaint_values(form, officer.username, random.Random(7))
    response = step("save draft", "POST", "/denuncias/nueva/", [*values, ("action", "save_draft")], 302)
    pk = int(re.search(r"/denuncias/(\d+)/", response["Location"]).group(1))
    page = step("open draft", "GET", f"/denuncias/{pk}/editar/")
    form = post_form(page.content.decode(), form_id="complaint-form")
    step("register (to review)", "POST", f"/denuncias/{pk}/editar/", [*form.values(), ("action", "register")], 302)
    page = step("review", "GET", f"/denuncias/{pk}/revisar/")
    form = post_form(page.content.decode(), form_id="review-form")
    changes = {"action": "confirm"}
    if "duplicate_decision" in form.options:
        changes["duplicate_decision"] = "not_same"
    step("confirm = SUBMIT", "POST", f"/denuncias/{pk}/revisar/", form.values(**changes), 302)
    step("result + classification", "GET", f"/denuncias/{pk}/resultado/")
    page = step("bare form", "GET", "/__load__/insertar/")
    step("bare insert", "POST", "/__load__/insertar/", {"csrfmiddlewaretoken": csrf_token(page.content.decode())}, 302)
    encoded = make_password(PASSWORD)
    started = time.perf_counter()
    for _ in range(3):
        check_password(PASSWORD, encoded)
    result["hasher"] = {"algorithm": encoded.split("$", 1)[0], "iterations": encoded.split("$")[1]}
    result["hasher"]["check_ms"] = round((time.perf_counter() - started) / 3 * 1000, 1)
    return result


# ---------------------------------------------------------------- steps 3 to 5 (subprocesses)


def start_gunicorn(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    log = (DATA / "gunicorn.log").open("w")
    (DATA / "access.log").unlink(missing_ok=True)  # gunicorn appends to it
    process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "reta.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "--access-logfile",
            str(DATA / "access.log"),
            "--access-logformat",
            '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped (see {DATA / 'gunicorn.log'})")
        try:
            if requests.get(f"http://127.0.0.1:{args.port}/acceso/", timeout=5).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in 60 s")


def start_index_worker(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    """One `manage.py match_index_worker` beside gunicorn (same environment, RETA_MATCH_INDEX=worker)."""
    log = (DATA / "match_index_worker.log").open("w")
    return subprocess.Popen(  # noqa: S603 - our own venv's python
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "match_index_worker",
            "--batch-size",
            str(args.index_worker_batch),
        ],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "INFO"},  # one line per batch in the log
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def work_rows() -> int:
    from analysis.models import IndexWork

    return IndexWork.objects.count()


def drain_after_load(worker: subprocess.Popen | None, timeout: int) -> dict[str, Any]:
    """The work rows left when the load stopped, and the time the worker took to drain them (the
    rows still due: failed rows waiting for their retry are counted apart)."""
    from django.db import connection
    from django.utils import timezone

    from analysis.models import IndexWork

    connection.close()  # a fresh connection: READ COMMITTED, sees the worker's deletes
    left = work_rows()
    started = time.monotonic()
    result: dict[str, Any] = {"left": left, "seconds": 0.0, "remaining": left, "waiting_retry": 0}
    while worker is not None and worker.poll() is None and time.monotonic() - started < timeout:
        due = IndexWork.objects.exclude(retry_at__gt=timezone.now()).count()
        if not due:
            break
        time.sleep(0.2)
    result["seconds"] = round(time.monotonic() - started, 1)
    result["remaining"] = work_rows()
    result["waiting_retry"] = IndexWork.objects.filter(retry_at__gt=timezone.now()).count()
    result["worker_stopped"] = worker is not None and worker.poll() is not None
    return result


def compare(args: argparse.Namespace) -> dict[str, Any]:
    """One officer, alone: `--compare` registrations and as many bare inserts, alternately."""
    import random

    import requests

    from bench.load.forms import csrf_token, post_form
    from bench.load.scenario import complaint_values

    accounts = json.loads(ACCOUNTS.read_text())
    username = accounts["roles"]["station_officer"][-1]["username"]  # never taken by a Locust user
    base = f"http://127.0.0.1:{args.port}"
    session = requests.Session()
    rng = random.Random(args.seed)
    times: dict[str, list[float]] = {}

    def call(name: str, method: str, path: str, data: Any = None, expect: int = 200) -> requests.Response:
        headers = {"Origin": base, "Referer": base + path} if method == "POST" else {}
        started = time.perf_counter()
        response = session.request(method, base + path, data=data, headers=headers, allow_redirects=False)
        times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        if response.status_code != expect:
            raise SystemExit(f"compare: {method} {path} answered {response.status_code}, expected {expect}")
        return response

    page = session.get(base + "/acceso/")  # not timed: the first request of a fresh worker
    form = post_form(page.text, action="/acceso/")
    call("sign-in", "POST", "/acceso/", form.values(username=username, password=accounts["password"]), 302)
    warm_up = args.workers  # the first rounds warm the workers' templates and caches up: not counted
    for round_number in range(args.compare + warm_up):
        if round_number == warm_up:
            times = {name: values for name, values in times.items() if name.startswith("sign-in")}
        page = call("complaint form", "GET", "/denuncias/nueva/")
        values = complaint_values(post_form(page.text, form_id="complaint-form"), username, rng)
        response = call("save draft", "POST", "/denuncias/nueva/", [*values, ("action", "save_draft")], 302)
        pk = int(re.search(r"/denuncias/(\d+)/", response.headers["Location"]).group(1))
        page = call("open draft", "GET", f"/denuncias/{pk}/editar/")
        form = post_form(page.text, form_id="complaint-form")
        call("register (to review)", "POST", f"/denuncias/{pk}/editar/", [*form.values(), ("action", "register")], 302)
        page = call("review", "GET", f"/denuncias/{pk}/revisar/")
        form = post_form(page.text, form_id="review-form")
        changes = {"action": "confirm"}
        if "duplicate_decision" in form.options:
            changes["duplicate_decision"] = "not_same"
        call("confirm = SUBMIT", "POST", f"/denuncias/{pk}/revisar/", form.values(**changes), 302)
        call("result + classification", "GET", f"/denuncias/{pk}/resultado/")
        page = call("bare form", "GET", "/__load__/insertar/")
        call("bare insert", "POST", "/__load__/insertar/", {"csrfmiddlewaretoken": csrf_token(page.text)}, 302)
    session.close()
    return {
        name: {"n": len(values), "median_ms": round(statistics.median(values), 1)} for name, values in times.items()
    }


def run_locust(args: argparse.Namespace, env: dict[str, str]) -> int:
    ramp = int(round(args.users / args.spawn_rate))
    env = {
        **env,
        "LOAD_ACCOUNTS": str(ACCOUNTS),
        "LOAD_WAIT_MIN": str(args.wait[0]),
        "LOAD_WAIT_MAX": str(args.wait[1]),
        "LOAD_SIGNIN_RATE": str(args.sign_in_rate),
    }
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{ramp + args.steady}s",
        "--reset-stats",
        "--stop-timeout",
        "30",
        "--host",
        f"http://127.0.0.1:{args.port}",
        "--csv",
        str(DATA / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with (DATA / "locust.log").open("w") as log:
        return subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False).returncode  # noqa: S603


# ---------------------------------------------------------------- step 6


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    try:
        mariadb = subprocess.run(["mariadb", "--version"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607
    except OSError:
        mariadb = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory, 1),
        "python": platform.python_version(),
        "mariadb": mariadb,
        "load_average": os.getloadavg(),
    }


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def ms(value: str) -> str:
    try:
        return f"{float(value):,.0f}"
    except ValueError:
        return value or "—"


# Errors of the server seen during the runs, and what they were (the report says it when it finds one).
KNOWN_CAUSES = {
    "Error on delete of '/tmp/#sql": (
        "MariaDB could not delete one of its own temporary tables (an Aria `#sql-temptable-*.MAI` file in "
        "its tmpdir, /tmp): something else on the machine removed files from /tmp while the query ran. The "
        "server, not RETA: on this shared machine the same cause probably made mariadbd crash once (signal 11 in "
        "`ha_maria::drop_table` freeing a temporary table). Give MariaDB a tmpdir of its own "
        "(`tmpdir=/var/lib/mysql/tmp`) where nothing else cleans."
    ),
    "Lost connection to server during query": (
        "the MariaDB server went away during a query (see its error log: a crash or a restart)."
    ),
}
WRITES = ("save draft", "register (to review)", "confirm = SUBMIT")


ACCESS = re.compile(r'^\[(?P<t>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d+) \S+ (?P<ms>\d+)ms$')


def page_of(path: str) -> str:
    """A request path as a page: ids as <pk>, the query string reduced to the names of its fields."""
    path, _, query = path.partition("?")
    path = re.sub(r"/ubigeo/\w+/", "/ubigeo/<code>/", path)
    path = re.sub(r"/\d+(?=/)", "/<pk>", path)
    path = re.sub(r"/estadisticas/(?!cruce/)[a-z_]+/$", "/estadisticas/<name>/", path)
    names = sorted({item.split("=", 1)[0] for item in query.split("&") if item})
    return f"{path}?{'&'.join(names)}" if names else path


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def server_times(since: float) -> list[tuple[str, int, float, float, float]]:
    """gunicorn's time of each request in its worker (without the wait in the listen queue), by page,
    for the requests that started after `since` (the steady state): (page, n, p50, p95, p99)."""
    pages: dict[str, list[float]] = {}
    path = DATA / "access.log"
    for line in path.read_text(errors="replace").splitlines() if path.exists() else []:
        match = ACCESS.match(line.strip())
        if not match:
            continue
        moment = datetime.datetime.strptime(match["t"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
        if moment < since:
            continue
        pages.setdefault(f"{match['method']} {page_of(match['path'])}", []).append(float(match["ms"]))
    return [
        (page, len(times), percentile(times, 0.5), percentile(times, 0.95), percentile(times, 0.99))
        for page, times in sorted(pages.items())
    ]


def signed_in_since(moment: datetime.datetime) -> dict[str, int]:
    """The accounts that signed in since `moment`, by role (Django sets `last_login` at each sign-in)."""
    from django.db.models import Count

    from administration.models import User

    rows = User.objects.filter(last_login__gte=moment).values_list("role").annotate(n=Count("pk"))
    return dict(rows)


def scale_lines(args: argparse.Namespace, context: dict[str, Any]) -> list[str]:
    """How the run compares with a national day: the accounts that signed in, and the registrations
    as if every station registered at the same pace."""
    signed = context.get("signed_in", {})
    investigators = signed.get("regional_investigator", 0) + signed.get("national_investigator", 0)
    lines = [
        f"- Accounts that signed in during the run: {sum(signed.values()):,} (station officers "
        f"{signed.get('station_officer', 0):,} of {args.officers:,}, investigators "
        f"{investigators:,} of {args.investigators:,}, "
        f"monitors {signed.get('monitor', 0)}, administrators {signed.get('national_admin', 0)})."
    ]
    seconds = context.get("locust_seconds") or 0
    registered = context["registered_during"]
    if registered and seconds:
        every = args.officers * seconds / registered / 60
        lines.append(
            f"- Scale: a national day is wider than it is deep, and this run is the other way round: {args.users} "
            f"users at once, each with {args.wait[0]:g}-{args.wait[1]:g} s between two tasks "
            f"(on {os.cpu_count()} cores). The {registered:,} "
            f"registrations of these {seconds / 60:.1f} minutes are as if each of the {args.officers:,} stations "
            f"registered a complaint every {every:.0f} minutes, far more than a day of complaints of trafficking "
            "in persons in the whole country; the morning's sign-ins of every station's officer, spread over "
            f"an hour, are {args.officers / 3600:.2f} a second (the wave runs at {args.sign_in_rate:g})."
        )
    return lines


def write_report(args: argparse.Namespace, facts: dict[str, Any], context: dict[str, Any]) -> None:
    stats = read_csv(DATA / "locust_stats.csv")
    failures = read_csv(DATA / "locust_failures.csv")
    exceptions = read_csv(DATA / "locust_exceptions.csv")
    rows = [row for row in stats if row["Name"] != "Aggregated"]
    total = next((row for row in stats if row["Name"] == "Aggregated"), None)
    by_name = {row["Name"]: row for row in rows}
    size = facts["sizes"]
    gen = facts.get("generation", {})
    before, after = context["machine_before"], context["machine_after"]
    lines = [
        "# Load test of a national day (issue 14.3)",
        "",
        "Written by `make load` (bench/load/run.py); do not edit by hand. Re-run with the same command",
        "(`make load`, or `make load LOAD_ARGS=--reuse` to keep the population) and compare.",
        "",
        "## Run",
        "",
        f"- Measured {context['started']:%Y-%m-%dT%H:%M%z} on {before['cores']} cores ({before['cpu']}), "
        f"{before['memory_gb']} GB of memory, {before['mariadb']}, Python {before['python']}.",
        f"- Load average at the start {before['load_average'][0]:.2f} / {before['load_average'][1]:.2f} / "
        f"{before['load_average'][2]:.2f} (1/5/15 min), at the end {after['load_average'][0]:.2f} / "
        f"{after['load_average'][1]:.2f} / {after['load_average'][2]:.2f}.",
        f"- gunicorn `reta.wsgi`, {args.workers} sync workers, DEBUG off, a random SECRET_KEY, static files collected "
        "and served by whitenoise, settings `bench.load.settings` (the production settings + the bare insert URL); "
        "Locust on the same machine.",
        f"- Locust {context['locust_version']}: {args.users} users, started at {args.spawn_rate:g}/s "
        f"(ramp-up {round(args.users / args.spawn_rate)} s, not counted: statistics reset when it ends), then "
        f"**{args.steady} s of steady load**; think time {args.wait[0]:g}-{args.wait[1]:g} s between two tasks "
        "of a user.",
        f"- Whole `make load`: {context['total_seconds']:.0f} s (database and population "
        f"{context['prepare_seconds']:.0f} s{', reused' if args.reuse else ''}).",
    ]
    if args.note:
        lines.append(f"- Note: {args.note}")
    lines += [
        "",
        "## Data",
        "",
        f"- Reference tree: {size['units']} units, {size['stations']} stations.",
        f"- Accounts: {size['accounts']:,} ("
        + ", ".join(
            f"{key.removeprefix('accounts_')} {value:,}" for key, value in size.items() if key.startswith("accounts_")
        )
        + "). Load accounts: station officers spread over every station "
        "(`carga.oficial.NNNN`), investigators (a fifth at DIVINTRAP, the others over the regional specialised "
        "units), secretariat monitors (SPDH), national administrators with a confirmed TOTP device.",
        f"- Complaints: {size['complaints']:,} ({size['complaints_registered']:,} registered), victims "
        f"{size['victims']:,}, suspects {size['suspects']:,}; case files {size['case_files']:,}; diligences "
        f"{size['diligences']:,} (sizes before the Locust run).",
    ]
    if gen:
        lines.append(
            f"- Generation: accounts {gen['accounts']['seconds']:.1f} s, synthetic complaints "
            f"{gen['complaints']['seconds']:.1f} s (`demo.synthetic.synthetic_load`), case files "
            f"{gen['case_files']['seconds']:.1f} s (`investigations.services.case_file_open`, one by one)."
        )
    lines += [
        "",
        "## Users and what they do",
        "",
        "Each simulated user has its own account and signs in through the sign-in form (GET the form, POST with its",
        "CSRF token; the Origin header a browser sends); every redirect is a request of its own.",
        "",
        "- **Station officer** (weight 12): files a complaint (form, place list, save draft, draft saved, open the "
        "draft, register → review, confirm, result with the classification; one victim, one suspect, new random "
        "names and documents each time) ×3; the bare insert (form + POST) ×3; list, page 2 and one of its "
        "complaints ×4; a search by name ×1; the shift changes ×1 (signs out, and the next officer signs in on the "
        "same computer with an account no user has taken yet).",
        f"- **Sign-in wave** (one user): the stations' officers arriving, {args.sign_in_rate:g} a second, each with "
        "an account no user has taken yet: sign-in form, home page, complaint list, sign out.",
        "- **Investigator** regional (weight 3) and DIVINTRAP (weight 1): case file list, a case file and its work "
        "page ×3; a journal note ×2; a diligence on the case file's complaint, then its register ×2; a search ×1.",
        "- **Secretariat** monitor (weight 1): statistics overview and a table ×2, the cross tabulation ×1, the "
        "compliance page ×1.",
        "- **National administrator** (one user): signs in with password AND the TOTP code computed from its "
        "device's key (the second factor for real), then the secretariat's pages; signs out and in again ×1 (a "
        "code is accepted once: it waits for the next 30-second step when needed).",
        "",
        "## Results (steady state)",
        "",
    ]
    if total:
        lines += [
            f"- **{float(total['Requests/s']):.1f} requests per second**, {int(total['Request Count']):,} requests, "
            f"**{int(total['Failure Count'])} failed**; p50 {ms(total['50%'])} ms, p95 {ms(total['95%'])} ms, "
            f"p99 {ms(total['99%'])} ms over all pages.",
            f"- Complaints registered during the run (steady state and ramp-up): {context['registered_during']:,}.",
            *scale_lines(args, context),
            "",
            "| Page | Requests | Failed | Req/s | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in sorted(rows, key=lambda row: row["Name"]):
            lines.append(
                f"| {row['Type']} {row['Name']} | {int(row['Request Count']):,} | {row['Failure Count']} | "
                f"{float(row['Requests/s']):.2f} | {ms(row['50%'])} | {ms(row['95%'])} | {ms(row['99%'])} | "
                f"{ms(row['Max Response Time'])} |"
            )
    else:
        lines.append("Locust wrote no statistics (see bench/data/load/locust.log).")
    served = server_times(context["steady_from"])
    if served:
        lines += [
            "",
            "### Server time under load",
            "",
            "The times above are the users' (Locust's): with more users than workers they include the wait in",
            "gunicorn's queue. gunicorn's access log gives the time of each request in its worker, from the",
            "moment a worker takes it (same steady period, the Python process and the database only):",
            "",
            "| Request | n | p50 ms | p95 ms | p99 ms |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [f"| {page} | {n:,} | {p50:,.0f} | {p95:,.0f} | {p99:,.0f} |" for page, n, p50, p95, p99 in served]
    lines += ["", "### Errors", ""]
    if failures or exceptions:
        for row in failures:
            lines.append(f"- {row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error']}")
        for row in exceptions:
            lines.append(f"- {row['Count']}× exception: {row['Message']} ({row['Traceback'][-200:]!r})")
    else:
        lines.append("None: every request answered the status expected (0 errors).")
    if context["server_errors"]:
        lines += ["", "gunicorn's log (bench/data/load/gunicorn.log) holds errors:", ""]
        lines += [f"    {line}" for line in context["server_errors"][:20]]
        log = (DATA / "gunicorn.log").read_text(errors="replace")
        for cause, explanation in KNOWN_CAUSES.items():
            if cause in log:
                lines += ["", f"Cause: {explanation}"]
    submit = by_name.get("complaint 7: POST confirm = SUBMIT")
    bare = by_name.get("bare: POST insert one row")
    lines += ["", "## The submit path against a bare one-row insert", ""]
    lines += [
        "The bare insert (bench/load/views.py, mounted only by `bench.load.urls`, never by `reta.urls`): a signed-in",
        "POST with its CSRF token through the same gunicorn and every middleware of the product, ONE row inserted",
        "into `load_bare_row` in one transaction, answered with a redirect as a form view does.",
        "",
    ]
    if submit and bare:
        lines += [
            "Under load (Locust, same period, same users; the users' times, queue included: see the server times "
            "above for the work alone):",
            "",
            "| | p50 ms | p95 ms | p99 ms | × bare (p50) |",
            "|---|---:|---:|---:|---:|",
        ]
        base = max(float(bare["50%"]), 1.0)
        for label, row in (
            ("bare insert (POST)", bare),
            ("save draft (POST)", by_name.get("complaint 2: POST save draft")),
            ("register → review (POST)", by_name.get("complaint 5: POST register (to review)")),
            ("confirm = submit (POST)", submit),
        ):
            if row:
                lines.append(
                    f"| {label} | {ms(row['50%'])} | {ms(row['95%'])} | {ms(row['99%'])} | "
                    f"{float(row['50%']) / base:.1f} |"
                )
    server = {page: p50 for page, _n, p50, _p95, _p99 in served}
    if server.get("POST /__load__/insertar/"):
        base = max(server["POST /__load__/insertar/"], 1.0)
        lines += [
            "",
            "Under load, gunicorn's time in the worker (queue excluded), p50:",
            "",
            "| | server p50 ms | × bare |",
            "|---|---:|---:|",
        ]
        for label, page in (
            ("bare insert (POST)", "POST /__load__/insertar/"),
            ("save draft (POST)", "POST /denuncias/nueva/"),
            ("register → review (POST)", "POST /denuncias/<pk>/editar/"),
            ("confirm = submit (POST)", "POST /denuncias/<pk>/revisar/"),
        ):
            if page in server:
                lines.append(f"| {label} | {server[page]:,.0f} | {server[page] / base:.1f} |")
    seq = context.get("compare") or {}
    if seq:
        bare_ms = max(seq["bare insert"]["median_ms"], 0.1)
        lines += [
            "",
            f"Alone (before the Locust run, one officer, {args.compare} registrations and {args.compare} bare inserts "
            "alternately, median of each request on the same gunicorn):",
            "",
            "| Request | median ms | × bare insert |",
            "|---|---:|---:|",
        ]
        for name, value in seq.items():
            lines.append(f"| {name} | {value['median_ms']:,.1f} | {value['median_ms'] / bare_ms:.1f} |")
        writes = sum(seq[name]["median_ms"] for name in WRITES)
        lines.append(
            f"\nThe three writing POSTs of a registration together: {writes:,.1f} ms, {writes / bare_ms:.1f}× the "
            "bare insert; the confirmation alone (the submit): "
            f"{seq['confirm = SUBMIT']['median_ms'] / bare_ms:.1f}×."
        )
    lines += ["", "## The match index worker", ""]
    drained = context.get("index_work") or {}
    if args.commit_index:
        lines.append(
            "`--commit-index`: `RETA_MATCH_INDEX=commit`, every request did its own index work right after its "
            "commit (no worker)."
        )
    else:
        lines += [
            "`RETA_MATCH_INDEX=worker` (as in production, docs/deploy.md): the requests leave their match index work "
            "in `analysis_indexwork` and ONE `manage.py match_index_worker` process (batches of "
            f"{args.index_worker_batch}) does it beside gunicorn (its log: bench/data/load/match_index_worker.log).",
            "",
            f"- Work rows left when the load stopped: **{drained.get('left', '?')}**; the worker drained them in "
            f"**{drained.get('seconds', 0):.1f} s** ({drained.get('remaining', '?')} left after that, "
            f"{drained.get('waiting_retry', 0)} of them failed and waiting for their retry).",
        ]
        if drained.get("worker_stopped"):
            lines.append("- The worker had stopped before the end (see its log).")
    probe_facts = facts["probe"]
    lines += [
        "",
        "### Queries (in-process probe, Django test client, `CaptureQueriesContext`)",
        "",
        "One registration with one victim and one suspect by a station officer, request by request (session, "
        f"user and middleware queries included; RETA_MATCH_INDEX={probe_facts.get('match_index', 'commit')}):",
        "",
        "| Request | queries | ms (in-process) |",
        "|---|---:|---:|",
    ]
    for step_facts in probe_facts["steps"]:
        lines.append(
            f"| {step_facts['method']} {step_facts['name']} | {step_facts['queries']} | {step_facts['ms']:,.1f} |"
        )
    confirm = next(step for step in probe_facts["steps"] if step["name"] == "confirm = SUBMIT")
    bare_probe = next(step for step in probe_facts["steps"] if step["name"] == "bare insert")
    writes = [step for step in probe_facts["steps"] if step["method"] == "POST" and step["name"] in WRITES]
    lines += [
        "",
        f"The submit (confirm POST) runs **{confirm['queries']} queries**; the bare insert {bare_probe['queries']}; "
        f"the three writing POSTs of a registration (save draft, register, confirm) "
        f"{sum(step['queries'] for step in writes)} together. The alert e-mails of the submit are built after the "
        "commit (`transaction.on_commit`) and handed to Django's dummy e-mail backend (no SMTP server here): their "
        "queries are counted, the SMTP time is not. "
        "The submit's queries by statement and table:",
        "",
        "    " + ", ".join(f"{key} {value}" for key, value in confirm["tables"].items()),
        "",
        "## Sign-in and the password hasher",
        "",
        f"The production hasher is unchanged: {probe_facts['hasher']['algorithm']}, "
        f"{probe_facts['hasher']['iterations']} iterations; one password check costs "
        f"**{probe_facts['hasher']['check_ms']:,.0f} ms of CPU** in this process (measured before the load).",
    ]
    sign_in = by_name.get("sign-in: POST /acceso/ (password)")
    if sign_in:
        lines.append(
            f"Under load the sign-in POST took p50 {ms(sign_in['50%'])} ms, p95 {ms(sign_in['95%'])} ms, "
            f"p99 {ms(sign_in['99%'])} ms ({sign_in['Request Count']} sign-ins): the hasher's cost, which is the point "
            "of it (SECURITY.md 2), competes for the same CPUs as every other request; the figures above include "
            "these sign-ins (one in twelve tasks of an officer)."
        )
    lines += [
        "",
        "## How to run",
        "",
        "    make load                                   # everything: database reta_load dropped and recreated",
        "    make load LOAD_ARGS=--reuse                 # keep the population, only the measure",
        '    make load LOAD_ARGS="--users 100 --steady 240 --workers 4"',
        "",
        "Raw files: bench/data/load/ (Locust CSVs, gunicorn and access logs, accounts.json, facts.json).",
        "",
    ]
    REPORT.write_text("\n".join(lines))


def main() -> None:
    args = parse_args()
    started_at = datetime.datetime.now().astimezone()
    started = time.monotonic()
    DATA.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    env = environment(args.database_url, secrets.token_urlsafe(50))
    os.environ.update(env)  # this process (the population, the probe) keeps the default: commit
    # gunicorn and the worker: the index work is the worker's (as in production), or the requests'.
    env["RETA_MATCH_INDEX"] = "commit" if args.commit_index else "worker"
    machine_before = machine()
    say(f"database {args.database_url} ({'reused' if args.reuse else 'dropped and recreated'})")
    from bench.run import recreate_database  # the statistics bench's, shared (ROOT is on sys.path)

    recreate_database(args.database_url, reuse=args.reuse)
    facts = prepare(args, served_index=env["RETA_MATCH_INDEX"])
    prepare_seconds = time.monotonic() - started
    say(f"prepared in {prepare_seconds:.0f} s; submit = {facts['probe']['steps'][7]['queries']} queries")
    from administration.models import User  # noqa: F401 - django is set up by prepare()
    from complaints.models import Complaint

    registered_before = Complaint.objects.filter(status=Complaint.Status.SUBMITTED).count()
    if not args.commit_index and work_rows():
        say(f"{work_rows()} match index work rows left by the probe: the worker drains them first")
    worker = gunicorn = None
    drained: dict[str, Any] = {}
    try:
        worker = None if args.commit_index else start_index_worker(args, env)
        gunicorn = start_gunicorn(args, env)
        say(f"gunicorn on 127.0.0.1:{args.port} ({args.workers} workers); sequential comparison")
        sequential = compare(args) if args.compare else {}
        say(f"Locust: {args.users} users, ramp-up {args.users / args.spawn_rate:.0f} s, {args.steady} s steady")
        steady_from = time.time() + args.users / args.spawn_rate
        locust_started = time.monotonic()
        locust_from = datetime.datetime.now(datetime.UTC)
        code = run_locust(args, env)
        locust_seconds = time.monotonic() - locust_started
        say(f"Locust finished (exit code {code})")
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        try:
            drained = drain_after_load(worker, args.drain_timeout)
            say(f"match index work left: {drained['left']} rows, drained in {drained['seconds']:.1f} s")
        finally:
            if worker is not None:
                os.killpg(worker.pid, signal.SIGTERM)  # graceful: the batch in hand is committed
                worker.wait(timeout=60)
    from django.db import connection

    connection.close()
    registered_after = Complaint.objects.filter(status=Complaint.Status.SUBMITTED).count()
    log = (DATA / "gunicorn.log").read_text(errors="replace").splitlines()
    server_errors = [line for line in log if "Traceback" in line or " ERROR " in line or "[CRITICAL]" in line]
    from importlib.metadata import version

    write_report(
        args,
        facts,
        {
            "started": started_at,
            "machine_before": machine_before,
            "machine_after": machine(),
            "locust_version": version("locust"),
            "total_seconds": time.monotonic() - started,
            "prepare_seconds": prepare_seconds,
            "compare": sequential,
            "registered_during": registered_after - registered_before - args.compare,
            "signed_in": signed_in_since(locust_from),
            "locust_seconds": locust_seconds,
            "server_errors": server_errors,
            "steady_from": steady_from,
            "index_work": drained,
        },
    )
    say(f"wrote {REPORT.relative_to(ROOT)} ({time.monotonic() - started:.0f} s in all)")
    failures = read_csv(DATA / "locust_failures.csv")
    if failures or server_errors or code:
        raise SystemExit("the load test had errors: see bench/load.md")


if __name__ == "__main__":
    main()
