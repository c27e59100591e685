"""Rebuild every case's figures row (``reports.figures.refresh``)."""

from typing import Any

from django.core.management.base import BaseCommand

from safehaven.reports.figures.refresh import refresh_all_figures


class Command(BaseCommand):
    help = (
        "Recompute the reports' figures row of every case from its clear sources (the case, "
        "its moves, people, pathways and approved grants), in the organisation's reporting "
        "time zone. Rows of shredded cases are never touched. Run it after an upgrade that "
        "changes how figures are counted, after changing an organisation's reporting time "
        "zone, and nightly as a backstop; safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        refreshed = refresh_all_figures()
        self.stdout.write(f"Refreshed the figures of {refreshed} cases.")
