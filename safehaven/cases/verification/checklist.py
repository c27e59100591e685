"""Where a case's verification stands: the newest check of each checklist item, and what is
still missing before a second person can be asked to approve. Reads clear fields only."""

from __future__ import annotations

from safehaven.cases.choices import (
    ApprovalDecision,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.models import Case, VerificationApproval, VerificationItem

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
PARTNER_METHODS = frozenset({VerificationMethod.PARTNER_ATTESTED, VerificationMethod.CO_VERIFIED})


def latest_items(case: Case) -> dict[VerificationItemKind, VerificationItem | None]:
    """The newest recorded check of each item (None: never recorded), in checklist order."""
    latest: dict[VerificationItemKind, VerificationItem | None] = dict.fromkeys(
        VerificationItemKind
    )
    for row in VerificationItem.objects.filter(case=case).select_related("partner", "actor"):
        latest[VerificationItemKind(row.item)] = row  # rows come oldest first
    return latest


def missing_items(case: Case) -> list[VerificationItemKind]:
    """The items not (or no longer) recorded as confirmed."""
    return [
        kind
        for kind, row in latest_items(case).items()
        if row is None or row.status != VerificationStatus.CONFIRMED
    ]


def pending_approval(case: Case) -> VerificationApproval | None:
    return (
        VerificationApproval.objects.filter(case=case, decision=ApprovalDecision.PENDING)
        .select_related("requested_by")
        .first()
    )
