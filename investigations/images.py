"""The check of an uploaded photograph or fingerprint card (issue 11 item 2), before anything is
stored: `clean_image(upload)` returns the image re-encoded without any metadata, or raises
`ImageRefused` with a message for the officer.

What is refused: a file over `settings.RETA_IMAGE_MAX_BYTES`; a name not ending in .jpg, .jpeg or
.png; content that Pillow cannot read and verify (a text file renamed .jpg); content whose format
is not the one its extension says (a PNG named .jpg); an image of more than `MAX_PIXELS` pixels
(a decompression bomb: a small file that unpacks into gigabytes), checked from the header before
the pixels are decoded.

What is kept: the pixels only. The image is turned upright by its EXIF orientation, then saved
again (JPEG quality 90, or PNG) with no EXIF, GPS, ICC profile, comments or text chunks: a
photograph taken by a phone carries where and when it was taken and with what.

Pure: imports Django settings and Pillow only.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Larger than any camera or scanner of the units (a 600 dpi A4 card is 35 megapixels).
MAX_PIXELS = 50_000_000
# Pillow format → (content type, extensions it may carry).
FORMATS: dict[str, tuple[str, frozenset[str]]] = {
    "JPEG": ("image/jpeg", frozenset({"jpg", "jpeg"})),
    "PNG": ("image/png", frozenset({"png"})),
}
EXTENSIONS = frozenset().union(*(extensions for _type, extensions in FORMATS.values()))


class ImageRefused(Exception):
    """The upload is not an acceptable image; `message` says why (for the officer)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str
    content_type: str
    width: int
    height: int
    sha256: str


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _read(data: bytes) -> Image.Image:
    """The image of `data`, verified and then decoded; ImageRefused otherwise."""
    unreadable = ImageRefused(_("This file is not a JPEG or PNG image, or it is damaged."))
    try:
        image = _open(data)
        if image.width * image.height > MAX_PIXELS:
            raise ImageRefused(_("This image is too large (more than 50 megapixels)."))
        image.verify()  # the structure (and a PNG's checksums), without decoding the pixels
        image = _open(data)  # verify() leaves the image unusable: open it again
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(_("This image is too large (more than 50 megapixels).")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise unreadable from None
    return image


def clean_image(upload: Any) -> CleanImage:
    """The uploaded file (anything with `name`, `size` and `read()`) checked and re-encoded."""
    limit = settings.RETA_IMAGE_MAX_BYTES
    if upload is None:
        raise ImageRefused(_("Choose a file."))
    if upload.size > limit:
        raise ImageRefused(
            _("The file is too large: at most %(megabytes)d MB.") % {"megabytes": limit // (1024 * 1024)}
        )
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in EXTENSIONS:
        raise ImageRefused(_("Upload a JPEG (.jpg, .jpeg) or PNG (.png) image."))
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ImageRefused(
            _("The file is too large: at most %(megabytes)d MB.") % {"megabytes": limit // (1024 * 1024)}
        )
    image = _read(data)
    if image.format not in FORMATS:
        raise ImageRefused(_("Upload a JPEG (.jpg, .jpeg) or PNG (.png) image."))
    content_type, extensions = FORMATS[image.format]
    if extension not in extensions:
        raise ImageRefused(
            _("The file's name says .%(extension)s but its content is a %(format)s image: rename or re-save it.")
            % {"extension": extension, "format": image.format}
        )
    return _reencode(image, content_type)


def _reencode(image: Image.Image, content_type: str) -> CleanImage:
    upright = ImageOps.exif_transpose(image)
    is_jpeg = content_type == "image/jpeg"
    if is_jpeg:
        pixels = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright.copy()
    else:
        pixels = upright.convert("RGBA") if upright.mode not in ("RGB", "RGBA", "L") else upright.copy()
    pixels.info = {}  # no EXIF, ICC profile, comments or text chunks are carried over
    out = io.BytesIO()
    if is_jpeg:
        pixels.save(out, format="JPEG", quality=90, optimize=True)
    else:
        pixels.save(out, format="PNG", optimize=True)
    content = out.getvalue()
    return CleanImage(
        content=content,
        extension="jpg" if is_jpeg else "png",
        content_type=content_type,
        width=pixels.width,
        height=pixels.height,
        sha256=hashlib.sha256(content).hexdigest(),
    )


__all__ = ["MAX_PIXELS", "CleanImage", "ImageRefused", "clean_image"]
