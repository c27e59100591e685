"""Apply the organisations' retention rules: run it from a daily timer. The work is
``reports.retention.actions.do_apply_retention``."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehaven.cases.choices import CaseOutcome
from safehaven.countries.crises.inflow import old_inflow_rows
from safehaven.reports.retention.actions import do_apply_retention
from safehaven.reports.retention.queries import plan_retention


class Command(BaseCommand):
    help = (
        "Crypto-shred what is past each organisation's retention rules (set on the staff "
        "page Reports > Retention): closed cases past their period since they closed, and "
        "declined requests past theirs since they were declined. Each case's figures are kept "
        "first, so reports keep counting it; the keys of its sealed data are destroyed, and "
        "nothing of it can be read again, by anyone. Every run is audited. Run it daily from a "
        "timer; safe to run at any time. With --dry-run, erase nothing and list what would be "
        "erased (kind, number, month, state; nothing sealed). A rule takes effect 14 days after "
        "it was last set. Crisis inflow days older than 60 days are folded into months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Erase nothing; list what a run would erase now (the run is still audited).",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        plan = plan_retention()
        if dry_run:
            for item in plan.items:
                # A value written in the database is not echoed to the operator's terminal.
                known = item.outcome in CaseOutcome.values
                outcome = f" ({item.outcome if known else '?'})" if item.outcome else ""
                self.stdout.write(
                    f"{item.kind.value} #{item.pk}: {item.month:%Y-%m}, {item.state}{outcome}"
                )
        to_fold = old_inflow_rows(timezone.now().astimezone(datetime.UTC).date())
        run = do_apply_retention(dry_run=dry_run, actor=None, plan=plan)
        due_cases, due_requests = len(plan.cases), len(plan.requests)
        if plan.inconsistent:
            self.stdout.write(
                f"{plan.inconsistent} due case(s) are marked erased in the database while "
                "their keys remain (figures marked kept, or record ids on the shred list): "
                "a run erases them."
            )
        if dry_run:
            self.stdout.write(
                f"Dry run #{run.pk}: would erase {due_cases} cases and {due_requests} requests, "
                f"and fold {to_fold} crisis inflow days into months."
            )
            return
        self.stdout.write(
            f"Run #{run.pk}: erased {run.cases} of {due_cases} cases due and {run.requests} of "
            f"{due_requests} requests due."
        )
        if run.cases < due_cases:
            raise CommandError(
                f"{due_cases - run.cases} case(s) could not be erased (see the log); the next "
                "run tries them again."
            )
