"""Where a case's verification stands: the newest check of each checklist item, and what is
still missing before a second person can be asked to approve. What decides (``missing_items``)
counts a check only if its note's seal opens with the case's casework: a row inserted or
changed in the database (no seal, or one bound to other clear fields) is forged, and the item
it stands for is still to confirm."""

from __future__ import annotations

from safehaven.cases.choices import (
    ApprovalDecision,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.models import Case, VerificationApproval, VerificationItem
from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord

# How each item may be confirmed: identity as LGBTQ+ is attested by a partner or by an
# interview, never by a document (DOMAIN.md, "Verification").
METHODS_FOR_ITEM: dict[VerificationItemKind, frozenset[VerificationMethod]] = {
    VerificationItemKind.IDENTITY: frozenset(VerificationMethod),
    VerificationItemKind.RISK: frozenset(VerificationMethod),
    VerificationItemKind.LGBTQ_IDENTITY: frozenset(
        {
            VerificationMethod.INTERVIEW,
            VerificationMethod.PARTNER_ATTESTED,
            VerificationMethod.CO_VERIFIED,
        }
    ),
}
type SealedItemRow = VerificationItem | VerificationApproval

PARTNER_METHODS = frozenset({VerificationMethod.PARTNER_ATTESTED, VerificationMethod.CO_VERIFIED})


def latest_items(case: Case) -> dict[VerificationItemKind, VerificationItem | None]:
    """The newest recorded check of each item (None: never recorded), in checklist order."""
    latest: dict[VerificationItemKind, VerificationItem | None] = dict.fromkeys(
        VerificationItemKind
    )
    for row in VerificationItem.objects.filter(case=case).select_related("partner", "actor"):
        latest[VerificationItemKind(row.item)] = row  # rows come oldest first
    return latest


def seal_opens(row: SealedItemRow, opened: OpenedRecord, name: str = "note") -> bool:
    """Whether ``row``'s seal opens with ``opened`` (the case's casework) under its binding."""
    try:
        row.open_with(opened).sealed(name)
    except (SealError, SealedValueUnavailable):
        return False
    return True


def missing_items(case: Case, opened: OpenedRecord) -> list[VerificationItemKind]:
    """The items not (or no longer) recorded as confirmed. The newest row of an item is where
    it stands; if its seal does not open (forged), the item is not confirmed."""
    return [
        kind
        for kind, row in latest_items(case).items()
        if row is None or row.status != VerificationStatus.CONFIRMED or not seal_opens(row, opened)
    ]


def approval_opens(approval: VerificationApproval, opened: OpenedRecord) -> bool:
    """Whether an approval row is the application's: asked by someone, its seal (bound to who
    asked, who decided, the decision and the hours) opening with the case's casework."""
    return approval.requested_by_id is not None and seal_opens(approval, opened)


def is_approved(case: Case, opened: OpenedRecord) -> bool:
    """Whether a second person approved the case's verification, by a row whose seal opens."""
    approved = VerificationApproval.objects.filter(case=case, decision=ApprovalDecision.APPROVED)
    return any(approval_opens(row, opened) for row in approved)


def pending_approval(case: Case) -> VerificationApproval | None:
    return (
        VerificationApproval.objects.filter(case=case, decision=ApprovalDecision.PENDING)
        .select_related("requested_by")
        .first()
    )
