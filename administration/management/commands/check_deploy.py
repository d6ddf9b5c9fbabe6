"""`python manage.py check_deploy [--app-servers N] [--replica-url URL] [--max-replica-lag S]`: the
production checklist of docs/deploy.md, run against the live configuration (administration.deploy_checks).
One line per check: OK, WARN, FAIL or SKIP, its name and why. Exit status 1 when any check FAILs.

Run it on every app server after an install or an upgrade, with the environment gunicorn gets
(the application's database user, not the owner's)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from administration.deploy_checks import FAIL, MAX_REPLICA_LAG_SECONDS, OK, WARN, run_checks


class Command(BaseCommand):
    help = _(
        "Check the production configuration (settings, database user and grants, triggers, storages, static "
        "files, read replica) and print OK or FAIL for each item; exit status 1 on any failure."
    )
    requires_system_checks: list[str] = []  # Django's own checks run as one item of the list

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help=_("the database alias to check"))
        parser.add_argument(
            "--app-servers", type=int, default=1, help=_("how many app servers share the database (default 1)")
        )
        parser.add_argument(
            "--replica-url",
            default=os.environ.get("DATABASE_REPLICA_URL", ""),
            help=_("the read replica (default: DATABASE_REPLICA_URL)"),
        )
        parser.add_argument(
            "--max-replica-lag",
            type=int,
            default=MAX_REPLICA_LAG_SECONDS,
            help=_("the most seconds the replica may be behind (default {seconds})").format(
                seconds=MAX_REPLICA_LAG_SECONDS
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_checks(
            alias=options["database"],
            app_servers=options["app_servers"],
            replica_url=options["replica_url"],
            max_lag=options["max_replica_lag"],
        )
        styles = {OK: self.style.SUCCESS, WARN: self.style.WARNING, FAIL: self.style.ERROR}
        for result in results:
            style = styles.get(result.status, str)
            self.stdout.write(f"{style(result.status.ljust(4))} {result.name.ljust(13)} {result.message}")
        failures = [result.name for result in results if result.status == FAIL]
        if failures:
            raise CommandError(
                _("{count} check(s) failed: {names}.").format(count=len(failures), names=", ".join(failures))
            )
        self.stdout.write(self.style.SUCCESS(_("Every check passed.")))
