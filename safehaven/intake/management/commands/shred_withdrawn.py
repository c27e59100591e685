"""Erase withdrawn help requests whose grace period is over. Run it from a timer (hourly), and
``--check`` from monitoring."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from safehaven.intake.erasure.actions import (
    count_late_erasures,
    delete_expired_sessions,
    shred_due_requests,
)


class Command(BaseCommand):
    help = (
        "Crypto-shred every withdrawn help request past INTAKE_WITHDRAWAL_GRACE and delete "
        "expired status sessions. Safe to run at any time, as often as you like. With --check, "
        "erase nothing and fail when an erasure is late (the timer is not running)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=(
                "Erase nothing; exit with status 1 when a withdrawn request is more than two "
                "hours past its erasure time, or when that cannot be read (for monitoring)."
            ),
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if check:
            self._check_erasures_on_time()
            return
        shredded = shred_due_requests()
        sessions = delete_expired_sessions()
        # Counts only: ids and values stay out of logs.
        self.stdout.write(f"Erased {shredded} withdrawn requests; removed {sessions} sessions.")

    def _check_erasures_on_time(self) -> None:
        # People who withdrew were told their data would be deleted: nothing else tells the
        # operators when no timer (and no task worker) erases it.
        try:
            late = count_late_erasures()
        except DatabaseError as failure:
            raise CommandError(
                f"Could not read the help requests ({type(failure).__name__}): erasures were "
                "not checked."
            ) from None
        if late:
            raise CommandError(
                f"{late} withdrawn help request(s) are more than two hours past their erasure "
                "time: run `manage.py shred_withdrawn` now and make sure it runs hourly from a "
                "timer."
            )
        self.stdout.write("No withdrawn request is late for its erasure.")
