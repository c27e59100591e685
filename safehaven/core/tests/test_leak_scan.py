"""Nothing typed into a case leaks (SECURITY.md, T1): one whole case's life through the real
pages (``leak_life.py``, ``leak_journey.py``), a sentinel in every free-text, contact and file
field (``leak_sentinels.py``), then every place its data could rest is searched for every form
and encoding of each sentinel and of the codename (``leak_scan.py``), and none is found
outside ciphertext:

* the raw SQLite file, its WAL (no checkpoint during the life, so every page version written
  is still there) and index, and the file again after a checkpoint; on PostgreSQL a plain-SQL
  ``pg_dump``;
* all log output at DEBUG, every SQL statement with its parameters included, the audit anchor
  file and the e-mails sent;
* the temporary directory (this process's and its children's, and new files in the system's);
* a backup made with ``manage.py backup``, decrypted with the backup private key, unpacked;
* the task, cache and session tables read raw, sessions and cache values decoded;
* every export: the accountant's CSVs, the figures as CSV and HXL, the audit log page.

Each place is first shown to hold a control value written there in clear, so a scan that
reads nothing fails. Not scanned, as disclosures the life asks for: the pages that show the
case to those allowed (case, request, payees, donors), its files' downloads and the referral
package (a 7z archive encrypted to a passphrase, kept in memory). The first of them is where
``test_it_stored_every_sentinel_where_its_readers_see_it`` proves the sentinels went in.
"""

from __future__ import annotations

import base64
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from safehaven.accounts.seed import SEEDED_USERNAMES, seed_world
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.crypto import new_key_pair
from safehaven.core.public_forms.proof_of_work import SPENT
from safehaven.core.sessions import SessionStore
from safehaven.core.tests.leak_journey import live_a_case
from safehaven.core.tests.leak_life import Life, staff
from safehaven.core.tests.leak_scan import (
    Scanner,
    backed_up,
    captured_logs,
    checkpoint_sqlite,
    decoded_cache,
    decoded_sessions,
    files_under,
    new_top_level_files,
    postgres_dump,
    sqlite_files,
    table_rows,
)
from safehaven.core.tests.leak_sentinels import (
    CLEAR_CONTROL,
    NEVER_SHOWN,
    REGION,
    SENTINELS,
    SIGNAL,
    TELEGRAM,
)
from safehaven.core.tests.third_party_urls import other_sites
from safehaven.countries.loading import apply_load, plan_load
from safehaven.countries.models import Country, Region, RiskFact
from safehaven.intake.rate_budgets import LIMITER
from safehaven.keys.fields import SealedField
from safehaven.travel.models import TicketFile
from safehaven.travel.tests.saved_route_helpers import FLAGGED, use_plan

# The life runs once for the module, in the module's fixture; the mark asks pytest-django for
# the test database (each test only reads what the fixture gathered).
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

TASK_PATH = "safehaven.travel.tasks.send_alert_notices"
SESSION_CONTROL = "Control-Session Brackwater"
CACHE_CONTROL = "Control-Cache Fennimore"
TEMP_CONTROL = "Control-Temp Oxlade"
# Sealed fields the life does not fill, and why.
NOT_IN_THIS_LIFE = {
    "intake.helprequest.known_as": "set by a partner's referral, not the public form",
    "partners.referralmessage.body": "messages between a partner and staff on a referral",
    "advocacy.advocacynaming.details": "advocacy letters are no part of a case's life",
}


@dataclass
class Left:
    """What the life left where a leak could be, read once for the module."""

    life: Life
    scanner: Scanner
    places: dict[str, dict[str, bytes]] = field(default_factory=dict)
    shown: bytes = b""
    filled: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def left(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Left]:
    """The life, lived once in a database committed to disk (as in a transactional test),
    every place read; at the end the database is emptied and the country facts put back, as
    the migrations leave it."""
    work = tmp_path_factory.mktemp("leak-work")
    temporary = tmp_path_factory.mktemp("leak-temporary")
    system_temporary = Path(tempfile.gettempdir())
    before = set(os.listdir(system_temporary))
    pair = new_key_pair()
    changed = override_settings(
        AUDIT_ANCHOR_PATH=work / "anchors.log",
        KEYS_SHRED_LIST_FILE=str(work / "shredded.txt"),
        BACKUP_PUBLIC_KEY=pair.public,
        # Production's backend: queued tasks wait in their table, as a worker finds them.
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    )
    with django_db_blocker.unblock(), changed, pytest.MonkeyPatch.context() as patch:
        # Every temporary file of this process, and of its children, goes where it is read.
        patch.setattr(tempfile, "tempdir", str(temporary))
        patch.setenv("TMPDIR", str(temporary))
        use_plan(patch, FLAGGED)
        try:
            yield live_and_read(work, temporary, system_temporary, before, pair.private)
        finally:
            if connection.vendor == "sqlite":  # as the connection had it before the life
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA wal_autocheckpoint=1000")
            call_command("flush", interactive=False, verbosity=0)
            # As the data migration loads them: the command would also write an audit event,
            # which a later test counting the audit chain from empty would find.
            models = (Country, Region, RiskFact)
            apply_load(plan_load(*models), *models)


