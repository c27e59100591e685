"""Benchmark of a partner's crisis batch import: 1,000 referrals from one CSV file.

Run from the repository root: ``.venv/bin/python bench/partners.py``. Prints on stdout:

- ``BENCH import_1000_s <s>``: seconds to import a file of 1,000 rows (read, every row checked
  by the form, sealed, wrapped and stored in one transaction, audited once);
- ``BENCH single_1000_s <s>``: the baseline, measured in the same run on the same database:
  the same 1,000 referrals made one at a time (``do_refer_person``, as the portal and the API
  do, one transaction each);
- ``BENCH import_vs_single <ratio>``: the first divided by the second (below 1: the batch is
  faster than as many single referrals);
- ``BENCH import_row_ms <ms>``: the import's time per row;
- ``BENCH import_1000_cpu_s <s>`` and ``BENCH single_1000_cpu_s <s>``: the same two, counted
  in this process's CPU time (what the figures would be on a machine with nothing else to do:
  on a busy one, waiting for a CPU inflates the clock times, not these).

``--profile`` also prints the import's 25 costliest functions (cumulative) on stderr.

How: in-process, on a throwaway SQLite database in a temporary directory deleted at the end;
the seeded world of the tests gives the organisation, the partner teams, their keys and escrow.
The import and the baseline run in two alternating turns of 1,000 rows each (the figures are
their means), so that a change in the machine's speed during the run weighs on both alike.
Nothing here asserts a time: the target (1,000 rows in under 5 s on the 2-core machine) is for
people to compare against.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Running as a script puts bench/ on sys.path, not the repository root that holds safehaven/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS = 1000
TURNS = 2
PASSWORD = "bench-password-3e9a"  # noqa: S105 - a throwaway database's only user password


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def set_up_django(tmp: Path) -> None:
    for name in list(os.environ):
        if name.startswith("SAFEHAVEN_"):
            del os.environ[name]  # a developer's own settings must not leak in
    os.environ.update(
        {
            "SAFEHAVEN_MODE": "demo",
            "SAFEHAVEN_VAR_DIR": str(tmp),
            "SAFEHAVEN_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
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


def rows(count: int, first: int) -> list[dict[str, str]]:
    """Referrals as a partner's spreadsheet would hold them: a name, a few lines, a contact."""
    return [
        {
            "known_as": f"Person {number}",
            "situation": (
                "Detained twice by the police after a raid on a private party; her family "
                "found out and threatens her. She is hiding with friends and needs to leave "
                f"the country soon. Reference {number}."
            ),
            "country": "RU",
            "region": "Chechnya" if number % 3 == 0 else "",
            "languages": "ru, ce",
            "contact_method": "signal",
            "contact": f"+7 912 {number:07d}",
            "may_leave_message": "no",
            "risk_indicators": "detained,threats_family,in_hiding",
            "companions": str(number % 3),
            "consent": "yes",
        }
        for number in range(first, first + count)
    ]


def csv_of(referrals: list[dict[str, str]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(referrals[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(referrals)
    return out.getvalue()


class Clocks:
    """Wall-clock and CPU seconds of one timed part."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def elapsed(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def timed_import(world: Any, text: str, profile: cProfile.Profile | None) -> tuple[float, float]:
    from safehaven.intake.choices import RequestChannel
    from safehaven.partners.referrals.actions import do_import_referrals

    clocks = Clocks()
    if profile is not None:
        profile.enable()
    stored = do_import_referrals(
        text,
        organisation=world.partner_a,
        channel=RequestChannel.IMPORT,
        actor=world.users["partner_a"],
    )
    if profile is not None:
        profile.disable()
    elapsed = clocks.elapsed()
    assert len(stored) == text.count("\n") - 1, len(stored)
    return elapsed


def timed_singles(world: Any, referrals: list[dict[str, str]]) -> tuple[float, float]:
    from safehaven.intake.choices import RequestChannel
    from safehaven.partners.referrals.actions import do_refer_person
    from safehaven.partners.referrals.forms import ReferralForm

    clocks = Clocks()
    for data in referrals:
        form = ReferralForm(data)
        if not form.is_valid():
            raise SystemExit(f"a bench row is not valid: {form.errors.as_json()}")
        do_refer_person(
            form.draft(),
            organisation=world.partner_a,
            channel=RequestChannel.PORTAL,
            actor=world.users["partner_a"],
        )
    return clocks.elapsed()


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="safehaven-bench-partners-"))
    profile = cProfile.Profile() if "--profile" in sys.argv else None
    try:
        set_up_django(tmp)
        from safehaven.accounts.seed import SEEDED_USERNAMES, seed_world
        from safehaven.intake.models import HelpRequest

        world = seed_world(
            password_for=dict.fromkeys(SEEDED_USERNAMES, PASSWORD), email_domain="bench.test"
        )
        # One untimed referral each way: imports, caches and the first key read.
        timed_singles(world, rows(1, 10_000_000))
        timed_import(world, csv_of(rows(1, 10_000_001)), None)
        imports: list[tuple[float, float]] = []
        single_runs: list[tuple[float, float]] = []
        for turn in range(TURNS):
            imports.append(timed_import(world, csv_of(rows(ROWS, 2 * turn * ROWS)), profile))
            single_runs.append(timed_singles(world, rows(ROWS, (2 * turn + 1) * ROWS)))
            log(f"turn {turn + 1}: import {imports[-1]} s, singles {single_runs[-1]} s (wall, cpu)")
        imported, singles = (sum(run[0] for run in runs) / TURNS for runs in (imports, single_runs))
        imported_cpu, singles_cpu = (
            sum(run[1] for run in runs) / TURNS for runs in (imports, single_runs)
        )
        log(f"{HelpRequest.objects.count()} referrals stored")
        print(f"BENCH import_1000_s {imported:.2f}")
        print(f"BENCH single_1000_s {singles:.2f}")
        print(f"BENCH import_vs_single {imported / singles:.2f}")
        print(f"BENCH import_row_ms {imported / ROWS * 1000:.2f}")
        print(f"BENCH import_1000_cpu_s {imported_cpu:.2f}")
        print(f"BENCH single_1000_cpu_s {singles_cpu:.2f}")
        if profile is not None:
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
