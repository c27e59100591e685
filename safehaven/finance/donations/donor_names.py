"""Opening donors' names: only on a fund's donations page, only when a finance officer asks,
with their own key (the finance team's), and each opening audited (DONOR_NAMES_VIEWED)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.finance.models import Donation, Fund
from safehaven.finance.records import open_finance_records
from safehaven.finance.rules import require_finance_officer
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord


@dataclass(frozen=True, repr=False)
class DonorName:
    """``name``: "" for an anonymous gift; None when the row does not match its seal."""

    name: str | None

    def __repr__(self) -> str:
        # Never the name: a repr ends up in tracebacks and debug logs.
        return f"DonorName(anonymous={self.anonymous}, forged={self.forged})"

    @property
    def anonymous(self) -> bool:
        return self.name == ""

    @property
    def forged(self) -> bool:
        return self.name is None


def _opened_name(donation: Donation, opened: OpenedRecord) -> DonorName:
    try:
        donation.open_with(opened)
        return DonorName(donation.sealed("donor_name"))
    except (SealError, SealedValueUnavailable, ValueError):
        return DonorName(None)


def open_donor_names(
    fund: Fund, donations: Sequence[Donation], *, actor: User, private_key: bytes
) -> dict[int, DonorName]:
    """The donors' names of ``donations`` (of ``fund``), by donation id; records one
    DONOR_NAMES_VIEWED event. Refused when the actor's key does not open the organisation's
    finance records (nothing is recorded then)."""
    require_finance_officer(actor, fund.organisation)
    opened = open_finance_records(fund.organisation, actor=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(
            _("Your key cannot open the organisation's finance records, so no name is shown.")
        )
    names = {}
    for donation in donations:
        if donation.fund_id != fund.pk:
            continue
        if donation.record_id != opened.record_id:
            names[donation.pk] = DonorName(None)
        else:
            names[donation.pk] = _opened_name(donation, opened)
    with transaction.atomic():
        record_event(
            EventType.DONOR_NAMES_VIEWED,
            actor=actor,
            organisation=fund.organisation,
            target=fund,
            detail=f"{len(names)} donations",
        )
    return names
