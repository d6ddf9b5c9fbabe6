"""The production checklist of `manage.py check_deploy` (docs/deploy.md): each check reads the live
configuration - settings, the database the application is connected to, its grants and triggers,
the storages, the collected static files, the read replica - and answers OK, WARN, FAIL or SKIP
with a sentence for the operator. A FAIL makes the command exit non-zero; a WARN does not.

The grants check knows what `manage.py db_grants` gives the application user (README
"Production"): the user that serves requests must not be able to UPDATE or DELETE an append-only
table (audit trail, registers, row history), touch the amendment lease tables, or change the schema
(TRIGGER, DROP, ALTER, CREATE...). Only the migration user (the schema owner) may.
"""

from __future__ import annotations

import ipaddress
import json
import re
import secrets
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks as django_checks
from django.core.checks.security import base as django_security
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connections, models
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from administration.management.commands.db_grants import GUARD_TABLES, PROCEDURES, append_only_tables

OK, WARN, FAIL, SKIP = "OK", "WARN", "FAIL", "SKIP"

TIME_ZONE = "America/Lima"
MAX_REPLICA_LAG_SECONDS = 30
# Names that reach this machine only (testserver: Django's test client).
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver"}
# A key typed by a person (or copied from an example) rather than drawn at random.
TYPED_KEY_WORDS = ("insecure", "secret", "test", "example", "change", "password", "django", "demo", "debug")
# Privileges that change the schema or its guards: the migration user's, never the application's.
SCHEMA_PRIVILEGES = {
    "ALL",
    "ALL PRIVILEGES",
    "ALTER",
    "ALTER ROUTINE",
    "CREATE",
    "CREATE ROUTINE",
    "DROP",
    "GRANT OPTION",
    "SET USER",
    "SUPER",
    "TRIGGER",
}
WRITE_PRIVILEGES = {"UPDATE", "DELETE"}
PROCESS_LOCAL_CACHES = ("django.core.cache.backends.locmem.", "django.core.cache.backends.dummy.")
LOCAL_MAIL_BACKENDS = ("console", "locmem", "dummy", "filebased")
# The alert e-mails are sent in the registering request after its commit: at most this long per
# connection, well under gunicorn's 90 s (docs/deploy/gunicorn.conf.py).
MAX_EMAIL_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Result:
    name: str
    status: str
    message: str


Check = Callable[[], Result]


# ------------------------------------------------------------------------------ configuration


def check_debug() -> Result:
    if settings.DEBUG:
        return Result("debug", FAIL, _("DEBUG is on: error pages show settings and code. Set DEBUG=False."))
    return Result("debug", OK, _("DEBUG is off."))


def secret_key_problem(key: str) -> str | None:
    """What Django's own check of a key (security.W009, run by `check --deploy`: 50 characters, 5
    different ones, no django-insecure- prefix) does not see: a word a person typed or copied."""
    lowered = key.lower()
    words = [word for word in TYPED_KEY_WORDS if word in lowered]
    if words:
        return _("it contains the word(s) {words}: it was typed or copied, not drawn at random.").format(
            words=", ".join(words)
        )
    return None


def check_secret_key() -> Result:
    command = "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    if django_security.check_secret_key(None):  # Django's security.W009, not written again here
        return Result(
            "secret_key",
            FAIL,
            _(
                "SECRET_KEY fails Django's check security.W009 (fewer than 50 characters or than 5 different "
                "ones, or Django's django-insecure- prefix). Generate one with: {command}"
            ).format(command=command),
        )
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem:
        return Result(
            "secret_key",
            FAIL,
            _("SECRET_KEY is weak: {problem} Generate one with: {command}").format(problem=problem, command=command),
        )
    return Result("secret_key", OK, _("SECRET_KEY is long and looks random."))


