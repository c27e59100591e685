"""Import donations read from a CSV (``csv_import.py``): every row saved with its journal entry
and its donor's name sealed, in one transaction, or none; one audit event for the file."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.finance.donations.actions import _amounts
from safehaven.finance.donations.csv_import import ImportedDonation, ImportRefused, RowProblem
from safehaven.finance.ledger.postings import post_donation
from safehaven.finance.models import Donation, Fund
from safehaven.finance.money import MoneyError
from safehaven.finance.records import open_or_make_finance_records
from safehaven.finance.rules import checked_fund, require_finance_officer
from safehaven.finance.trail import posted_detail


def _checked(fund: Fund, rows: Sequence[ImportedDonation]) -> list[Donation]:
    """Unsaved donations for every row, or ImportRefused naming each row the money rules
    refuse (the same rules as a donation recorded by hand)."""
    donations, problems = [], []
    for row in rows:
        try:
            counted, original, code, rate = _amounts(fund, row.amount, row.conversion)
        except (MoneyError, CaseActionRefused) as error:
            problems.append(RowProblem(row.line, str(error)))
            continue
        donations.append(
            Donation(
                fund=fund,
                amount=counted,
                original_amount=original,
                original_currency=code,
                rate=rate,
                rate_on=row.conversion.rate_on if row.conversion else None,
                received_on=row.received_on,
            )
        )
    if problems:
        raise ImportRefused(problems)
    return donations


def do_import_donations(
    fund: Fund, rows: Sequence[ImportedDonation], *, actor: User, private_key: bytes
) -> list[Donation]:
    """Record every gift of ``rows`` to ``fund`` (all or nothing), each donor's name sealed
    under the organisation's finance records ("" for an anonymous gift), each with its journal
    entry; one DONATIONS_IMPORTED event counts them."""
    require_finance_officer(actor, fund.organisation)
    checked_fund(fund)
    if not rows:
        raise CaseActionRefused(_("There is nothing to import."))
    donations = _checked(fund, rows)
    with transaction.atomic():
        opened = open_or_make_finance_records(
            fund.organisation, actor=actor, private_key=private_key
        )
        entries = []
        for donation, row in zip(donations, rows, strict=True):
            donation.record_id = opened.record_id
            donation.recorded_by = actor
            # Always sealed ("" when anonymous): a donation without its seal is forged.
            donation.open_with(opened).seal("donor_name", row.donor_name)
            donation.save()
            entries.append(post_donation(donation, actor=actor).sequence)
        record_event(
            EventType.DONATIONS_IMPORTED,
            actor=actor,
            organisation=fund.organisation,
            target=fund,
            detail=posted_detail(entries, f"{len(donations)} donations"),
        )
    return donations
