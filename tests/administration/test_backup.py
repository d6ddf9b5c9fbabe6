"""Backups are restored and checked (SECURITY.md 27, issue 9 item 8): `backup` writes one archive
with the database, the stored files (MEDIA_ROOT) and the private media (RETA_PRIVATE_MEDIA_ROOT:
photographs and fingerprint cards of the Investigation module), `restore` loads it into a fresh
database and fresh folders and compares them with the manifest; a changed file or a missing row
fails the restore. An archive of format version 1 (before private media) still restores.

On MariaDB the round trip goes through mariadb-dump and the mariadb client into a database created
for the test (dropped at the end, even on failure); on SQLite through SQLite's backup API."""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import sqlite3
import stat
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from administration.backups import BackupError, Target, dump_summary, inventory
from complaints import services
from complaints.models import Complaint
from diligences import services as register
from investigations import person_services
from investigations.models import PersonImage
from tests.diligences.test_diligences import entry_data, png_bytes
from tests.investigations.conftest import open_case

PROBE_TABLE = "reta_backup_probe"
PROBE_ROUTINE = "reta_backup_probe_count"


@pytest.fixture
def stored(settings: Any, tmp_path: Path, personas: dict, complaints: dict) -> dict[str, Any]:
    """A frozen complaint with victims, amended (history rows), a diligence answer with a scanned
    file under a temporary MEDIA_ROOT, a case file with a person's photograph under a temporary
    RETA_PRIVATE_MEDIA_ROOT, and the audit events all of that wrote."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    admin = personas["national_admin"]
    admin.is_verified = lambda: True
    frozen = complaints["frozen"]
    data = services.complaint_data_of(frozen)
    data.narrative = "Relato corregido por la enmienda."
    data.victims[0].age = 13
    frozen = services.complaint_amend(
        actor=admin,
        complaint=frozen,
        data=data,
        reason="La partida de nacimiento acredita otra edad.",
        expected_version=1,
    )
    officer = personas["station_officer"]
    entry = register.diligence_record(actor=officer, complaint=frozen, data=entry_data())
    answer = register.answer_record(
        actor=officer,
        diligence=entry,
        data=register.AnswerData(received_on=timezone.localdate(), summary="Ficha RENIEC recibida."),
        scan=SimpleUploadedFile("ficha.png", png_bytes(), content_type="image/png"),
    )
    case_file = open_case(personas, frozen)
    investigator = personas["regional_investigator"]
    person = person_services.case_person_add(
        actor=investigator,
        case_file=case_file,
        data=person_services.PersonData(role="alleged_trafficker", first_names="Rómulo", last_names="Quispe"),
    )
    image = person_services.case_person_add_image(
        actor=investigator,
        case_file=case_file,
        case_person_id=person.pk,
        upload=SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
        kind="photo",
    )
    private = Path(settings.RETA_PRIVATE_MEDIA_ROOT)
    assert image.file.name in files_under(private)
    return {"frozen": frozen, "answer": answer, "media": Path(settings.MEDIA_ROOT), "image": image, "private": private}


def the_archive(folder: Path) -> Path:
    (archive,) = folder.glob("reta-backup-*.tar.gz")
    return archive


def backup(folder: Path) -> Path:
    folder.mkdir()
    out = io.StringIO()
    call_command("backup", output=str(folder), stdout=out)
    archive = the_archive(folder)
    assert str(archive) in out.getvalue()
    return archive


def files_under(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def rewrite(archive: Path, change: Any) -> None:
    """Rewrite the archive with `change(name, data)` applied to each member's bytes."""
    with tarfile.open(archive, "r:gz") as source:
        members = [(member, source.extractfile(member).read()) for member in source]
    with tarfile.open(archive, "w:gz") as target:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as source:
        return json.loads(source.extractfile("manifest.json").read())


# ---------------------------------------------------------------- MariaDB


@contextlib.contextmanager
def fresh_database() -> Iterator[Target]:
    """An empty MariaDB database beside the test database, dropped at the end even on failure."""
    name = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        yield Target({**connection.settings_dict, "NAME": name})
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


