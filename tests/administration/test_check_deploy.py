"""`manage.py check_deploy` (issue 14.4, docs/deploy.md): the production checklist run against the
live configuration. On the test settings it fails and says which items; with a production-like
configuration the configuration items pass. On MariaDB the grants item fails for root (ALL
PRIVILEGES) and passes for the application user of `db_grants`, connected as that user."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import translation

from administration import deploy_checks
from administration.deploy_checks import FAIL, OK, SKIP, WARN, grant_problems, secret_key_problem
from administration.management.commands.db_grants import append_only_tables

ON_MYSQL = connection.vendor == "mysql"
needs_mariadb = pytest.mark.skipif(
    not ON_MYSQL, reason="Grants, triggers, sql_mode and the replica are MariaDB's; SQLite has none of them."
)
DATABASE = "reta_prod"
APPEND_ONLY = {"audit_auditevent", "complaints_historicalcomplaint"}
# The configuration items: they depend on settings only, not on the database.
CONFIGURATION = ("debug", "secret_key", "allowed_hosts", "https", "proxy", "django_check", "time_zone", "sessions")
CONFIGURATION += ("cache", "email", "static", "storage")


def run(**options: Any) -> tuple[dict[str, list[str]], str, CommandError | None]:
    """The command's lines by check name ({"debug": ["OK"], "storage": ["OK", "OK"]}), its output and
    its error (None when every check passed). In English, whatever the default language."""
    out = io.StringIO()
    error = None
    with translation.override("en"):
        try:
            call_command("check_deploy", stdout=out, no_color=True, **options)
        except CommandError as raised:
            error = raised
    statuses: dict[str, list[str]] = {}
    for line in out.getvalue().splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) == 3 and parts[0] in (OK, WARN, FAIL, SKIP):
            statuses.setdefault(parts[1], []).append(parts[0])
    return statuses, out.getvalue(), error


def random_key() -> str:
    key = secrets.token_urlsafe(64)
    while secret_key_problem(key):  # a word such as "test" drawn by chance would be refused
        key = secrets.token_urlsafe(64)
    return key


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """STATIC_ROOT after a real `collectstatic` with WhiteNoise's manifest storage (once per module)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "reta.private_media.PrivateFileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production(settings: Any, collected: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A production-like configuration: what README "Production" and docs/deploy.md ask for."""
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # the suite's, never production's (async.E001)
    settings.DEBUG = False
    settings.SECRET_KEY = random_key()
    settings.ALLOWED_HOSTS = ["reta.pnp.gob.pe"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.RETA_TRUSTED_PROXIES = ["10.0.0.10"]
    settings.STATIC_ROOT = collected
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "reta.private_media.PrivateFileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings


# ---------------------------------------------------------------- the whole command


@pytest.mark.django_db
def test_on_the_test_settings_the_checklist_fails_and_says_which_items(settings: Any) -> None:
    settings.DEBUG = True
    statuses, out, error = run()
    assert error is not None and "failed" in str(error)  # manage.py exits with status 1
    for name in ("debug", "secret_key", "allowed_hosts", "https", "proxy", "django_check", "email", "static"):
        assert statuses[name] == [FAIL], (name, out)
        assert name in str(error)
    assert "DEBUG is on" in out and "RETA_HTTPS=True" in out
    assert "security.W018" in out  # Django's own check --deploy, one item of the list
    assert statuses["sessions"] == [OK] and statuses["time_zone"] == [OK] and statuses["migrations"] == [OK]
    assert statuses["replica"] == [SKIP]
    if ON_MYSQL:
        assert statuses["database"] == [OK] and statuses["triggers"] == [OK]
        assert statuses["db_grants"] == [FAIL] and "ALL PRIVILEGES, GRANT OPTION on *.*" in out  # the suite is root
    else:
        assert statuses["database"] == [FAIL] and "sqlite" in out
        assert statuses["db_grants"] == [SKIP] and "needs MariaDB/MySQL" in out


@pytest.mark.django_db
def test_the_operator_reads_it_in_spanish_by_default(settings: Any) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    with translation.override("es"), pytest.raises(CommandError, match="fallaron"):
        call_command("check_deploy", stdout=out, no_color=True)
    assert "DEBUG está activo" in out.getvalue()


@pytest.mark.django_db
def test_a_production_like_configuration_passes_every_configuration_item(production: Any) -> None:
    statuses, out, error = run()
    for name in CONFIGURATION:
        assert set(statuses[name]) == {OK}, (name, out)
    assert len(statuses["storage"]) == 3  # MEDIA_ROOT, the scans' field, the private photographs
    assert statuses["migrations"] == [OK]
    if ON_MYSQL:
        for name in ("database", "sql_mode", "isolation", "triggers"):
            assert statuses[name] == [OK], (name, out)
        # Only the grants fail: the suite connects as root.
        assert error is not None and str(error).endswith("db_grants.")
    else:
        assert error is not None and str(error).endswith("database.")


# ---------------------------------------------------------------- configuration items


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("a" * 49, "security.W009"),  # Django's own check, called rather than written again
        ("django-insecure-" + "x1y2z3w4" * 6, "security.W009"),
        ("ab" * 30, "security.W009"),
        ("test-secret-key-not-for-production-0123456789abcdefghij", "secret, test"),  # what Django does not see
    ],
)
def test_a_short_repeated_or_typed_secret_key_is_refused(settings: Any, key: str, problem: str) -> None:
    settings.SECRET_KEY = key
    with translation.override("en"):
        result = deploy_checks.check_secret_key()
    assert result.status == FAIL and problem in result.message
    settings.SECRET_KEY = random_key()
    assert deploy_checks.check_secret_key().status == OK


