"""``manage.py backup`` and ``restore`` on SQLite: the archive holds nothing in clear, opens only
with the right private key and unaltered, rebuilds a fresh database whose audit chain verifies,
and shreds again what was shredded after the backup."""

from __future__ import annotations

import contextlib
import io
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from safehaven.core.backups.archive import MAGIC, decrypt_archive
from safehaven.core.backups.private_dir import encode_key
from safehaven.core.crypto import new_key_pair
from safehaven.keys.actions.records import do_shred_record
from safehaven.keys.models import RecordKey, ShredReason
from safehaven.keys.records import open_record
from safehaven.keys.tests.sealed_models import SealedNote
from safehaven.keys.tests.test_raw_storage import SENTINELS, forms_found_in, write_sealed_data

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def backup_world(world, settings, tmp_path):
    live = tmp_path / "live"
    live.mkdir()
    settings.KEYS_SHRED_LIST_FILE = str(live / "shredded.txt")
    settings.AUDIT_ANCHOR_PATH = live / "anchors.log"
    pair = new_key_pair()
    settings.BACKUP_PUBLIC_KEY = pair.public
    private_key_file = tmp_path / "offline" / "backup.key"
    private_key_file.parent.mkdir()
    private_key_file.write_text(f"# test key\n{encode_key(pair.private)}\n")
    return world, private_key_file, pair.private


@contextlib.contextmanager
def database_file(path: Path) -> Iterator[None]:
    """Point the default connection at another SQLite file for the block."""
    connection.close()
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def run(command: str, *args: object, **options: object) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def take_backup(tmp_path: Path) -> Path:
    archive = tmp_path / "backups" / "safehaven.backup"
    archive.parent.mkdir(exist_ok=True)
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    run("backup", output=archive, temp_dir=work)
    assert list(work.iterdir()) == []  # the plaintext snapshot is gone
    return archive


def test_it_backs_up_and_restores_and_shreds_again(backup_world, tmp_path):
    world, private_key_file, _private = backup_world
    kept = write_sealed_data(world)
    doomed = write_sealed_data(world)
    run("anchor_audit")
    archive = take_backup(tmp_path)

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    raw = archive.read_bytes()
    assert raw.startswith(MAGIC)
    for sentinel in (*SENTINELS, "neutral title"):
        assert forms_found_in(raw, sentinel) == [], sentinel
        assert forms_found_in(raw.lower(), sentinel) == [], sentinel
    # The scan can find what is there once decrypted: the clear title is in the snapshot.
    opened = io.BytesIO()
    decrypt_archive(io.BytesIO(raw), _private, opened)
    assert b"neutral title" in opened.getvalue()
    assert not list(tmp_path.glob("backups/.*partial*"))

    do_shred_record(doomed.record_id, actor=None, reason=ShredReason.CONSENT_WITHDRAWN)
    assert str(doomed.record_id) in Path(str(tmp_path / "live" / "shredded.txt")).read_text()

    restored = tmp_path / "restored" / "safehaven.sqlite3"
    restored.parent.mkdir()
    with database_file(restored):
        out = run("restore", archive, private_key_file=private_key_file, temp_dir=tmp_path / "work")
        assert list((tmp_path / "work").iterdir()) == []
        assert "Restore complete." in out
        assert "Shreds re-applied: 1 of 1." in out
        assert "already in place" in out  # the anchor file in place is the backup's
        assert stat.S_IMODE(restored.stat().st_mode) == 0o600
        assert SealedNote.objects.count() == 2
        opened_record = open_record(
            kept.record_id, user=world.users["triager"], private_key=world.key("triager")
        )
        note = SealedNote.objects.get(pk=kept.pk).open_with(opened_record)
        assert note.sealed("body") == SENTINELS[0]
        assert not RecordKey.objects.filter(record_id=doomed.record_id).exists()
        assert SealedNote.objects.get(pk=doomed.pk).body is None
        assert "Audit chain intact" in run("verify_audit")


