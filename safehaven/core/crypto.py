"""Cryptographic primitives for safehaven's envelope encryption (SECURITY.md, "Keys").

Everything that protects identifying data goes through this module, so that the rest of the
code never touches a cipher, a nonce or a KDF directly:

* field sealing: AES-256-GCM under a record's data key (DEK), bound to record id + field name;
* key wrapping: HPKE (RFC 9180, X25519 / HKDF-SHA256 / AES-256-GCM) of a DEK or private key to
  an X25519 public key, bound to a context string (``info``);
* password protection of a private key with Argon2id, parameters stored in the blob;
* plain AEAD with a caller-chosen key and associated data (e.g. the per-login key copy);
* HKDF key derivation with a label, and HMAC lookups.

Truncated blind indexes for duplicate hints live in :mod:`safehaven.core.crypto_blind_index`.

Every blob starts with a format version byte so that algorithms can change without guessing.
Any failure to open a blob (wrong key or password, wrong binding, tampering, truncation,
unknown format) raises :class:`SealError`, whose message never contains plaintext, keys or
passwords. Programming errors (a key of the wrong size when sealing, a bad key id, an empty
field name or ``info``, a record id that is not a UUID) raise ValueError or TypeError.

Pure Python, no Django import: settings supply keys and peppers to the callers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import struct
import uuid
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_SIZE = 32
_NONCE_SIZE = 12
_TAG_SIZE = 16
_SALT_SIZE = 16
MIN_PEPPER_SIZE = 16

# One version byte per blob family; a domain label in every AAD/info keeps a blob of one family
# from ever being accepted by another, even under the same key.
_FIELD_V1 = 1
_WRAP_V1 = 1
_PASSWORD_V1 = 1
_KEYED_V1 = 1

_KEY_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

_HPKE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_HPKE_ENC_SIZE = 32


class SealError(Exception):
    """A blob could not be opened: wrong key or binding, tampered, truncated or unknown format.

    Messages are fixed strings; they never include plaintext, keys or passwords.
    """


def _as_bytes(blob: object, what: str) -> bytes:
    # Database drivers may hand back memoryview or bytearray for binary columns.
    if isinstance(blob, bytes | bytearray | memoryview):
        return bytes(blob)
    raise SealError(f"{what} is not bytes")


def _check_key(key: bytes, what: str = "key") -> None:
    if not isinstance(key, bytes) or len(key) != KEY_SIZE:
        raise ValueError(f"{what} must be {KEY_SIZE} bytes")


def _lp(data: bytes) -> bytes:
    # Length-prefix every variable part of AAD/info so that two different bindings can never
    # concatenate to the same bytes ("ab"+"c" vs "a"+"bc").
    return struct.pack(">H", len(data)) + data


def _aead_seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    # Random 96-bit nonces are safe: one key seals at most thousands of values, far below the
    # 2**32 messages where GCM nonce collisions start to matter.
    nonce = os.urandom(_NONCE_SIZE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _aead_open(key: bytes, nonce_and_ciphertext: bytes, aad: bytes, failure: str) -> bytes:
    if not isinstance(key, bytes) or len(key) != KEY_SIZE:
        raise SealError(failure)
    nonce, ciphertext = nonce_and_ciphertext[:_NONCE_SIZE], nonce_and_ciphertext[_NONCE_SIZE:]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        # "from None": the underlying exception adds nothing and must not reach tracebacks.
        raise SealError(failure) from None


# --- Field sealing -------------------------------------------------------------------------


def new_data_key() -> bytes:
    """Return a fresh random 256-bit data key (DEK) for one record."""
    return os.urandom(KEY_SIZE)


def _field_aad(version: int, key_id: bytes, record_id: uuid.UUID, field_name: str) -> bytes:
    if not isinstance(record_id, uuid.UUID):
        raise TypeError("record_id must be a uuid.UUID")
    if not field_name:
        raise ValueError("field_name must not be empty")
    name = field_name.encode("utf-8")
    return b"safehaven/field\x00" + bytes([version]) + _lp(key_id) + record_id.bytes + _lp(name)


def _parse_field(sealed: bytes) -> tuple[int, bytes, bytes]:
    """Split a sealed field into (version, key id, nonce + ciphertext)."""
    sealed = _as_bytes(sealed, "sealed field")
    if len(sealed) < 2:
        raise SealError("sealed field is truncated")
    version = sealed[0]
    if version != _FIELD_V1:
        raise SealError(f"sealed field has unknown format version {version}")
    key_id_len = sealed[1]
    nonce_at = 2 + key_id_len
    if key_id_len == 0 or len(sealed) < nonce_at + _NONCE_SIZE + _TAG_SIZE:
        raise SealError("sealed field is truncated")
    key_id = sealed[2:nonce_at]
    if not _KEY_ID_RE.fullmatch(key_id.decode("ascii", "replace")):
        raise SealError("sealed field has a malformed key id")
    return version, key_id, sealed[nonce_at:]


def seal_field(
    data_key: bytes, key_id: str, record_id: uuid.UUID, field_name: str, plaintext: str | bytes
) -> bytes:
    """Encrypt one field of one record under the record's data key.

    Layout: ``version(1) | len(key_id)(1) | key_id | nonce(12) | ciphertext+tag``. The AAD binds
    version, key id, record id and field name, so the blob opens only in the place it was sealed
    for. ``key_id`` (1-64 chars of ``[A-Za-z0-9._:-]``) names the DEK generation, e.g. after a
    case merge. ``str`` plaintext is UTF-8 encoded.
    """
    _check_key(data_key, "data_key")
    if not isinstance(key_id, str) or not _KEY_ID_RE.fullmatch(key_id):
        raise ValueError("key_id must be 1-64 characters of [A-Za-z0-9._:-]")
    data = plaintext.encode("utf-8") if isinstance(plaintext, str) else bytes(plaintext)
    kid = key_id.encode("ascii")
    aad = _field_aad(_FIELD_V1, kid, record_id, field_name)
    return bytes([_FIELD_V1, len(kid)]) + kid + _aead_seal(data_key, data, aad)


def open_field(data_key: bytes, record_id: uuid.UUID, field_name: str, sealed: bytes) -> bytes:
    """Decrypt a field sealed by :func:`seal_field` for this record and field; raise SealError."""
    version, kid, rest = _parse_field(sealed)
    aad = _field_aad(version, kid, record_id, field_name)
    return _aead_open(data_key, rest, aad, "cannot open field: wrong key, record, field or data")


def open_text(data_key: bytes, record_id: uuid.UUID, field_name: str, sealed: bytes) -> str:
    """Like :func:`open_field` but decode the plaintext as UTF-8."""
    try:
        return open_field(data_key, record_id, field_name, sealed).decode("utf-8")
    except UnicodeDecodeError:
        raise SealError("sealed field does not contain UTF-8 text") from None


def sealed_key_id(sealed: bytes) -> str:
    """Return the key id of a sealed field without any key (to pick the right DEK)."""
    return _parse_field(sealed)[1].decode("ascii")


# --- HPKE key wrapping ---------------------------------------------------------------------


class KeyPair(NamedTuple):
    """A raw X25519 key pair (32 bytes each); unpacks as ``private, public``."""

    private: bytes
    public: bytes

    def __repr__(self) -> str:
        # Keep private keys out of logs, tracebacks and debug pages.
        return f"KeyPair(private=<redacted>, public={self.public.hex()})"


def new_key_pair() -> KeyPair:
    """Generate an X25519 key pair for a user, a team, a case inbox or escrow."""
    private = X25519PrivateKey.generate()
    return KeyPair(private.private_bytes_raw(), private.public_key().public_bytes_raw())


def public_key_from_private(private_key: bytes) -> bytes:
    """Return the raw public key belonging to a raw X25519 private key."""
    _check_key(private_key, "private_key")
    return X25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes_raw()


def _wrap_info(version: int, info: bytes) -> bytes:
    if not isinstance(info, bytes) or not info:
        raise ValueError("info must be non-empty bytes naming what the key is bound to")
    return b"safehaven/wrap\x00" + bytes([version]) + _lp(info)


def wrap_key(public_key: bytes, data_key: bytes, info: bytes) -> bytes:
    """Wrap a 32-byte key (DEK or private key) to an X25519 public key with HPKE.

    ``info`` names what is wrapped, e.g. ``b"record:<uuid>"``: the wrap only opens with the same
    ``info``, so a wrap copied to another record is useless. Layout: ``version(1) | enc(32) |
    ciphertext+tag``.
    """
    _check_key(public_key, "public_key")
    _check_key(data_key, "data_key")
    full_info = _wrap_info(_WRAP_V1, info)
    try:
        recipient = X25519PublicKey.from_public_bytes(public_key)
        wrapped = _HPKE.encrypt(data_key, recipient, info=full_info)
    except ValueError:
        # cryptography refuses low-order points (all-zero shared secret).
        raise ValueError("public_key is not a usable X25519 public key") from None
    return bytes([_WRAP_V1]) + wrapped


def unwrap_key(private_key: bytes, wrapped: bytes, info: bytes) -> bytes:
    """Open a :func:`wrap_key` blob with the recipient's private key and the same ``info``."""
    wrapped = _as_bytes(wrapped, "wrapped key")
    if len(wrapped) != 1 + _HPKE_ENC_SIZE + KEY_SIZE + _TAG_SIZE:
        raise SealError("wrapped key is malformed")
    if wrapped[0] != _WRAP_V1:
        raise SealError(f"wrapped key has unknown format version {wrapped[0]}")
    if not isinstance(private_key, bytes) or len(private_key) != KEY_SIZE:
        raise SealError("cannot unwrap key: wrong private key")
    full_info = _wrap_info(wrapped[0], info)
    try:
        recipient = X25519PrivateKey.from_private_bytes(private_key)
        return _HPKE.decrypt(wrapped[1:], recipient, info=full_info)
    except (InvalidTag, ValueError):
        raise SealError("cannot unwrap key: wrong private key, info or tampered data") from None


