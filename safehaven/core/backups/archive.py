"""The encrypted backup format: a clear header, then the packed backup in AES-256-GCM chunks.

Layout::

    magic "SAFEHAVEN-BACKUP\\0" (17) | version (1) | KEM id (2) | KDF id (2) | AEAD id (2)
    | chunk size (4) | nonce prefix (7) | wrapped file key (81) | chunk | chunk | ...

A random 256-bit file key is wrapped to the backup public key with HPKE (``core.crypto.wrap_key``,
X25519 / HKDF-SHA256 / AES-256-GCM, bound to every header byte before it). The plaintext is cut
into chunks of ``chunk size`` bytes, each sealed with AES-256-GCM under the file key (the STREAM
construction): the nonce is the prefix, a 4-byte chunk counter and a byte that is 1 for the
last chunk only; the associated data is the whole header. So a changed header byte, a changed,
dropped, reordered or added chunk, and a cut at a chunk boundary each fail to open. The clear
header names the algorithms so that a newer format is refused with a message, never guessed.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safehaven.core.crypto import KEY_SIZE, SealError, unwrap_key, wrap_key

MAGIC = b"SAFEHAVEN-BACKUP\x00"
VERSION = 1
# RFC 9180 identifiers: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (the same ids
# name the chunk cipher: AES-256-GCM).
KEM_X25519 = 0x0020
KDF_HKDF_SHA256 = 0x0001
AEAD_AES_256_GCM = 0x0002
CHUNK_SIZE = 1 << 20
MIN_CHUNK_SIZE = 1 << 10
MAX_CHUNK_SIZE = 1 << 26

_FIXED = struct.Struct(">BHHHI")
_NONCE_PREFIX_SIZE = 7
_WRAPPED_SIZE = 1 + 32 + KEY_SIZE + 16
_TAG_SIZE = 16
HEADER_SIZE = len(MAGIC) + _FIXED.size + _NONCE_PREFIX_SIZE + _WRAPPED_SIZE
_WRAP_INFO = b"safehaven-backup-file-key\x00"


class ArchiveError(Exception):
    """The archive cannot be opened: not a backup, unknown format, wrong key, altered or cut.

    Messages are fixed text: never a key, never any of the archive's content.
    """


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= 1 << 32:
        raise ArchiveError("the archive has more chunks than the format allows")
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object that encrypts everything written to it into ``out``.

    ``close()`` seals the last chunk; an archive whose writer was not closed does not open.
    """

    def __init__(self, out: BinaryIO, public_key: bytes, *, chunk_size: int = CHUNK_SIZE) -> None:
        if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError("chunk_size is out of range")
        self._out = out
        self._chunk_size = chunk_size
        self._prefix = os.urandom(_NONCE_PREFIX_SIZE)
        file_key = os.urandom(KEY_SIZE)
        before_wrap = (
            MAGIC
            + _FIXED.pack(VERSION, KEM_X25519, KDF_HKDF_SHA256, AEAD_AES_256_GCM, chunk_size)
            + self._prefix
        )
        wrapped = wrap_key(public_key, file_key, _WRAP_INFO + before_wrap)
        self._header = before_wrap + wrapped
        self._aead = AESGCM(file_key)
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        out.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        if self._closed:
            raise ValueError("write to a closed archive")
        self._buffer += data
        # A chunk leaves only when more data follows it: the last one is sealed by close().
        while len(self._buffer) > self._chunk_size:
            self._emit(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if self._closed:
            return
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._closed = True
        self._out.flush()

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        self._out.write(self._aead.encrypt(nonce, plaintext, self._header))
        self._counter += 1


def read_header(source: BinaryIO) -> tuple[bytes, int, bytes, bytes]:
    """Read and check the clear header; return (header, chunk size, nonce prefix, wrapped)."""
    magic = source.read(len(MAGIC))
    if magic != MAGIC:
        raise ArchiveError("This file is not a safehaven backup (its first bytes are wrong).")
    fixed = source.read(_FIXED.size)
    if len(fixed) < 1:
        raise ArchiveError("The backup is cut short: its header is incomplete.")
    if fixed[0] != VERSION:
        raise ArchiveError(
            f"The backup has format version {fixed[0]}; this release reads version {VERSION} "
            "only. Restore it with the release that wrote it, or a newer one."
        )
    rest = source.read(_NONCE_PREFIX_SIZE + _WRAPPED_SIZE)
    if len(fixed) < _FIXED.size or len(rest) < _NONCE_PREFIX_SIZE + _WRAPPED_SIZE:
        raise ArchiveError("The backup is cut short: its header is incomplete.")
    _version, kem, kdf, aead, chunk_size = _FIXED.unpack(fixed)
    if (kem, kdf, aead) != (KEM_X25519, KDF_HKDF_SHA256, AEAD_AES_256_GCM):
        raise ArchiveError(
            f"The backup names unknown algorithms (KEM {kem:#06x}, KDF {kdf:#06x}, "
            f"AEAD {aead:#06x}); this release knows X25519 / HKDF-SHA256 / AES-256-GCM only."
        )
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ArchiveError("The backup's header is malformed (chunk size out of range).")
    prefix, wrapped = rest[:_NONCE_PREFIX_SIZE], rest[_NONCE_PREFIX_SIZE:]
    return magic + fixed + rest, chunk_size, prefix, wrapped


def decrypt_archive(source: BinaryIO, private_key: bytes, out: BinaryIO) -> int:
    """Decrypt an archive from ``source`` into ``out``; return the plaintext size.

    ``out`` receives plaintext before the last chunk is checked: write it only to a private
    place and use it only once this returns (an ArchiveError means it must be thrown away).
    """
    header, chunk_size, prefix, wrapped = read_header(source)
    before_wrap = header[:-_WRAPPED_SIZE]
    try:
        file_key = unwrap_key(private_key, wrapped, _WRAP_INFO + before_wrap)
    except SealError:
        raise ArchiveError(
            "The backup does not open with this private key: it is the wrong key, or the "
            "archive's header was altered."
        ) from None
    aead = AESGCM(file_key)
    block = chunk_size + _TAG_SIZE
    current = source.read(block)
    if not current:
        raise ArchiveError("The backup is cut short: it holds no data after its header.")
    counter = 0
    total = 0
    while True:
        following = source.read(block)
        last = not following
        try:
            plaintext = aead.decrypt(_nonce(prefix, counter, last), current, header)
        except InvalidTag:
            raise ArchiveError(
                f"The backup was altered or cut short (chunk {counter} does not open); "
                "nothing was restored from it."
            ) from None
        out.write(plaintext)
        total += len(plaintext)
        if last:
            return total
        current = following
        counter += 1
