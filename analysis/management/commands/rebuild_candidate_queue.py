"""`manage.py rebuild_candidate_queue`: write the candidate queue (`analysis.CandidatePair`) again
from the whole match index (analysis.queue.rebuild), in chunks of identities, reporting the
identities read, the pairs kept (strong ones among them), the rows deleted and the time taken.
Run after `rebuild_match_index` (a bulk load made with the index signals paused)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from analysis.queue import rebuild


class Command(BaseCommand):
    help = "Rebuild the queue of candidate matches from the whole cross-case match index."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chunk-size", type=int, default=1000, help="identities per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1.")
        verbose = options["verbosity"] > 1

        def progress(report: Any) -> None:
            if verbose:
                self.stdout.write(f"  {report.identities} identities, {report.pairs} pairs")

        report = rebuild(chunk_size=options["chunk_size"], progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Candidate queue rebuilt: {report.pairs} pairs ({report.strong} strong) from "
                f"{report.identities} identities in {report.chunks} chunks; {report.deleted} old rows "
                f"deleted; {report.seconds:.1f} s."
            )
        )
