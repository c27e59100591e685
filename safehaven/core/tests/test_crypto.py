"""Tests for safehaven.core.crypto: pure functions, no database."""

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehaven.core import crypto
from safehaven.core.crypto import (
    Argon2Params,
    SealError,
    decrypt_with_key,
    derive_key,
    encrypt_with_key,
    hmac_digest,
    new_data_key,
    new_key_pair,
    open_field,
    open_text,
    password_blob_params,
    protect_with_password,
    public_key_from_private,
    seal_field,
    sealed_key_id,
    unprotect_with_password,
    unwrap_key,
    wrap_key,
)
from safehaven.core.crypto_blind_index import BlindIndexKind, blind_index, normalise_for_index

SECRET_TEXT = "Nadia Karimova, +7 912 345-67-89, lives above the bakery"
RECORD = uuid.UUID("6f1d3c2a-0b7e-4c55-9a61-2f0e8d4b7c11")
OTHER_RECORD = uuid.UUID("0c9a7e55-3d21-4f08-b6a2-91e4c7d05a38")
PEPPER = b"p" * 32
FAST = Argon2Params.FAST_FOR_TESTS

# One DEK and one sealed blob shared by the hypothesis test (keys are costly to regenerate
# for every example, and the blob's length must be known to draw a bit position).
DEK = new_data_key()
SEALED = seal_field(DEK, "k1", RECORD, "full_name", SECRET_TEXT)
PAIR = new_key_pair()
WRAP_INFO = f"record:{RECORD}".encode()
WRAPPED = wrap_key(PAIR.public, DEK, WRAP_INFO)


