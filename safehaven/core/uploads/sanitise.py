"""Making an uploaded evidence file safe to keep: its type decided from its content (never its
name or the browser's word), images decoded and re-encoded with Pillow so that nothing but the
pixels survives (EXIF and its GPS position, XMP, ICC profiles, text chunks), everything else
refused with a message the person can act on. Why PDFs are refused: SECURITY.md, "Uploads"."""

from __future__ import annotations

import logging
import threading
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Pillow logs every EXIF tag it parses at DEBUG, values included (a GPS position, a name in a
# description): never, whatever level the site logs at (SECURITY.md, "Uploads").
logging.getLogger("PIL").setLevel(logging.INFO)

# A phone's photo of a page is about 12 megapixels (the 48 and 50 MP sensors save 12 by
# default); more is a decompression bomb (a small file that decodes to gigabytes) more likely
# than a photo. Decoded, 24 MP is 72 MB in RGB, 96 MB with transparency.
MAX_PIXELS = 24_000_000
# Pillow's own guard, for any image opened in this process: raise, never only warn.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Decoding is what costs memory and time: at most this many at once in a process; one more is
# refused at once (after a short wait) rather than queued without bound (SECURITY.md, "Uploads").
MAX_SANITISING_AT_ONCE = 2
SANITISING_WAIT_SECONDS = 2.0
_sanitising = threading.BoundedSemaphore(MAX_SANITISING_AT_ONCE)

_ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION_TAG = 0x0112

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


def _busy_message() -> str:
    return str(
        _(
            "Many photos are being checked just now, so this one was not sent. Please try "
            "again in a minute."
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
    text chunks) comes along, whatever a plugin would otherwise write back. Each step copies
    only when it must and lets go of what it copied from: a copy of 24 MP is 72 MB or more."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image.mode == "L":
        mode = "L"
    elif has_alpha and image_format != JPEG:
        mode = "RGBA"
    else:
        mode = "RGB"
    orientation = image.getexif().get(_ORIENTATION_TAG)
    turn = _ORIENTATIONS.get(orientation) if isinstance(orientation, int) else None
    pixels = image if image.mode == mode else image.convert(mode)
    if turn is not None:
        turned = pixels.transpose(turn)
        if pixels is not image:
            pixels.close()
        pixels = turned
    # The one copy always made: a new image, so nothing but the pixels comes along.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    if pixels is not image:
        pixels.close()
    return clean


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
    if not _sanitising.acquire(timeout=SANITISING_WAIT_SECONDS):
        raise EvidenceRefused(_busy_message())
    try:
        return _reencode(content, image_format)
    finally:
        _sanitising.release()


def _reencode(content: bytes, image_format: str) -> SanitisedFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(content), formats=[image_format]) as image:
                # Read from the header, before anything is decoded.
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
    clean.close()
    return SanitisedFile(output.getvalue(), content_type, extension)
