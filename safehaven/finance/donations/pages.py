"""What a fund's donations page shows: each gift's amount (and, for one in another currency,
what was given and the rate), the day, whether a reversal undid it, and its donor's name only
when they were opened."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from safehaven.finance.choices import EntryKind
from safehaven.finance.donations.donor_names import DonorName
from safehaven.finance.funds.pages import shown_money
from safehaven.finance.models import Donation, Fund, JournalEntry

SHOWN = 500


@dataclass(frozen=True)
class DonationRow:
    donation: Donation
    amount: str
    given: str  # "" for a gift in the fund's own currency
    rate: str
    reversed: bool
    name: DonorName | None  # None: names not opened


def rate_text(rate: Decimal | None) -> str:
    """A rate as entered, without the column's trailing zeros (``1.27``)."""
    if rate is None:
        return ""
    text = f"{rate:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown_donations(fund: Fund) -> list[Donation]:
    """The fund's newest gifts (at most ``SHOWN``)."""
    return list(
        Donation.objects.filter(fund=fund)
        .select_related("recorded_by", "fund")
        .order_by("-received_on", "-pk")[:SHOWN]
    )


def donation_rows(
    donations: list[Donation], names: dict[int, DonorName] | None
) -> list[DonationRow]:
    undone = set(
        JournalEntry.objects.filter(
            kind=EntryKind.REVERSAL, donation__in=[donation.pk for donation in donations]
        ).values_list("donation_id", flat=True)
    )
    rows = []
    for donation in donations:
        given = rate = ""
        if donation.original_amount is not None and donation.original_currency:
            given = shown_money(donation.original_amount, donation.original_currency)
            rate = rate_text(donation.rate)
        rows.append(
            DonationRow(
                donation=donation,
                amount=shown_money(donation.amount, donation.fund.currency),
                given=given,
                rate=rate,
                reversed=donation.pk in undone,
                name=None if names is None else names.get(donation.pk, DonorName(None)),
            )
        )
    return rows
