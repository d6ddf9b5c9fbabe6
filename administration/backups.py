"""Backups that can be restored, and restores that are checked (SECURITY.md 27).

One archive `reta-backup-<UTC time>.tar.gz` (mode 0600, written under a temporary name and renamed
when complete) holds:

- `database.sql` on MariaDB/MySQL: `mariadb-dump --single-transaction --routines --triggers
  --events --hex-blob` of the whole schema — every table, Django model or not, with its triggers,
  stored procedures and events; `database.sqlite3` on SQLite: a copy made with SQLite's backup API;
- `media/...`: every file under MEDIA_ROOT (scans of answers), written after the dump, so every file
  the dump refers to is there (stored files are never deleted nor rewritten);
- `private_media/...`: every file under RETA_PRIVATE_MEDIA_ROOT (the Investigation module's
  photographs and fingerprint cards, the generated documents of the register, the police report
  versions, reta.private_media),
  also written after the dump;
- `manifest.json`, written last: the format version, the UTC time, the engine, the applied
  migrations, the row count of every table, the views, triggers, routines and events (a sha256 of
  each definition), and the sha256 and size of the dump and of every stored file (`files` for
  MEDIA_ROOT, `private_files` for the private folder). On MariaDB the row counts are read from the
  dump itself, so they describe the snapshot the dump took.

Format version 1 (archives made before private media was backed up) has no `private_files`: it
still verifies and restores, and leaves the private folder untouched (`Unpacked.has_private_media`).

`restore` refuses a target database, media folder or private media folder that is not empty
(unless told to overwrite), loads the dump, copies the files, then compares the restored database
and both folders with the manifest (`inventory` of the restored schema read from information_schema
/ sqlite_master, never a fixed list) and reports every difference. `verify` checks an archive
alone: checksums and row counts.

Credentials never reach a command line: the password goes to the MariaDB client in an option file
of mode 0600 that is deleted afterwards.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection as django_connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "reta-backup"
FORMAT_VERSION = 2
#: Version 1 holds no private media (no `private_files` in its manifest); it is still read.
READABLE_VERSIONS = (1, 2)
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
PRIVATE_MEDIA_PREFIX = "private_media/"
#: Where each folder's files go in the archive, and the manifest key that lists them.
STORES = {"media": (MEDIA_PREFIX, "files"), "private_media": (PRIVATE_MEDIA_PREFIX, "private_files")}
DUMP_NAMES = {"mysql": "database.sql", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024

DUMP_OPTIONS = (
    "--single-transaction",
    "--routines",
    "--triggers",
    "--events",
    "--hex-blob",
    "--default-character-set=utf8mb4",
    "--no-tablespaces",
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


def _database_errors() -> tuple[type[BaseException], ...]:
    try:
        import MySQLdb
    except ImportError:  # pragma: no cover - mysqlclient is in requirements.txt
        return (sqlite3.Error,)
    return (sqlite3.Error, MySQLdb.Error)


#: What a command turns into a message instead of a traceback (besides BackupError).
FAILURES: tuple[type[BaseException], ...] = (OSError, *_database_errors())


@dataclass
class Target:
    """A database given as Django's settings dictionary (ENGINE, NAME, USER, PASSWORD, HOST, PORT)."""

    config: dict[str, Any]

    @classmethod
    def from_url(cls, url: str) -> Target:
        import environ

        try:
            config = environ.Env.db_url_config(url)
        except Exception as error:  # django-environ raises several kinds for a bad URL
            raise BackupError(_("The database URL is not valid: {error}").format(error=error)) from error
        return cls(config)

    @classmethod
    def configured(cls) -> Target:
        return cls(dict(django_connection.settings_dict))

    @property
    def engine(self) -> str:
        engine = self.config.get("ENGINE", "")
        # reta.testing_db is Django's MySQL backend with a test-only flush (reta.settings_test).
        if engine.endswith("mysql") or engine == "reta.testing_db":
            return "mysql"
        if engine.endswith("sqlite3"):
            return "sqlite"
        raise BackupError(_("Backups support MariaDB/MySQL and SQLite, not {engine}.").format(engine=engine))

    @property
    def name(self) -> str:
        return str(self.config.get("NAME") or "")

    def is_django_default(self) -> bool:
        return self.config.get("NAME") == django_connection.settings_dict.get("NAME") and self.config.get(
            "ENGINE"
        ) == django_connection.settings_dict.get("ENGINE")

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        """A DB-API connection of its own; Django's only for the configured SQLite database (the
        test database may live in memory, reachable through that connection alone)."""
        if self.engine == "sqlite":
            if self.is_django_default():
                django_connection.ensure_connection()
                yield django_connection.connection
                return
            conn = sqlite3.connect(self.name)
        else:
            import MySQLdb

            kwargs: dict[str, Any] = {"user": self.config.get("USER") or "", "charset": "utf8mb4"}
            kwargs["password"] = self.config.get("PASSWORD") or ""
            host = self.config.get("HOST") or ""
            if host.startswith("/"):
                kwargs["unix_socket"] = host
            elif host:
                kwargs["host"] = host
            if self.config.get("PORT"):
                kwargs["port"] = int(self.config["PORT"])
            try:
                conn = MySQLdb.connect(database=self.name, **kwargs)
            except MySQLdb.OperationalError as error:
                raise BackupError(
                    _("Cannot connect to the database {name}: {error}").format(name=self.name, error=error)
                ) from error
        try:
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def option_file(self) -> Iterator[list[str]]:
        """The arguments of a MariaDB client program: the password in a 0600 option file, never on
        the command line nor in the environment of other processes."""
        with tempfile.TemporaryDirectory(prefix="reta-client-") as folder:
            path = Path(folder) / "client.cnf"
            lines = ["[client]"]
            if self.config.get("PASSWORD"):
                escaped = str(self.config["PASSWORD"]).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                lines.append(f'password="{escaped}"')
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
            arguments = [f"--defaults-extra-file={path}"]
            if self.config.get("USER"):
                arguments.append(f"--user={self.config['USER']}")
            host = self.config.get("HOST") or ""
            if host.startswith("/"):
                arguments.append(f"--socket={host}")
            elif host:
                arguments.append(f"--host={host}")
            if self.config.get("PORT"):
                arguments.append(f"--port={int(self.config['PORT'])}")
            yield arguments


