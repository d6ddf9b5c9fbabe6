"""`manage.py rebuild_match_index`: empty the match index and write it again from every record
(analysis.indexing.rebuild), in chunks, reporting the keys written per kind and the time taken.
Run after a bulk load made with the index signals paused (analysis.signals.paused).

The pending work of the index (`analysis.IndexWork`) that was committed when the rebuild started
is deleted at the end: the rebuild read those writes. Not the rows committed later (the rebuild
may have missed their writes: the worker does them), and not by their `created_at` (the time
the signal fired, before a COMMIT that may come after the rebuild's reads). Their candidates are
not refreshed: run `rebuild_candidate_queue` next, as after every rebuild."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from analysis.index_work import forget, work_visible
from analysis.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the cross-case match index from every identity, recorded person and thing of case files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chunk-size", type=int, default=20_000, help="identities or rows per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1

        def progress(report: Any) -> None:
            if verbose:
                self.stdout.write(f"  {report.identities} identities, {report.total} keys")

        pending = work_visible()  # before the rebuild reads anything
        report = rebuild(chunk_size=options["chunk_size"], progress=progress)
        cleared = forget(pending)
        for kind, count in sorted(report.keys.items()):
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Match index rebuilt: {report.total} keys from {report.identities} identities, "
                f"{report.things} things of case files and {report.places} places of complaints "
                f"in {report.seconds:.1f} s."
            )
        )
        self.stdout.write(
            f"Pending index work done by the rebuild: {cleared} rows deleted "
            "(run rebuild_candidate_queue for the candidates)."
        )
