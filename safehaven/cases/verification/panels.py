"""The verification panel of the case page: the checklist, the evidence and the approval,
opened with the viewer's own key; nothing for a viewer whose key does not open casework."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.cases.choices import ApprovalDecision, CaseState
from safehaven.cases.models import Case, EvidenceFile, VerificationApproval
from safehaven.cases.panels import casework_viewer
from safehaven.cases.verification.checklist import (
    approval_opens,
    latest_items,
    missing_items,
    pending_approval,
)
from safehaven.cases.verification.forms import DecisionForm, EvidenceForm, VerificationItemForm
from safehaven.core.crypto import SealError
from safehaven.intake.models import RequestAttachment
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord


@dataclass(frozen=True)
class Opened:
    """A row and its opened sealed text; ``forged`` when its seal does not match (written or
    moved outside the application), and the text is then hidden."""

    row: Any
    text: str
    forged: bool = False


def _opened(row: Any, opened: OpenedRecord, name: str) -> Opened:
    try:
        return Opened(row, row.open_with(opened).sealed(name) or "")
    except (SealError, SealedValueUnavailable):
        return Opened(row, "", forged=True)


def verification_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    """The case page's verification panel, for a viewer whose key opens casework."""
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    user, opened = viewer.user, viewer.casework
    pending = pending_approval(case)
    # A pending request inserted or changed in the database: shown as such, never decided on.
    pending_forged = pending is not None and not approval_opens(pending, opened)
    items = [
        (kind, None if row is None else _opened(row, opened, "note"))
        for kind, row in latest_items(case).items()
    ]
    evidence = [
        _opened(row, opened, "description")
        for row in EvidenceFile.objects.filter(case=case)
        .select_related("added_by")
        .defer("content", "content_type")
    ]
    decided = [
        _opened(row, opened, "note")
        for row in VerificationApproval.objects.filter(case=case)
        .exclude(decision=ApprovalDecision.PENDING)
        .select_related("requested_by", "decided_by")
    ]
    return {
        "verification": {
            "case": case,
            "checklist": items,
            "missing": missing_items(case, opened),
            "evidence": evidence,
            "person_photos": RequestAttachment.objects.filter(
                help_request__case_person__case=case
            ).only("item_id", "kind", "created_at"),
            "pending": pending,
            "pending_forged": pending_forged,
            "decided": decided,
            "can_ask": case.state == CaseState.VERIFICATION and pending is None,
            "can_decide": pending is not None
            and not pending_forged
            and pending.requested_by_id != user.pk
            and has_perm_in(user, Perm.APPROVE_VERIFICATION, case.organisation),
            "item_form": VerificationItemForm(),
            "evidence_form": EvidenceForm(),
            "decision_form": DecisionForm(),
        }
    }