# ---------------------------------------------------------------- what a database holds


def _digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def inventory(target: Target, *, count_rows: bool = True) -> dict[str, Any]:
    """Tables (with row counts, or None without `count_rows`), views, triggers, routines, events
    and applied migrations of the whole schema, read from the database's own catalogue."""
    with target.connect() as conn:
        cursor = conn.cursor()
        if target.engine == "sqlite":
            cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
            rows = cursor.fetchall()
            tables = sorted(name for kind, name, _sql in rows if kind == "table")
            views = {name: _digest(sql) for kind, name, sql in rows if kind == "view"}
            triggers = {name: _digest(sql) for kind, name, sql in rows if kind == "trigger"}
            routines: dict[str, str] = {}
            events: dict[str, str] = {}
            quote = '"'
        else:
            cursor.execute(
                "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
            )
            rows = cursor.fetchall()
            tables = sorted(name for name, kind in rows if kind == "BASE TABLE")
            cursor.execute(
                "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()"
            )
            views = {name: _digest(definition) for name, definition in cursor.fetchall()}
            cursor.execute(
                "SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_STATEMENT "
                "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"
            )
            triggers = {
                name: _digest(f"{timing} {event} ON {table}: {statement}")
                for name, timing, event, table, statement in cursor.fetchall()
            }
            cursor.execute(
                "SELECT ROUTINE_TYPE, ROUTINE_NAME, ROUTINE_DEFINITION FROM information_schema.ROUTINES "
                "WHERE ROUTINE_SCHEMA = DATABASE()"
            )
            routines = {f"{kind} {name}": _digest(definition) for kind, name, definition in cursor.fetchall()}
            cursor.execute(
                "SELECT EVENT_NAME, EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"
            )
            events = {name: _digest(definition) for name, definition in cursor.fetchall()}
            quote = "`"
        counts: dict[str, int | None] = {}
        for table in tables:
            if not count_rows:
                counts[table] = None
                continue
            quoted = quote + table.replace(quote, quote * 2) + quote
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a name from the catalogue, quoted
            counts[table] = int(cursor.fetchone()[0])
        migrations: list[str] = []
        if "django_migrations" in counts:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
        cursor.close()
    return {
        "tables": counts,
        "views": views,
        "triggers": triggers,
        "routines": routines,
        "events": events,
        "migrations": migrations,
    }


def is_empty(target: Target) -> bool:
    found = inventory(target, count_rows=False)
    return not any(found[key] for key in ("tables", "views", "triggers", "routines", "events"))


# ---------------------------------------------------------------- reading a MariaDB dump

