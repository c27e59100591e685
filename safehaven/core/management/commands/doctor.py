"""Check a deployment and print what to fix: configuration, keys, database, audit, tasks."""

from __future__ import annotations

import argparse
import textwrap
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.core.doctor.registry import Options, Status, discover, run_check
from safehaven.core.management.commands.check_tasks import positive_whole_number

MARKS = {Status.OK: "ok  ", Status.WARN: "WARN", Status.FAIL: "FAIL"}


class Command(BaseCommand):
    help = (
        "Check this deployment and print, for each problem, what to fix. Read-only: run it "
        "after installing or upgrading, and from monitoring. Exits with status 1 when any "
        "check fails; warnings alone are printed and exit 0. Never prints a secret."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _RawEpilogFormatter
        parser.epilog = "checks:\n" + "\n".join(
            textwrap.fill(
                f"{check.name}: {check.explanation}.",
                width=88,
                initial_indent="  ",
                subsequent_indent="      ",
            )
            for check in discover()
        )
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor-period-minutes",
            type=positive_whole_number,
            default=5,
            help="how often the anchor_audit timer runs; warn when the newest anchor is "
            "older than twice this (default 5)",
        )
        parser.add_argument(
            "--task-late-minutes",
            type=positive_whole_number,
            default=10,
            help="fail when a task has waited this long past its time (default 10)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings = Options(
            anchor_period=timedelta(minutes=options["anchor_period_minutes"]),
            task_late_after=timedelta(minutes=options["task_late_minutes"]),
        )
        counts = dict.fromkeys(Status, 0)
        for check in discover():
            for result in run_check(check, settings):
                counts[result.status] += 1
                self.stdout.write(f"{MARKS[result.status]} {check.name}: {result.message}")
        summary = f"{counts[Status.FAIL]} failed, {counts[Status.WARN]} warnings."
        if counts[Status.FAIL]:
            raise CommandError(f"{summary} Fix what FAIL names, then run doctor again.")
        self.stdout.write(summary)


class _RawEpilogFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the list of checks one a line."""