# --- Password protection -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Argon2Params:
    """Argon2id cost: ``time_cost`` passes, ``memory_cost`` KiB, ``parallelism`` lanes.

    Stored in every password blob, so raising the defaults never locks out existing keys;
    compare :func:`password_blob_params` with the current default to re-protect at login.
    """

    time_cost: int
    memory_cost: int
    parallelism: int

    PRODUCTION: ClassVar[Argon2Params]
    FAST_FOR_TESTS: ClassVar[Argon2Params]

    def __post_init__(self) -> None:
        # Upper bounds also cap the work an attacker-edited blob can make the server do.
        if not 1 <= self.parallelism <= 16:
            raise ValueError("parallelism must be 1..16")
        if not 1 <= self.time_cost <= 20:
            raise ValueError("time_cost must be 1..20")
        if not 8 * self.parallelism <= self.memory_cost <= 1 << 20:
            raise ValueError("memory_cost must be 8*parallelism..1 GiB (in KiB)")


Argon2Params.PRODUCTION = Argon2Params(time_cost=3, memory_cost=65536, parallelism=2)
Argon2Params.FAST_FOR_TESTS = Argon2Params(time_cost=1, memory_cost=8, parallelism=1)

_PASSWORD_HEADER = struct.Struct(">BIIB16s")  # version, t, m, p, salt


