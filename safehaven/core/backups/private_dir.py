"""Private places for plaintext while a backup is made or opened, and private key files.

Plaintext (the database snapshot, the packed backup while it is opened) only ever lives in a
directory made 0700 by ``tempfile.mkdtemp``, removed in a ``finally`` block after each of its
files is overwritten with zeros (best effort: a copy-on-write or journaling file system, or an
SSD, may keep old blocks; put the temporary directory on an encrypted disk or a tmpfs).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from safehaven.core.crypto import KEY_SIZE

_ZEROS = bytes(1 << 16)


@contextlib.contextmanager
def private_directory(parent: Path | None = None) -> Iterator[Path]:
    """A new 0700 directory, overwritten and removed however the block ends."""
    path = Path(tempfile.mkdtemp(prefix="safehaven-backup-", dir=parent))
    try:
        os.chmod(path, 0o700)
        yield path
    finally:
        shred_tree(path)


def shred_tree(path: Path) -> None:
    """Overwrite every regular file under ``path`` with zeros, then remove the tree."""
    for root, _dirs, files in os.walk(path):
        for name in files:
            _overwrite(Path(root) / name)
    shutil.rmtree(path, ignore_errors=True)


def _overwrite(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_symlink() or not path.is_file():
            return
        size = path.stat().st_size
        with path.open("r+b", buffering=0) as handle:
            written = 0
            while written < size:
                written += handle.write(_ZEROS[: min(len(_ZEROS), size - written)])
            os.fsync(handle.fileno())


def create_private_file(path: Path) -> int:
    """Create ``path`` 0600 for writing (never an existing file); return the descriptor."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii").rstrip("=")


def decode_key(text: str, what: str) -> bytes:
    """A 32-byte key written as URL-safe base64 (padding optional); ValueError names ``what``."""
    text = text.strip()
    try:
        key = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{what} is not URL-safe base64.") from None
    if len(key) != KEY_SIZE:
        raise ValueError(f"{what} must decode to exactly {KEY_SIZE} bytes, not {len(key)}.")
    return key


def read_key_file(path: Path, what: str) -> bytes:
    """Read a key file written by ``make_backup_key``: one line of URL-safe base64, and
    optional comment lines starting with ``#``."""
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not ASCII text"
        raise ValueError(f"{what} {path} cannot be read: {reason}.") from None
    lines = [line.strip() for line in text.splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    if len(keys) != 1:
        raise ValueError(f"{what} {path} must hold exactly one key line.")
    return decode_key(keys[0], f"{what} {path}")
