"""Open the payee details and references of a grant's payments: finance officers only, with
their own key (the finance team's wrap of the case's payments, or of the organisation's
finance records for a partner grant), each opening audited (``PAYEE_DETAILS_VIEWED``, ids and
a count only). A row that does not match its seal is shown as such, never as a payee."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.finance.disbursements.sealing import PayeeDetails, payee_from_json
from safehaven.finance.models import Disbursement, Grant
from safehaven.finance.records import open_grant_payments
from safehaven.finance.rules import checked_grant, require_finance_officer
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord


@dataclass(frozen=True, repr=False)
class OpenedPayee:
    row: Disbursement
    payee: PayeeDetails | None  # None: the row does not match its seal (forged)
    reference: str

    @property
    def forged(self) -> bool:
        return self.payee is None

    def __repr__(self) -> str:
        return f"OpenedPayee(#{self.row.pk}, forged={self.forged})"


def _open(row: Disbursement, opened: OpenedRecord) -> OpenedPayee:
    try:
        row.open_with(opened)
        payee = payee_from_json(row.sealed("payee") or "")
        reference = row.sealed("reference") or ""
    except (SealError, SealedValueUnavailable, ValueError):
        return OpenedPayee(row, None, "")
    return OpenedPayee(row, payee, reference)


def do_open_payee_details(
    grant: Grant, *, actor: User, private_key: bytes
) -> list[OpenedPayee] | None:
    """The grant's payments with their payees, oldest first; None when the actor's key cannot
    open where they are sealed. Audited when something was opened. Refused for a grant that
    does not carry its tag: a database writer could have pointed it at another case."""
    require_finance_officer(actor, grant.fund.organisation)
    checked_grant(grant)
    rows = list(
        Disbursement.objects.filter(grant=grant)
        .select_related("grant", "recorded_by")
        .order_by("paid_on", "pk")
    )
    if not rows:
        return []
    opened = open_grant_payments(grant, actor=actor, private_key=private_key)
    if opened is None:
        return None
    with transaction.atomic():
        payees = [_open(row, opened) for row in rows]
        record_event(
            EventType.PAYEE_DETAILS_VIEWED,
            actor=actor,
            organisation=grant.fund.organisation,
            target=grant,
            detail=f"{len(rows)} payments",
        )
    return payees