def check_allowed_hosts() -> Result:
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts:
        return Result("allowed_hosts", FAIL, _("ALLOWED_HOSTS is empty: every request would be refused."))
    if "*" in hosts:
        return Result("allowed_hosts", FAIL, _("ALLOWED_HOSTS accepts any host ('*'): name the site's host."))
    if set(hosts) <= LOOPBACK_HOSTS:
        return Result(
            "allowed_hosts",
            FAIL,
            _(
                "ALLOWED_HOSTS names only this machine ({hosts}): add the site's public name, which nginx "
                "passes on in the Host header."
            ).format(hosts=", ".join(hosts)),
        )
    return Result("allowed_hosts", OK, _("ALLOWED_HOSTS: {hosts}.").format(hosts=", ".join(hosts)))


def check_https() -> Result:
    missing = [
        name
        for name, good in (
            ("SECURE_SSL_REDIRECT", settings.SECURE_SSL_REDIRECT),
            ("SESSION_COOKIE_SECURE", settings.SESSION_COOKIE_SECURE),
            ("CSRF_COOKIE_SECURE", settings.CSRF_COOKIE_SECURE),
            ("SECURE_HSTS_SECONDS", settings.SECURE_HSTS_SECONDS >= 31536000),
            ("SECURE_PROXY_SSL_HEADER", settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")),
        )
        if not good
    ]
    if missing:
        return Result(
            "https",
            FAIL,
            _(
                "HTTPS is not enforced ({settings}): set RETA_HTTPS=True behind nginx's TLS (secure cookies, "
                "HSTS for a year, redirect to https, X-Forwarded-Proto trusted)."
            ).format(settings=", ".join(missing)),
        )
    return Result("https", OK, _("HTTPS: secure cookies, HSTS, redirect, X-Forwarded-Proto from nginx."))


def check_proxy() -> Result:
    proxies = list(getattr(settings, "RETA_TRUSTED_PROXIES", []))
    if not proxies:
        return Result(
            "proxy",
            FAIL,
            _(
                "RETA_TRUSTED_PROXIES is empty: behind nginx every audit event would record the proxy's "
                "address instead of the client's. Set it to nginx's address."
            ),
        )
    wrong = []
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            wrong.append(proxy)
    if wrong:
        return Result(
            "proxy",
            FAIL,
            _("RETA_TRUSTED_PROXIES holds what is no address or network: {wrong}.").format(wrong=", ".join(wrong)),
        )
    return Result(
        "proxy",
        OK,
        _("The client's address is read from X-Forwarded-For of {proxies} only.").format(proxies=", ".join(proxies)),
    )


def check_django_deploy(alias: str) -> Result:
    issues = [
        issue
        for issue in django_checks.run_checks(include_deployment_checks=True, databases=[alias])
        if issue.level >= django_checks.WARNING and not issue.is_silenced()
    ]
    if issues:
        return Result(
            "django_check",
            FAIL,
            _("manage.py check --deploy finds {count} problem(s): {ids}.").format(
                count=len(issues), ids=", ".join(sorted({issue.id or "?" for issue in issues}))
            ),
        )
    return Result("django_check", OK, _("manage.py check --deploy finds no problem."))


def check_time_zone() -> Result:
    if settings.TIME_ZONE != TIME_ZONE or not settings.USE_TZ:
        return Result(
            "time_zone",
            FAIL,
            _("TIME_ZONE is {zone} and USE_TZ {use_tz}: RETA counts days in {expected} with USE_TZ on.").format(
                zone=settings.TIME_ZONE, use_tz=settings.USE_TZ, expected=TIME_ZONE
            ),
        )
    try:
        zoneinfo.ZoneInfo(TIME_ZONE)
    except zoneinfo.ZoneInfoNotFoundError:
        return Result(
            "time_zone", FAIL, _("The time zone database does not know {zone}: install tzdata.").format(zone=TIME_ZONE)
        )
    return Result("time_zone", OK, _("Time zone {zone}, times stored in UTC.").format(zone=TIME_ZONE))


def _cache_backend(alias: str = "default") -> str:
    return settings.CACHES.get(alias, {}).get("BACKEND", "")


def check_sessions() -> Result:
    engine = settings.SESSION_ENGINE
    if engine == "django.contrib.sessions.backends.db":
        return Result("sessions", OK, _("Sessions are kept in the database, shared by every app server."))
    if engine in ("django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"):
        backend = _cache_backend(settings.SESSION_CACHE_ALIAS)
        if backend.startswith(PROCESS_LOCAL_CACHES):
            return Result(
                "sessions",
                FAIL,
                _(
                    "Sessions ({engine}) go through a cache local to each process ({backend}): a sign-out on "
                    "one app server would not end the session on the others. Use the database backend."
                ).format(engine=engine, backend=backend),
            )
        return Result("sessions", OK, _("Sessions: {engine} with a shared cache.").format(engine=engine))
    return Result(
        "sessions",
        FAIL,
        _(
            "Sessions ({engine}) are not kept in the database: RETA ends a session by deleting its row "
            "(sign-out, password change). Use django.contrib.sessions.backends.db."
        ).format(engine=engine),
    )


def check_cache(app_servers: int) -> Result:
    backend = _cache_backend()
    if backend.startswith(PROCESS_LOCAL_CACHES):
        if app_servers > 1:
            return Result(
                "cache",
                WARN,
                _(
                    "The cache ({backend}) is local to each process, with {servers} app servers: RETA keeps "
                    "nothing shared in it today, but anything that relies on it later would not be shared."
                ).format(backend=backend, servers=app_servers),
            )
        return Result("cache", OK, _("The cache is local to each process (one app server)."))
    return Result("cache", OK, _("The cache ({backend}) is shared.").format(backend=backend))


def check_email() -> Result:
    backend = settings.EMAIL_BACKEND
    if any(f".{kind}." in backend for kind in LOCAL_MAIL_BACKENDS):
        return Result(
            "email",
            FAIL,
            _("Mail goes nowhere ({backend}): alerts to the units are sent by e-mail. Set EMAIL_URL (SMTP).").format(
                backend=backend
            ),
        )
    timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    if not timeout or timeout > MAX_EMAIL_TIMEOUT_SECONDS:
        return Result(
            "email",
            FAIL,
            _(
                "EMAIL_TIMEOUT is {timeout}: a mail server that does not answer would hold the officer's "
                "registration request. Set it to at most {limit} seconds."
            ).format(timeout=timeout, limit=MAX_EMAIL_TIMEOUT_SECONDS),
        )
    return Result(
        "email", OK, _("Mail is sent by {backend} (timeout {timeout} s).").format(backend=backend, timeout=timeout)
    )


def check_static() -> Result:
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return Result(
            "static",
            FAIL,
            _(
                "Static files are not served from a manifest ({backend}): set DEBUG=False so that WhiteNoise's "
                "CompressedManifestStaticFilesStorage is used, then run collectstatic."
            ).format(backend=storage.__class__.__name__),
        )
    name = storage.manifest_name
    if not storage.manifest_storage.exists(name):
        return Result(
            "static",
            FAIL,
            _("No {manifest} in STATIC_ROOT ({root}): run manage.py collectstatic --noinput.").format(
                manifest=name, root=settings.STATIC_ROOT
            ),
        )
    with storage.manifest_storage.open(name) as handle:
        collected = set(json.loads(handle.read().decode()).get("paths", {}))
    found = {path for finder in get_finders() for path, _storage in finder.list(["CVS", ".*", "*~"])}
    missing = sorted(found - collected)
    if missing:
        return Result(
            "static",
            FAIL,
            _("{count} static file(s) not collected since they changed (e.g. {example}): run collectstatic.").format(
                count=len(missing), example=missing[0]
            ),
        )
    return Result("static", OK, _("{count} static files collected, with their manifest.").format(count=len(collected)))


def _file_storages() -> list[tuple[str, Storage]]:
    """The default storage and every storage a FileField of the project writes to, once each."""
    found: list[tuple[str, Storage]] = [("default", storages["default"])]
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and not model.__name__.startswith("Historical"):
                found.append((f"{model._meta.label}.{field.name}", field.storage))
    unique: dict[tuple[str, str], tuple[str, Storage]] = {}
    for label, storage in found:
        # A folder by its location, an object store by its bucket and prefix (django-storages).
        where = (str(getattr(storage, "location", "")), str(getattr(storage, "bucket_name", "") or ""))
        key = (type(storage).__qualname__, *(where if any(where) else (str(id(storage)), "")))
        unique.setdefault(key, (label, storage))
    return list(unique.values())


def _inside(path: str, folder: Any) -> bool:
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def storage_problem(storage: Storage) -> str | None:
    """Why `storage` cannot hold RETA's files (not writable, or published with the static files)."""
    if isinstance(storage, FileSystemStorage):
        public = [settings.STATIC_ROOT] + [
            folder[1] if isinstance(folder, (tuple, list)) else folder for folder in settings.STATICFILES_DIRS
        ]
        if any(folder and _inside(storage.location, folder) for folder in public):
            return _("{location} lies inside the static files, which are served to anyone.").format(
                location=storage.location
            )
    name = f".reta-check-deploy-{secrets.token_hex(8)}"
    content = secrets.token_bytes(32)
    try:
        saved = storage.save(name, ContentFile(content))
        try:
            with storage.open(saved) as handle:
                if handle.read() != content:
                    return _("a file written there reads back different.")
        finally:
            storage.delete(saved)
    except Exception as error:  # noqa: BLE001 - any storage (local folder, S3) reports its own errors
        return _("cannot write, read and delete a file: {error}").format(error=error)
    return None


def check_storages() -> list[Result]:
    results = []
    for label, storage in _file_storages():
        where = getattr(storage, "location", "") or type(storage).__name__
        problem = storage_problem(storage)
        if problem:
            results.append(
                Result(
                    "storage",
                    FAIL,
                    _("Storage of {label} ({where}): {problem}").format(label=label, where=where, problem=problem),
                )
            )
        else:
            results.append(
                Result("storage", OK, _("Storage of {label} ({where}) is writable.").format(label=label, where=where))
            )
    return results


# ------------------------------------------------------------------------------ the database


def _scalar(cursor: Any, sql: str) -> Any:
    cursor.execute(sql)
    row = cursor.fetchone()
    return row[0] if row else None


def check_database(alias: str) -> Result:
    connection = connections[alias]
    if connection.vendor != "mysql":
        return Result(
            "database",
            FAIL,
            _("The database is {vendor}: production runs on MariaDB (or MySQL) with utf8mb4.").format(
                vendor=connection.vendor
            ),
        )
    with connection.cursor() as cursor:
        version = _scalar(cursor, "SELECT VERSION()")
        schema_charset = _scalar(
            cursor, "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"
        )
        connection_charset = _scalar(cursor, "SELECT @@SESSION.character_set_connection")
        cursor.execute(
            "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_TYPE = 'BASE TABLE' AND TABLE_COLLATION NOT LIKE 'utf8mb4%%'"
        )
        other_tables = [row[0] for row in cursor.fetchall()]
    problems = []
    if schema_charset != "utf8mb4":
        problems.append(_("the database's default character set is {charset}").format(charset=schema_charset))
    if connection_charset != "utf8mb4":
        problems.append(_("the connection uses {charset}").format(charset=connection_charset))
    if other_tables:
        problems.append(
            _("{count} table(s) are not utf8mb4 (e.g. {table})").format(count=len(other_tables), table=other_tables[0])
        )
    if problems:
        return Result(
            "database",
            FAIL,
            _("{version}: {problems}. Names with Ñ, accents or emoji need utf8mb4 everywhere.").format(
                version=version, problems="; ".join(problems)
            ),
        )
    return Result("database", OK, _("{version}, utf8mb4.").format(version=version))


def check_sql_mode(cursor: Any) -> Result:
    modes = set((_scalar(cursor, "SELECT @@SESSION.sql_mode") or "").split(","))
    if not modes & {"STRICT_TRANS_TABLES", "STRICT_ALL_TABLES"}:
        return Result(
            "sql_mode",
            FAIL,
            _(
                "sql_mode has no strict mode ({modes}): MariaDB would cut over-long values instead of refusing "
                "them. Set sql_mode=STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION."
            ).format(modes=",".join(sorted(modes - {""})) or "''"),
        )
    return Result("sql_mode", OK, _("sql_mode is strict ({modes}).").format(modes=",".join(sorted(modes))))


def check_isolation(cursor: Any) -> Result:
    # MariaDB names it tx_isolation (transaction_isolation from 11.1), MySQL 8 transaction_isolation.
    cursor.execute("SHOW SESSION VARIABLES WHERE Variable_name IN ('tx_isolation', 'transaction_isolation')")
    level = next((value for _name, value in cursor.fetchall()), None)
    if str(level).upper().replace(" ", "-") != "READ-COMMITTED":
        return Result(
            "isolation",
            FAIL,
            _(
                "The transactions run in {level}: RETA's locking (numbering, the audit chain) is written for "
                "READ COMMITTED, Django's default; remove isolation_level from the database OPTIONS."
            ).format(level=level),
        )
    return Result("isolation", OK, _("Transactions run in READ COMMITTED."))


GRANT_LINE = re.compile(
    r"^GRANT (?P<privileges>.+?) ON (?:(?P<kind>TABLE|FUNCTION|PROCEDURE|PACKAGE BODY|PACKAGE) )?"
    r"(?P<target>\*\.\*|\*|`(?:[^`]|``)*`\.(?:\*|`(?:[^`]|``)*`)) TO (?P<rest>.*)$"
)
IDENTIFIER = re.compile(r"`((?:[^`]|``)*)`")


def _privileges(text: str) -> set[str]:
    """`SELECT, UPDATE (a, b), INSERT` -> {"SELECT", "UPDATE", "INSERT"} (column lists dropped)."""
    text = re.sub(r"\([^)]*\)", "", text)
    return {" ".join(part.split()).upper() for part in text.split(",") if part.strip()}


def _like(pattern: str, name: str) -> bool:
    """Does a database name match a GRANT's pattern (`%` and `_` wildcards, `\\` escapes)?"""
    regex = ""
    escaped = False
    for char in pattern:
        if escaped:
            regex += re.escape(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            regex += ".*"
        elif char == "_":
            regex += "."
        else:
            regex += re.escape(char)
    return re.fullmatch(regex, name) is not None


def grant_problems(
    grants: Iterable[str], *, database: str, append_only: set[str], guard_tables: Sequence[str] = GUARD_TABLES
) -> list[str]:
    """What in `grants` (the lines of SHOW GRANTS) lets the user alter an append-only table of
    `database`, the amendment lease, the triggers or the schema. Empty for db_grants' application user."""
    problems: list[str] = []
    for line in grants:
        match = GRANT_LINE.match(line.strip())
        if not match:
            continue  # a role granted, PROXY: their own privileges are listed on lines of their own
        privileges = _privileges(match["privileges"])
        if "WITH GRANT OPTION" in match["rest"].upper():
            privileges.add("GRANT OPTION")
        target = match["target"]
        names = [name.replace("``", "`") for name in IDENTIFIER.findall(target)]
        if match["kind"] in ("FUNCTION", "PROCEDURE", "PACKAGE", "PACKAGE BODY"):
            if names and names[0] == database and privileges - {"EXECUTE"}:
                problems.append(
                    _("{privileges} on routine {routine}: can change or drop it").format(
                        privileges=", ".join(sorted(privileges - {"EXECUTE"})), routine=names[-1]
                    )
                )
            continue
        if target in ("*.*", "*"):
            scope, table = "global", None
        elif target.endswith(".*"):
            if names[0] == "mysql" and privileges & ({"INSERT", "ALL PRIVILEGES"} | WRITE_PRIVILEGES):
                problems.append(_("writes to the mysql schema: can rewrite stored procedures and accounts"))
                continue
            if not _like(names[0], database):
                continue
            scope, table = "schema", None
        else:
            if names[0] == "mysql" and privileges & ({"INSERT", "ALL PRIVILEGES"} | WRITE_PRIVILEGES):
                problems.append(_("writes to the mysql schema: can rewrite stored procedures and accounts"))
                continue
            if names[0] != database:
                continue
            scope, table = "table", names[1]
        schema_rights = privileges & SCHEMA_PRIVILEGES
        if schema_rights:
            problems.append(
                _("{privileges} on {target} can change the schema or drop the triggers").format(
                    privileges=", ".join(sorted(schema_rights)), target=target
                )
            )
        writes = privileges & WRITE_PRIVILEGES
        if scope in ("global", "schema") and writes:
            problems.append(
                _("{privileges} on {target} covers the append-only tables").format(
                    privileges=", ".join(sorted(writes)), target=target
                )
            )
        elif table in append_only and writes:
            problems.append(
                _("{privileges} on the append-only table {target}").format(
                    privileges=", ".join(sorted(writes)), target=target
                )
            )
        elif table in guard_tables and privileges & ({"INSERT"} | WRITE_PRIVILEGES):
            problems.append(
                _("{privileges} on {target}: the amendment lease is opened only through its procedures").format(
                    privileges=", ".join(sorted(privileges & ({"INSERT"} | WRITE_PRIVILEGES))), target=target
                )
            )
    return problems


ROLE_GRANT = re.compile(r"^GRANT `((?:[^`]|``)+)` TO ")


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def effective_grants(cursor: Any) -> tuple[list[str], list[str]]:
    """SHOW GRANTS of the connected user, and of every role granted to it, active or not (a user
    can `SET ROLE` to any of them, so their privileges are its privileges), and the roles that could
    not be read. MariaDB shows a role's grants to its grantee only while the role is active: each is
    switched on in turn, then the session's role is put back."""
    previous = _scalar(cursor, "SELECT CURRENT_ROLE()")
    cursor.execute("SHOW GRANTS")
    lines = [row[0] for row in cursor.fetchall()]
    pending = [match[1].replace("``", "`") for line in lines if (match := ROLE_GRANT.match(line))]
    seen: set[str] = set()
    unread: list[str] = []
    try:
        while pending:
            role = pending.pop()
            if role in seen:
                continue
            seen.add(role)
            try:
                cursor.execute(f"SET ROLE {_quoted(role)}")
                cursor.execute("SHOW GRANTS")
            except Exception:  # noqa: BLE001 - reported as a role that could not be read
                unread.append(role)
                continue
            for (line,) in cursor.fetchall():
                lines.append(line)
                if match := ROLE_GRANT.match(line):
                    pending.append(match[1].replace("``", "`"))
    finally:
        if seen:
            cursor.execute("SET ROLE " + ("NONE" if previous is None else _quoted(previous)))
    return lines, unread


def check_grants(cursor: Any, database: str, append_only: set[str]) -> Result:
    user = _scalar(cursor, "SELECT CURRENT_USER()")
    lines, unread = effective_grants(cursor)
    problems = grant_problems(lines, database=database, append_only=append_only)
    problems += [_("the grants of role {role} cannot be read").format(role=role) for role in unread]
    if problems:
        return Result(
            "db_grants",
            FAIL,
            _(
                "The database user {user} can alter the append-only tables or their triggers: {problems}. Serve "
                "with the application user of manage.py db_grants; only migrations run as the owner."
            ).format(user=user, problems="; ".join(problems)),
        )
    return Result(
        "db_grants",
        OK,
        _("The database user {user} cannot alter the append-only tables, their triggers or the schema.").format(
            user=user
        ),
    )


def check_triggers(cursor: Any, append_only: set[str]) -> Result:
    cursor.execute(
        "SELECT EVENT_OBJECT_TABLE, EVENT_MANIPULATION FROM information_schema.TRIGGERS "
        "WHERE TRIGGER_SCHEMA = DATABASE() AND ACTION_TIMING = 'BEFORE'"
    )
    guarded: dict[str, set[str]] = {}
    for table, event in cursor.fetchall():
        guarded.setdefault(table, set()).add(event)
    cursor.execute(
        "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() "
        "AND ROUTINE_TYPE = 'PROCEDURE'"
    )
    routines = {row[0] for row in cursor.fetchall()}
    # The lease's log is invisible to db_grants' application user (no privilege on it, on purpose):
    # information_schema lists only the tables, and their triggers, that the user may touch.
    cursor.execute(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
        "AND TABLE_NAME = 'reta_amendment_log'"
    )
    visible_log = {row[0] for row in cursor.fetchall()}
    tables = sorted(append_only | visible_log)
    missing = [
        f"{table} ({event})"
        for table in tables
        for event in ("UPDATE", "DELETE")
        if event not in guarded.get(table, ())
    ]
    missing += [_("procedure {name}").format(name=name) for name in PROCEDURES if name not in routines]
    if missing:
        return Result(
            "triggers",
            FAIL,
            _("{count} guard(s) missing: {missing}. Run manage.py migrate as the owner (it creates them).").format(
                count=len(missing), missing=", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
            ),
        )
    return Result(
        "triggers",
        OK,
        _("The {count} append-only tables refuse UPDATE and DELETE by trigger; the amendment procedures exist.").format(
            count=len(tables)
        ),
    )


def check_database_time_zones(cursor: Any) -> Result:
    if _scalar(cursor, f"SELECT CONVERT_TZ('2026-01-01 12:00:00', 'UTC', '{TIME_ZONE}')") is None:  # noqa: S608
        return Result(
            "db_time_zone",
            WARN,
            _(
                "MariaDB's time zone tables are empty: RETA converts times in Python, but SQL reports by day of "
                "Lima need them (mariadb-tzinfo-to-sql /usr/share/zoneinfo | mariadb mysql)."
            ),
        )
    return Result("db_time_zone", OK, _("MariaDB knows the time zone {zone}.").format(zone=TIME_ZONE))


def check_migrations(alias: str) -> Result:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
        return Result(
            "migrations",
            FAIL,
            _("{count} migration(s) not applied (first: {first}): run manage.py migrate as the owner.").format(
                count=len(names), first=names[0]
            ),
        )
    return Result("migrations", OK, _("Every migration is applied."))


# ------------------------------------------------------------------------------ the read replica


def _replica_status(cursor: Any) -> dict[str, Any] | None:
    """The replica's SHOW REPLICA STATUS as a dict, None on a server that replicates from nothing."""
    refusal: Exception | None = None
    for statement in ("SHOW REPLICA STATUS", "SHOW SLAVE STATUS"):  # older servers know the second only
        try:
            cursor.execute(statement)
        except Exception as error:  # noqa: BLE001 - a syntax error or a missing privilege: try the other
            refusal = error
            continue
        row = cursor.fetchone()
        if row is None:
            return None
        return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}
    raise PermissionError(str(refusal))


def _first(status: dict[str, Any], *names: str) -> Any:
    return next((status[name] for name in names if name in status), None)


def check_replica(url: str, max_lag: int) -> Result:
    import environ
    import MySQLdb

    config = environ.Env.db_url_config(url)
    where = f"{config.get('HOST') or 'localhost'}:{config.get('PORT') or 3306}"
    try:
        session = MySQLdb.connect(
            host=config.get("HOST") or "localhost",
            port=int(config.get("PORT") or 3306),
            user=config.get("USER") or "",
            password=config.get("PASSWORD") or "",
            database=config.get("NAME") or "",
            connect_timeout=5,
            charset="utf8mb4",
        )
    except MySQLdb.Error as error:
        return Result(
            "replica",
            FAIL,
            _("The read replica ({where}) of DATABASE_REPLICA_URL cannot be reached: {error}").format(
                where=where, error=error
            ),
        )
    try:
        cursor = session.cursor()
        read_only = _scalar(cursor, "SELECT @@GLOBAL.read_only")
        try:
            status = _replica_status(cursor)
        except (PermissionError, MySQLdb.Error) as error:
            return Result(
                "replica",
                FAIL,
                _(
                    "The replica ({where}) does not say how far behind it is ({error}): grant its user "
                    "SLAVE MONITOR (REPLICATION CLIENT before MariaDB 10.5.9)."
                ).format(where=where, error=error),
            )
    finally:
        session.close()
    problems = []
    if str(read_only) not in ("1", "ON"):
        problems.append(_("it is not read_only"))
    if status is None:
        problems.append(_("it replicates from no primary"))
    else:
        io_running = _first(status, "Slave_IO_Running", "Replica_IO_Running")
        sql_running = _first(status, "Slave_SQL_Running", "Replica_SQL_Running")
        lag = _first(status, "Seconds_Behind_Master", "Seconds_Behind_Source")
        if io_running != "Yes" or sql_running != "Yes":
            error = _first(status, "Last_IO_Error") or _first(status, "Last_SQL_Error") or ""
            problems.append(
                _("replication is stopped (IO {io}, SQL {sql}) {error}")
                .format(io=io_running, sql=sql_running, error=error)
                .strip()
            )
        elif lag is None or int(lag) > max_lag:
            problems.append(
                _("it is {lag} seconds behind (at most {max_lag})").format(
                    lag="?" if lag is None else lag, max_lag=max_lag
                )
            )
    if problems:
        return Result(
            "replica",
            FAIL,
            _("The read replica ({where}): {problems}.").format(where=where, problems="; ".join(problems)),
        )
    return Result(
        "replica",
        OK,
        _("The read replica ({where}) is read-only and {lag} seconds behind the primary.").format(
            where=where, lag=_first(status or {}, "Seconds_Behind_Master", "Seconds_Behind_Source")
        ),
    )


# ------------------------------------------------------------------------------ all of them


def run_checks(
    *, alias: str = "default", app_servers: int = 1, replica_url: str = "", max_lag: int = MAX_REPLICA_LAG_SECONDS
) -> list[Result]:
    results = [
        check_debug(),
        check_secret_key(),
        check_allowed_hosts(),
        check_https(),
        check_proxy(),
        check_django_deploy(alias),
        check_time_zone(),
        check_sessions(),
        check_cache(app_servers),
        check_email(),
        check_static(),
        *check_storages(),
        check_database(alias),
    ]
    connection = connections[alias]
    if connection.vendor == "mysql":
        append_only = append_only_tables() & set(connection.introspection.table_names())
        with connection.cursor() as cursor:
            results += [
                check_sql_mode(cursor),
                check_isolation(cursor),
                check_grants(cursor, connection.settings_dict["NAME"], append_only),
                check_triggers(cursor, append_only),
                check_database_time_zones(cursor),
            ]
    else:
        reason = _("needs MariaDB/MySQL (this database is {vendor}).").format(vendor=connection.vendor)
        results += [Result(name, SKIP, reason) for name in ("sql_mode", "isolation", "db_grants", "triggers")]
    results.append(check_migrations(alias))
    if replica_url:
        results.append(check_replica(replica_url, max_lag))
    else:
        results.append(Result("replica", SKIP, _("No read replica (DATABASE_REPLICA_URL is not set).")))
    return results
