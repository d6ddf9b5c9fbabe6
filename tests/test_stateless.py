"""No state on the app server (issue 14.2): sessions, lockouts and the cache live in the database,
and stored files go through Django's storage API only, so that any storage backend (a local
folder, an S3-compatible bucket, memory) serves every app server. The journey across two gunicorn
processes is tests/browser/test_two_app_servers.py."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import AuditEvent
from diligences import services as register
from diligences.models import DiligenceAnswer, DiligenceType, DocumentKind, GeneratedDocument
from diligences.pdf import DEFAULT_ADDRESSEES
from investigations import person_services, reporting
from investigations.models import PersonImage
from reta.private_media import PrivateFileSystemStorage, private_storage
from tests.conftest import signed_in_client
from tests.investigations.conftest import open_case
from tests.investigations.report_data import build_case

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()


# ---------------------------------------------------------------- what is shared


def test_sessions_lockouts_and_the_cache_are_rows_of_the_database() -> None:
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert django_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    # The table exists (the test database was built with createcachetable) and answers.
    cache.set("reta-shared", {"counter": 3}, 60)
    assert cache.get("reta-shared") == {"counter": 3}
    cache.delete("reta-shared")
    assert cache.get("reta-shared") is None


def _settings_in_a_subprocess(**env: str) -> subprocess.CompletedProcess:
    """reta.settings as another process with this environment would read it (no .env file
    interferes: real variables win over it)."""
    code = (
        "import json, reta.settings as s; print(json.dumps({'storages': s.STORAGES, 'caches': s.CACHES}, default=str))"
    )
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "False",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "sqlite:///unused.sqlite3",
        "RETA_STORAGE": "local",
        "CACHE_URL": "dbcache://reta_cache",
        **env,
    }
    return subprocess.run(  # noqa: S603 — this interpreter, fixed code
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=False
    )


def test_the_storages_and_the_cache_come_from_the_environment() -> None:
    local = _settings_in_a_subprocess()
    assert local.returncode == 0, local.stderr
    read = json.loads(local.stdout)
    assert read["storages"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert read["storages"]["private"]["BACKEND"] == "reta.private_media.PrivateFileSystemStorage"
    assert read["caches"]["default"]["LOCATION"] == "reta_cache"

    s3 = _settings_in_a_subprocess(
        RETA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="reta-archivos",
        AWS_S3_ENDPOINT_URL="https://s3.pnp.example",
        CACHE_URL="memcache://10.0.0.5:11211",
    )
    assert s3.returncode == 0, s3.stderr
    read = json.loads(s3.stdout)
    for alias, location in (("default", "media"), ("private", "private_media")):
        assert read["storages"][alias]["BACKEND"] == "reta.storage_s3.PrivateS3Storage"
        options = read["storages"][alias]["OPTIONS"]
        assert (options["bucket_name"], options["location"]) == ("reta-archivos", location)
        assert options["endpoint_url"] == "https://s3.pnp.example"
    assert read["caches"]["default"]["LOCATION"] == "10.0.0.5:11211"

    no_bucket = _settings_in_a_subprocess(RETA_STORAGE="s3")
    assert no_bucket.returncode != 0 and "AWS_STORAGE_BUCKET_NAME" in no_bucket.stderr
    unknown = _settings_in_a_subprocess(RETA_STORAGE="ftp")
    assert unknown.returncode != 0 and "RETA_STORAGE is local or s3" in unknown.stderr


def test_the_bucket_storage_gives_no_url_and_overwrites_nothing() -> None:
    from reta.storage_s3 import PrivateS3Storage

    storage = PrivateS3Storage(bucket_name="reta-archivos", location="private_media")
    assert storage.querystring_auth is False and storage.file_overwrite is False
    assert storage.default_acl is None and storage.custom_domain is None
    with pytest.raises(ValueError, match="no URL"):
        storage.url("case_persons/1/image.jpg")
    # Given in the settings' OPTIONS, a signed URL is still refused.
    signed = PrivateS3Storage(bucket_name="reta-archivos", querystring_auth=True)
    with pytest.raises(ValueError, match="no URL"):
        signed.url("media/diligencias/x.png")


def test_the_private_storage_follows_the_storages_setting(settings: Any) -> None:
    assert isinstance(storages["private"], PrivateFileSystemStorage)
    assert private_storage().location == str(Path(settings.RETA_PRIVATE_MEDIA_ROOT).resolve())
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    name = private_storage().save("probe.txt", io.BytesIO(b"en memoria"))
    assert isinstance(storages["private"], InMemoryStorage)
    assert storages["private"].open(name).read() == b"en memoria"


# ---------------------------------------------------------------- files through the storage API only


@pytest.fixture
def memory_storages(settings: Any, tmp_path: Path) -> dict[str, Path]:
    """Both file storages in memory; the local folders point at paths that must stay absent."""
    folders = {"media": tmp_path / "media", "private": tmp_path / "private_media"}
    settings.MEDIA_ROOT = folders["media"]
    settings.RETA_PRIVATE_MEDIA_ROOT = folders["private"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return folders


def test_a_scan_is_uploaded_and_downloaded_through_another_storage_without_the_disk(
    memory_storages: dict[str, Path], complaints: dict, personas: dict, clients: dict
) -> None:
    complaint = complaints["frozen"]
    officer = personas["station_officer"]
    entry = register.diligence_record(
        actor=officer,
        complaint=complaint,
        data=register.DiligenceData(
            kind=DiligenceType.RESCUE,
            date=timezone.localdate(),
            officer="S3 PNP Rosa Huamán Quispe",
            addressee="",
            document_number="",
            description="Rescate de la víctima en el bar «El Dorado».",
        ),
    )
    scan = SimpleUploadedFile("ficha.png", _png(), content_type="image/png")
    response = clients["station_officer"].post(
        reverse("diligences:diligence_answer_create", args=[complaint.pk, entry.pk]),
        {"received_on": timezone.localdate().isoformat(), "summary": "El RENIEC remite la ficha.", "scan": scan},
    )
    assert response.status_code == 302
    answer = DiligenceAnswer.objects.get()
    assert isinstance(default_storage._wrapped, InMemoryStorage)
    assert default_storage.exists(answer.scan.name) and answer.scan.name.startswith("diligencias/")

    # Another session (the regional investigator of the directorate) downloads it through the view.
    url = reverse("diligences:diligence_answer_scan", args=[complaint.pk, answer.pk])
    download = clients["regional_investigator"].get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == _png()
    assert download["Content-Type"] == "image/png"
    assert clients["outsider"].get(url).status_code == 404
    assert AuditEvent.objects.filter(event="diligence_scan_downloaded", object_id=str(answer.pk)).count() == 1
    assert not memory_storages["media"].exists() and not memory_storages["private"].exists()


def test_a_photograph_is_uploaded_and_shown_through_another_storage_without_the_disk(
    memory_storages: dict[str, Path], complaints: dict, personas: dict
) -> None:
    investigator = personas["regional_investigator"]
    case_file = open_case(personas, complaints["frozen"])
    person = person_services.case_person_add(
        actor=investigator,
        case_file=case_file,
        data=person_services.PersonData(role="alleged_trafficker", first_names="Rómulo", last_names="Quispe"),
    )
    client = signed_in_client(investigator)
    response = client.post(
        reverse("investigations:case_person_image_add", args=[case_file.pk, person.pk]),
        {"kind": "photo", "file": SimpleUploadedFile("foto.jpg", _jpeg(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    image = PersonImage.objects.get()
    assert isinstance(storages["private"], InMemoryStorage)
    stored = storages["private"].open(image.file.name).read()

    shown = signed_in_client(investigator).get(
        reverse("investigations:case_person_image", args=[case_file.pk, person.pk, image.pk])
    )
    assert shown.status_code == 200
    assert b"".join(shown.streaming_content) == stored
    assert shown["Content-Type"] == "image/jpeg"
    assert not memory_storages["media"].exists() and not memory_storages["private"].exists()


def _generate_document(complaint: Any, actor: Any) -> GeneratedDocument:
    return register.document_generate(
        actor=actor,
        complaint=complaint,
        kind=DocumentKind.RENIEC,
        fields={
            "addressee": DEFAULT_ADDRESSEES[DocumentKind.RENIEC],
            "city": "Cusco",
            "person": "Alias «La Tía»",
            "purpose": "Identificar a la presunta tratante.",
        },
    )


def test_a_generated_document_is_kept_and_served_through_another_storage_without_the_disk(
    memory_storages: dict[str, Path], complaints: dict, personas: dict, clients: dict
) -> None:
    complaint = complaints["frozen"]
    document = _generate_document(complaint, personas["station_officer"])
    assert isinstance(storages["private"], InMemoryStorage)
    stored = storages["private"].open(document.pdf.name).read()
    assert stored.startswith(b"%PDF") and len(stored) == document.pdf_size
    url = reverse("diligences:diligence_document_download", args=[complaint.pk, document.pk])
    download = clients["regional_investigator"].get(url)
    assert download.status_code == 200 and download.content == stored
    assert not memory_storages["media"].exists() and not memory_storages["private"].exists()


# ---------------------------------------------------------------- the same through an S3 bucket


@pytest.fixture
def bucket(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Both storages in one S3 bucket, as RETA_STORAGE=s3 configures them, on moto's in-process
    imitation of S3 (no network, no disk); the local folders point at paths that must stay absent."""
    import boto3
    from moto import mock_aws

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    options = {"bucket_name": "reta-archivos", "region_name": "us-east-1"}
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="reta-archivos")
        client.put_public_access_block(
            Bucket="reta-archivos",
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "reta.storage_s3.PrivateS3Storage", "OPTIONS": {**options, "location": "media"}},
            "private": {
                "BACKEND": "reta.storage_s3.PrivateS3Storage",
                "OPTIONS": {**options, "location": "private_media"},
            },
        }
        yield client
        settings.STORAGES = {**settings.STORAGES}  # forget the storages bound to the mocked client


