"""PDF rendering shared by every module.

WeasyPrint renders documents written as HTML (`templates/pdf/...`, extending
`templates/pdf/base_pdf.html`); ReportLab is used directly where the layout is exact (the
carbonless form). Both embed DejaVu from `static/fonts/`. WeasyPrint may only read files from the
project's static folder: any other URL (http, https, ...) is refused, so a document never
fetches anything from the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
STATIC_DIR = Path(settings.BASE_DIR) / "static"


def _local_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("file://"):
                raise ValueError(f"Refused to fetch {url!r}: PDFs use local files only.")
            path = Path(url.removeprefix("file://")).resolve()
            if not path.is_relative_to(STATIC_DIR.resolve()):
                raise ValueError(f"Refused to read {path}: outside the static folder.")
            return super().fetch(url, headers)

    return LocalOnly()


def render_html_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a `templates/pdf/` template to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "font_dir": FONT_DIR.as_uri()})
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_local_fetcher()).write_pdf()