def test_it_puts_back_outside_files_only_where_none_exist(backup_world, tmp_path):
    world, private_key_file, _private = backup_world
    write_sealed_data(world)
    run("anchor_audit")
    archive = take_backup(tmp_path)
    anchors = tmp_path / "live" / "anchors.log"
    anchors.unlink()

    with database_file(tmp_path / "fresh.sqlite3"):
        out = run("restore", archive, private_key_file=private_key_file)
    assert "put back from the backup" in out
    assert stat.S_IMODE(anchors.stat().st_mode) == 0o600


def test_it_fails_when_the_anchors_in_place_are_newer_than_the_backup(backup_world, tmp_path):
    world, private_key_file, _private = backup_world
    run("anchor_audit")
    archive = take_backup(tmp_path)
    doomed = write_sealed_data(world)
    do_shred_record(doomed.record_id, actor=None, reason=ShredReason.RETENTION)
    run("anchor_audit")

    with database_file(tmp_path / "fresh.sqlite3"):
        with pytest.raises(CommandError, match="newer than the backup"):
            run("restore", archive, private_key_file=private_key_file)
        # The shred made after the backup is listed and applied even so.
        assert not RecordKey.objects.filter(record_id=doomed.record_id).exists()


def altered(archive: Path, at: int) -> Path:
    data = bytearray(archive.read_bytes())
    data[at] ^= 0x01
    path = archive.with_name(f"altered-{at}")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("wrong key", "does not open with this private key"),
        ("header byte", "does not open with this private key"),
        ("data byte", "altered or cut short"),
        ("last byte", "altered or cut short"),
        ("truncated", "altered or cut short"),
        ("version", "format version 2"),
        ("not a backup", "not a safehaven backup"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(backup_world, tmp_path, change, message):
    world, private_key_file, _private = backup_world
    write_sealed_data(world)
    archive = take_backup(tmp_path)
    size = archive.stat().st_size
    if change == "wrong key":
        private_key_file.write_text(encode_key(new_key_pair().private) + "\n")
    elif change == "header byte":
        archive = altered(archive, len(MAGIC) + 12)  # the nonce prefix
    elif change == "data byte":
        archive = altered(archive, size // 2)
    elif change == "last byte":
        archive = altered(archive, size - 1)
    elif change == "truncated":
        archive.write_bytes(archive.read_bytes()[: size - 100])
    elif change == "version":
        data = bytearray(archive.read_bytes())
        data[len(MAGIC)] = 2
        archive.write_bytes(bytes(data))
    else:
        archive.write_bytes(b"SQLite format 3\x00" + bytes(200))

    target = tmp_path / "fresh" / "safehaven.sqlite3"
    target.parent.mkdir()
    with database_file(target), pytest.raises(CommandError, match=message) as refused:
        run("restore", archive, private_key_file=private_key_file)
    assert "Nothing was changed." in str(refused.value)
    assert list(target.parent.iterdir()) == []


def test_it_refuses_a_database_that_has_tables(backup_world, tmp_path):
    _world, private_key_file, _private = backup_world
    archive = take_backup(tmp_path)
    with pytest.raises(CommandError, match=r"already has \d+ tables"):
        run("restore", archive, private_key_file=private_key_file)


def test_it_never_overwrites_a_file(backup_world, tmp_path):
    archive = tmp_path / "taken"
    archive.write_bytes(b"older")
    with pytest.raises(CommandError, match="exists already"):
        run("backup", output=archive)
    assert archive.read_bytes() == b"older"


def test_it_makes_a_key_pair_with_a_private_file(tmp_path):
    path = tmp_path / "backup.key"
    out = run("make_backup_key", private_key_file=path)
    assert out.startswith("SAFEHAVEN_BACKUP_PUBLIC_KEY=")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(CommandError, match="exists already"):
        run("make_backup_key", private_key_file=path)
