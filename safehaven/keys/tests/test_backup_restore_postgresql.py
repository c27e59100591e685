"""``manage.py backup`` and ``restore`` on PostgreSQL: ``pg_dump`` reads one snapshot while the
app writes, the password never reaches a command line, and ``restore`` fills a fresh database,
shreds again what was shredded since the backup and verifies the audit chain; a database that
has tables is refused untouched. (SQLite: ``test_backup_restore.py``.)"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import QuerySet

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.accounts.seed import SEEDED_USERNAMES, seed_world
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.cases.models import Case
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.core.backups import database
from safehaven.core.backups.private_dir import encode_key
from safehaven.core.crypto import new_key_pair
from safehaven.intake.codename import codename_lookup_hash
from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import opened_record, submit_request
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKey
from safehaven.keys.outside_files import shred_list_path
from safehaven.keys.records import open_record_with_codename
from safehaven.keys.tests.sealed_models import SealedNote

MANAGE_PY = Path(django_settings.BASE_DIR) / "manage.py"
PASSWORD_SENTINEL = "pw-Sentinel-" + uuid.uuid4().hex
WAIT_SECONDS = 60


# A mark, not a skip inside a fixture: the transactional database set-up and flush would run
# first for nothing.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="this database is not PostgreSQL (pg_dump and pg_restore need a server; "
    "test_backup_restore.py covers SQLite)",
)


@pytest.fixture
def live(settings: Any, tmp_path: Path) -> SimpleNamespace:
    """Outside files under a private var directory, a backup key pair, and the environment a
    ``manage.py`` process needs to reach the test database (with a password, to look for it)."""
    var = tmp_path / "var"
    var.mkdir()
    settings.KEYS_SHRED_LIST_FILE = str(var / "shredded-records.txt")
    settings.AUDIT_ANCHOR_PATH = var / "audit-anchors-test.log"
    pair = new_key_pair()
    settings.BACKUP_PUBLIC_KEY = pair.public
    key_file = tmp_path / "offline.key"
    key_file.write_text(f"{encode_key(pair.private)}\n")
    work = tmp_path / "work"
    work.mkdir()
    password = connection.settings_dict["PASSWORD"] or PASSWORD_SENTINEL  # trust ignores it
    environment = dict(os.environ) | {
        "SAFEHAVEN_MODE": "test",
        "SAFEHAVEN_VAR_DIR": str(var),
        "SAFEHAVEN_AUDIT_ANCHOR_PATH": str(settings.AUDIT_ANCHOR_PATH),
        "SAFEHAVEN_BACKUP_PUBLIC_KEY": encode_key(pair.public),
        "SAFEHAVEN_DATABASE_URL": database_url(connection.settings_dict, password),
    }
    return SimpleNamespace(key_file=key_file, work=work, password=password, environment=environment)


def database_url(settings_dict: dict[str, Any], password: str) -> str:
    host = str(settings_dict["HOST"] or "")
    query = dict(settings_dict["OPTIONS"]) | ({"host": host} if host.startswith("/") else {})
    address = "" if host.startswith("/") else host
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    user = quote(str(settings_dict["USER"] or ""), safe="")
    return (
        f"postgres://{user}:{quote(password, safe='')}@{address}{port}/"
        f"{quote(str(settings_dict['NAME']), safe='')}?{urlencode(query)}"
    )


def sent_with(codename: str) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(codename_hash=codename_lookup_hash(codename).hex())


def run(command: str, *args: object, **options: object) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database on the test server; the default connection uses it in the block,
    and it is dropped afterwards."""
    name = f"safehaven_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield name
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)"
            )


@contextlib.contextmanager
def locked_by_another_session(table: str) -> Iterator[None]:
    """``table`` locked against every reader by a second session for the block."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {other.ops.quote_name(table)} IN ACCESS EXCLUSIVE MODE")
            yield
            cursor.execute("ROLLBACK")
    finally:
        other.close()


def wait_for_lock_waiter(table: str, process: subprocess.Popen[bytes]) -> None:
    """Until some session waits for a lock on ``table``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
                [table],
            )
            if cursor.fetchone()[0]:
                return
        if process.poll() is not None:
            pytest.fail(f"backup ended before pg_dump waited: {process.communicate()}")
        time.sleep(0.05)
    pytest.fail(f"pg_dump did not reach {table} within {WAIT_SECONDS} s")