def live_and_read(
    work: Path, temporary: Path, system_temporary: Path, before: set[str], backup_key: bytes
) -> Left:
    """Live the case with every log record captured, then read each place it could leak to:
    the database first (before anything else writes to it), then the rest."""
    LIMITER.clear()
    SPENT.clear()
    if not Country.objects.exists():  # a transactional test before this one flushed them
        call_command("load_country_facts", verbosity=0, stdout=io.StringIO())
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        # A fresh connection: one older than CONN_MAX_AGE (the suite may have run for more
        # than ten minutes) is closed by the task worker's close_old_connections, and the WAL
        # setting below with it.
        connection.close()
        checkpoint_sqlite()
        with connection.cursor() as cursor:  # every page written from now on stays in the WAL
            cursor.execute("PRAGMA wal_autocheckpoint=0")
    with captured_logs(work):
        world = seed_world(
            password_for=dict.fromkeys(SEEDED_USERNAMES, TEST_PASSWORD), email_domain="staff.test"
        )
        life = Life(world)
        live_a_case(life, world)
        call_command("db_worker", batch=True, startup_delay=False, stdout=io.StringIO())
        shown = shown_to_readers(life)  # logged too: the pages with every value open
        call_command("anchor_audit", stdout=io.StringIO())
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).exists()  # the alert was queued
    found = Left(life, Scanner((*SENTINELS, life.codename)), shown=shown)
    found.filled = filled_sealed_fields()
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == 0, "the connection was reopened: the WAL may be gone"
        found.places["database"] = sqlite_files()
        checkpoint_sqlite()
        after = sqlite_files()["database file"]
        found.places["database"]["database file after a checkpoint"] = after
    else:
        found.places["database"] = {"pg_dump": postgres_dump()}
    found.places["logs"] = {
        "log output": (work / "run.log").read_bytes(),
        "template debug log": (work / "template-debug.log").read_bytes(),
        "audit anchors": Path(settings.AUDIT_ANCHOR_PATH).read_bytes(),
        "e-mails": b"\n".join(message.message().as_bytes() for message in mail.outbox),
    }
    found.places["backup"] = backed_up(work / "backup", backup_key)
    found.places["tables"] = read_tables()
    with tempfile.NamedTemporaryFile(delete=False) as control:  # in the patched directory
        control.write(TEMP_CONTROL.encode())
    found.places["temporary files"] = files_under(temporary) | new_top_level_files(
        system_temporary, before
    )
    found.places["exports"] = dict(life.exports)
    return found


def read_tables() -> dict[str, bytes]:
    """The task, cache and session tables, after a control value is put in the last two."""
    session = SessionStore()
    session["control"] = SESSION_CONTROL
    session.create()
    cache.set("leak-scan-control", CACHE_CONTROL)
    cache_table = str(settings.CACHES["default"]["LOCATION"])
    return {
        "task table": table_rows(DBTaskResult._meta.db_table),
        "cache table": table_rows(cache_table),
        "cache values decoded": decoded_cache(cache_table),
        "session table": table_rows("django_session"),
        "sessions decoded": decoded_sessions(),
    }


def shown_to_readers(life: Life) -> bytes:
    """The pages that show the case to those allowed to read it, and its ticket file: where
    each sentinel must be, or the scans below prove nothing."""
    case, world = life.case, life.world
    worker, finance = staff(life, world, "caseworker"), staff(life, world, "finance")
    ticket = TicketFile.objects.get(case=case, removed_at__isnull=True)
    travel = f"/en/staff/cases/{case.pk}/travel/bookings/{ticket.booking_id}/"
    pages = [
        worker.get(f"/en/staff/cases/{case.pk}/"),
        worker.get(f"/en/staff/cases/{case.pk}/messages/"),
        worker.get(f"{travel}tickets/{ticket.pk}/"),
        staff(life, world, "triage").get(f"/en/staff/requests/{life.help_request.pk}/"),
        finance.get(f"/en/staff/finance/grants/{life.grant.pk}/payees/"),
        finance.post(f"/en/staff/finance/funds/{life.fund.pk}/donations/", status=200),
    ]
    return b"\n".join([*life.shown, *(page.content for page in pages)])


def sealed_fields() -> dict[str, Any]:
    """``app.model.field`` -> model, of every sealed field (but the test-only models')."""
    return {
        f"{model._meta.label_lower}.{column.name}": model
        for model in apps.get_models()
        if ".tests." not in model.__module__
        for column in model._meta.get_fields()
        if isinstance(column, SealedField)
    }


def filled_sealed_fields() -> set[str]:
    return {
        name
        for name, model in sealed_fields().items()
        if model.objects.filter(**{f"{name.rsplit('.', 1)[1]}__isnull": False}).exists()
    }


