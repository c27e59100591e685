"""Surge benchmark: 10,000 help requests from many people at once, none of them lost.

Run from the repository root: ``.venv/bin/python bench/surge.py``. Prints on stdout (progress
and details go to stderr):

- ``BENCH surge_requests <n>``: help requests sent (all of ``--requests`` unless
  ``--max-seconds`` ran out first: the clients then stop taking new ones);
- ``BENCH surge_per_s <n>``: receipts per second, from the first request sent to the last
  response read;
- ``BENCH surge_lost <n>``: must be 0 (the script exits with an error otherwise), the sum of
  (a) requests sent that got no receipt: a 5xx, a 429 (the rate limits are raised, so one
  means the limits were not), a connection dropped, refused or timed out, a response cut
  short, or any other answer without a codename (a 4xx, the form shown again), and
  (b) receipts (HTTP 200 with a codename) whose request is not in the database afterwards: no
  row with the codename's lookup hash, or one the codename does not open, or one whose
  sealed situation is not the text that was sent;
- ``BENCH surge_p99_ms <n>`` and ``BENCH surge_p50_ms <n>``: latency of every request sent,
  from sending it to the end of its response or its failure (a receipt or not: a person
  waits either way), as the clients saw it, queueing included.

Options: ``--requests`` (default 10,000), ``--max-seconds`` (default 600: the surge stops
taking new requests then), ``--clients`` (concurrent connections, default 100), ``--workers``
(gunicorn sync workers, default 4 as in docs/deploy.md's unit).

How: ``bench/intake.py``'s set-up (a temporary directory deleted at the end, demo data loaded
for the team and escrow keys, gunicorn on SQLite with the production database settings: WAL,
``synchronous=FULL``, ``BEGIN IMMEDIATE``, busy timeout; ``bench/bench_settings.py`` raises
the rate limits, which would otherwise refuse one address its 11th request) and its load
generator (``bench/load_generator.py``: threads on plain sockets, one connection per request,
every response read to its end and checked against its length).

Proof-of-work: the stamps are minted at ``SURGE_POW_BITS`` (8), set for the server through
``SAFEHAVEN_INTAKE_POW_BITS``, not at the production 18 bits: at 18, 10,000 stamps take 40
minutes or more of minting on 2 cores. The surge measures loss and latency of the storing
path; the server checks a stamp with one hash whatever its difficulty, so the server's work is
the same (``bench/intake.py`` measures the stamp's cost at 18 bits). Each stamp still comes from
a real form page's challenge, and the settings refuse any post whose stamp fails.

Checking the database: after gunicorn has stopped, a child process (this script with
``--check-database``, Django set up on the same settings) opens the SQLite file and, for
*every* receipt, finds the row by the codename's lookup hash, opens the request with the
codename (as the status page does) and reads its sealed situation. All of them, because it is
cheap: the codename key is HKDF and the lookup hash an HMAC (a few milliseconds per request in
all), not a slow password hash. It also counts the rows added during the surge: more than
receipts means requests stored whose sender got no codename (reported on stderr; each is
already counted as lost by its client). Nothing here asserts a time.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Running as a script puts bench/ on sys.path, not the repository root that holds safehaven/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.intake import (
    FORM_PATH,
    RECEIPT_MARKER,
    ROOT,
    bench_environment,
    mint_stamps,
    prepare_database,
    serving,
    stamped_bodies,
    stop_gunicorn,
)
from bench.load_generator import (
    CpuUse,
    LoadResult,
    Response,
    body_supplier,
    cpu_use,
    log,
    run_load,
)

SURGE_POW_BITS = 8
# intake.codename.CODENAME_WORDS; importing it needs Django set up. A codename may grow an
# eighth word (intake/codename.py), never shrink.
MIN_CODENAME_WORDS = 7
_CODENAME_LIST = re.compile(rb'<ol class="codename"[^>]*>(.*?)</ol>', re.DOTALL)
_CODENAME_WORD = re.compile(rb"<li>([a-z-]+)</li>")


def codename_in(body: bytes) -> str | None:
    """The codename of a receipt page, or None when the page shows none."""
    listing = _CODENAME_LIST.search(body)
    if listing is None:
        return None
    words = _CODENAME_WORD.findall(listing.group(1))
    if len(words) < MIN_CODENAME_WORDS:
        return None
    return b" ".join(words).decode("ascii")


def situation_mark(index: int) -> str:
    """What makes request ``index``'s situation its own (load_generator.request_form)."""
    return f"(#{index})"


