"""Files that must never be reachable by a URL of their own (photographs, fingerprint cards).

They live under `settings.RETA_PRIVATE_MEDIA_ROOT` (default BASE_DIR/"private_media", outside
MEDIA_ROOT and STATIC_ROOT, gitignored) and are read only by access-checked views that stream them.
`private_storage()` is the storage of those FileFields: a FileSystemStorage whose `url()` refuses,
so that no template can print a direct link by mistake. Imports Django only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without URLs: files are served by views only."""

    def url(self, name: str | None) -> str:  # noqa: ARG002
        raise ValueError("Private media has no URL: serve it through an access-checked view.")


def private_storage() -> PrivateFileSystemStorage:
    """The storage of private media (a callable, so migrations do not record the location)."""
    return PrivateFileSystemStorage(location=settings.RETA_PRIVATE_MEDIA_ROOT)
