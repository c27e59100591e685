"""Benchmark of the reports: the staff dashboard and the yearly figures file, over ten years of
an organisation's work.

Run from the repository root: ``.venv/bin/python bench/reports.py``. Prints on stdout:

- ``BENCH dashboard_ms <n>``: median time of the full dashboard (every chart and table, the
  current year) through the Django test client, logged in as an administrator, with 100,000
  cases (and their figures rows) and 100,000 help requests spread over ten years;
- ``BENCH dashboard_filtered_ms <n>``: the same, narrowed to one country of origin and a
  pathway (the cases-only path of the queries);
- ``BENCH baseline_ms <n>``: the staff home page in the same session, the floor any staff page
  pays (session, user, middleware, base template): the dashboard's own cost is the difference;
- ``BENCH export_ms <n>``: median time to build last year's figures file by country of origin
  (``reports.exports.csv_files.build_yearly_csv``, the file the export page gives, without its
  re-authentication and audit event).

How: in-process, on a throwaway SQLite database in a temporary directory deleted at the end
(or, when ``SAFEHAVEN_DATABASE_URL`` is set, on that database, which must be an empty one made
for this). The seeded world of the tests gives the organisation and an administrator with keys
and a second factor; cases, figures rows and requests are raw bulk inserts with nothing sealed (the
dashboard reads clear figures only). The seed's own time is logged on stderr, never part of a
figure. Each measure is taken a few times untimed first, then ``REPEATS`` times. Nothing here
asserts a time: the target (dashboard < 300 ms on the 2-core machine) is for people to compare
against.
"""

from __future__ import annotations

import datetime
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Running as a script puts bench/ on sys.path, not the repository root that holds safehaven/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.staff_pages import PASSWORD, log, logged_in_client, month_back, set_up_django

CASES = 100_000
REQUESTS = 100_000
MONTHS = 120  # ten years
BATCH = 5_000
REPEATS = 15
WARM_UP = 2
COUNTRIES = ["RU"] * 40 + ["KG"] * 10 + ["IR"] * 10 + ["NG"] * 10 + ["UG"] * 10 + ["EG"] * 20
DESTINATIONS = ["CA"] * 5 + ["DE"] * 3 + ["NL", "SE"]
PEOPLE = [1] * 7 + [2, 2, 3]


def today() -> datetime.date:
    return datetime.datetime.now(tz=datetime.UTC).date()