def url_of(target: Target) -> str:
    config = target.config
    credentials = f"{quote(config.get('USER') or '', safe='')}:{quote(config.get('PASSWORD') or '', safe='')}"
    return f"mysql://{credentials}@{config.get('HOST') or 'localhost'}:{config.get('PORT') or 3306}/{target.name}"


@pytest.fixture
def raw_sql_objects() -> Iterator[None]:
    """A table that is no Django model and a stored procedure, as the raw-SQL parts of the schema
    are: the backup must carry what Django does not know about."""
    skip_unless_mariadb()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PROBE_TABLE} (id INT PRIMARY KEY, note VARCHAR(40)) DEFAULT CHARSET=utf8mb4")
        cursor.execute("INSERT INTO reta_backup_probe VALUES (1, 'paréntesis ( y comilla '' ; dentro'), (2, NULL)")
        cursor.execute("CREATE PROCEDURE reta_backup_probe_count() SELECT COUNT(*) FROM reta_backup_probe")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP PROCEDURE IF EXISTS {PROBE_ROUTINE}")
            cursor.execute(f"DROP TABLE IF EXISTS {PROBE_TABLE}")


def skip_unless_mariadb() -> None:
    if connection.vendor != "mysql":
        pytest.skip("The dump, its triggers and routines are MariaDB's (the SQLite round trip is tested below).")


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_a_mariadb_backup_restores_into_a_fresh_database_with_its_rows_triggers_routines_and_files(
    stored: dict, raw_sql_objects: None, tmp_path: Path
) -> None:
    skip_unless_mariadb()
    source = inventory(Target.configured())
    archive = backup(tmp_path / "archives")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert [path.name for path in archive.parent.iterdir()] == [archive.name]  # no partial file left
    manifest = manifest_of(archive)
    assert manifest["tables"] == source["tables"]
    assert manifest["tables"][PROBE_TABLE] == 2
    assert manifest["version"] == 2 and list(manifest["private_files"]) == [stored["image"].file.name]
    call_command("verify_backup", str(archive), stdout=io.StringIO())  # names of the dump's triggers and routines

    restored_media = tmp_path / "restored-media"
    restored_private = tmp_path / "restored-private"
    with fresh_database() as target:
        out = io.StringIO()
        call_command(
            "restore",
            str(archive),
            database_url=url_of(target),
            media_root=str(restored_media),
            private_media_root=str(restored_private),
            stdout=out,
        )
        restored = inventory(target)
        assert restored["tables"] == source["tables"]
        assert source["tables"]["complaints_historicalcomplaint"] >= 3 and source["tables"]["audit_auditevent"] > 0
        assert (
            restored["triggers"] == source["triggers"] and "complaints_complaint_frozen_update" in restored["triggers"]
        )
        assert restored["routines"] == source["routines"] and f"PROCEDURE {PROBE_ROUTINE}" in restored["routines"]
        assert restored["events"] == source["events"] and restored["views"] == source["views"]
        assert restored["migrations"] == source["migrations"] and restored["migrations"]
        assert files_under(restored_media) == files_under(stored["media"])
        assert stored["answer"].scan.name in files_under(restored_media)
        # The photograph's row and its file are both restored, in the private folder only.
        assert files_under(restored_private) == files_under(stored["private"])
        assert stored["image"].file.name not in files_under(restored_media)
        assert restored["tables"]["investigations_personimage"] == PersonImage.objects.count() == 1

        # The triggers work in the restored database: a frozen complaint refuses an UPDATE.
        import MySQLdb

        with target.connect() as conn:
            cursor = conn.cursor()
            with pytest.raises(MySQLdb.MySQLError):
                cursor.execute("UPDATE complaints_complaint SET narrative = 'x' WHERE id = %s", [stored["frozen"].pk])
            cursor.execute("SELECT narrative FROM complaints_complaint WHERE id = %s", [stored["frozen"].pk])
            assert cursor.fetchone()[0] == "Relato corregido por la enmienda."

        # A second restore into the same, now full, database is refused.
        with pytest.raises(CommandError) as refused:
            call_command(
                "restore",
                str(archive),
                database_url=url_of(target),
                media_root=str(tmp_path / "other"),
                private_media_root=str(tmp_path / "other-private"),
            )
        assert target.name in str(refused.value)


