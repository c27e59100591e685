"""Prove the finance journal whole (``finance/ledger/verify.py``)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.finance.ledger.verify import record_tampering, verify_ledger
from safehaven.finance.models import JournalEntry


class Command(BaseCommand):
    help = (
        "Verify the finance ledger: every journal entry balances in each currency, follows "
        "the one before it without a gap and carries the tag the application made; every "
        "entry is the one the audit log says was posted, and no entry the audit log names is "
        "missing; every donation, payment and grant agrees with its entries, and funds, "
        "grants and thresholds are as their latest audited change left them; no grant is paid "
        "beyond what was granted and no fund is below zero unless it allows an overdraft. No "
        "balance is stored: each is summed from the entries. Prints each problem, naming the "
        "entry or row, records one 'ledger row failed its check' audit event (ids only; "
        "--no-record: none) and exits with status 1 if there is any; prints a one-line "
        "summary and exits 0 otherwise. Changes nothing else; safe to run at any time (e.g. "
        "nightly, with verify_audit, from monitoring)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="Do not record the audit event when the ledger does not verify.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify_ledger()
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            if not options["no_record"]:
                record_tampering(problems)
            raise CommandError(f"The ledger does not verify: {len(problems)} problem(s).")
        count = JournalEntry.objects.count()
        self.stdout.write(f"Ledger verified: {count} entries, each balanced and in its chain.")
