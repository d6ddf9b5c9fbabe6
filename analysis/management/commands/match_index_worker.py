"""`manage.py match_index_worker`: do the match index's work left by the writers
(`analysis.IndexWork`, see analysis.index_work) — the keys and the candidate queue of what was
saved — in batches, for ever (a short sleep when there is nothing to do) or, with `--once`, until
nothing is due and then exit.

With `RETA_MATCH_INDEX=worker` it is the service that keeps the index current
(docs/deploy/reta-match-index.service); with `commit` the requests do it themselves and `--once`
from cron does what a crash or a failure left. Several workers may run at once: a batch claims its
rows with SELECT ... FOR UPDATE SKIP LOCKED, so no two do the same row. SIGTERM or SIGINT: the
batch in hand is finished (committed) and the worker exits. A batch that fails (the database gone,
a deadlock five times) is logged and rolled back, its rows stay; the worker sleeps and goes on
(with `--once`: exits with an error)."""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from analysis import index_work

logger = logging.getLogger("analysis.index_work")


class Command(BaseCommand):
    help = "Do the pending work of the cross-case match index (keys and candidate queue), in batches."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="drain what is due now, then exit")
        parser.add_argument("--batch-size", type=int, default=index_work.BATCH_SIZE, help="work rows per transaction")
        parser.add_argument("--idle-seconds", type=float, default=1.0, help="sleep when nothing is due (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        once, idle = options["once"], max(options["idle_seconds"], 0.01)
        stop = threading.Event()
        handlers = {}
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGTERM, signal.SIGINT):
                handlers[number] = signal.signal(number, lambda *_: stop.set())
        started = time.perf_counter()
        done = failed = batches = 0
        try:
            while not stop.is_set():
                try:
                    report = index_work.drain(batch_size=options["batch_size"])
                except Exception as error:
                    logger.exception("match index worker: a batch failed and was rolled back; its rows stay")
                    connection.close()  # a connection lost or broken is opened again by the next batch
                    if once:
                        raise CommandError(f"A batch failed (its rows stay): {error}") from error
                    stop.wait(idle)
                    continue
                if report.claimed:
                    batches += 1
                    done += report.done
                    failed += report.failed
                    logger.info(
                        "match index worker: %s rows done, %s failed in %.2f s",
                        report.done,
                        report.failed,
                        report.seconds,
                    )
                    continue
                if once:
                    break
                stop.wait(idle)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
        seconds = time.perf_counter() - started
        kept = " (their rows kept for a later pass)" if failed else ""
        message = f"Match index work: {done} rows done, {failed} failed{kept}, {batches} batches in {seconds:.1f} s."
        if failed and once:
            raise CommandError(message)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(message) if not failed else message)