def _drop_first_row(table: str):  # noqa: ANN202
    def change(name: str, data: bytes) -> bytes:
        if name != "database.sql":
            return data
        lines = data.decode("utf-8").split("\n")
        for number, line in enumerate(lines):
            if line.startswith(f"INSERT INTO `{table}` VALUES"):
                following = lines[number + 1]
                if following.startswith("(") and following.endswith("),"):  # one row a line
                    del lines[number + 1]
                else:  # all rows on one line
                    head, rest = line.split(" VALUES ", 1)
                    lines[number] = head + " VALUES " + rest.split("),", 1)[1]
                return "\n".join(lines).encode("utf-8")
        raise AssertionError(f"no INSERT of {table} in the dump")

    return change


def _change_scan(name: str, data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0xFF]) if name.startswith("media/") else data


def _change_photograph(name: str, data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0xFF]) if name.startswith("private_media/") else data


CORRUPTIONS = {"file": _change_scan, "private file": _change_photograph}


def changed_file(stored: dict, corruption: str) -> str:
    return stored["answer"].scan.name if corruption == "file" else stored["image"].file.name


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("corruption", ["row", "file", "private file"])
def test_a_corrupted_mariadb_archive_fails_the_restore_and_says_what_differs(
    stored: dict, tmp_path: Path, corruption: str
) -> None:
    skip_unless_mariadb()
    archive = backup(tmp_path / "archives")
    manifest = manifest_of(archive)
    rewrite(archive, _drop_first_row("audit_auditevent") if corruption == "row" else CORRUPTIONS[corruption])
    with pytest.raises(CommandError) as verified:
        call_command("verify_backup", str(archive))
    with fresh_database() as target, pytest.raises(CommandError) as refused:
        call_command(
            "restore",
            str(archive),
            database_url=url_of(target),
            media_root=str(tmp_path / "restored"),
            private_media_root=str(tmp_path / "restored-private"),
        )
    message = str(refused.value)
    if corruption == "row":
        events = manifest["tables"]["audit_auditevent"]
        expected = f"audit_auditevent: {events - 1}"
        assert expected in message and str(events) in message and "sha256" in message
        assert expected in str(verified.value)
    else:
        name = changed_file(stored, corruption)
        assert message.count(name) == 2  # different in the archive and in the restored folder
        assert name in str(verified.value)


