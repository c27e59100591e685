"""Benchmark of the staff pages that grow with an organisation: the case queue and a case page.

Run from the repository root: ``.venv/bin/python bench/staff_pages.py``. Prints on stdout:

- ``BENCH queue_p95_ms <n>``: 95th percentile time of a queue page through the Django test
  client (first page and page 500, sorted by today's score, unfiltered and filtered by
  country), with 100,000 cases and 1,000,000 audit rows in the database;
- ``BENCH case_p95_ms <n>``: the same for one case page, opened with the reader's own key;
- ``BENCH queue_queries <n>``: database queries for one queue page (the session, the user and
  the page). It is measured at 10,000 and at 100,000 cases and must not grow: the script
  exits with an error when it does.

How: in-process, on a throwaway SQLite database in a temporary directory deleted at the end
(or, when ``SAFEHAVEN_DATABASE_URL`` is set, on that database, which must be an empty one
made for this: the script migrates and fills it and leaves it filled). The seeded world of
the tests gives the organisation, the teams and a triage user with keys and a second factor;
cases and audit rows are bulk inserts (no per-row crypto: a case needs nothing sealed to be
listed, and audit rows are not chained, which no page here checks). One case is opened after
a call through the real action, so its page opens sealed data. The triage user logs in with
password and TOTP, so their key is unlocked as in a browser. Each page is fetched a few times
untimed first, then timed ``REPEATS`` times. Nothing here asserts a time: the target
(p95 < 100 ms on the 2-core machine) is for people to compare against.
"""

from __future__ import annotations

