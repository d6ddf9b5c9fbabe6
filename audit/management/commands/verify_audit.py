"""`python manage.py verify_audit`: walk the hash chain of the audit trail (audit.chain) a chunk at
a time and report the first broken link (exit status 1), or that it is intact (exit status 0).

The line of a break names the event (id and UTC time) and what differs: `altered` (its fields no
longer give its hash), `deleted` (a link does not match the event before it, or the last rows are
gone) or `inserted` (a row without a hash, or one the next event links past).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from audit.chain import verify


class Command(BaseCommand):
    help = _("Check the hash chain of the audit trail and report the first broken link (exit status 1).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=2000, help=_("events read at a time"))

    def handle(self, *args: Any, **options: Any) -> None:
        broken, count = verify(chunk=max(1, options["chunk"]))
        if broken is None:
            self.stdout.write(_("Audit chain intact, %(count)s events.") % {"count": count})
            return
        when = broken.created_at.astimezone(datetime.UTC).isoformat() if broken.created_at else "-"
        self.stderr.write(
            _("Audit chain BROKEN after %(count)s intact events.") % {"count": count}
            + f"\n[{broken.kind}] event={broken.event_id if broken.event_id is not None else '-'}"
            + f" time_utc={when}\n{broken.message}"
        )
        raise SystemExit(1)
