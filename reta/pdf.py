"""PDF rendering shared by every module.

WeasyPrint renders documents written as HTML (`templates/pdf/...`, extending
`templates/pdf/base_pdf.html`); ReportLab is used directly where the layout is exact (the
carbonless form). Both embed DejaVu from `static/fonts/`. WeasyPrint may only read regular files
inside the project's static folder (`static_file_of`): the URL is decoded once (percent-encoded
`..` included), made absolute and resolved (symlinks followed) before the check, and the fetcher
reads the resolved file itself, so nothing decodes the URL a second time. Any other URL (http,
https, data:, a file on another host, NUL bytes, backslashes, a path leaving the folder) is
refused, so a document never fetches anything from the network or from the rest of the disk.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
STATIC_DIR = Path(settings.BASE_DIR) / "static"


def static_file_of(url: str) -> Path:
    """The regular file inside the static folder that a `file:` URL names; ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise ValueError(f"Refused to fetch {url!r}: PDFs use local files only.")
    if parts.netloc not in ("", "localhost"):
        raise ValueError(f"Refused to fetch {url!r}: a file on another host.")
    # Decoded once, strictly (invalid UTF-8 is an error, not a replacement character).
    raw = unquote(parts.path, errors="strict")
    if "\x00" in raw or "\\" in raw:
        raise ValueError(f"Refused to fetch {url!r}: NUL byte or backslash in the path.")
    path = Path(raw)
    if not path.is_absolute():
        raise ValueError(f"Refused to fetch {url!r}: not an absolute path.")
    resolved = path.resolve(strict=True)  # every `..` and symlink resolved; a missing file raises
    if not resolved.is_relative_to(STATIC_DIR.resolve()) or not resolved.is_file():
        raise ValueError(f"Refused to read {url!r}: outside the static folder.")
    return resolved


def _local_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_file_of(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return LocalOnly()


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string to PDF bytes, relative URLs resolved against the static folder."""
    from weasyprint import HTML

    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_local_fetcher()).write_pdf()


def render_html_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a `templates/pdf/` template to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, {**context, "font_dir": FONT_DIR.as_uri()}))