def command_lines(parent: int) -> tuple[list[bytes], bytes, list[bytes]]:
    """Every process's command line, and the command line and environment of ``parent``'s
    child (from /proc)."""
    lines, child, environment = [], b"", []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                line = (entry / "cmdline").read_bytes()
                lines.append(line)
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    child, environment = line, (entry / "environ").read_bytes().split(b"\0")
    return lines, child, environment


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_backs_up_while_the_app_writes_and_restores_into_a_fresh_database(live, tmp_path):
    world = seed_world(
        password_for=dict.fromkeys(SEEDED_USERNAMES, TEST_PASSWORD), email_domain="staff.test"
    )
    kept_codename = submit_request(situation="Kept-Situation-4417")
    kept = sent_with(kept_codename).get()
    case = open_case(world)
    doomed_codename = submit_request()
    doomed = sent_with(doomed_codename).get()
    run("anchor_audit")
    archive = tmp_path / "safehaven.backup"

    # pg_dump takes its snapshot, then locks every table before it reads a row. Another session
    # holds one table's lock while a request is sent and committed: with one snapshot, the
    # archive holds none of it, although pg_dump reads the requests table afterwards.
    table = SealedNote._meta.db_table
    backup = None
    try:
        with locked_by_another_session(table):
            backup = subprocess.Popen(
                [
                    sys.executable,
                    MANAGE_PY,
                    "backup",
                    f"--output={archive}",
                    f"--temp-dir={live.work}",
                ],
                env=live.environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            wait_for_lock_waiter(table, backup)
            every_line, pg_dump_line, pg_dump_environment = command_lines(backup.pid)
            late_codename = submit_request()
        written, err = backup.communicate(timeout=WAIT_SECONDS)
    finally:
        if backup is not None and backup.poll() is None:
            backup.kill()
    assert backup.returncode == 0, err.decode()
    assert b"Backup written to" in written
    assert list(live.work.iterdir()) == []

    # While pg_dump waited, its environment held the password and no command line did.
    assert b"pg_dump" in pg_dump_line
    assert b"PGPASSWORD=" + live.password.encode() in pg_dump_environment
    assert not [line for line in every_line if live.password.encode() in line]

    do_shred_help_request(doomed, actor=None)
    shredded = {str(record_id) for record_id in doomed.record_ids}
    assert shredded <= set(shred_list_path().read_text().split())

    with fresh_database():
        out = run("restore", archive, private_key_file=live.key_file, temp_dir=live.work)
        assert list(live.work.iterdir()) == []
        assert "Restore complete." in out
        assert f"Shreds re-applied: {len(shredded)} of {len(shredded)}." in out
        assert "Audit chain intact" in run("verify_audit")

        restored = HelpRequest.objects.get(pk=kept.pk)
        opened = open_record_with_codename(restored.record_id, kept_codename)
        assert restored.open_with(opened).sealed("situation") == "Kept-Situation-4417"
        case_request = primary_request(Case.objects.get(pk=case.pk))
        assert case_request.open_with(opened_record(case_request, "triage")).sealed("situation")
        assert not RecordKey.objects.filter(record_id__in=doomed.record_ids).exists()
        with pytest.raises(RecordUnavailable):
            open_record_with_codename(doomed.record_id, doomed_codename)
        assert HelpRequest.objects.get(pk=doomed.pk).situation is None
        assert not sent_with(late_codename).exists()
    assert sent_with(late_codename).exists()


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_restore_into_a_database_that_has_tables(live, tmp_path):
    archive = tmp_path / "safehaven.backup"
    run("backup", output=archive)
    # The live database and anchor file move on after the backup.
    Organisation.objects.create(name="Haven", kind=OrganisationKind.RELOCATING)
    run("anchor_audit")
    before = row_counts()
    assert before[Organisation._meta.db_table] == 1
    anchors = Path(django_settings.AUDIT_ANCHOR_PATH).read_bytes()

    with pytest.raises(CommandError, match=r"already has \d+ tables") as refused:
        run("restore", archive, private_key_file=live.key_file, temp_dir=live.work)
    assert "Nothing was changed." in str(refused.value)
    assert row_counts() == before
    assert Path(django_settings.AUDIT_ANCHOR_PATH).read_bytes() == anchors
    assert list(live.work.iterdir()) == []


def test_it_gives_pg_restore_no_password_and_a_quoted_database_name(monkeypatch, tmp_path):
    ran = []
    fake = SimpleNamespace(
        settings_dict={"NAME": "odd'name host=elsewhere", "PASSWORD": "pw-Sentinel", "USER": "u"},
        close=lambda: None,
    )
    monkeypatch.setattr(database, "connections", {"target": fake})
    monkeypatch.setattr(database, "program_path", lambda name: Path("/opt/pg/bin") / name)
    monkeypatch.setattr(database, "_run", lambda command, *rest, **options: ran.append(command))
    database.put_back("target", database.POSTGRESQL, tmp_path / "database.pgdump")
    [command] = ran
    assert command[0] == "/opt/pg/bin/pg_restore"
    assert "--dbname=dbname='odd\\'name host=elsewhere'" in command
    assert not [part for part in command if "pw-Sentinel" in part]
    assert database.libpq_environment(fake.settings_dict)["PGPASSWORD"] == "pw-Sentinel"
