"""Export grants or disbursements for the accountant: the CSV, and one FINANCE_EXPORTED event
(what and how many rows; never a value)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from safehaven.accounts.models import Organisation, User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.finance.exports.csv_files import ExportKind, Period, export_csv
from safehaven.finance.rules import require_finance_officer


def do_export_finance(
    kind: ExportKind, organisations: QuerySet[Organisation], period: Period, *, actor: User
) -> bytes:
    """The CSV of ``kind`` for ``organisations`` (each of which ``actor`` keeps the money of).
    The caller checks that both factors were re-entered (``accounts.reauth``)."""
    organisations = organisations.order_by("pk")
    for organisation in organisations:
        require_finance_officer(actor, organisation)
    content, count = export_csv(kind, organisations, period)
    with transaction.atomic():
        record_event(
            EventType.FINANCE_EXPORTED,
            actor=actor,
            organisation=organisations.first(),
            target_type="export",
            target_ref=kind.key,
            detail=f"{kind.key}, {count} rows",
        )
    return content
