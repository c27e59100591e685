"""Export the figures: the file, and one REPORT_EXPORTED event (the breakdown, the format and
the years; never a figure)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction

from safehaven.accounts.models import Organisation, User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.reports.exports.csv_files import Breakdown, render_csv, year_tables


def do_export_report(
    organisations: Sequence[Organisation],
    breakdown: Breakdown,
    years: range,
    file_format: str,
    *,
    today: datetime.date,
    actor: User,
) -> bytes:
    """The figures file of ``organisations`` (those whose reports ``actor`` may view; none in a
    duress session) for ``years``. The caller checks that both factors were re-entered
    (``accounts.reauth``)."""
    content = render_csv(
        year_tables(organisations, breakdown, years, today), breakdown, file_format
    )
    with transaction.atomic():
        record_event(
            EventType.REPORT_EXPORTED,
            actor=actor,
            organisation=organisations[0] if organisations else None,
            target_type="report",
            target_ref=breakdown.key,
            detail=f"{breakdown.key}, {file_format}, {years[0]}-{years[-1]}",
        )
    return content
