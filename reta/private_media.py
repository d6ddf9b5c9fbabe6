"""Files that must never be reachable by a URL of their own (photographs, fingerprint cards).

They live in the storage `settings.STORAGES["private"]`: by default a `PrivateFileSystemStorage`
under `settings.RETA_PRIVATE_MEDIA_ROOT` (default BASE_DIR/"private_media", outside MEDIA_ROOT and
STATIC_ROOT, gitignored), or an S3-compatible bucket (`reta.storage_s3`, RETA_STORAGE=s3) shared by
every app server. They are read only by access-checked views that stream them from the storage:
neither backend gives a URL, so that no template can print a direct link by mistake.
`private_storage()` is the storage of those FileFields. `read_stored()`, `stored_problem()` and
`forget_stored()` are the helpers of the generated files kept there with their SHA-256 (the
diligences' generated documents, the police report versions). Imports Django and the standard
library only.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

PRIVATE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without URLs: files are served by views only. Its folder is read from
    the setting each time (not cached), so a test that moves it moves every use."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return self._value_or_setting(self._location, settings.RETA_PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:  # noqa: ARG002
        raise ValueError("Private media has no URL: serve it through an access-checked view.")


class _PrivateStorage(LazyObject):
    """`storages["private"]`, looked up at first use and again after STORAGES changes (a test
    that swaps the storages swaps this one too, as Django does for `default_storage`)."""

    def _setup(self) -> None:
        self._wrapped = storages[PRIVATE_ALIAS]


_private = _PrivateStorage()


def _forget_private_storage(*, setting: str, **kwargs: object) -> None:  # noqa: ARG001
    if setting == "STORAGES":
        _private._wrapped = empty


setting_changed.connect(_forget_private_storage)


def private_storage() -> Storage:
    """The storage of private media (a callable, so migrations record neither the location nor
    the backend)."""
    return _private  # type: ignore[return-value]


logger = logging.getLogger(__name__)


def read_stored(field_file: Any) -> bytes:
    """The bytes of a FileField's file as they are in its storage now (unchecked)."""
    with field_file.storage.open(field_file.name, "rb") as stored:
        return stored.read()


def stored_problem(field_file: Any, *, sha256: str, size: int | None = None) -> tuple[bytes, str]:
    """The stored bytes and "" when they are the ones recorded (`sha256`, and `size` if given);
    otherwise b"" and "missing" (no such file, or no name) or "sha256" (changed in the storage)."""
    if not field_file.name:
        return b"", "missing"
    try:
        data = read_stored(field_file)
    except (OSError, ValueError):
        return b"", "missing"
    if hashlib.sha256(data).hexdigest() != sha256 or (size is not None and len(data) != size):
        return b"", "sha256"
    return data, ""


def forget_stored(field_file: Any) -> None:
    """Remove a file no row will point at (best effort: a failure is logged, never raised over
    the error that got here)."""
    if not field_file.name:
        return
    try:
        field_file.storage.delete(field_file.name)
    except Exception:
        logger.exception("Stored file %s could not be removed after a failed transaction", field_file.name)