def flip(blob: bytes, bit: int) -> bytes:
    data = bytearray(blob)
    data[bit // 8] ^= 1 << (bit % 8)
    return bytes(data)


def assert_message_is_clean(error: SealError, *secrets: str) -> None:
    text = str(error) + repr(error)
    for secret in secrets:
        assert secret not in text
    # No chained exception either: a traceback must not show what failed underneath.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


# --- field sealing ---


def test_it_makes_random_32_byte_data_keys():
    keys = {new_data_key() for _ in range(50)}
    assert len(keys) == 50
    assert all(len(key) == 32 for key in keys)


def test_it_round_trips_text():
    assert open_text(DEK, RECORD, "full_name", SEALED) == SECRET_TEXT
    assert SECRET_TEXT.encode() not in SEALED


def test_it_round_trips_2kb_of_bytes():
    payload = bytes(range(256)) * 8
    sealed = seal_field(DEK, "k1", RECORD, "notes", payload)
    assert open_field(DEK, RECORD, "notes", sealed) == payload


def test_it_round_trips_empty_and_non_latin_text():
    for text in ("", "Ана Петрова — معلومات 🏳️‍🌈"):
        assert open_text(DEK, RECORD, "notes", seal_field(DEK, "k1", RECORD, "notes", text)) == text


def test_it_uses_a_fresh_nonce_each_time():
    assert seal_field(DEK, "k1", RECORD, "f", "same") != seal_field(DEK, "k1", RECORD, "f", "same")


def test_it_reads_the_key_id_without_a_key():
    assert sealed_key_id(seal_field(DEK, "case-42.v2", RECORD, "f", "x")) == "case-42.v2"


def test_it_refuses_a_wrong_field_name():
    with pytest.raises(SealError) as excinfo:
        open_field(DEK, RECORD, "address", SEALED)
    assert_message_is_clean(excinfo.value, SECRET_TEXT, "Nadia")


def test_it_refuses_a_wrong_record_id():
    with pytest.raises(SealError):
        open_field(DEK, OTHER_RECORD, "full_name", SEALED)


def test_it_refuses_a_wrong_data_key():
    with pytest.raises(SealError) as excinfo:
        open_field(new_data_key(), RECORD, "full_name", SEALED)
    assert_message_is_clean(excinfo.value, SECRET_TEXT)


def test_it_refuses_a_ciphertext_copied_to_another_row():
    # Same DEK reused by mistake for both rows: the record id binding still stops the copy.
    victim = seal_field(DEK, "k1", RECORD, "phone", "+79123456789")
    with pytest.raises(SealError):
        open_field(DEK, OTHER_RECORD, "phone", victim)


@settings(database=None, max_examples=300, deadline=None)
@given(bit=st.integers(min_value=0, max_value=len(SEALED) * 8 - 1))
def test_it_refuses_a_flipped_bit_anywhere(bit):
    with pytest.raises(SealError) as excinfo:
        open_field(DEK, RECORD, "full_name", flip(SEALED, bit))
    assert_message_is_clean(excinfo.value, SECRET_TEXT, "Nadia")


def test_it_refuses_an_unknown_version():
    with pytest.raises(SealError, match="version"):
        open_field(DEK, RECORD, "full_name", b"\x02" + SEALED[1:])
    with pytest.raises(SealError):
        sealed_key_id(b"\x00" + SEALED[1:])


def test_it_refuses_truncated_or_non_bytes_blobs():
    for blob in (b"", SEALED[:1], SEALED[:20], SEALED[:-1]):
        with pytest.raises(SealError):
            open_field(DEK, RECORD, "full_name", blob)
    with pytest.raises(SealError):
        open_field(DEK, RECORD, "full_name", "not bytes")  # type: ignore[arg-type]


def test_it_opens_memoryview_blobs_from_database_drivers():
    assert open_text(DEK, RECORD, "full_name", memoryview(SEALED)) == SECRET_TEXT  # type: ignore[arg-type]


def test_it_refuses_bad_arguments_when_sealing():
    with pytest.raises(ValueError, match="data_key"):
        seal_field(b"short", "k1", RECORD, "f", "x")
    for key_id in ("", "é", "a" * 65, "has space"):
        with pytest.raises(ValueError, match="key_id"):
            seal_field(DEK, key_id, RECORD, "f", "x")
    with pytest.raises(TypeError):
        seal_field(DEK, "k1", str(RECORD), "f", "x")  # type: ignore[arg-type]


# --- HPKE wrapping ---


def test_it_round_trips_an_hpke_wrap():
    assert unwrap_key(PAIR.private, WRAPPED, WRAP_INFO) == DEK
    assert len(PAIR.private) == len(PAIR.public) == 32
    assert public_key_from_private(PAIR.private) == PAIR.public


def test_it_keeps_private_keys_out_of_repr():
    private, public = PAIR
    assert private.hex() not in repr(PAIR)
    assert public.hex() in repr(PAIR)


def test_it_refuses_a_wrong_private_key():
    with pytest.raises(SealError) as excinfo:
        unwrap_key(new_key_pair().private, WRAPPED, WRAP_INFO)
    assert_message_is_clean(excinfo.value, DEK.hex())


def test_it_refuses_a_wrong_info():
    with pytest.raises(SealError):
        unwrap_key(PAIR.private, WRAPPED, f"record:{OTHER_RECORD}".encode())


def test_it_refuses_a_tampered_or_unknown_version_wrap():
    with pytest.raises(SealError, match="version"):
        unwrap_key(PAIR.private, b"\x09" + WRAPPED[1:], WRAP_INFO)
    for bit in (8, 300, len(WRAPPED) * 8 - 1):
        with pytest.raises(SealError):
            unwrap_key(PAIR.private, flip(WRAPPED, bit), WRAP_INFO)
    with pytest.raises(SealError):
        unwrap_key(PAIR.private, WRAPPED[:-1], WRAP_INFO)


def test_it_refuses_unusable_public_keys():
    with pytest.raises(ValueError, match="public_key"):
        wrap_key(bytes(32), DEK, WRAP_INFO)
    with pytest.raises(ValueError, match="info"):
        wrap_key(PAIR.public, DEK, b"")


# --- password protection ---


def test_it_round_trips_a_password_protected_key():
    blob = protect_with_password(PAIR.private, "correct horse ✓ лошадь", FAST)
    assert unprotect_with_password(blob, "correct horse ✓ лошадь") == PAIR.private


def test_it_refuses_a_wrong_password():
    blob = protect_with_password(PAIR.private, "correct horse", FAST)
    with pytest.raises(SealError) as excinfo:
        unprotect_with_password(blob, "correct horsf")
    assert_message_is_clean(excinfo.value, "correct horse", "correct horsf")


def test_it_stores_argon2_params_in_the_blob(monkeypatch):
    blob = protect_with_password(b"secret key bytes", "pw", FAST)
    stronger = Argon2Params(time_cost=2, memory_cost=64, parallelism=1)
    monkeypatch.setattr(Argon2Params, "PRODUCTION", stronger)
    monkeypatch.setattr(Argon2Params, "FAST_FOR_TESTS", stronger)
    assert password_blob_params(blob) == FAST
    assert unprotect_with_password(blob, "pw") == b"secret key bytes"


def test_it_refuses_tampered_argon2_params():
    blob = protect_with_password(b"secret key bytes", "pw", FAST)
    absurd_memory = blob[:5] + (1 << 30).to_bytes(4, "big") + blob[9:]
    with pytest.raises(SealError, match="out-of-range"):
        unprotect_with_password(absurd_memory, "pw")
    more_time = blob[:1] + (2).to_bytes(4, "big") + blob[5:]
    with pytest.raises(SealError):
        unprotect_with_password(more_time, "pw")


def test_it_validates_argon2_params():
    assert Argon2Params.PRODUCTION.memory_cost >= 65536
    with pytest.raises(ValueError, match="time_cost"):
        Argon2Params(time_cost=0, memory_cost=8, parallelism=1)
    with pytest.raises(ValueError, match="memory_cost"):
        Argon2Params(time_cost=1, memory_cost=8, parallelism=2)


# --- keyed AEAD, KDF, HMAC ---


def test_it_round_trips_with_a_caller_key_and_checks_aad():
    key = new_data_key()
    blob = encrypt_with_key(key, PAIR.private, b"login:abc")
    assert decrypt_with_key(key, blob, b"login:abc") == PAIR.private
    for wrong_key, aad in ((key, b"login:abd"), (new_data_key(), b"login:abc")):
        with pytest.raises(SealError):
            decrypt_with_key(wrong_key, blob, aad)
    with pytest.raises(SealError, match="version"):
        decrypt_with_key(key, b"\x07" + blob[1:], b"login:abc")


def test_it_derives_distinct_keys_per_label():
    codename = b"velvet-harbour-orchid-47"
    wrap_key_a = derive_key(codename, "requester-wrap")
    assert wrap_key_a == derive_key(codename, "requester-wrap")
    assert wrap_key_a != derive_key(codename, "requester-lookup")
    assert len(derive_key(codename, "x", length=64)) == 64
    assert wrap_key_a != hmac_digest(PEPPER, codename.decode())


def test_it_computes_a_stable_hmac_and_refuses_short_peppers():
    assert hmac_digest(PEPPER, "abc") == hmac_digest(PEPPER, "abc")
    assert len(hmac_digest(PEPPER, "abc")) == 32
    with pytest.raises(ValueError, match="pepper"):
        hmac_digest(b"", "abc")


# --- blind indexes ---


@pytest.mark.parametrize(
    ("kind", "left", "right", "normalised"),
    [
        (BlindIndexKind.PHONE, "+7 (912) 345-67-89", "0079123456789", "79123456789"),
        (BlindIndexKind.PHONE, "+٩٧١ ٥٠ ١٢٣ ٤٥٦٧", "00971501234567", "971501234567"),  # noqa: RUF001
        (BlindIndexKind.EMAIL, "Ана@Example.ORG ", "ана@example.org", "ана@example.org"),
        (BlindIndexKind.HANDLE, " @Handle", "handle", "handle"),
        (BlindIndexKind.NAME, "José  Pérez", "jose perez", "jose perez"),
        (BlindIndexKind.NAME, "ЙОЖИК\tТуманный", "йожик туманный", "иожик туманныи"),  # noqa: RUF001
    ],
)
def test_it_gives_equal_indexes_after_normalisation(kind, left, right, normalised):
    assert normalise_for_index(kind, left) == normalised
    assert blind_index(kind, left, PEPPER) == blind_index(kind, right, PEPPER)


def test_it_keeps_national_phone_forms_distinct():
    assert normalise_for_index(BlindIndexKind.PHONE, "8 912 345-67-89") == "89123456789"


def test_it_refuses_unusable_values_without_echoing_them():
    for kind, value in (
        (BlindIndexKind.PHONE, "+7 912 CALL-ME"),
        (BlindIndexKind.PHONE, "12345"),
        (BlindIndexKind.EMAIL, "   "),
        (BlindIndexKind.HANDLE, "@"),
    ):
        with pytest.raises(ValueError, match=r"phone number|empty after normalisation") as excinfo:
            blind_index(kind, value, PEPPER)
        assert value not in str(excinfo.value)


@pytest.mark.parametrize("bits", [16, 18, 20])
def test_it_truncates_to_the_requested_bits(bits):
    values = [f"person{i}@example.org" for i in range(200)]
    indexes = [blind_index(BlindIndexKind.EMAIL, value, PEPPER, bits=bits) for value in values]
    assert all(0 <= index < 2**bits for index in indexes)
    assert len(set(indexes)) > 150


def test_it_changes_indexes_with_the_pepper():
    values = [f"+4479{i:08d}" for i in range(20)]
    first = [blind_index(BlindIndexKind.PHONE, v, PEPPER) for v in values]
    second = [blind_index(BlindIndexKind.PHONE, v, b"q" * 32) for v in values]
    assert sum(a != b for a, b in zip(first, second, strict=True)) >= 15


def test_it_separates_kinds():
    values = [f"alex{i}" for i in range(20)]
    handles = [blind_index(BlindIndexKind.HANDLE, v, PEPPER) for v in values]
    names = [blind_index(BlindIndexKind.NAME, v, PEPPER) for v in values]
    assert sum(a != b for a, b in zip(handles, names, strict=True)) >= 15


@pytest.mark.parametrize("bits", [0, 8, 15, 21, 32, True])
def test_it_refuses_bits_outside_16_to_20(bits):
    with pytest.raises(ValueError, match="bits"):
        blind_index(BlindIndexKind.NAME, "jose perez", PEPPER, bits=bits)


def test_it_raises_one_exception_class_distinct_from_argument_errors():
    # Callers catch SealError for "cannot open" and must not swallow programming errors with it.
    assert issubclass(SealError, Exception)
    assert not issubclass(SealError, ValueError)
    assert crypto.KEY_SIZE == 32