def _keys(client: Any) -> list[str]:
    return sorted(row["Key"] for row in client.list_objects_v2(Bucket="reta-archivos").get("Contents", []))


def test_a_scan_and_a_photograph_go_to_the_bucket_and_come_back_through_the_views(
    bucket: Any, settings: Any, complaints: dict, personas: dict, clients: dict
) -> None:
    complaint = complaints["frozen"]
    entry = register.diligence_record(
        actor=personas["station_officer"],
        complaint=complaint,
        data=register.DiligenceData(
            kind=DiligenceType.INSPECTION,
            date=timezone.localdate(),
            officer="S3 PNP Rosa Huamán Quispe",
            addressee="",
            document_number="",
            description="Inspección del local.",
        ),
    )
    response = clients["station_officer"].post(
        reverse("diligences:diligence_answer_create", args=[complaint.pk, entry.pk]),
        {
            "received_on": timezone.localdate().isoformat(),
            "summary": "La Fiscalía remite el acta.",
            "scan": SimpleUploadedFile("acta.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    answer = DiligenceAnswer.objects.get()
    assert _keys(bucket) == [f"media/{answer.scan.name}"]
    with pytest.raises(ValueError, match="no URL"):
        answer.scan.url  # noqa: B018 — neither a public URL nor a signed one
    url = reverse("diligences:diligence_answer_scan", args=[complaint.pk, answer.pk])
    download = clients["regional_investigator"].get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == _png()
    assert download["Content-Type"] == "image/png" and download["Content-Length"] == str(len(_png()))

    investigator = personas["regional_investigator"]
    case_file = open_case(personas, complaint)
    person = person_services.case_person_add(
        actor=investigator,
        case_file=case_file,
        data=person_services.PersonData(role="alleged_trafficker", first_names="Rómulo", last_names="Quispe"),
    )
    client = signed_in_client(investigator)
    response = client.post(
        reverse("investigations:case_person_image_add", args=[case_file.pk, person.pk]),
        {"kind": "photo", "file": SimpleUploadedFile("foto.jpg", _jpeg(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    image = PersonImage.objects.get()
    assert f"private_media/{image.file.name}" in _keys(bucket)
    with pytest.raises(ValueError, match="no URL"):
        image.file.url  # noqa: B018
    shown_url = reverse("investigations:case_person_image", args=[case_file.pk, person.pk, image.pk])
    shown = client.get(shown_url)
    assert shown.status_code == 200 and b"".join(shown.streaming_content)[:2] == b"\xff\xd8"

    # An object missing from the bucket is a 404, not a 500.
    bucket.delete_object(Bucket="reta-archivos", Key=f"media/{answer.scan.name}")
    assert clients["regional_investigator"].get(url).status_code == 404
    bucket.delete_object(Bucket="reta-archivos", Key=f"private_media/{image.file.name}")
    assert client.get(shown_url).status_code == 404
    assert not Path(settings.MEDIA_ROOT).exists() and not Path(settings.RETA_PRIVATE_MEDIA_ROOT).exists()


def test_a_generated_document_goes_to_the_bucket_and_a_changed_object_is_refused(
    bucket: Any, settings: Any, complaints: dict, personas: dict, clients: dict
) -> None:
    complaint = complaints["frozen"]
    document = _generate_document(complaint, personas["station_officer"])
    key = f"private_media/{document.pdf.name}"
    assert _keys(bucket) == [key] and document.pdf.name.startswith("documentos_generados/")
    url = reverse("diligences:diligence_document_download", args=[complaint.pk, document.pk])
    download = clients["regional_investigator"].get(url)
    stored = bucket.get_object(Bucket="reta-archivos", Key=key)["Body"].read()
    assert download.status_code == 200 and download.content == stored
    assert download["Content-Type"] == "application/pdf"

    # The object is replaced in the bucket behind RETA's back: it is refused, not served.
    middle = len(stored) // 2
    forged = stored[:middle] + bytes([stored[middle] ^ 0x01]) + stored[middle + 1 :]  # one bit, same size
    bucket.put_object(Bucket="reta-archivos", Key=key, Body=forged)
    refused = clients["regional_investigator"].get(url)
    assert refused.status_code == 302
    assert AuditEvent.objects.filter(event="document_downloaded", outcome="failure").count() == 1
    bucket.delete_object(Bucket="reta-archivos", Key=key)
    assert clients["regional_investigator"].get(url).status_code == 302
    assert AuditEvent.objects.filter(event="document_downloaded", outcome="failure").count() == 2
    assert not Path(settings.MEDIA_ROOT).exists() and not Path(settings.RETA_PRIVATE_MEDIA_ROOT).exists()


# ---------------------------------------------------------------- police report versions


def _generate_report(personas: dict, complaints: dict) -> Any:
    data = build_case(personas, complaints)
    lead = personas["regional_investigator"]
    reporting.report_write_conclusions(actor=lead, case_file=data.case_file, conclusions="Se acredita la captación.")
    return reporting.report_generate(actor=lead, case_file=data.case_file)


def test_a_report_version_is_kept_and_served_through_another_storage_without_the_disk(
    memory_storages: dict[str, Path], complaints: dict, personas: dict, client: Any
) -> None:
    version = _generate_report(personas, complaints)
    assert isinstance(storages["private"], InMemoryStorage)
    pdf = storages["private"].open(version.pdf.name).read()
    data = storages["private"].open(version.package.name).read()
    assert pdf.startswith(b"%PDF") and json.loads(data)["report"]["number"] == version.report.number
    client.force_login(personas["national_investigator"])
    args = [version.report.case_file_id, version.report_id]
    download = client.get(reverse("investigations:case_report_pdf", args=args))
    assert download.status_code == 200 and download.content == pdf
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("investigations:case_report_package", args=args)).content))
    json_name = next(name for name in archive.namelist() if ".case-package-" in name)
    assert archive.read(json_name) == data
    assert not memory_storages["media"].exists() and not memory_storages["private"].exists()


def test_a_report_version_goes_to_the_bucket_and_a_changed_object_is_refused(
    bucket: Any, settings: Any, complaints: dict, personas: dict, client: Any
) -> None:
    version = _generate_report(personas, complaints)
    keys = [key for key in _keys(bucket) if key.startswith("private_media/informes_policiales/")]
    assert keys == sorted([f"private_media/{version.pdf.name}", f"private_media/{version.package.name}"])
    client.force_login(personas["national_investigator"])
    args = [version.report.case_file_id, version.report_id]
    url = reverse("investigations:case_report_pdf", args=args)
    download = client.get(url)
    key = f"private_media/{version.pdf.name}"
    stored = bucket.get_object(Bucket="reta-archivos", Key=key)["Body"].read()
    assert download.status_code == 200 and download.content == stored
    assert download["Content-Type"] == "application/pdf"

    # The objects are replaced in the bucket behind RETA's back: refused, not served.
    middle = len(stored) // 2
    forged = stored[:middle] + bytes([stored[middle] ^ 0x01]) + stored[middle + 1 :]  # one bit, same size
    bucket.put_object(Bucket="reta-archivos", Key=key, Body=forged)
    assert client.get(url).status_code == 302
    failures = AuditEvent.objects.filter(event="case_report_downloaded", outcome="failure")
    assert failures.count() == 1
    bucket.put_object(Bucket="reta-archivos", Key=key, Body=stored)
    bucket.delete_object(Bucket="reta-archivos", Key=f"private_media/{version.package.name}")
    assert client.get(url).status_code == 200  # the PDF alone is intact
    assert client.get(reverse("investigations:case_report_package", args=args)).status_code == 302
    assert failures.count() == 2 and failures.order_by("pk").last().details["reason"] == "missing"
    assert not Path(settings.MEDIA_ROOT).exists() and not Path(settings.RETA_PRIVATE_MEDIA_ROOT).exists()