# ---------------------------------------------------------------- SQLite (the try-out database)


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_fresh_database_with_its_rows_and_files(stored: dict, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite round trip; MariaDB's is tested above.")
    source = inventory(Target.configured())
    archive = backup(tmp_path / "archives")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    manifest = manifest_of(archive)
    assert manifest["tables"] == source["tables"]
    assert manifest["version"] == 2 and list(manifest["private_files"]) == [stored["image"].file.name]
    verified = io.StringIO()
    call_command("verify_backup", str(archive), stdout=verified)
    assert "1 private" in verified.getvalue() or "1 archivos privados" in verified.getvalue()

    database = tmp_path / "restored.sqlite3"
    restored_media = tmp_path / "restored-media"
    restored_private = tmp_path / "restored-private"
    out = io.StringIO()
    call_command(
        "restore",
        str(archive),
        database_url=f"sqlite:///{database}",
        media_root=str(restored_media),
        private_media_root=str(restored_private),
        stdout=out,
    )
    assert str(restored_private) in out.getvalue()
    restored = inventory(Target.from_url(f"sqlite:///{database}"))
    assert restored["tables"] == source["tables"] and source["tables"]["complaints_historicalcomplaint"] >= 3
    assert restored["triggers"] == source["triggers"] and restored["migrations"] == source["migrations"]
    assert files_under(restored_media) == files_under(stored["media"])
    assert stored["answer"].scan.name in files_under(restored_media)
    # The photograph's row names a file that is there, in the private folder only.
    assert files_under(restored_private) == files_under(stored["private"])
    assert stored["image"].file.name not in files_under(restored_media)
    with sqlite3.connect(database) as conn:
        narrative = conn.execute("SELECT narrative FROM complaints_complaint WHERE id = ?", [stored["frozen"].pk])
        assert narrative.fetchone()[0] == Complaint.objects.get(pk=stored["frozen"].pk).narrative
        (image_name,) = conn.execute("SELECT file FROM investigations_personimage").fetchone()
    assert image_name == stored["image"].file.name and (restored_private / image_name).is_file()

    with pytest.raises(CommandError) as refused:  # the database is no longer empty
        call_command(
            "restore",
            str(archive),
            database_url=f"sqlite:///{database}",
            media_root=str(tmp_path / "x"),
            private_media_root=str(tmp_path / "y"),
        )
    assert str(database) in str(refused.value)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("corruption", ["row", "file", "private file"])
def test_a_corrupted_sqlite_archive_fails_the_restore_and_says_what_differs(
    stored: dict, tmp_path: Path, corruption: str
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite round trip; MariaDB's is tested above.")
    archive = backup(tmp_path / "archives")
    events = manifest_of(archive)["tables"]["audit_auditevent"]

    def drop_an_event(name: str, data: bytes) -> bytes:
        if name != "database.sqlite3":
            return data
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(data)
        with sqlite3.connect(copy) as conn:
            conn.execute("DELETE FROM audit_auditevent WHERE id = (SELECT MIN(id) FROM audit_auditevent)")
        conn.close()
        return copy.read_bytes()

    rewrite(archive, drop_an_event if corruption == "row" else CORRUPTIONS[corruption])
    with pytest.raises(CommandError) as verified:
        call_command("verify_backup", str(archive))
    with pytest.raises(CommandError) as refused:
        call_command(
            "restore",
            str(archive),
            database_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
            media_root=str(tmp_path / "restored"),
            private_media_root=str(tmp_path / "restored-private"),
        )
    message = str(refused.value)
    if corruption == "row":
        assert f"audit_auditevent: {events - 1}" in message and str(events) in message
        assert f"audit_auditevent: {events - 1}" in str(verified.value)
    else:
        name = changed_file(stored, corruption)
        assert message.count(name) == 2  # different in the archive and in the restored folder
        assert name in str(verified.value)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_private_media_folder_that_is_not_empty_unless_told_to_overwrite(
    stored: dict, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("Needs an archive of the SQLite try-out database.")
    archive = backup(tmp_path / "archives")
    private = tmp_path / "restored-private"
    private.mkdir()
    (private / "left-over.jpg").write_bytes(b"not from this backup")
    database = tmp_path / "restored.sqlite3"
    arguments = {
        "database_url": f"sqlite:///{database}",
        "media_root": str(tmp_path / "restored-media"),
        "private_media_root": str(private),
    }
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), **arguments)
    assert str(private) in str(refused.value)
    assert not database.exists() and not (tmp_path / "restored-media").exists()  # nothing loaded
    # With --overwrite the photograph is restored; the stray file is reported, not kept silently.
    with pytest.raises(CommandError) as reported:
        call_command("restore", str(archive), overwrite=True, **arguments)
    name = stored["image"].file.name
    assert "left-over.jpg" in str(reported.value) and name not in str(reported.value)
    assert (private / name).read_bytes() == (stored["private"] / name).read_bytes()


def as_version_1(name: str, data: bytes) -> bytes:
    """An archive as RETA wrote it before private media was backed up: no private member, a
    manifest of format version 1 without `private_files`."""
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["version"] = 1
    del manifest["private_files"]
    return json.dumps(manifest).encode("utf-8")


@pytest.mark.django_db(transaction=True)
def test_an_archive_made_before_private_media_was_backed_up_still_verifies_and_restores(
    stored: dict, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("Needs an archive of the SQLite try-out database.")
    archive = backup(tmp_path / "archives")
    with tarfile.open(archive, "r:gz") as source:
        members = [(member, source.extractfile(member).read()) for member in source]
    with tarfile.open(archive, "w:gz") as target:
        for member, data in members:
            if member.name.startswith("private_media/"):
                continue
            data = as_version_1(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    assert "private_files" not in manifest_of(archive)
    call_command("verify_backup", str(archive), stdout=io.StringIO())

    private = tmp_path / "restored-private"
    private.mkdir()
    (private / "kept.jpg").write_bytes(b"already there")
    database = tmp_path / "restored.sqlite3"
    out = io.StringIO()
    call_command(
        "restore",
        str(archive),
        database_url=f"sqlite:///{database}",
        media_root=str(tmp_path / "restored-media"),
        private_media_root=str(private),
        stdout=out,
    )
    assert "version 1" in out.getvalue() or "versión 1" in out.getvalue()  # the operator is told
    assert files_under(tmp_path / "restored-media") == files_under(stored["media"])
    assert files_under(private) == {"kept.jpg": b"already there"}  # neither refused nor touched

    # A private file slipped into a version 1 archive is not in its manifest: verify says so.
    with tarfile.open(archive, "r:gz") as source:
        members = [(member, source.extractfile(member).read()) for member in source]
    with tarfile.open(archive, "w:gz") as target:
        for member, data in members:
            target.addfile(member, io.BytesIO(data))
        info = tarfile.TarInfo("private_media/stray.jpg")
        info.size = 3
        target.addfile(info, io.BytesIO(b"odd"))
    with pytest.raises(CommandError) as refused:
        call_command("verify_backup", str(archive))
    assert "stray.jpg" in str(refused.value)


# ---------------------------------------------------------------- the pieces


def test_the_rows_of_a_dump_are_counted_outside_quoted_strings(tmp_path: Path) -> None:
    dump = tmp_path / "dump.sql"
    dump.write_text(
        "CREATE TABLE `empty` (\n  `id` int\n);\n"
        "CREATE TABLE `notes` (\n  `id` int\n);\n"
        "INSERT INTO `notes` VALUES\n"
        "(1,'a ( b ), (c'),\n"
        "(2,'it\\'s ; done\\\\'),\n"
        "(3,NULL);\n"
        "INSERT INTO `notes` VALUES (4,'x'),(5,0x28);\n"
        "INSERT INTO `we``ird` VALUES (1,'\\n(');\n"
        "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER notes_frozen BEFORE UPDATE ON notes\n"
        "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER `notes guard` BEFORE DELETE ON notes\n"
        "CREATE DEFINER=`reta migrate`@`localhost` PROCEDURE `reta_amendment_open`(IN complaint INT)\n"
        "CREATE DEFINER=`root`@`localhost` FUNCTION `f`() RETURNS int(11)\n"
        "/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `purge` ON SCHEDULE EVERY 1 DAY\n",
        encoding="utf-8",
    )
    assert dump_summary(dump) == {
        "tables": {"empty": 0, "notes": 5, "we`ird": 1},
        "triggers": {"notes_frozen", "notes guard"},
        "routines": {"PROCEDURE reta_amendment_open", "FUNCTION f"},
        "events": {"purge"},
    }
    for broken in ("INSERT INTO `notes` VALUES (1,'never closed);\n", "INSERT INTO `notes` VALUES\n1,'x');\n"):
        dump.write_text(broken, encoding="utf-8")
        with pytest.raises(BackupError):
            dump_summary(dump)


def test_the_password_reaches_the_client_in_a_private_option_file_never_on_its_command_line() -> None:
    target = Target.from_url("mysql://reta:s3cr%22t%5Cx@db.example:3307/reta")
    with target.option_file() as arguments:
        assert not any("s3cr" in argument for argument in arguments)
        assert arguments[1:] == ["--user=reta", "--host=db.example", "--port=3307"]
        path = Path(arguments[0].split("=", 1)[1])
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert 'password="s3cr\\"t\\\\x"' in path.read_text()
    assert not path.exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"no"))
    with pytest.raises(CommandError) as refused:
        call_command("verify_backup", str(bogus))
    assert "manifest" in str(refused.value) or "manifiesto" in str(refused.value)
    assert not (tmp_path.parent / "escape.txt").exists()
    with pytest.raises(CommandError):
        call_command("verify_backup", str(tmp_path / "missing.tar.gz"))


def test_the_archive_is_never_written_inside_the_stored_files(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "backups").mkdir(parents=True)
    with pytest.raises(CommandError) as refused:
        call_command("backup", output=str(tmp_path / "media" / "backups"))
    assert "MEDIA_ROOT" in str(refused.value)
    assert list((tmp_path / "media" / "backups").iterdir()) == []


def test_the_archive_is_never_written_inside_the_private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    for output, option in (
        (tmp_path / "private_media" / "backups", {}),
        (tmp_path / "elsewhere" / "backups", {"private_media_root": str(tmp_path / "elsewhere")}),
    ):
        output.mkdir(parents=True)
        with pytest.raises(CommandError) as refused:
            call_command("backup", output=str(output), **option)
        assert "RETA_PRIVATE_MEDIA_ROOT" in str(refused.value)
        assert list(output.iterdir()) == []


@pytest.mark.django_db
def test_a_target_that_cannot_be_opened_gets_a_message_not_a_traceback(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("Needs an archive of the SQLite try-out database.")
    folder = tmp_path / "archives"
    archive = backup(folder)
    with pytest.raises(CommandError):
        call_command(
            "restore",
            str(archive),
            database_url=f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'db.sqlite3'}",
            media_root=str(tmp_path / "restored"),
            private_media_root=str(tmp_path / "restored-private"),
        )


@pytest.fixture
def backup_user() -> Iterator[tuple[str, str]]:
    """A MariaDB account with a password and only the privileges README "Backups" lists."""
    skip_unless_mariadb()
    name, password = f"reta_bk_{secrets.token_hex(3)}", "pa'ss\"wo\\rd #1"
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE USER '{name}'@'%%' IDENTIFIED BY %s", [password])
        try:
            cursor.execute(f"GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON `{database}`.* TO '{name}'@'%'")
            cursor.execute(f"GRANT SELECT ON mysql.proc TO '{name}'@'%'")
            yield name, password
        finally:
            cursor.execute(f"DROP USER IF EXISTS '{name}'@'%'")


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_a_backup_user_with_a_password_and_the_documented_privileges_can_back_up(
    backup_user: tuple[str, str], raw_sql_objects: None, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    name, password = backup_user
    source = Target({**connection.settings_dict, "USER": name, "PASSWORD": password})
    folder = tmp_path / "archives"
    folder.mkdir()
    call_command("backup", output=str(folder), database_url=url_of(source), stdout=io.StringIO())
    manifest = manifest_of(the_archive(folder))
    expected = inventory(Target.configured())
    assert manifest["tables"] == expected["tables"] and manifest["triggers"] == expected["triggers"]
    assert f"PROCEDURE {PROBE_ROUTINE}" in manifest["routines"] and manifest["routines"] == expected["routines"]


def test_with_files_in_a_bucket_the_backup_says_it_holds_the_local_folders_only(settings: Any, tmp_path: Path) -> None:
    settings.RETA_STORAGE = "s3"
    err = io.StringIO()
    with pytest.raises(CommandError):  # a missing folder: refused after the warning
        call_command("backup", output=str(tmp_path / "missing"), stderr=err)
    assert "RETA_STORAGE=s3" in err.getvalue() and "bucket" in err.getvalue()
    settings.RETA_STORAGE = "local"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("backup", output=str(tmp_path / "missing"), stderr=err)
    assert err.getvalue() == ""