@dataclass
class Surge:
    """What the clients got back: receipts by request index, and everything else."""

    index_of: dict[bytes, int]
    receipts: dict[int, str] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    first_failure: str = ""
    latencies_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, body: bytes, response: Response, latency_ms: float) -> None:
        codename = codename_in(response.body) if response.status == 200 else None
        with self.lock:
            self.latencies_ms.append(latency_ms)
            if codename is not None:
                self.receipts[self.index_of[body]] = codename
                return
            kind = (
                "no response (dropped, refused, timed out or cut short)"
                if response.status == 0
                else f"HTTP {response.status} without a codename"
            )
            self.failures[kind] += 1
            self.first_failure = self.first_failure or (
                response.problem or f"HTTP {response.status}: {response.body[:300]!r}"
            )

    @property
    def sent(self) -> int:
        return len(self.latencies_ms)

    def percentile_ms(self, fraction: float) -> float:
        return LoadResult(latencies_ms=self.latencies_ms).percentile_ms(fraction)


# --- the database check (a child process with Django set up) -------------------------------


def check_database(env: dict[str, str], work: Path, receipts: dict[int, str]) -> dict[str, Any]:
    """Run this script's ``--check-database`` on the benchmark's database; its findings."""
    receipts_path = work / "receipts.json"
    receipts_path.write_text(json.dumps(receipts))
    command = [sys.executable, __file__, "--check-database", str(receipts_path)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log(done.stderr[-4000:])
        raise SystemExit(f"the database check failed ({done.returncode})")
    findings: dict[str, Any] = json.loads(done.stdout)
    return findings


def database_findings(receipts_path: Path) -> dict[str, Any]:
    """In the child: the database's journal mode, its help requests, and every receipt that
    does not open its request with what was sent."""
    import django

    django.setup()
    from django.db import connection

    from safehaven.intake.codename import codename_lookup_hash
    from safehaven.intake.models import HelpRequest
    from safehaven.keys.exceptions import RecordUnavailable
    from safehaven.keys.records import open_record_with_codename

    sent = json.loads(receipts_path.read_text()).items()
    receipts = {int(index): codename for index, codename in sent}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    by_hash = HelpRequest.objects.filter(shredded_at=None).in_bulk(field_name="codename_hash")
    not_found, not_opened, not_as_sent = [], [], []
    for index, codename in receipts.items():
        help_request = by_hash.get(codename_lookup_hash(codename).hex())
        if help_request is None:
            not_found.append(index)
            continue
        try:
            help_request.open_with(open_record_with_codename(help_request.record_id, codename))
        except RecordUnavailable:
            not_opened.append(index)
            continue
        if situation_mark(index) not in (help_request.sealed("situation") or ""):
            not_as_sent.append(index)
    return {
        "journal_mode": journal_mode,
        "synchronous": synchronous,
        "rows": HelpRequest.objects.count(),
        "not_found": not_found,
        "not_opened": not_opened,
        "not_as_sent": not_as_sent,
    }


# --- the whole run -------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Surge benchmark: many clients post help requests at once; none may be lost."
    )
    parser.add_argument("--requests", type=positive_int, default=10_000, help="help requests")
    parser.add_argument(
        "--max-seconds",
        type=positive_float,
        default=600.0,
        help="longest surge, s (no new requests after it)",
    )
    parser.add_argument("--clients", type=positive_int, default=100, help="concurrent clients")
    parser.add_argument("--workers", type=positive_int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--mint-seconds", type=positive_float, default=600.0, help="minting budget, s"
    )
    # Internal: the child process that checks the database (see the module docstring).
    parser.add_argument("--check-database", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    options = parse_options()
    if options.check_database is not None:
        print(json.dumps(database_findings(options.check_database)))
        return

    log("load average before: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    tmp = Path(tempfile.mkdtemp(prefix="safehaven-surge-"))
    try:
        env = bench_environment(tmp, pow_bits=SURGE_POW_BITS)
        prepare_database(env)
        rows_before = check_database(env, tmp, {})["rows"]
        with serving(env, tmp, workers=options.workers) as (server, port):
            log(f"gunicorn ({options.workers} workers) on 127.0.0.1:{port}, database {tmp}")

            stamps = mint_stamps(
                port, target=options.requests, budget_s=options.mint_seconds, bits=SURGE_POW_BITS
            )
            if len(stamps) < options.requests:
                log(f"only {len(stamps)} of {options.requests} stamps minted: sending those")
            bodies = stamped_bodies(stamps)
            surge = Surge(index_of={body: index for index, body in enumerate(bodies)})
            cpu = CpuUse("surge")
            log(f"surge: {len(bodies)} help requests from {options.clients} clients")
            with cpu_use(cpu, server):
                result = run_load(
                    port,
                    FORM_PATH,
                    body_supplier(bodies),
                    RECEIPT_MARKER,
                    duration_s=options.max_seconds,
                    concurrency=options.clients,
                    on_response=surge.record,
                )
            cpu.report(result)
            if surge.sent < len(bodies):
                unsent = len(bodies) - surge.sent
                log(f"{options.max_seconds:g} s ran out: {unsent} requests unsent")
            stop_gunicorn(server)  # every response was read: nothing is in flight
            findings = check_database(env, tmp, surge.receipts)
            log("load average after: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    lost = report(surge, findings, rows_before=rows_before, elapsed=result.elapsed)
    print(f"BENCH surge_requests {surge.sent}")
    print(f"BENCH surge_per_s {len(surge.receipts) / result.elapsed if result.elapsed else 0:.1f}")
    print(f"BENCH surge_lost {lost}")
    print(f"BENCH surge_p99_ms {surge.percentile_ms(0.99):.1f}")
    print(f"BENCH surge_p50_ms {surge.percentile_ms(0.5):.1f}")
    if lost:
        raise SystemExit(f"{lost} help requests lost (see above)")


def report(surge: Surge, findings: dict[str, Any], *, rows_before: int, elapsed: float) -> int:
    """Say on stderr what happened to every request; the number lost."""
    log(
        f"surge: {surge.sent} sent, {len(surge.receipts)} receipts in {elapsed:.1f} s; "
        f"database in journal mode {findings['journal_mode']}, synchronous "
        f"{findings['synchronous']} (2 is FULL)"
    )
    for kind, count in surge.failures.most_common():
        log(f"  {count} got {kind}")
    if surge.first_failure:
        log(f"  the first: {surge.first_failure}")
    unopened = 0
    for key, meaning in [
        ("not_found", "no row with their codename's lookup hash"),
        ("not_opened", "a row their codename does not open"),
        ("not_as_sent", "a row that does not hold what was sent"),
    ]:
        indexes = findings[key]
        unopened += len(indexes)
        if indexes:
            log(f"  receipts with {meaning}: {len(indexes)} (the first: {indexes[:10]})")
    added = findings["rows"] - rows_before
    stored_without_receipt = added - (len(surge.receipts) - unopened)
    log(
        f"  {added} help requests added to the database; every receipt checked, "
        f"{len(surge.receipts) - unopened} open with their codename and hold what was sent"
    )
    if stored_without_receipt:
        log(f"  {stored_without_receipt} stored whose sender got no codename")
    return sum(surge.failures.values()) + unopened


if __name__ == "__main__":
    main()
