"""`python manage.py restore ARCHIVE --database-url URL --media-root FOLDER --private-media-root FOLDER
[--overwrite]`: load a backup into an empty database and empty folders, then compare them with the
archive's manifest (row counts, triggers, routines, events, migrations, every file's sha256). Any
difference: a non-zero exit and the list of differences (administration.backups). An archive made
before private media was backed up restores without it, with a warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from administration.backups import FAILURES, BackupError, Target, backup_restore


class Command(BaseCommand):
    help = _(
        "Restore a backup archive into an empty database and empty folders of stored files and of "
        "private media, then check the result against the archive's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help=_("the backup archive (.tar.gz)"))
        parser.add_argument("--database-url", help=_("the database to restore into (default: the configured one)"))
        parser.add_argument("--media-root", help=_("the folder of stored files (default: MEDIA_ROOT)"))
        parser.add_argument(
            "--private-media-root",
            help=_("the folder of photographs and fingerprint cards (default: RETA_PRIVATE_MEDIA_ROOT)"),
        )
        parser.add_argument(
            "--overwrite", action="store_true", help=_("restore even if the database or the folders are not empty")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        private_media_root = Path(options["private_media_root"] or settings.RETA_PRIVATE_MEDIA_ROOT)
        try:
            target = Target.from_url(options["database_url"]) if options["database_url"] else Target.configured()
            manifest, problems = backup_restore(
                Path(options["archive"]),
                target=target,
                media_root=media_root,
                private_media_root=private_media_root,
                overwrite=options["overwrite"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        except FAILURES as error:
            raise CommandError(_("Stopped: {error}").format(error=error)) from error
        if problems:
            raise CommandError(
                _("The restore does not match the backup of {created_at} ({count} differences):").format(
                    created_at=manifest.get("created_at"), count=len(problems)
                )
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )
        if manifest.get("version") == 1:  # made before private media was backed up
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "This archive (format version {version}) was made before photographs and fingerprint "
                        "cards were backed up: it holds none, and {private_media_root} was left as it was."
                    ).format(version=manifest.get("version"), private_media_root=private_media_root)
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored and verified the backup of {created_at} into {name}: {tables} tables ({rows:,} rows), "
                    "{triggers} triggers, {routines} routines, {files} stored files in {media_root}, "
                    "{private_files} private files in {private_media_root}."
                ).format(
                    created_at=manifest["created_at"],
                    name=target.name,
                    tables=len(manifest["tables"]),
                    rows=sum(manifest["tables"].values()),
                    triggers=len(manifest["triggers"]),
                    routines=len(manifest["routines"]),
                    files=len(manifest["files"]),
                    media_root=media_root,
                    private_files=len(manifest.get("private_files", {})),
                    private_media_root=private_media_root,
                )
            )
        )