@pytest.mark.parametrize(
    ("hosts", "status"),
    [([], FAIL), (["*"], FAIL), (["localhost", "127.0.0.1"], FAIL), (["reta.pnp.gob.pe", "127.0.0.1"], OK)],
)
def test_allowed_hosts_name_the_site(settings: Any, hosts: list[str], status: str) -> None:
    settings.ALLOWED_HOSTS = hosts
    assert deploy_checks.check_allowed_hosts().status == status


@pytest.mark.parametrize(
    ("proxies", "status"), [([], FAIL), (["nginx.local"], FAIL), (["10.0.0.10", "10.0.1.0/24", "::1"], OK)]
)
def test_the_proxies_whose_forwarded_address_is_believed_are_named(
    settings: Any, proxies: list[str], status: str
) -> None:
    settings.RETA_TRUSTED_PROXIES = proxies
    assert deploy_checks.check_proxy().status == status


@pytest.mark.parametrize(
    ("engine", "cache", "status"),
    [
        ("django.contrib.sessions.backends.db", "django.core.cache.backends.locmem.LocMemCache", OK),
        ("django.contrib.sessions.backends.cache", "django.core.cache.backends.locmem.LocMemCache", FAIL),
        ("django.contrib.sessions.backends.cached_db", "django.core.cache.backends.locmem.LocMemCache", FAIL),
        ("django.contrib.sessions.backends.cached_db", "django.core.cache.backends.redis.RedisCache", OK),
        ("django.contrib.sessions.backends.signed_cookies", "django.core.cache.backends.locmem.LocMemCache", FAIL),
        ("django.contrib.sessions.backends.file", "django.core.cache.backends.locmem.LocMemCache", FAIL),
    ],
)
def test_sessions_are_shared_by_every_app_server(settings: Any, engine: str, cache: str, status: str) -> None:
    settings.SESSION_ENGINE = engine
    settings.CACHES = {"default": {"BACKEND": cache}}
    assert deploy_checks.check_sessions().status == status