import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Running as a script puts bench/ on sys.path, not the repository root that holds safehaven/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CASES = 100_000
FIRST_STEP = 10_000
AUDIT_ROWS = 1_000_000
BATCH = 5_000
REPEATS = 40
WARM_UP = 3
PASSWORD = "bench-password-7c1f"  # noqa: S105 - a throwaway database's only user password
# Countries weighted roughly like the requests that come in; RU holds enough cases for page 500.
COUNTRIES = ["RU"] * 40 + ["KG"] * 10 + ["IR"] * 10 + ["NG"] * 10 + ["UG"] * 10 + ["EG"] * 20
LANGUAGES = [["ru"], ["ru", "en"], ["ky", "ru"], ["fa"], ["ar"], ["en"]]


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def set_up_django(tmp: Path) -> None:
    own_database = os.environ.get("SAFEHAVEN_DATABASE_URL")
    for name in list(os.environ):
        if name.startswith("SAFEHAVEN_"):
            del os.environ[name]  # a developer's own settings must not leak in
    os.environ.update(
        {
            "SAFEHAVEN_MODE": "demo",
            "SAFEHAVEN_VAR_DIR": str(tmp),
            "SAFEHAVEN_DATABASE_URL": own_database or f"sqlite:///{tmp / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "safehaven.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    log(f"migrated in {time.perf_counter() - started:.1f} s")


def month_back(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def insert_cases(world: Any, count: int, rng: random.Random) -> None:
    from safehaven.cases.choices import CaseOrigin, CaseState
    from safehaven.cases.models import Case
    from safehaven.intake.submission.risk import band_for

    organisation = world.organisation
    partners = [world.partner_a, world.partner_b, None, None]
    teams = [*list(world.teams.values())[:2], None]
    states = [CaseState.RECEIVED, CaseState.SCREENING, CaseState.VERIFICATION, CaseState.PLANNING]
    today = datetime.datetime.now(tz=datetime.UTC).date()
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        rows = []
        for _number in range(min(BATCH, count - first)):
            score = 5 * rng.randint(0, 20)
            rows.append(
                Case(
                    organisation=organisation,
                    origin=CaseOrigin.REQUEST,
                    state=rng.choice(states),
                    country=rng.choice(COUNTRIES),
                    languages=rng.choice(LANGUAGES),
                    risk_score=score,
                    risk_band=band_for(score),
                    received_month=month_back(today, rng.randint(0, 14)),
                    referred_by=rng.choice(partners),
                    team=rng.choice(teams),
                )
            )
        Case.objects.bulk_create(rows)
    log(f"{count} cases inserted in {time.perf_counter() - started:.1f} s")


def insert_audit_rows(world: Any, count: int) -> None:
    from django.db import connection, transaction
    from django.db.models import Max

    from safehaven.core.event_types import EventType
    from safehaven.core.models import AuditChainHead, AuditEvent

    actor = world.users["triage"]
    organisation = world.organisation
    table = AuditEvent._meta.db_table
    sequence = (AuditEvent.objects.aggregate(top=Max("sequence"))["top"] or 0) + 1
    now = datetime.datetime.now(tz=datetime.UTC)
    sql = (
        f"INSERT INTO {table} (id, sequence, event_type, actor_id, organisation_id, target_type, "  # noqa: S608 - the model's own table name
        "target_ref, detail, created_at, previous_hash, row_hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    started = time.perf_counter()
    for first in range(0, count, 20_000):
        rows = [
            (
                sequence + first + offset,
                sequence + first + offset,
                EventType.REQUEST_VIEWED.value,
                actor.pk,
                organisation.pk,
                "case",
                str(first + offset),
                "",
                now,
                "0" * 64,
                "0" * 64,
            )
            for offset in range(min(20_000, count - first))
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    # The head moves past them, so the case opened later appends after them (the chain does
    # not verify across the bulk rows, which no page here checks).
    AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_PK).update(
        sequence=sequence + count - 1
    )
    log(f"{count} audit rows inserted in {time.perf_counter() - started:.1f} s")


def logged_in_client(world: Any, role: str = "triage") -> Any:
    """A test client logged in (password, then second factor) as the world's ``role`` user."""
    from django.test import Client

    from safehaven.accounts.seed import current_totp

    client = Client(HTTP_HOST="localhost", secure=True)
    user = world.users[role]
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"login answered {response.status_code}")
    for _attempt in range(3):
        code = current_totp(world.totp_secrets[role])
        if client.post("/en/accounts/2fa/authenticate/", {"code": code}).status_code == 302:
            return client
        time.sleep(1)
    raise SystemExit("the second factor was refused")


def timed(client: Any, url: str, marker: bytes) -> list[float]:
    times = []
    for number in range(WARM_UP + REPEATS):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or marker not in response.content:
            raise SystemExit(f"{url} answered {response.status_code} without {marker!r}")
        if number >= WARM_UP:
            times.append(elapsed)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def queue_queries(client: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/staff/cases/?country=RU&page=500")
    return len(queries.captured_queries)


QUEUE_URLS = (
    "/en/staff/cases/",
    "/en/staff/cases/?page=500",
    "/en/staff/cases/?country=RU",
    "/en/staff/cases/?country=RU&page=500",
)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="safehaven-bench-staff-"))
    keep = "--keep" in sys.argv  # leave the database to look at its plans
    try:
        set_up_django(tmp)
        from safehaven.accounts.seed import SEEDED_USERNAMES, seed_world
        from safehaven.cases.opening.actions import CallDetails, do_open_case_from_call

        world = seed_world(
            password_for=dict.fromkeys(SEEDED_USERNAMES, PASSWORD), email_domain="bench.test"
        )
        rng = random.Random(17)
        insert_cases(world, FIRST_STEP, rng)
        client = logged_in_client(world)
        queries_small = queue_queries(client)
        log(f"queue queries at {FIRST_STEP} cases: {queries_small}")
        insert_cases(world, CASES - FIRST_STEP - 1, rng)
        case = do_open_case_from_call(
            CallDetails(
                country="RU",
                languages=["ru"],
                summary="Bench sentinel summary.",
                region="Grozny",
                citizenships="RU",
                contacts="Signal",
                risk_score=50,
            ),
            reason="Bench.",
            actor=world.users["triage"],
        )
        insert_audit_rows(world, AUDIT_ROWS)
        queries_large = queue_queries(client)
        log(f"queue queries at {CASES} cases: {queries_large}")
        queue_times: list[float] = []
        for url in QUEUE_URLS:
            times = timed(client, url, b'id="cases"')
            log(f"{url}: median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms")
            queue_times += times
        case_times = timed(client, f"/en/staff/cases/{case.pk}/", b"</html>")
        log(f"case page: median {statistics.median(case_times):.1f} ms")
        print(f"BENCH queue_p95_ms {p95(queue_times):.1f}")
        print(f"BENCH case_p95_ms {p95(case_times):.1f}")
        print(f"BENCH queue_queries {queries_large}")
        if queries_large != queries_small:
            raise SystemExit(
                f"queue queries grew with the cases: {queries_small} at {FIRST_STEP}, "
                f"{queries_large} at {CASES}"
            )
    finally:
        if keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
