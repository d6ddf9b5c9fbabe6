"""The S3-compatible storage of stored files when RETA_STORAGE=s3 (reta.settings): scans of
answers and the private media (photographs, fingerprint cards) in one bucket, under the prefixes
`media/` and `private_media/`. Nothing RETA stores is public, so the objects get no URL at all
(neither a public one nor a signed one): the access-checked views stream them from the bucket.
Only settings name this module.
"""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """An S3Storage whose objects have no URL, are never overwritten (a second file of the same
    name gets a new name, as on a local folder) and keep the bucket's own (private) access."""

    def get_default_settings(self) -> dict[str, Any]:
        defaults = super().get_default_settings()
        defaults.update(querystring_auth=False, file_overwrite=False, default_acl=None, custom_domain=None)
        return defaults

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:  # noqa: ARG002
        raise ValueError("Stored files have no URL: serve them through an access-checked view.")