def _password_key(password: str, salt: bytes, params: Argon2Params) -> bytes:
    return hash_secret_raw(
        secret=password.encode("utf-8"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_SIZE,
        type=Type.ID,
    )


def protect_with_password(secret: bytes, password: str, params: Argon2Params) -> bytes:
    """Encrypt ``secret`` (e.g. a private key) under an Argon2id key derived from ``password``.

    Layout: ``version(1) | t(4) | m(4) | p(1) | salt(16) | nonce(12) | ciphertext+tag``; the
    header is the AAD.
    """
    if not password:
        raise ValueError("password must not be empty")
    p = params
    salt = os.urandom(_SALT_SIZE)
    header = _PASSWORD_HEADER.pack(_PASSWORD_V1, p.time_cost, p.memory_cost, p.parallelism, salt)
    key = _password_key(password, salt, params)
    return header + _aead_seal(key, bytes(secret), b"safehaven/password\x00" + header)


def _parse_password_blob(blob: bytes) -> tuple[Argon2Params, bytes, bytes]:
    blob = _as_bytes(blob, "password-protected blob")
    if len(blob) < _PASSWORD_HEADER.size + _NONCE_SIZE + _TAG_SIZE:
        raise SealError("password-protected blob is malformed")
    version, t, m, p, _salt = _PASSWORD_HEADER.unpack_from(blob)
    if version != _PASSWORD_V1:
        raise SealError(f"password-protected blob has unknown format version {version}")
    try:
        params = Argon2Params(time_cost=t, memory_cost=m, parallelism=p)
    except ValueError:
        raise SealError("password-protected blob has out-of-range Argon2 parameters") from None
    return params, blob[: _PASSWORD_HEADER.size], blob[_PASSWORD_HEADER.size :]


def password_blob_params(blob: bytes) -> Argon2Params:
    """Return the Argon2 parameters a blob was protected with (no password needed)."""
    return _parse_password_blob(blob)[0]


def unprotect_with_password(blob: bytes, password: str) -> bytes:
    """Open a :func:`protect_with_password` blob; a wrong password raises SealError."""
    params, header, rest = _parse_password_blob(blob)
    key = _password_key(password, header[-_SALT_SIZE:], params)
    aad = b"safehaven/password\x00" + header
    return _aead_open(key, rest, aad, "cannot open protected key: wrong password or data")


# --- Keyed AEAD, KDF, HMAC -----------------------------------------------------------------


def encrypt_with_key(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM under a caller-held 32-byte key, bound to ``aad``.

    For secrets that are not record fields, e.g. a private key kept for one login under a key
    that only lives in a cookie. Layout: ``version(1) | nonce(12) | ciphertext+tag``.
    """
    _check_key(key)
    full_aad = b"safehaven/keyed\x00" + bytes([_KEYED_V1]) + bytes(aad)
    return bytes([_KEYED_V1]) + _aead_seal(key, bytes(plaintext), full_aad)


def decrypt_with_key(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Open an :func:`encrypt_with_key` blob with the same key and ``aad``; raise SealError."""
    blob = _as_bytes(blob, "encrypted blob")
    if len(blob) < 1 + _NONCE_SIZE + _TAG_SIZE:
        raise SealError("encrypted blob is malformed")
    if blob[0] != _KEYED_V1:
        raise SealError(f"encrypted blob has unknown format version {blob[0]}")
    full_aad = b"safehaven/keyed\x00" + bytes([blob[0]]) + bytes(aad)
    return _aead_open(key, blob[1:], full_aad, "cannot open blob: wrong key, aad or data")


def derive_key(secret: bytes, label: str, length: int = KEY_SIZE) -> bytes:
    """Derive a ``length``-byte key from a high-entropy ``secret`` with HKDF-SHA256.

    Distinct labels give independent keys, so one secret (e.g. a requester codename) can yield
    both a wrapping key and, separately, a lookup value without one revealing the other. HKDF
    does not slow down guessing: ``secret`` must already be unguessable.
    """
    if not secret:
        raise ValueError("secret must not be empty")
    if not label:
        raise ValueError("label must not be empty")
    if not 16 <= length <= 64:
        raise ValueError("length must be 16..64 bytes")
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=length,
        salt=None,
        info=b"safehaven/derive\x00" + label.encode("utf-8"),
    )
    return hkdf.derive(bytes(secret))


def hmac_digest(pepper: bytes, value: str) -> bytes:
    """HMAC-SHA256 of ``value`` (UTF-8) under ``pepper``, e.g. the codename lookup hash."""
    # Refusing short peppers catches an unset or truncated setting before it weakens lookups.
    if not isinstance(pepper, bytes) or len(pepper) < MIN_PEPPER_SIZE:
        raise ValueError(f"pepper must be at least {MIN_PEPPER_SIZE} bytes")
    return hmac.new(pepper, value.encode("utf-8"), hashlib.sha256).digest()
