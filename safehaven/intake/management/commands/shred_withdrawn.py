"""Erase withdrawn help requests whose grace period is over. Run it from a timer (hourly)."""

from typing import Any

from django.core.management.base import BaseCommand

from safehaven.intake.actions_erasure import delete_expired_sessions, shred_due_requests


class Command(BaseCommand):
    help = (
        "Crypto-shred every withdrawn help request past INTAKE_WITHDRAWAL_GRACE and delete "
        "expired status sessions. Safe to run at any time, as often as you like."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        shredded = shred_due_requests()
        sessions = delete_expired_sessions()
        # Counts only: ids and values stay out of logs.
        self.stdout.write(f"Erased {shredded} withdrawn requests; removed {sessions} sessions.")
