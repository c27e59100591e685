"""The leak scanner of ``test_leak_scan.py``: every form and encoding of a sentinel a leak
could take, found in bytes fast, and the places the scan reads (SQLite's files, a plain-SQL
dump of PostgreSQL, raw table rows with sessions and cache values decoded, the files of a
directory, a decrypted backup).

A leak keeps a value as typed or as code on the way made it: lower or upper case, another
Unicode normalisation, a phone number's bare digits, a handle without "@", spaces dropped;
stored as UTF-8, UTF-16 (either byte order), JSON's \\u escapes, a URL's percent escapes, hex
(PostgreSQL's dump of a bytea) or base64. The haystack is lower-cased once (ASCII) and every
needle too, so each case form costs nothing more.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import json
import logging
import os
import pickle
import re
import subprocess
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from safehaven.core.backups.archive import decrypt_archive
from safehaven.core.backups.bundle import unpack
from safehaven.core.backups.database import libpq_environment
from safehaven.core.sessions import SessionStore
from safehaven.keys.tests.test_raw_storage import normalised_forms

PREFIX = 5  # bytes a needle is first looked for by; a hit is then checked in full
# Loggers that keep their records to themselves (settings.LOGGING): the handlers go on each.
SILENT_LOGGERS = ("django.request", "django.server", "django.security")
TURNED_UP = ("safehaven", "django", "django.db.backends")
TEMPLATE_LOGGER = "django.template"


@dataclass(frozen=True)
class Needle:
    sentinel: str
    form: str
    encoding: str
    data: bytes


def text_forms(value: str) -> set[str]:
    """``normalised_forms`` plus the value without its spaces and, for a value with at least
    eight digits (an account or a phone number), its bare digits."""
    forms = normalised_forms(value)
    forms |= {re.sub(r"\s+", "", form) for form in list(forms)}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 8:
        forms.add(digits)
    return {form for form in forms if len(form) >= 6}


def _base64_runs(data: bytes) -> set[bytes]:
    """The base64 of ``data`` wherever it starts in the encoded stream (three alignments):
    only the characters whose six bits all come from ``data``."""
    runs = set()
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + data)
        start = -(-offset * 8 // 6)
        end = (offset + len(data)) * 8 // 6
        if end - start >= PREFIX:
            runs.add(encoded[start:end])
    return runs


def encodings(form: str, *, typed: bool) -> Iterator[tuple[str, bytes]]:
    """``form`` as each encoding stores it; base64 only for the value as typed (its runs are
    case-sensitive, and a blob is encoded from what code stored, not a normalised form)."""
    yield "utf-8", form.encode()
    yield "utf-16-le", form.encode("utf-16-le")
    yield "utf-16-be", form.encode("utf-16-be")
    yield "json", json.dumps(form).encode()[1:-1]
    yield "percent", urllib.parse.quote(form, safe="").encode()
    yield "percent-plus", urllib.parse.quote_plus(form, safe="").encode()
    yield "hex", form.encode().hex().encode()
    if typed:
        for run in _base64_runs(form.encode()):
            yield "base64", run


class Scanner:
    """Finds any form of any of ``sentinels`` in bytes: each needle is looked for by its
    first bytes (a fast search; needles share them), then checked in full where they are."""

    def __init__(self, sentinels: Iterable[str]) -> None:
        self.sentinels = tuple(sentinels)
        self._by_prefix: dict[bytes, list[Needle]] = {}
        seen: set[bytes] = set()
        for sentinel in self.sentinels:
            # The value as typed first: a form that lowers to the same bytes is reported as it.
            for form in sorted(text_forms(sentinel), key=lambda form: form != sentinel):
                for encoding, data in encodings(form, typed=form == sentinel):
                    data = data.lower()
                    if data not in seen:
                        seen.add(data)
                        needle = Needle(sentinel, form, encoding, data)
                        self._by_prefix.setdefault(data[:PREFIX], []).append(needle)

    def find(self, haystack: bytes) -> list[Needle]:
        lowered = haystack.lower()
        found: dict[tuple[str, str, str], Needle] = {}
        for prefix, needles in self._by_prefix.items():
            position = lowered.find(prefix)
            while position != -1:
                for needle in needles:
                    if lowered.startswith(needle.data, position):
                        found.setdefault((needle.sentinel, needle.form, needle.encoding), needle)
                position = lowered.find(prefix, position + 1)
        return list(found.values())

    def scan(self, places: Mapping[str, bytes]) -> list[str]:
        """One line per sentinel found: where, in which form and encoding."""
        return [
            f"{place}: {needle.sentinel!r} as {needle.form!r} in {needle.encoding}"
            for place, haystack in places.items()
            for needle in self.find(haystack)
        ]


# --- The places ---


def sqlite_files() -> dict[str, bytes]:
    """The test database's file and whatever SQLite keeps beside it (WAL, its index, a
    rollback journal), as they are now."""
    path = Path(connection.settings_dict["NAME"])
    files = {"database file": path.read_bytes()}
    for suffix in ("-wal", "-shm", "-journal"):
        beside = path.with_name(path.name + suffix)
        if beside.exists():
            files[f"database {suffix}"] = beside.read_bytes()
    return files


def checkpoint_sqlite() -> None:
    """Move every page of the WAL into the database file and empty the WAL."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def postgres_dump(name: str | None = None) -> bytes:
    """A plain-SQL dump of the test database (or of the custom-format dump file ``name``):
    every row of every table, TOAST-compressed values expanded, bytea as hex."""
    if name is None:
        command = ["pg_dump", "--format=plain", "--no-owner", "--no-password"]
        environment = libpq_environment(connection.settings_dict)
    else:
        command = ["pg_restore", "--file=-", name]
        environment = None
    completed = subprocess.run(command, env=environment, capture_output=True, check=False)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    return completed.stdout


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def table_rows(table: str) -> bytes:
    """Every column of every row of ``table``, read through SQL as stored."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return b"\n".join(b"\t".join(_as_bytes(value) for value in row) for row in cursor)


def decoded_sessions() -> bytes:
    """Each session row's data decoded (it is signed, compressed JSON)."""
    store = SessionStore()
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        decoded = [store.decode(data) for (data,) in cursor.fetchall()]
    return json.dumps(decoded, default=str, ensure_ascii=False).encode()