def test_a_cache_local_to_each_process_is_a_warning_with_several_app_servers(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert deploy_checks.check_cache(1).status == OK
    assert deploy_checks.check_cache(3).status == WARN
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache"}}
    assert deploy_checks.check_cache(3).status == OK


@pytest.mark.parametrize(("timeout", "status"), [(None, FAIL), (0, FAIL), (120, FAIL), (10, OK), (30, OK)])
def test_mail_without_a_short_timeout_fails(settings: Any, timeout: int | None, status: str) -> None:
    """The alert e-mails go out in the registering request: a mail server that never answers must
    not hold it (SMTP with no timeout waits for ever)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = timeout
    result = deploy_checks.check_email()
    assert result.status == status
    if status == FAIL:
        assert "EMAIL_TIMEOUT" in result.message


def test_the_product_settings_give_mail_a_timeout() -> None:
    import reta.settings

    assert 0 < reta.settings.EMAIL_TIMEOUT <= deploy_checks.MAX_EMAIL_TIMEOUT_SECONDS


def test_static_files_changed_since_collectstatic_fail(production: Any, tmp_path: Path) -> None:
    assert deploy_checks.check_static().status == OK
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "new.css").write_text("body { color: black; }")
    production.STATICFILES_DIRS = [*production.STATICFILES_DIRS, extra]
    result = deploy_checks.check_static()
    assert result.status == FAIL and "new.css" in result.message
    production.STATIC_ROOT = tmp_path / "never-collected"
    result = deploy_checks.check_static()
    assert result.status == FAIL and "staticfiles.json" in result.message


@pytest.mark.django_db
def test_a_storage_that_cannot_be_written_or_lies_in_the_static_files_fails(production: Any, tmp_path: Path) -> None:
    assert {result.status for result in deploy_checks.check_storages()} == {OK}
    assert not any(path.name.startswith(".reta-check-deploy") for path in (tmp_path / "media").iterdir())
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    production.RETA_PRIVATE_MEDIA_ROOT = blocked
    failed = [result for result in deploy_checks.check_storages() if result.status == FAIL]
    assert len(failed) == 1 and str(blocked) in failed[0].message  # the private storage, named by its folder
    production.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    production.MEDIA_ROOT = Path(production.STATIC_ROOT) / "media"
    with translation.override("en"):
        failed = [result for result in deploy_checks.check_storages() if result.status == FAIL]
    assert failed and all("served to anyone" in result.message for result in failed)


@pytest.mark.django_db
def test_a_migration_not_applied_fails(settings: Any) -> None:
    assert deploy_checks.check_migrations("default").status == OK
    MigrationRecorder.Migration.objects.filter(app="audit", name="0006_audit_chain_hashes").delete()
    result = deploy_checks.check_migrations("default")
    assert result.status == FAIL and "audit.0006_audit_chain_hashes" in result.message


# ---------------------------------------------------------------- grants, read from SHOW GRANTS


def test_grants_that_reach_the_append_only_tables_or_the_schema_are_named() -> None:
    ok = [
        "GRANT USAGE ON *.* TO `reta`@`localhost` IDENTIFIED BY PASSWORD '*0123'",
        "GRANT SELECT, INSERT ON `reta_prod`.`audit_auditevent` TO `reta`@`localhost`",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON `reta_prod`.`complaints_complaint` TO `reta`@`localhost`",
        "GRANT EXECUTE ON PROCEDURE `reta_prod`.`reta_amendment_open` TO `reta`@`localhost`",
        "GRANT SELECT ON `mysql`.`proc` TO `reta`@`localhost`",
        "GRANT ALL PRIVILEGES ON `other_app`.* TO `reta`@`localhost`",
        "GRANT `reta_role` TO `reta`@`localhost`",
        "GRANT PROXY ON ''@'%' TO 'reta'@'localhost'",
    ]
    assert grant_problems(ok, database=DATABASE, append_only=APPEND_ONLY) == []
    bad = {
        "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION": "ALL PRIVILEGES, GRANT OPTION on *.*",
        "GRANT SELECT, UPDATE ON `reta\\_%`.* TO `reta`@`%`": "UPDATE on `reta\\_%`.* covers",
        "GRANT UPDATE (`request_id`) ON `reta_prod`.`complaints_historicalcomplaint` TO `r`@`%`": "append-only",
        "GRANT SELECT, DELETE ON `reta_prod`.`audit_auditevent` TO `r`@`%`": "DELETE on the append-only",
        "GRANT TRIGGER ON `reta_prod`.`complaints_complaint` TO `r`@`%`": "TRIGGER on",
        "GRANT DROP, ALTER ON `reta_prod`.* TO `r`@`%`": "ALTER, DROP on",
        "GRANT INSERT ON `reta_prod`.`reta_amendment_lease` TO `r`@`%`": "amendment lease",
        "GRANT ALTER ROUTINE ON PROCEDURE `reta_prod`.`reta_amendment_open` TO `r`@`%`": "routine",
        "GRANT UPDATE ON `mysql`.`proc` TO `r`@`%`": "mysql schema",
    }
    with translation.override("en"):
        for line, expected in bad.items():
            problems = grant_problems([line], database=DATABASE, append_only=APPEND_ONLY)
            assert len(problems) >= 1 and expected in problems[0], (line, problems)


@needs_mariadb
@pytest.mark.mysql
@pytest.mark.django_db
def test_root_fails_the_grants_check_and_the_application_user_of_db_grants_passes(application_user: Any) -> None:
    database = application_user["database"]
    append_only = append_only_tables() & set(connection.introspection.table_names())
    with translation.override("en"):
        with connection.cursor() as cursor:
            as_root = deploy_checks.check_grants(cursor, database, append_only)
        assert as_root.status == FAIL and "ALL PRIVILEGES" in as_root.message and "root@" in as_root.message
        session = application_user["session"]
        as_app = deploy_checks.check_grants(session.cursor(), database, append_only)
        assert as_app.status == OK, as_app.message
        assert application_user["name"] in as_app.message
        # The same user sees the triggers of every append-only table (not the lease's log: no privilege).
        assert deploy_checks.check_triggers(session.cursor(), append_only).status == OK
        # Not vacuous: one privilege more on one append-only table, or TRIGGER on the schema, fails it.
        with connection.cursor() as cursor:
            cursor.execute(f"GRANT UPDATE ON `{database}`.`audit_auditevent` TO '{application_user['name']}'@'%%'")
        widened = deploy_checks.check_grants(session.cursor(), database, append_only)
        assert widened.status == FAIL and "audit_auditevent" in widened.message
        with connection.cursor() as cursor:
            cursor.execute(f"REVOKE UPDATE ON `{database}`.`audit_auditevent` FROM '{application_user['name']}'@'%%'")
            cursor.execute(f"GRANT TRIGGER ON `{database}`.* TO '{application_user['name']}'@'%%'")
        widened = deploy_checks.check_grants(session.cursor(), database, append_only)
        assert widened.status == FAIL and "TRIGGER" in widened.message
        # A role it may switch to counts too, even when it is not active (SET ROLE is the user's choice).
        role = f"{application_user['name']}_role"
        with connection.cursor() as cursor:
            cursor.execute(f"REVOKE TRIGGER ON `{database}`.* FROM '{application_user['name']}'@'%%'")
            assert deploy_checks.check_grants(session.cursor(), database, append_only).status == OK
            cursor.execute(f"CREATE ROLE `{role}`")
            try:
                cursor.execute(f"GRANT DELETE ON `{database}`.`audit_auditevent` TO `{role}`")
                cursor.execute(f"GRANT `{role}` TO '{application_user['name']}'@'%%'")
                widened = deploy_checks.check_grants(session.cursor(), database, append_only)
            finally:
                cursor.execute(f"DROP ROLE `{role}`")
        assert widened.status == FAIL and "DELETE on the append-only table" in widened.message


@needs_mariadb
@pytest.mark.mysql
@pytest.mark.django_db
def test_an_append_only_table_without_its_triggers_fails() -> None:
    append_only = append_only_tables() & set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        assert deploy_checks.check_triggers(cursor, append_only).status == OK
        with translation.override("en"):
            result = deploy_checks.check_triggers(cursor, append_only | {"administration_unit"})
    assert result.status == FAIL and "administration_unit (UPDATE)" in result.message
    assert "administration_unit (DELETE)" in result.message


@needs_mariadb
@pytest.mark.mysql
@pytest.mark.django_db
def test_the_database_items_read_the_live_session() -> None:
    with connection.cursor() as cursor:
        assert deploy_checks.check_sql_mode(cursor).status == OK
        assert deploy_checks.check_isolation(cursor).status == OK
        cursor.execute("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'")
        cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try:
            assert deploy_checks.check_sql_mode(cursor).status == FAIL
            assert deploy_checks.check_isolation(cursor).status == FAIL
        finally:
            cursor.execute(
                "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'"
            )
            cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
    assert deploy_checks.check_database("default").status == OK


# ---------------------------------------------------------------- the read replica


def test_a_replica_that_cannot_be_reached_fails() -> None:
    with translation.override("en"):
        result = deploy_checks.check_replica("mysql://reta:x@127.0.0.1:1/reta", 30)
    assert result.status == FAIL and "cannot be reached" in result.message and "127.0.0.1:1" in result.message


@needs_mariadb
@pytest.mark.mysql
@pytest.mark.django_db
def test_a_writable_server_that_replicates_nothing_is_no_replica() -> None:
    config = connection.settings_dict
    url = f"mysql://{config['USER']}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 3306}/{config['NAME']}"
    statuses, out, error = run(replica_url=url)
    assert statuses["replica"] == [FAIL] and "not read_only" in out and "replicates from no primary" in out
    assert error is not None and "replica" in str(error)
