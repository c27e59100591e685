"""Bring the database in step with the shipped files in ``countries/data/``. ``--check`` only
reports (exit status 1 when something would change). A series an administrator changed is
kept as it is."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safehaven.countries.country_pages.loading_actions import do_load_country_facts
from safehaven.countries.loading import plan_load
from safehaven.countries.models import Country, Region, RiskFact


class Command(BaseCommand):
    help = "Load the shipped country facts without overwriting an administrator's edits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Report only; change nothing.")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        plan = plan_load(Country, Region, RiskFact)
        for line in plan.lines():
            self.stdout.write(line)
        if check:
            self.stdout.write(f"{plan.changes} change(s) to apply.")
            if plan.changes:
                raise SystemExit(1)
            return
        do_load_country_facts(plan)
        self.stdout.write(f"{plan.changes} change(s) applied.")
