"""The production grants of the MySQL/MariaDB database (README "Production", SECURITY.md 11-12).

Two database users: the *owner* (runs `manage.py migrate` and this command; owns the tables, the
triggers and the procedures, which run as their DEFINER) and the *application* user (gunicorn).
The application user gets, table by table:
  - SELECT, INSERT, UPDATE, DELETE on the ordinary tables;
  - SELECT, INSERT only on the append-only tables: every simple-history table, the audit trail and
    the diligence register (every `reta.guards.AppendOnlyModel`);
  - nothing on the amendment lease and log tables (complaints.freeze), only EXECUTE on the two
    procedures `reta_amendment_open` / `reta_amendment_close`;
  - no TRIGGER, DROP, ALTER, CREATE, GRANT, SUPER.
The grants name the tables that exist, so run it again (with `--apply`) after every `migrate`.

    manage.py db_grants --app-user reta --app-host localhost --owner-user reta_owner   # prints SQL
    manage.py db_grants ... --apply                                                     # executes it
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reta.guards import AppendOnlyModel

PROCEDURES = ("reta_amendment_open", "reta_amendment_close")
GUARD_TABLES = ("reta_amendment_lease", "reta_amendment_log")  # no privilege at all


def append_only_tables() -> set[str]:
    """Every history table and every AppendOnlyModel's table."""
    return {
        model._meta.db_table
        for model in apps.get_models()
        if model.__name__.startswith("Historical") or issubclass(model, AppendOnlyModel)
    }


ACCOUNT_PART = re.compile(r"[A-Za-z0-9_.%-]{1,80}")


def _account(user: str, host: str) -> str:
    for part in (user, host):
        if not ACCOUNT_PART.fullmatch(part):
            raise CommandError(f"Not a plain user or host name: {part!r}")
    return f"'{user}'@'{host}'"


def grant_statements(*, database: str, app_user: str, app_host: str, owner_user: str, owner_host: str) -> list[str]:
    """The SQL that gives the two users their privileges on `database` (its tables as they exist)."""
    quote = connection.ops.quote_name
    app = _account(app_user, app_host)
    owner = _account(owner_user, owner_host)
    tables = set(connection.introspection.table_names())
    append_only = append_only_tables() & tables
    statements = [
        f"GRANT ALL PRIVILEGES ON {quote(database)}.* TO {owner}",
        f"REVOKE ALL PRIVILEGES, GRANT OPTION FROM {app}",
    ]
    for table in sorted(tables - set(GUARD_TABLES)):
        privileges = "SELECT, INSERT" if table in append_only else "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {privileges} ON {quote(database)}.{quote(table)} TO {app}")
    statements += [f"GRANT EXECUTE ON PROCEDURE {quote(database)}.{quote(name)} TO {app}" for name in PROCEDURES]
    return statements


class Command(BaseCommand):
    help = "Print (or apply with --apply) the production grants of the MySQL/MariaDB database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--app-user", default="reta", help="the application's database user")
        parser.add_argument("--app-host", default="localhost")
        parser.add_argument("--owner-user", default="reta_owner", help="the migration user, owner of the schema")
        parser.add_argument("--owner-host", default="localhost")
        parser.add_argument("--apply", action="store_true", help="execute the statements (as a user with GRANT)")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "mysql":
            raise CommandError("The grants concern MySQL/MariaDB; this database is " + connection.vendor + ".")
        statements = grant_statements(
            database=connection.settings_dict["NAME"],
            app_user=options["app_user"],
            app_host=options["app_host"],
            owner_user=options["owner_user"],
            owner_host=options["owner_host"],
        )
        for statement in statements:
            self.stdout.write(statement + ";")
        if options["apply"]:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            self.stderr.write(f"{len(statements)} statements applied.")
