"""Prove the finance journal whole (``finance/ledger/verify.py``)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safehaven.finance.ledger.verify import verify_ledger
from safehaven.finance.models import JournalEntry


class Command(BaseCommand):
    help = (
        "Verify the finance ledger: every journal entry balances in each currency, follows "
        "the one before it without a gap and carries the tag the application made; every "
        "donation, payment and grant agrees with its entries; no grant is paid beyond what "
        "was granted and no fund is below zero unless it allows an overdraft. No balance is "
        "stored: each is summed from the entries. Prints each problem, naming the entry or "
        "row, and exits with status 1 if there is any; prints a one-line summary and exits 0 "
        "otherwise. Reads only; safe to run at any time (e.g. nightly, from monitoring)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify_ledger()
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"The ledger does not verify: {len(problems)} problem(s).")
        count = JournalEntry.objects.count()
        self.stdout.write(f"Ledger verified: {count} entries, each balanced and in its chain.")