_INSERT = re.compile(r"INSERT INTO `((?:[^`]|``)+)` VALUES\b")
_CREATE = re.compile(r"CREATE TABLE `((?:[^`]|``)+)` \(")
_TOKEN = re.compile(r"'(?:[^'\\]|\\.)*'|[();']")
_NAME = r"(?:`((?:[^`]|``)+)`|([^\s`(]+))"
_OBJECTS = {
    "triggers": re.compile(r"/\*!50003 TRIGGER " + _NAME + r"\s"),
    "routines": re.compile(r"^CREATE (?:DEFINER=.*? )?(PROCEDURE|FUNCTION) " + _NAME + r"\s*\("),
    "events": re.compile(r"/\*!50106 EVENT " + _NAME + r"\s"),
}


def _name(match: re.Match[str], group: int) -> str:
    quoted, bare = match.group(group), match.group(group + 1)
    return quoted.replace("``", "`") if quoted is not None else bare


def dump_summary(path: Path) -> dict[str, Any]:
    """What a mysqldump/mariadb-dump file holds: the rows of each table it creates (the tuples of
    its INSERT statements: a line each in mariadb-dump's layout, else counted outside quoted
    strings; the dump escapes line breaks inside strings, so a string never spans two lines) and
    the names of its triggers, routines and events."""
    counts: dict[str, int] = {}
    names: dict[str, set[str]] = {key: set() for key in _OBJECTS}
    table: str | None = None
    one_row_a_line = False  # mariadb-dump's layout: `INSERT INTO `t` VALUES`, then a row a line
    depth = 0
    with path.open(encoding="utf-8", errors="surrogateescape") as dump:
        for number, line in enumerate(dump, start=1):
            position = 0
            if one_row_a_line and table is not None:
                row = line.rstrip("\n")
                if not (row.startswith("(") and row.endswith(("),", ");"))):
                    raise BackupError(_("Line {number} of the dump is not understood.").format(number=number))
                counts[table] += 1
                if row.endswith(";"):
                    table, one_row_a_line = None, False
                continue
            if table is None:
                created = _CREATE.match(line)
                if created:
                    counts.setdefault(created.group(1).replace("``", "`"), 0)
                    continue
                insert = _INSERT.match(line)
                if not insert:
                    for key, pattern in _OBJECTS.items():
                        found = pattern.search(line)
                        if found and key == "routines":
                            names[key].add(f"{found.group(1)} {_name(found, 2)}")
                        elif found:
                            names[key].add(_name(found, 1))
                    continue
                table = insert.group(1).replace("``", "`")
                counts.setdefault(table, 0)
                position = insert.end()
                if not line[position:].strip():
                    one_row_a_line = True
                    continue
            for token in _TOKEN.finditer(line, position):
                text = token.group()
                if text == "'":
                    raise BackupError(_("Line {number} of the dump is not understood.").format(number=number))
                if text == "(":
                    if depth == 0:
                        counts[table] += 1
                    depth += 1
                elif text == ")":
                    depth -= 1
                elif text == ";" and depth == 0:
                    table = None
                    break
    return {"tables": counts, **names}


# ---------------------------------------------------------------- writing an archive


class _Hashing(io.RawIOBase):
    """A file read through once, hashed as tarfile reads it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        reader = _Hashing(handle)
        archive.addfile(info, reader)
    if reader.size != stat.st_size:
        raise BackupError(_("The file {name} changed while it was being copied.").format(name=name))
    return {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def _stored_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under `root` (MEDIA_ROOT or the private media folder), by its path
    relative to it (symbolic links are not followed: they are reported)."""
    if not root.exists():
        return
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                raise BackupError(
                    _("{path} is not a regular file: the stored files hold regular files only.").format(path=path)
                )
            yield relative, path


def _dump_mysql(target: Target, destination: Path) -> None:
    program = shutil.which("mariadb-dump") or shutil.which("mysqldump")
    if not program:
        raise BackupError(_("mariadb-dump (or mysqldump) is not installed: install the mariadb-client package."))
    with target.option_file() as arguments, destination.open("wb") as output:
        command = [program, *arguments[:1], *DUMP_OPTIONS, *arguments[1:], target.name]
        result = subprocess.run(command, stdout=output, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("The database dump failed: {error}").format(error=result.stderr.decode("utf-8", "replace").strip())
        )


def _copy_sqlite(target: Target, destination: Path) -> None:
    copy = sqlite3.connect(destination)
    try:
        with target.connect() as source:
            source.backup(copy)
    finally:
        copy.close()