def test_it_finds_every_form_and_encoding_a_leak_could_take():
    scanner = Scanner([SIGNAL, REGION, TELEGRAM])
    hidden = [
        b"tel:79125550199;",
        "+79125550199".encode("utf-16-le"),
        REGION.upper().encode("utf-16-be"),
        REGION.encode("unicode_escape"),  # as JSON escapes it: \u0421\u0435...
        b"handle=%40sentinel_kingfisher&x",
        b"SENTINEL_KINGFISHER",
        b"\\x" + TELEGRAM.encode().hex().encode(),  # a bytea in a PostgreSQL dump
    ]
    hidden += [base64.b64encode(bytes(offset) + REGION.encode() + b"!") for offset in range(3)]
    for haystack in hidden:
        assert scanner.find(os.urandom(40) + haystack + os.urandom(40)), haystack
    assert scanner.find(b"Sentinel-Kingfisher and +7 912 555 0198") == []


def test_it_stored_every_sentinel_where_its_readers_see_it(left):
    text = left.shown.decode()
    assert [value for value in SENTINELS if value not in NEVER_SHOWN and value not in text] == []
    assert left.life.disclosed["referral package"].startswith(b"7z\xbc\xaf\x27\x1c")
    sealed = set(sealed_fields())
    assert sealed - left.filled - NOT_IN_THIS_LIFE.keys() == set()  # the life filled them all
    assert NOT_IN_THIS_LIFE.keys() <= sealed - left.filled  # and no excuse is stale


@pytest.mark.sqlite_only
def test_it_leaves_no_sentinel_in_the_sqlite_file_or_its_wal(left):
    places = left.places["database"]
    if "database file" not in places:
        pytest.skip("this database is not SQLite (the PostgreSQL test reads a dump instead)")
    control = Scanner([CLEAR_CONTROL])
    assert control.find(places["database -wal"])  # written in the life: the WAL was kept
    assert control.find(places["database file after a checkpoint"])
    assert left.scanner.scan(places) == []


def test_it_leaves_no_sentinel_in_any_postgresql_column(left):
    if "pg_dump" not in left.places["database"]:
        pytest.skip("this database is not PostgreSQL (the SQLite test reads its files instead)")
    assert Scanner([CLEAR_CONTROL]).find(left.places["database"]["pg_dump"])
    assert left.scanner.scan(left.places["database"]) == []


def test_it_leaves_no_sentinel_in_the_logs_the_anchors_or_the_e_mails(left):
    places = dict(left.places["logs"])
    # Every SQL statement was logged with its parameters: the fund's name is among them.
    assert Scanner([CLEAR_CONTROL]).find(places["log output"])
    assert places["audit anchors"]
    assert b"Subject:" in places["e-mails"]  # the alert's e-mails went out
    del places["template debug log"]  # the next test's
    assert left.scanner.scan(places) == []


def test_it_leaves_no_sentinel_in_the_template_engines_debug_log(left):
    # Empty once settings.LOGGING keeps django.template's records from every handler.
    place = {"template debug log": left.places["logs"]["template debug log"]}
    assert left.scanner.scan(place) == []


def test_it_leaves_no_sentinel_in_the_temporary_directory(left):
    places = left.places["temporary files"]
    assert any(Scanner([TEMP_CONTROL]).find(content) for content in places.values())
    assert left.scanner.scan(places) == []


def test_it_leaves_no_sentinel_in_a_decrypted_backup(left):
    places = left.places["backup"]
    control = Scanner([CLEAR_CONTROL])
    snapshot = places.get("backup database.sqlite3") or places["backup database.pgdump as SQL"]
    assert control.find(snapshot)  # decrypted and unpacked: what is in clear is found
    assert not control.find(places["encrypted archive"])
    assert left.scanner.scan(places) == []


def test_it_leaves_no_sentinel_in_the_task_cache_or_session_tables(left):
    places = left.places["tables"]
    assert Scanner([TASK_PATH]).find(places["task table"])
    assert Scanner([CACHE_CONTROL]).find(places["cache values decoded"])
    assert Scanner([SESSION_CONTROL]).find(places["sessions decoded"])
    assert left.scanner.scan(places) == []


def test_it_leaves_no_sentinel_in_any_export(left):
    places = left.places["exports"]
    assert Scanner([CLEAR_CONTROL]).find(places["finance grants CSV"])
    assert left.scanner.scan(places) == []


def test_it_names_no_other_site_on_any_page_of_the_life(left):
    planted = HttpResponse('<img src="https://cdn.example.net/a.png"><a href="//x.example/">')
    planted["Content-Security-Policy"] = "default-src 'self'; img-src cdn.example.net"
    assert len(other_sites(planted)) == 3  # the check sees each kind of reference
    found = {
        f"{response.wsgi_request.path}: {problem}"
        for response in left.life.responses
        for problem in other_sites(response)
    }
    assert sorted(found) == []
