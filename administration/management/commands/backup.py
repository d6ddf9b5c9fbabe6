"""`python manage.py backup --output FOLDER`: one archive with the whole database (every table,
trigger, routine and event), every stored file of MEDIA_ROOT and of RETA_PRIVATE_MEDIA_ROOT, plus a
manifest to check a restore against (administration.backups, SECURITY.md 27)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from administration.backups import FAILURES, BackupError, Target, backup_create


class Command(BaseCommand):
    help = _(
        "Write a backup archive (reta-backup-<UTC time>.tar.gz, mode 0600) with the database dump, "
        "every file under MEDIA_ROOT and under RETA_PRIVATE_MEDIA_ROOT and a manifest of row counts, "
        "triggers, routines and checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=".", help=_("the folder that receives the archive"))
        parser.add_argument("--database-url", help=_("the database to back up (default: the configured one)"))
        parser.add_argument("--media-root", help=_("the folder of stored files (default: MEDIA_ROOT)"))
        parser.add_argument(
            "--private-media-root",
            help=_("the folder of photographs and fingerprint cards (default: RETA_PRIVATE_MEDIA_ROOT)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.RETA_STORAGE != "local":  # README "Several app servers"
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "The stored files are in a bucket (RETA_STORAGE={storage}): this archive holds the "
                        "database and the local folders only. Back up the bucket with its own versioning or "
                        "replication."
                    ).format(storage=settings.RETA_STORAGE)
                )
            )
        try:
            target = Target.from_url(options["database_url"]) if options["database_url"] else None
            manifest = backup_create(
                output=Path(options["output"]),
                target=target,
                media_root=Path(options["media_root"]) if options["media_root"] else None,
                private_media_root=Path(options["private_media_root"]) if options["private_media_root"] else None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        except FAILURES as error:
            raise CommandError(_("Stopped: {error}").format(error=error)) from error
        size = Path(manifest["path"]).stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup written: {path} ({size:,} bytes). Tables: {tables} ({rows:,} rows), triggers: "
                    "{triggers}, routines: {routines}, stored files: {files}, private files: {private_files}."
                ).format(
                    path=manifest["path"],
                    size=size,
                    tables=len(manifest["tables"]),
                    rows=sum(manifest["tables"].values()),
                    triggers=len(manifest["triggers"]),
                    routines=len(manifest["routines"]),
                    files=len(manifest["files"]),
                    private_files=len(manifest["private_files"]),
                )
            )
        )