def backup_create(
    *,
    output: Path,
    target: Target | None = None,
    media_root: Path | None = None,
    private_media_root: Path | None = None,
) -> dict[str, Any]:
    """Write one archive into the folder `output`; returns the manifest, with `path` set."""
    target = target or Target.configured()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    private_media_root = Path(private_media_root or settings.RETA_PRIVATE_MEDIA_ROOT)
    output = Path(output)
    if not output.is_dir():
        raise BackupError(_("The folder {path} does not exist.").format(path=output))
    if output.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(_("Write the archive outside MEDIA_ROOT ({path}).").format(path=media_root))
    if output.resolve().is_relative_to(private_media_root.resolve()):
        raise BackupError(
            _("Write the archive outside RETA_PRIVATE_MEDIA_ROOT ({path}).").format(path=private_media_root)
        )
    engine = target.engine
    now = timezone.now().astimezone(datetime.UTC)
    final = output / f"reta-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    if final.exists():
        raise BackupError(_("{path} already exists.").format(path=final))
    partial = output / f".{final.name}.partial"
    with tempfile.TemporaryDirectory(prefix=".reta-backup-", dir=output) as work:
        dump = Path(work) / DUMP_NAMES[engine]
        if engine == "mysql":
            _dump_mysql(target, dump)
            found = inventory(target, count_rows=False)  # the rows are those of the dump's snapshot
            found["tables"] = dump_summary(dump)["tables"]
        else:
            _copy_sqlite(target, dump)
            found = inventory(Target({"ENGINE": "django.db.backends.sqlite3", "NAME": str(dump)}))
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "engine": engine,
            **found,
            "database": {},
            "files": {},
            "private_files": {},
        }
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                with tarfile.open(fileobj=handle, mode="w:gz") as archive:
                    manifest["database"] = {"name": dump.name, **_add_file(archive, dump, dump.name)}
                    for root, (prefix, key) in (
                        (media_root, STORES["media"]),
                        (private_media_root, STORES["private_media"]),
                    ):
                        for relative, path in _stored_files(root):
                            manifest[key][relative] = _add_file(archive, path, prefix + relative)
                    text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(text), int(now.timestamp()), 0o600
                    archive.addfile(info, io.BytesIO(text))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return {**manifest, "path": str(final)}


# ---------------------------------------------------------------- reading an archive


@dataclass
class Unpacked:
    """An archive extracted into a private folder: the manifest and what the members really hold."""

    folder: Path
    manifest: dict[str, Any]
    database: Path | None = None
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    private_files: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def has_private_media(self) -> bool:
        """False for an archive made before private media was backed up (format version 1)."""
        return self.manifest.get("version") != 1

    def extracted(self, store: str) -> Path:
        """The folder the files of `store` ("media" or "private_media") were extracted into."""
        return self.folder / store


def _member_path(name: str) -> tuple[str, str] | None:
    """The store ("media" or "private_media") and relative path of a stored file, or None when the
    member name is not a safe one."""
    for store, (prefix, _key) in STORES.items():
        if name.startswith(prefix):
            relative = PurePosixPath(name[len(prefix) :])
            if relative.is_absolute() or not relative.parts or any(part in ("", ".", "..") for part in relative.parts):
                return None
            return store, relative.as_posix()
    return None


