"""What actually lands on disk: sealed values never in clear, shredded ciphertext gone.

SQLite is checked byte by byte (database file and WAL). PostgreSQL compresses long values, so
there the sentinel test searches every text and bytea column through SQL instead.
"""

import logging
import re
import unicodedata
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from safehaven.keys.actions.records import do_shred_record
from safehaven.keys.models import RecordKey, RecordKeyWrap, ShredReason
from safehaven.keys.records import new_record_key, open_record, open_record_with_codename
from safehaven.keys.tests.helpers import PASSWORD
from safehaven.keys.tests.sealed_models import SealedNote, SealedNoteMessage

SENTINELS = ("Zorblax-Kestrel-7731", "Sentinel Wyvernholm 4402", "+99 555 0199 7731")
CODENAME = "tundra velvet orbit mango falcon quarry lantern"


def _ascii_digits(value: str) -> str:
    """The digits of ``value`` in any script (Arabic and Persian keyboards type their own) as
    ASCII digits, everything else dropped."""
    return "".join(str(unicodedata.digit(char)) for char in value if char.isdecimal())


def normalised_forms(value: str) -> set[str]:
    """``value`` and what code on its way to storage may have made of it: each Unicode
    normalisation form (NFKC folds full-width letters and digits), lower, upper and case-folded
    forms, a handle without its "@", and a phone number as its bare digits (with and without
    "+"). A sentinel scan that looks for the typed form only misses a hint or an index kept in
    clear in any of these."""
    forms = {value}
    forms |= {unicodedata.normalize(form, value) for form in ("NFC", "NFD", "NFKC", "NFKD")}
    forms |= {changed for form in list(forms) for changed in (form.lower(), form.upper())}
    forms |= {form.casefold() for form in list(forms)}
    forms |= {form.removeprefix("@") for form in list(forms) if form.startswith("@")}
    folded = unicodedata.normalize("NFKC", value)
    if re.fullmatch(r"\+?[\d\s().\u00a0\u2010-\u2015-]+", folded):
        digits = _ascii_digits(folded)
        if len(digits) >= 6:
            forms |= {digits, "+" + digits}
    return forms


def forms_found_in(raw: bytes, value: str) -> list[str]:
    """Which normalised forms of ``value`` occur in ``raw``, as UTF-8 or UTF-16."""
    return sorted(
        form
        for form in normalised_forms(value)
        if any(form.encode(encoding) in raw for encoding in ("utf-8", "utf-16-le"))
    )


def forms_found_in_text(text: str, value: str) -> list[str]:
    return sorted(form for form in normalised_forms(value) if form in text)


def postgres_columns_containing_any_form(value: str) -> list[str]:
    return sorted(
        {found for form in normalised_forms(value) for found in postgres_columns_containing(form)}
    )


def raw_sqlite_bytes() -> bytes:
    path = Path(connection.settings_dict["NAME"])
    chunks = [path.read_bytes()]
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        chunks.append(wal.read_bytes())
    return b"".join(chunks)


def postgres_columns_containing(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND data_type IN ('text', 'character varying', 'bytea', 'jsonb', 'json')"
        )
        for table, column, data_type in cursor.fetchall():
            table_sql = connection.ops.quote_name(table)
            column_sql = connection.ops.quote_name(column)
            if data_type == "bytea":
                condition = f"position(%s::bytea in {column_sql}) > 0"
                parameter: bytes | str = needle.encode()
            else:
                condition = f"strpos({column_sql}::text, %s) > 0"
                parameter = needle
            cursor.execute(f"SELECT count(*) FROM {table_sql} WHERE {condition}", [parameter])  # noqa: S608
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def write_sealed_data(world) -> SealedNote:
    note = SealedNote(title="neutral title")
    opened = new_record_key(note.record_id, readers=[world.triage], codename=CODENAME)
    note.open_with(opened)
    note.seal("body", SENTINELS[0])
    note.seal("phone", SENTINELS[2])
    note.save()
    message = SealedNoteMessage(record_id=note.record_id)
    message.seal_for_inbox("text", SENTINELS[1])
    message.save()
    return note


@pytest.mark.django_db(transaction=True)
def test_it_never_writes_sealed_sentinels_to_the_database_or_logs(world, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    try:
        Client().post(
            "/en/accounts/login/", {"login": world.users["triager"].email, "password": PASSWORD}
        )
        note = write_sealed_data(world)
        opened = open_record(
            note.record_id, user=world.users["triager"], private_key=world.key("triager")
        )
        stored = SealedNote.objects.get(pk=note.pk).open_with(opened)
        assert stored.sealed("body") == SENTINELS[0]
        message = SealedNoteMessage.objects.get(record_id=note.record_id).open_with(opened)
        assert message.sealed("text") == SENTINELS[1]
        as_requester = open_record_with_codename(note.record_id, CODENAME)
        assert stored.open_with(as_requester).sealed("phone") == SENTINELS[2]
        logging.getLogger("safehaven").debug("opened %r and %r", stored, opened)
    finally:
        connection.force_debug_cursor = False

    assert "SELECT" in caplog.text  # the SQL log was captured, so the check below means something
    for sentinel in (*SENTINELS, CODENAME):
        assert forms_found_in_text(caplog.text, sentinel) == [], sentinel
    if connection.vendor == "sqlite":
        raw = raw_sqlite_bytes()
        assert b"neutral title" in raw  # the clear title is found, so the search works
        # and it finds a normalised form: the title in capitals is stored nowhere, its own is
        assert forms_found_in(raw, "NEUTRAL TITLE") != []
        for sentinel in (*SENTINELS, CODENAME):
            assert forms_found_in(raw, sentinel) == [], sentinel
    else:
        assert postgres_columns_containing("neutral title") == ["keys_sealednote.title"]
        assert postgres_columns_containing_any_form("NEUTRAL TITLE") == ["keys_sealednote.title"]
        for sentinel in (*SENTINELS, CODENAME):
            assert postgres_columns_containing_any_form(sentinel) == [], sentinel


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_ciphertext_of_a_shredded_record_in_the_file_or_wal(world, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    settings.KEYS_SHRED_LIST_FILE = str(tmp_path / "shredded.txt")
    note = write_sealed_data(world)
    record_key = RecordKey.objects.get(record_id=note.record_id)
    ciphertexts = [
        bytes(wrap.wrapped) for wrap in RecordKeyWrap.objects.filter(record_key=record_key)
    ]
    ciphertexts += [
        bytes(record_key.sealed_inbox_private_key),
        bytes(SealedNote.objects.get(pk=note.pk).body),
        bytes(SealedNoteMessage.objects.get(record_id=note.record_id).text),
    ]
    raw = raw_sqlite_bytes()
    assert all(ciphertext in raw for ciphertext in ciphertexts)  # the search can find them

    do_shred_record(note.record_id, actor=None, reason=ShredReason.CONSENT_WITHDRAWN)

    raw = raw_sqlite_bytes()
    for ciphertext in ciphertexts:
        assert ciphertext not in raw
    wal = Path(connection.settings_dict["NAME"] + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert (tmp_path / "shredded.txt").read_text() == f"{note.record_id}\n"
    assert uuid.UUID(str(note.record_id))