def decoded_cache(table: str) -> bytes:
    """Each cache row's value as the pickle it is (stored in base64), and unpickled."""
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {connection.ops.quote_name(table)}")  # noqa: S608
        for (value,) in cursor.fetchall():
            try:
                pickled = base64.b64decode(value.encode(), validate=True)
            except binascii.Error:
                chunks.append(value.encode())
                continue
            chunks += [pickled, repr(pickle.loads(pickled)).encode()]  # noqa: S301 (our own rows)
    return b"\n".join(chunks)


def files_under(directory: Path, *, skip: Iterable[Path] = ()) -> dict[str, bytes]:
    """Every regular file under ``directory`` (but those under ``skip``)."""
    skipped = [Path(path).resolve() for path in skip]
    files = {}
    for root, _directories, names in os.walk(directory):
        for name in names:
            path = Path(root, name)
            if any(path.resolve().is_relative_to(other) for other in skipped):
                continue
            try:
                if path.is_file() and not path.is_symlink():
                    files[str(path)] = path.read_bytes()
            except OSError:  # gone meanwhile, or another user's
                continue
    return files


def new_top_level_files(directory: Path, before: set[str]) -> dict[str, bytes]:
    """The regular files of this user directly in ``directory`` that were not there before
    (another process of the same user's are read too: harmless, only this run knows its
    sentinels)."""
    files = {}
    for entry in os.scandir(directory):
        if entry.name in before:
            continue
        try:
            found = entry.stat(follow_symlinks=False)
            mine = found.st_uid == os.getuid() and found.st_size < 50 << 20
            if entry.is_file(follow_symlinks=False) and mine:
                files[entry.path] = Path(entry.path).read_bytes()
        except OSError:
            continue
    return files


def _file_handler(path: Path, *, templates: bool) -> logging.FileHandler:
    """A handler writing to ``path`` the template engine's records, or all the others."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def wanted(record: logging.LogRecord) -> bool:
        return record.name.startswith(TEMPLATE_LOGGER) == templates

    handler.addFilter(wanted)
    return handler


@contextlib.contextmanager
def captured_logs(directory: Path) -> Iterator[None]:
    """Every log record at DEBUG, every SQL statement with its parameters included, into
    ``directory/run.log``, as an operator's log file would get them with everything turned
    up; the template engine's records (``django.template``) into ``template-debug.log``. The
    handlers already there (the console, pytest's) keep their own levels meanwhile."""
    files = [
        _file_handler(directory / "run.log", templates=False),
        _file_handler(directory / "template-debug.log", templates=True),
    ]
    root = logging.getLogger()
    loggers = [root, *map(logging.getLogger, SILENT_LOGGERS + TURNED_UP)]
    levels = [logger.level for logger in loggers]
    others = [(handler, handler.level) for handler in root.handlers]
    for handler, level in others:
        handler.setLevel(max(level, logging.WARNING))
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in (root, *map(logging.getLogger, SILENT_LOGGERS)):
        for file in files:
            logger.addHandler(file)
    connection.force_debug_cursor = True
    try:
        yield
    finally:
        connection.force_debug_cursor = False
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
            for file in files:
                logger.removeHandler(file)
        for handler, level in others:
            handler.setLevel(level)
        for file in files:
            file.close()


def backed_up(directory: Path, private_key: bytes) -> dict[str, bytes]:
    """``manage.py backup``, then the archive decrypted with the private key and unpacked
    as ``restore`` does (a PostgreSQL dump also turned into plain SQL): the archive and
    every file in it. The plaintext is removed once read."""
    directory.mkdir()
    archive = directory / "safehaven.backup"
    call_command("backup", output=archive, stdout=io.StringIO())
    files = {"encrypted archive": archive.read_bytes()}
    bundle = directory / "bundle.tar"
    with archive.open("rb") as source, bundle.open("xb") as out:
        decrypt_archive(source, private_key, out)
    unpacked = directory / "files"
    unpacked.mkdir()
    _manifest, members = unpack(bundle, unpacked)
    files |= {f"backup {name}": path.read_bytes() for name, path in members.items()}
    if "database.pgdump" in members:
        files["backup database.pgdump as SQL"] = postgres_dump(str(members["database.pgdump"]))
    for path in (bundle, *members.values()):
        path.unlink()
    return files
