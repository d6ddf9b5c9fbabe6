"""`python manage.py statistics TABLE --from YEAR --to YEAR [--format csv|json]`: a statistics table
with national scope, on the standard output (issue 5). `--rebuild` rewrites the statistics read
model from the registered complaints (after loading data without the services, or after the read
model changed). The table is read from the read replica when one is configured (reta.db_router), but
right after --rebuild.
National scope is `Scope.national()`, said explicitly. `--tree registered` counts
the tables by directorate by the tree of each complaint's registration date instead of the tree in
force today (`--tree now`, the default; stats.units)."""

from __future__ import annotations

import csv
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from administration.access import Scope
from reta.db_router import replica_reads
from stats import selectors
from stats.codes import NONE, NONE_TOKEN
from stats.tables import PeriodError
from stats.units import TREE_NOW, TREE_REGISTERED


class Command(BaseCommand):
    help = _(
        "Print a statistics table with national scope as CSV or JSON: cases_by_unit_year, persons_by_year, "
        "purposes_by_year (the published tables), outcomes_by_year, victims_by_sex_age, complaints_by_department. "
        "With --rebuild, rewrite the statistics read model from the registered complaints."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("table", nargs="?", choices=list(selectors.TABLES), help=_("the table"))
        parser.add_argument("--from", dest="year_from", type=int, help=_("first year of registration"))
        parser.add_argument("--to", dest="year_to", type=int, help=_("last year of registration"))
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument(
            "--tree",
            choices=(TREE_NOW, TREE_REGISTERED),
            default=TREE_NOW,
            help=_("directorates by the tree in force today (now) or of the registration date (registered)"),
        )
        parser.add_argument("--rebuild", action="store_true", help=_("rebuild the statistics read model"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            from stats.services import statistics_rebuild

            started = time.monotonic()
            count = statistics_rebuild()
            self.stderr.write(
                _("Statistics rebuilt for {count} complaints ({seconds:.1f} s).").format(
                    count=count, seconds=time.monotonic() - started
                )
            )
            if not options["table"]:
                return
        if not options["table"]:
            raise CommandError(_("Name a table, or give --rebuild."))
        if options["rebuild"]:
            self._print(options)  # what was just rebuilt: the primary, which the replica may lag
            return
        with replica_reads():  # the read replica when there is one (README "Read replica")
            self._print(options)

    def _print(self, options: dict[str, Any]) -> None:
        scope = Scope.national()
        default_from, default_to = selectors.default_period(scope)
        year_from = options["year_from"] or default_from
        year_to = options["year_to"] or default_to
        try:
            table = selectors.table(
                options["table"], scope=scope, year_from=year_from, year_to=year_to, tree=options["tree"]
            )
        except PeriodError as error:
            raise CommandError(str(error)) from error
        records = [[NONE_TOKEN if cell == NONE else cell for cell in record] for record in table.records()]
        if options["format"] == "json":
            header = [NONE_TOKEN if code == NONE else code for code in table.header()]
            document = {
                "table": table.name,
                "title": table.title,
                "from": year_from,
                "to": year_to,
                "scope": "national",
                "tree": options["tree"],
                "columns": header,
                "rows": [dict(zip(header, record, strict=True)) for record in records],
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow([NONE_TOKEN if code == NONE else code for code in table.header()])
        writer.writerows(records)