def month_after(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def case_story(
    rng: random.Random, received: datetime.date, this_month: datetime.date
) -> dict[str, Any]:
    """How far one case got: each stage a few months after the one before, none in the
    future."""
    from safehaven.cases.choices import CaseState

    story: dict[str, Any] = {"state": rng.choice([CaseState.SCREENING, CaseState.VERIFICATION])}
    if rng.random() < 0.3:
        story["state"] = rng.choice([CaseState.DECLINED, CaseState.WITHDRAWN, CaseState.CLOSED])
        return story
    stages = (
        ("verified_month", CaseState.VERIFIED, 0.7),
        ("supported_month", CaseState.PLANNING, 0.8),
        ("arrived_month", CaseState.ARRIVED, 0.7),
    )
    month = received
    for column, state, chance in stages:
        month = month_after(month, rng.randint(0, 6))
        if month > this_month or rng.random() > chance:
            break
        story[column] = month
        story["state"] = state
    return story


def insert_rows(template: Any, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (column -> value, already as the database takes it) of ``template``'s
    model in one ``executemany``: every other column as in ``template``, and a fresh UUID in
    each UUID column (they are unique). Several times faster than ``bulk_create``, which builds
    a model instance per row."""
    from django.db import connection, models

    fields = template._meta.concrete_fields
    base = {
        field.column: field.get_db_prep_save(getattr(template, field.attname), connection)
        for field in fields
    }
    fresh = [field for field in fields if isinstance(field, models.UUIDField)]
    columns = [field.column for field in fields]
    table = template._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - the model's own table and columns
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    values = []
    for row in rows:
        for field in fresh:
            row.setdefault(str(field.column), field.get_db_prep_save(uuid.uuid4(), connection))
        values.append([row.get(column, base[column]) for column in columns])
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def next_id(model: Any) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def insert_cases(world: Any, rng: random.Random) -> None:
    from django.db import transaction

    from safehaven.cases.choices import CaseOrigin
    from safehaven.cases.models import Case
    from safehaven.intake.choices import RiskBand
    from safehaven.reports.models import CaseFigures
    from safehaven.travel.choices import PathwayKind

    organisation = world.organisation
    partners = [world.partner_a.pk, world.partner_b.pk, None, None]
    pathways = [kind.value for kind in PathwayKind]
    this_month = today().replace(day=1)
    first_received = month_back(this_month, MONTHS - 1)
    case_template = Case(
        organisation=organisation,
        origin=CaseOrigin.REQUEST,
        state="received",
        country="RU",
        risk_band=RiskBand.MEDIUM,
        received_month=first_received,
    )
    figures_template = CaseFigures(
        organisation=organisation, country="RU", received_month=first_received, state="received"
    )
    case_id = next_id(Case)
    started = time.perf_counter()
    for first in range(0, CASES, BATCH):
        cases, figures = [], []
        for _number in range(min(BATCH, CASES - first)):
            received = month_back(this_month, rng.randint(0, MONTHS - 1))
            story = case_story(rng, received, this_month)
            country, partner = rng.choice(COUNTRIES), rng.choice(partners)
            cases.append(
                {
                    "id": case_id,
                    "state": story["state"],
                    "country": country,
                    "received_month": received.isoformat(),
                    "referred_by_id": partner,
                }
            )
            figures.append(
                {
                    "case_id": case_id,
                    "country": country,
                    "destination": rng.choice(DESTINATIONS) if "arrived_month" in story else "",
                    "pathway": rng.choice(pathways) if "supported_month" in story else "",
                    "partner_id": partner,
                    "received_month": received.isoformat(),
                    "verified_month": _iso(story.get("verified_month")),
                    "supported_month": _iso(story.get("supported_month")),
                    "arrived_month": _iso(story.get("arrived_month")),
                    "people": rng.choice(PEOPLE),
                    "state": story["state"],
                }
            )
            case_id += 1
        with transaction.atomic():
            insert_rows(case_template, cases)
            insert_rows(figures_template, figures)
    log(f"{CASES} cases and figures rows inserted in {time.perf_counter() - started:.1f} s")


def _iso(month: datetime.date | None) -> str | None:
    return None if month is None else month.isoformat()


def insert_requests(world: Any, rng: random.Random) -> None:
    from django.db import transaction

    from safehaven.intake.choices import RequestStatus, RiskBand
    from safehaven.intake.models import HelpRequest

    statuses = [RequestStatus.CLOSED.value] * 6 + [RequestStatus.IN_PROGRESS.value] * 3
    statuses.append(RequestStatus.RECEIVED.value)
    partners = [world.partner_a.pk, world.partner_b.pk, None, None]
    this_month = today().replace(day=1)
    template = HelpRequest(
        country="RU", risk_band=RiskBand.MEDIUM, received_month=this_month, consented_on=this_month
    )
    request_id = next_id(HelpRequest)
    started = time.perf_counter()
    for first in range(0, REQUESTS, BATCH):
        rows = []
        for _number in range(min(BATCH, REQUESTS - first)):
            received = month_back(this_month, rng.randint(0, MONTHS - 1)).isoformat()
            rows.append(
                {
                    "id": request_id,
                    "country": rng.choice(COUNTRIES),
                    "status": rng.choice(statuses),
                    "received_month": received,
                    "consented_on": received,
                    "referred_by_id": rng.choice(partners),
                }
            )
            request_id += 1
        with transaction.atomic():
            insert_rows(template, rows)
    log(f"{REQUESTS} help requests inserted in {time.perf_counter() - started:.1f} s")


def timed(run: Callable[[], object]) -> list[float]:
    times = []
    for number in range(WARM_UP + REPEATS):
        started = time.perf_counter()
        run()
        elapsed = (time.perf_counter() - started) * 1000
        if number >= WARM_UP:
            times.append(elapsed)
    return times


def page(client: Any, url: str, marker: bytes) -> Callable[[], None]:
    def fetch() -> None:
        response = client.get(url)
        if response.status_code != 200 or marker not in response.content:
            raise SystemExit(f"{url} answered {response.status_code} without {marker!r}")

    return fetch


def slowest_queries(client: Any, url: str) -> None:
    """Each query of one dashboard and its time, slowest first (on stderr), to say which to
    mend when the target is missed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    captured = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))
    log(f"{url}: {len(captured)} queries, slowest:")
    for query in captured[:6]:
        log(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:220]}")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="safehaven-bench-reports-"))
    keep = "--keep" in sys.argv  # leave the database to look at its plans
    try:
        set_up_django(tmp)
        from safehaven.accounts.seed import SEEDED_USERNAMES, seed_world
        from safehaven.reports.exports.csv_files import build_yearly_csv
        from safehaven.reports.figures.queries import relocating_organisations

        world = seed_world(
            password_for=dict.fromkeys(SEEDED_USERNAMES, PASSWORD), email_domain="bench.test"
        )
        rng = random.Random(22)
        insert_cases(world, rng)
        insert_requests(world, rng)
        client = logged_in_client(world, "admin")
        dashboard = "/en/staff/reports/"
        filtered = "/en/staff/reports/?country=RU&pathway=emergency_visa"
        marker = b'id="dashboard-goal"'
        baseline = timed(page(client, "/en/staff/", b"</html>"))
        dashboard_times = timed(page(client, dashboard, marker))
        filtered_times = timed(page(client, filtered, marker))
        organisations = list(relocating_organisations())
        last_year = today().year - 1
        size = len(build_yearly_csv(organisations, last_year))
        export_times = timed(lambda: build_yearly_csv(organisations, last_year))
        for url in (dashboard, filtered):
            slowest_queries(client, url)
        log(f"yearly file of {last_year}: {size} bytes")
        print(f"BENCH dashboard_ms {statistics.median(dashboard_times):.1f}")
        print(f"BENCH dashboard_filtered_ms {statistics.median(filtered_times):.1f}")
        print(f"BENCH baseline_ms {statistics.median(baseline):.1f}")
        print(f"BENCH export_ms {statistics.median(export_times):.1f}")
    finally:
        if keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
