"""What actually lands on disk: sealed values never in clear, shredded ciphertext gone.

SQLite is checked byte by byte (database file and WAL). PostgreSQL compresses long values, so
there the sentinel test searches every text and bytea column through SQL instead.
"""

import logging
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from safehaven.keys.actions import do_shred_record
from safehaven.keys.models import RecordKey, RecordKeyWrap, ShredReason
from safehaven.keys.records import new_record_key, open_record, open_record_with_codename
from safehaven.keys.tests.conftest import PASSWORD
from safehaven.keys.tests.sealed_models import SealedNote, SealedNoteMessage

SENTINELS = ("Zorblax-Kestrel-7731", "Sentinel Wyvernholm 4402", "+99 555 0199 7731")
CODENAME = "tundra velvet orbit mango falcon quarry lantern"


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
    for sentinel in SENTINELS:
        assert sentinel not in caplog.text
        assert CODENAME not in caplog.text
    if connection.vendor == "sqlite":
        raw = raw_sqlite_bytes()
        assert b"neutral title" in raw  # the clear title is found, so the search works
        for sentinel in (*SENTINELS, CODENAME):
            for encoding in ("utf-8", "utf-16-le"):
                assert sentinel.encode(encoding) not in raw, sentinel
    else:
        assert postgres_columns_containing("neutral title") == ["keys_sealednote.title"]
        for sentinel in (*SENTINELS, CODENAME):
            assert postgres_columns_containing(sentinel) == [], sentinel


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