def _hash_file(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


@contextlib.contextmanager
def unpacked(archive_path: Path) -> Iterator[Unpacked]:
    """Extract an archive (regular files only, names checked) and compare its members with its
    manifest; the folder is deleted afterwards."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(_("The archive {path} does not exist.").format(path=archive_path))
    with tempfile.TemporaryDirectory(prefix="reta-restore-") as work:
        folder = Path(work)
        files: dict[str, dict[str, dict[str, Any]]] = {store: {} for store in STORES}
        databases: dict[str, Path] = {}
        manifest_text: bytes | None = None
        problems: list[str] = []
        try:
            with tarfile.open(archive_path, mode="r:gz") as archive:
                for member in archive:
                    if member.isdir():  # an archive packed again by hand lists its folders
                        continue
                    if not member.isfile():
                        problems.append(_("The archive holds {name}, which is not a file.").format(name=member.name))
                        continue
                    source = archive.extractfile(member)
                    assert source is not None  # a regular file always has content
                    if member.name == MANIFEST:
                        manifest_text = source.read()
                        continue
                    stored = _member_path(member.name)
                    if member.name in DUMP_NAMES.values():
                        destination = folder / member.name
                    elif stored is not None:
                        destination = folder / stored[0] / stored[1]
                    else:
                        problems.append(_("The archive holds an unexpected member {name}.").format(name=member.name))
                        continue
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with destination.open("wb") as handle:
                        shutil.copyfileobj(source, handle, CHUNK)
                    if stored is not None:
                        files[stored[0]][stored[1]] = _hash_file(destination)
                    else:
                        databases[member.name] = destination
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(
                _("{path} is not a readable backup archive: {error}").format(path=archive_path, error=error)
            ) from error
        if manifest_text is None:
            raise BackupError(_("{path} holds no manifest: it is not a RETA backup.").format(path=archive_path))
        try:
            manifest = json.loads(manifest_text)
        except ValueError as error:
            raise BackupError(_("The manifest of {path} is not readable.").format(path=archive_path)) from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(_("{path} is not a RETA backup.").format(path=archive_path))
        if manifest.get("version") not in READABLE_VERSIONS:
            raise BackupError(
                _("The archive has format version {found}; this RETA reads versions {expected}.").format(
                    found=manifest.get("version"), expected=", ".join(map(str, READABLE_VERSIONS))
                )
            )
        result = Unpacked(
            folder=folder,
            manifest=manifest,
            files=files["media"],
            private_files=files["private_media"],
            problems=problems,
        )
        expected_dump = manifest.get("database", {})
        result.database = databases.get(expected_dump.get("name", ""))
        if result.database is None:
            problems.append(_("The archive holds no database dump."))
        else:
            found = _hash_file(result.database)
            if found["sha256"] != expected_dump.get("sha256"):
                problems.append(
                    _(
                        "The database dump differs from the one written by the backup "
                        "(sha256 {found}, expected {expected})."
                    ).format(found=found["sha256"], expected=expected_dump.get("sha256"))
                )
        problems.extend(compare_files(manifest.get("files", {}), result.files, where=_("in the archive")))
        problems.extend(
            compare_files(
                manifest.get("private_files", {}),
                result.private_files,
                where=_("among the archive's private media"),
            )
        )
        yield result


# ---------------------------------------------------------------- comparing


def compare_files(expected: dict[str, dict[str, Any]], found: dict[str, dict[str, Any]], *, where: str) -> list[str]:
    problems = []
    for name in sorted(expected.keys() - found.keys()):
        problems.append(_("File {name}: missing {where}.").format(name=name, where=where))
    for name in sorted(found.keys() - expected.keys()):
        problems.append(_("File {name}: {where} but not in the backup's manifest.").format(name=name, where=where))
    for name in sorted(expected.keys() & found.keys()):
        if found[name]["sha256"] != expected[name]["sha256"]:
            problems.append(
                _("File {name}: its content differs {where} ({size} bytes, expected {expected} bytes).").format(
                    name=name, where=where, size=found[name]["size"], expected=expected[name]["size"]
                )
            )
    return problems


def compare_database(manifest: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """Every difference between the manifest and the inventory of a database."""
    problems = []
    expected_tables, found_tables = manifest.get("tables", {}), found["tables"]
    for table in sorted(expected_tables.keys() - found_tables.keys()):
        problems.append(_("Table {table}: missing.").format(table=table))
    for table in sorted(found_tables.keys() - expected_tables.keys()):
        problems.append(_("Table {table}: not in the backup.").format(table=table))
    for table in sorted(expected_tables.keys() & found_tables.keys()):
        if expected_tables[table] != found_tables[table]:
            problems.append(
                _("Table {table}: {found} rows, the backup has {expected}.").format(
                    table=table, found=found_tables[table], expected=expected_tables[table]
                )
            )
    labels = {
        "views": _("View"),
        "triggers": _("Trigger"),
        "routines": _("Routine"),
        "events": _("Scheduled event"),
    }
    for key, label in labels.items():
        expected, present = manifest.get(key, {}), found[key]
        for name in sorted(expected.keys() - present.keys()):
            problems.append(_("{kind} {name}: missing.").format(kind=label, name=name))
        for name in sorted(present.keys() - expected.keys()):
            problems.append(_("{kind} {name}: not in the backup.").format(kind=label, name=name))
        for name in sorted(expected.keys() & present.keys()):
            if expected[name] != present[name]:
                problems.append(_("{kind} {name}: its definition differs.").format(kind=label, name=name))
    if manifest.get("migrations", []) != found["migrations"]:
        problems.append(_("The applied migrations differ from those of the backup."))
    return problems


def backup_verify(archive_path: Path) -> tuple[dict[str, Any], list[str]]:
    """Check an archive without restoring it: checksums, the row counts of the dump and (MariaDB)
    the names of the triggers, routines and events it creates."""
    with unpacked(archive_path) as content:
        problems = list(content.problems)
        manifest = content.manifest
        if content.database is None:
            return manifest, problems
        found = {key: manifest.get(key, {}) for key in ("views", "triggers", "routines", "events")}
        found["migrations"] = manifest.get("migrations", [])
        if manifest.get("engine") == "mysql":
            summary = dump_summary(content.database)
            found["tables"] = summary["tables"]
            for key in _OBJECTS:  # the dump holds names, not the catalogue's definitions
                expected = manifest.get(key, {})
                found[key] = {name: expected.get(name, "") for name in summary[key]}
        else:
            copy = inventory(Target({"ENGINE": "django.db.backends.sqlite3", "NAME": str(content.database)}))
            found.update(copy)
        problems.extend(compare_database(manifest, found))
    return manifest, problems


# ---------------------------------------------------------------- restoring


def _load_mysql(target: Target, dump: Path) -> None:
    program = shutil.which("mariadb") or shutil.which("mysql")
    if not program:
        raise BackupError(_("The mariadb (or mysql) client is not installed: install the mariadb-client package."))
    with target.option_file() as arguments, dump.open("rb") as source:
        command = [program, *arguments, "--default-character-set=utf8mb4", f"--database={target.name}"]
        result = subprocess.run(command, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("Loading the dump failed: {error}").format(error=result.stderr.decode("utf-8", "replace").strip())
        )


def _load_sqlite(target: Target, copy: Path) -> None:
    source = sqlite3.connect(copy)
    try:
        with target.connect() as destination:
            source.backup(destination)
    finally:
        source.close()


def _media_files(root: Path) -> dict[str, dict[str, Any]]:
    return {relative: _hash_file(path) for relative, path in _stored_files(root)}


def _refuse_a_full_folder(root: Path) -> None:
    if root.exists() and any(root.iterdir()):
        raise BackupError(
            _("The folder {path} is not empty: restore into an empty folder, or give --overwrite.").format(path=root)
        )


def _copy_files(content: Unpacked, store: str, names: dict[str, Any], root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for relative in sorted(names):
        destination = root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(content.extracted(store) / relative, destination)
        os.chmod(destination, 0o600)


def backup_restore(
    archive_path: Path,
    *,
    target: Target,
    media_root: Path,
    private_media_root: Path | None = None,
    overwrite: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """Load an archive into `target`, `media_root` and `private_media_root` (default
    RETA_PRIVATE_MEDIA_ROOT), then compare them with the manifest. Returns the manifest and every
    difference found (an empty list: the restore is whole). An archive of format version 1 holds
    no private media: the private folder is then neither required empty nor touched."""
    media_root = Path(media_root)
    private_media_root = Path(private_media_root or settings.RETA_PRIVATE_MEDIA_ROOT)
    engine = target.engine
    if not overwrite:
        if engine == "mysql" or Path(target.name).exists():
            if not is_empty(target):
                raise BackupError(
                    _(
                        "The database {name} is not empty: restore into a new, empty database, "
                        "or give --overwrite to replace its contents."
                    ).format(name=target.name)
                )
        _refuse_a_full_folder(media_root)
    with unpacked(archive_path) as content:
        manifest = content.manifest
        if manifest.get("engine") != engine:
            raise BackupError(
                _("The archive holds a {found} database; the target is {expected}.").format(
                    found=manifest.get("engine"), expected=engine
                )
            )
        has_private_media = content.has_private_media
        if has_private_media and not overwrite:
            _refuse_a_full_folder(private_media_root)
        problems = list(content.problems)
        if content.database is None:
            return manifest, problems
        if engine == "mysql":
            _load_mysql(target, content.database)
        else:
            _load_sqlite(target, content.database)
        _copy_files(content, "media", content.files, media_root)
        if has_private_media:
            _copy_files(content, "private_media", content.private_files, private_media_root)
    problems.extend(compare_database(manifest, inventory(target)))
    where = _("in {path}").format(path=media_root)
    problems.extend(compare_files(manifest.get("files", {}), _media_files(media_root), where=where))
    if has_private_media:
        where = _("in {path}").format(path=private_media_root)
        problems.extend(compare_files(manifest.get("private_files", {}), _media_files(private_media_root), where=where))
    return manifest, problems
