"""URL-safe base64 without padding, for tokens carried in cookies and forms."""

from __future__ import annotations

import base64
import binascii


def to_b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def from_b64(text: str) -> bytes | None:
    """The bytes of ``text``, or None for anything that is not such base64."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
