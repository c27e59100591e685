"""Making an uploaded evidence file safe to keep: its type decided from its content (never its
name or the browser's word), images decoded and re-encoded with Pillow so that nothing but the
pixels survives (EXIF and its GPS position, XMP, ICC profiles, text chunks), everything else
refused with a message the person can act on. Why PDFs are refused: SECURITY.md, "Uploads"."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow logs every EXIF tag it parses at DEBUG, values included (a GPS position, a name in a
# description): never, whatever level the site logs at (SECURITY.md, "Uploads").
logging.getLogger("PIL").setLevel(logging.INFO)

# A phone's photo of a page is 12 to 50 megapixels; more is a decompression bomb (a small file
# that decodes to gigabytes) more likely than a photo.
MAX_PIXELS = 50_000_000
# Pillow's own guard, for any image opened in this process: raise, never only warn.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

JPEG, PNG, WEBP, PDF = "JPEG", "PNG", "WEBP", "PDF"
# format: (content type, extension, save options)
KEPT_FORMATS: dict[str, tuple[str, str, dict[str, object]]] = {
    JPEG: ("image/jpeg", "jpg", {"quality": 90}),
    PNG: ("image/png", "png", {"optimize": False}),
    WEBP: ("image/webp", "webp", {"quality": 90}),
}
ACCEPTED_TYPES = "JPEG, PNG, WebP"


class EvidenceRefused(Exception):
    """An upload that cannot be kept; ``message`` says why and what to do, safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, repr=False)
class SanitisedFile:
    """A file made safe to keep: re-encoded bytes, the type they are, an extension to name a
    download with. Never the original name."""

    content: bytes
    content_type: str
    extension: str

    def __repr__(self) -> str:
        return f"SanitisedFile({self.content_type}, {len(self.content)} bytes)"


def too_large_message() -> str:
    megabytes = max(1, settings.UPLOAD_MAX_BYTES // (1024 * 1024))
    return str(
        _(
            "This file is larger than %(megabytes)d MB, so it was not sent. Please send a "
            "smaller photo: most phones can take one at a lower size, or send part of the page."
        )
        % {"megabytes": megabytes}
    )


def _wrong_type_message() -> str:
    return str(
        _(
            "This type of file cannot be accepted. Please send a photo in one of these "
            "formats: %(types)s."
        )
        % {"types": ACCEPTED_TYPES}
    )


def _pdf_message() -> str:
    return str(
        _(
            "PDF files cannot be accepted: a PDF can carry hidden content that we cannot "
            "safely remove. Please send a photo of each page instead (%(types)s)."
        )
        % {"types": ACCEPTED_TYPES}
    )


def _unreadable_message() -> str:
    return str(_("This image could not be read. It may be damaged: please take the photo again."))


def _bomb_message() -> str:
    return str(
        _(
            "This image has too many pixels to be accepted. Please send a photo at a lower "
            "resolution."
        )
    )


def format_by_content(head: bytes) -> str | None:
    """The format the first bytes of a file show it to be, or None if not one we know."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    # Readers accept a PDF header anywhere in the first kilobyte.
    if b"%PDF-" in head[:1024]:
        return PDF
    return None


def _read_all(uploaded: IO[bytes]) -> bytes:
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    content = uploaded.read(settings.UPLOAD_MAX_BYTES + 1)
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise EvidenceRefused(too_large_message())
    return content


def _pixels_only(image: Image.Image, image_format: str) -> Image.Image:
    """A new image holding only ``image``'s pixels, upright: no ``info`` (EXIF, XMP, ICC,
    text chunks) comes along, whatever a plugin would otherwise write back."""
    upright = ImageOps.exif_transpose(image) or image
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    if upright.mode == "L":
        mode = "L"
    elif has_alpha and image_format != JPEG:
        mode = "RGBA"
    else:
        mode = "RGB"
    converted = upright.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def sanitise_evidence(uploaded: IO[bytes]) -> SanitisedFile:
    """Decide an upload's type by its content and re-encode it without metadata; raises
    :class:`EvidenceRefused` (with a message to show) for anything that cannot be kept."""
    if getattr(uploaded, "too_large", False):
        raise EvidenceRefused(too_large_message())
    content = _read_all(uploaded)
    image_format = format_by_content(content[:1024])
    if image_format == PDF:
        raise EvidenceRefused(_pdf_message())
    if image_format not in KEPT_FORMATS:
        raise EvidenceRefused(_wrong_type_message())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(content), formats=[image_format])
            if image.width * image.height > MAX_PIXELS:
                raise EvidenceRefused(_bomb_message())
            image.seek(0)  # the first frame of an animation only
            clean = _pixels_only(image, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceRefused(_bomb_message()) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise EvidenceRefused(_unreadable_message()) from None
    content_type, extension, options = KEPT_FORMATS[image_format]
    output = BytesIO()
    clean.save(output, format=image_format, **options)
    return SanitisedFile(output.getvalue(), content_type, extension)
