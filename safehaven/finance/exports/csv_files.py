"""The accountant's CSV files: grants and disbursements, in clear facts only. No donor, no
payee, no reference and no staff member is written: nothing sealed is opened to make them.
A journal or row that fails its check stops the export (LedgerTampered), so a file never
carries figures a database writer changed.

A cell that a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe: a fund or partner
name is typed by staff and must not run in the accountant's spreadsheet."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation
from safehaven.finance.choices import EntryKind
from safehaven.finance.ledger.balances import check_entries, grant_position
from safehaven.finance.models import Disbursement, Grant, JournalEntry
from safehaven.finance.money import canonical, minor_units
from safehaven.finance.rules import checked_fund, checked_grant

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

GRANT_COLUMNS = (
    "grant",
    "organisation",
    "fund",
    "fund_name",
    "category",
    "case",
    "partner_organisation",
    "currency",
    "amount",
    "state",
    "requested_on",
    "decided_on",
    "approved",
    "paid",
    "remaining",
)
DISBURSEMENT_COLUMNS = (
    "disbursement",
    "grant",
    "organisation",
    "fund",
    "fund_name",
    "category",
    "case",
    "partner_organisation",
    "method",
    "paid_on",
    "amount_paid",
    "currency_paid",
    "rate",
    "rate_on",
    "amount",
    "grant_currency",
    "confirmed",
    "confirmed_on",
    "reversed",
)


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: object
    columns: tuple[str, ...]


GRANTS = ExportKind("grants", _("Grants"), GRANT_COLUMNS)
DISBURSEMENTS = ExportKind("disbursements", _("Disbursements"), DISBURSEMENT_COLUMNS)
KINDS = {kind.key: kind for kind in (GRANTS, DISBURSEMENTS)}


def cell_text(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def amount_text(value: object, code: str) -> str:
    """An amount at its currency's own minor units (``12.50`` USD, ``1200`` JPY)."""
    if value is None:
        return ""
    return canonical(value, minor_units(code))  # type: ignore[arg-type]


def _day(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return value.isoformat()


@dataclass(frozen=True)
class Period:
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


def _grants(organisations: QuerySet[Organisation], period: Period) -> QuerySet[Grant]:
    rows = Grant.objects.filter(fund__organisation__in=organisations)
    if period.starts_on:
        rows = rows.filter(requested_at__date__gte=period.starts_on)
    if period.ends_on:
        rows = rows.filter(requested_at__date__lte=period.ends_on)
    return rows.select_related("fund", "partner").order_by("pk")


def grant_rows(organisations: QuerySet[Organisation], period: Period) -> Iterable[list[str]]:
    for grant in _grants(organisations, period):
        checked_grant(grant)
        checked_fund(grant.fund)
        position = grant_position(grant)
        code = grant.currency
        yield [
            str(grant.pk),
            str(grant.fund.organisation_id),
            str(grant.fund_id),
            cell_text(grant.fund.name),
            grant.category,
            str(grant.case_id or ""),
            cell_text(grant.partner.name if grant.partner else ""),
            code,
            amount_text(grant.amount, code),
            grant.state,
            _day(grant.requested_at),
            _day(grant.decided_at),
            amount_text(position.approved, code),
            amount_text(position.paid, code),
            amount_text(position.remaining, code),
        ]


def disbursement_rows(organisations: QuerySet[Organisation], period: Period) -> Iterable[list[str]]:
    rows = Disbursement.objects.filter(grant__fund__organisation__in=organisations)
    if period.starts_on:
        rows = rows.filter(paid_on__gte=period.starts_on)
    if period.ends_on:
        rows = rows.filter(paid_on__lte=period.ends_on)
    payments = list(rows.select_related("grant", "grant__fund", "grant__partner").order_by("pk"))
    entries = list(
        JournalEntry.objects.filter(disbursement__in=payments)
        .select_related("donation", "disbursement")
        .prefetch_related("lines")
    )
    check_entries(entries)
    undone = {entry.disbursement_id for entry in entries if entry.kind == EntryKind.REVERSAL}
    for payment in payments:
        grant = checked_grant(payment.grant)
        code = grant.currency
        yield [
            str(payment.pk),
            str(grant.pk),
            str(grant.fund.organisation_id),
            str(grant.fund_id),
            cell_text(grant.fund.name),
            grant.category,
            str(grant.case_id or ""),
            cell_text(grant.partner.name if grant.partner else ""),
            payment.method,
            _day(payment.paid_on),
            amount_text(payment.amount_paid, payment.currency_paid),
            payment.currency_paid,
            canonical(payment.rate, 9).rstrip("0").rstrip("."),
            _day(payment.rate_on),
            amount_text(payment.amount, code),
            code,
            "yes" if payment.confirmed_at else "no",
            _day(payment.confirmed_at),
            "yes" if payment.pk in undone else "no",
        ]


def export_csv(
    kind: ExportKind, organisations: QuerySet[Organisation], period: Period
) -> tuple[bytes, int]:
    """The CSV of ``kind`` (UTF-8 with a byte-order mark, which spreadsheets need to read it as
    UTF-8) and how many rows it holds."""
    make = grant_rows if kind is GRANTS else disbursement_rows
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(kind.columns)
    count = 0
    for row in make(organisations, period):
        writer.writerow(row)
        count += 1
    return buffer.getvalue().encode("utf-8-sig"), count
