"""The PDF renderer reads only files of the static folder (issue 9, item 7; SECURITY.md).

At the fetcher (`reta.pdf.static_file_of` and the fetcher WeasyPrint is given) and end-to-end:
an HTML document whose image and stylesheet point, by encoded traversal, at a marker file outside
the static folder renders without it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reta import pdf

MARKER = "MARCADOR-FUERA-DE-STATIC-7731"


def _traversal_to(target: Path, *, dots: str = "%2e%2e") -> str:
    """A file: URL that starts in the static folder and climbs to `target` with encoded `..`."""
    static = pdf.STATIC_DIR.resolve()
    ups = "/".join([dots] * len(static.parts))
    return f"{static.as_uri()}/{ups}{target.resolve().as_posix()}"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.css"
    path.write_text(f'body::before {{ content: "{MARKER}"; }}\n', encoding="utf-8")
    return path


def test_a_font_of_the_static_folder_is_read() -> None:
    font = pdf.FONT_DIR / "DejaVuSans.ttf"
    assert pdf.static_file_of(font.as_uri()) == font.resolve()
    response = pdf._local_fetcher()(font.as_uri())
    assert response.read() == font.read_bytes()


@pytest.mark.parametrize(
    "make_url",
    [
        pytest.param(lambda p: _traversal_to(p), id="encoded-dots"),
        pytest.param(lambda p: _traversal_to(p, dots="%2E%2E"), id="encoded-dots-upper"),
        pytest.param(lambda p: _traversal_to(p, dots=".%2e"), id="half-encoded-dots"),
        pytest.param(lambda p: _traversal_to(p, dots=".."), id="plain-dots"),
        pytest.param(
            lambda p: _traversal_to(p).replace("/", "%2f").replace("file:%2f%2f%2f", "file:///"), id="encoded-slashes"
        ),
        pytest.param(lambda p: p.resolve().as_uri(), id="absolute-outside"),
        pytest.param(lambda p: "file://localhost" + p.resolve().as_posix(), id="localhost-outside"),
        pytest.param(
            lambda p: "file://attacker.example" + (pdf.FONT_DIR / "DejaVuSans.ttf").as_posix(), id="other-host"
        ),
        pytest.param(lambda p: pdf.STATIC_DIR.as_uri() + "/..%5c..%5c" + p.name, id="backslashes"),
        pytest.param(lambda p: (pdf.FONT_DIR / "DejaVuSans.ttf").as_uri() + "%00.css", id="nul-byte"),
        pytest.param(lambda p: pdf.STATIC_DIR.as_uri() + "/%ff%fe", id="invalid-utf8"),
        pytest.param(lambda p: pdf.STATIC_DIR.as_uri(), id="the-folder-itself"),
        pytest.param(lambda p: "data:text/css;base64,Ym9keXt9", id="data-url"),
        pytest.param(lambda p: "http://127.0.0.1:9/x.css", id="http"),
        pytest.param(lambda p: "static/fonts/DejaVuSans.ttf", id="relative"),
    ],
)
def test_the_fetcher_refuses_everything_outside_the_static_folder(secret: Path, make_url) -> None:
    url = make_url(secret)
    with pytest.raises((ValueError, OSError)):
        pdf.static_file_of(url)
    with pytest.raises((ValueError, OSError)):
        pdf._local_fetcher()(url)


def test_a_symlink_out_of_the_static_folder_is_refused(tmp_path: Path, secret: Path, monkeypatch) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("body {}", encoding="utf-8")
    (static / "link.css").symlink_to(secret)
    monkeypatch.setattr(pdf, "STATIC_DIR", static)
    assert pdf.static_file_of((static / "ok.css").as_uri()) == (static / "ok.css").resolve()
    with pytest.raises(ValueError, match="outside the static folder"):
        pdf.static_file_of((static / "link.css").as_uri())


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing")
def test_an_encoded_traversal_in_a_document_embeds_nothing(tmp_path: Path, secret: Path) -> None:
    image = tmp_path / "secret.svg"
    image.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="0" y="20">{MARKER}</text></svg>',
        encoding="utf-8",
    )
    font = (pdf.FONT_DIR / "DejaVuSans.ttf").as_uri()
    html = f"""<html><head>
      <style>@font-face {{ font-family: "DejaVu Sans"; src: url("{font}"); }}
             body {{ font-family: "DejaVu Sans"; }}</style>
      <link rel="stylesheet" href="{_traversal_to(secret)}">
      <link rel="stylesheet" href="{_traversal_to(secret, dots="..")}">
    </head><body><p>Documento de prueba</p>
      <img src="{_traversal_to(image)}"><img src="{image.resolve().as_uri()}">
    </body></html>"""
    data = pdf.html_to_pdf(html)
    text = _pdf_text(data, tmp_path)
    assert "Documento de prueba" in text  # the document itself rendered, with the static font
    assert MARKER not in text
    assert MARKER.encode() not in data
