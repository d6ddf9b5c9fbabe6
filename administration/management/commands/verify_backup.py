"""`python manage.py verify_backup ARCHIVE`: check a backup archive without restoring it: the
manifest, the sha256 of the dump and of every stored and private file, and the row count of every table in the
dump (administration.backups). A restore checks more: the loaded database itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from administration.backups import FAILURES, BackupError, backup_verify


class Command(BaseCommand):
    help = _("Check a backup archive without restoring it: checksums and row counts against its manifest.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help=_("the backup archive (.tar.gz)"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest, problems = backup_verify(Path(options["archive"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        except FAILURES as error:
            raise CommandError(_("Stopped: {error}").format(error=error)) from error
        if problems:
            raise CommandError(
                _("The archive does not match its manifest ({count} differences):").format(count=len(problems))
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "The backup of {created_at} is whole: {tables} tables ({rows:,} rows), {files} stored files, "
                    "{private_files} private files."
                ).format(
                    created_at=manifest["created_at"],
                    tables=len(manifest["tables"]),
                    rows=sum(manifest["tables"].values()),
                    files=len(manifest["files"]),
                    private_files=len(manifest.get("private_files", {})),
                )
            )
        )
