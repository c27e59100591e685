"""Verifying a case: record checklist items, ask for approval, and a second person's approval
or refusal (the evidence files it counts on: ``cases.evidence``). Everything written
is sealed in the case's casework compartment, opened with the actor's own key.

The two-person rule (docs/architecture.md, "a two-person approval"): the first person only
asks (a pending ``VerificationApproval``); a supervisor who is not that person decides from
their own re-authenticated session (the view checks it), and approval moves the case to
VERIFIED in the same transaction. Nobody types another person's password.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.cases.choices import (
    ApprovalDecision,
    CaseState,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.compartments import open_casework, refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import (
    Case,
    VerificationApproval,
    VerificationItem,
)
from safehaven.cases.verification.checklist import (
    METHODS_FOR_ITEM,
    PARTNER_METHODS,
    approval_opens,
    missing_items,
    pending_approval,
)
from safehaven.cases.workflow.actions import apply_case_move
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.keys.opened import OpenedRecord


def _check_item(
    item: VerificationItemKind,
    status: VerificationStatus,
    method: VerificationMethod | None,
    partner: Organisation | None,
) -> None:
    if status != VerificationStatus.NOT_CHECKED and method is None:
        raise CaseActionRefused(_("Say how it was checked."))
    if method is not None and method not in METHODS_FOR_ITEM[item]:
        raise CaseActionRefused(
            _("Identity as LGBTQ+ is attested by a partner or in an interview, not by a document.")
        )
    needs_partner = method in PARTNER_METHODS
    if needs_partner and partner is None:
        raise CaseActionRefused(_("Name the partner organisation that attested it."))
    if not needs_partner and partner is not None:
        raise CaseActionRefused(
            _("A partner organisation is named only when a partner attested or co-verified it.")
        )
    if partner is not None and partner.kind != OrganisationKind.PARTNER:
        raise CaseActionRefused(_("Only a partner organisation can attest a check."))


def do_record_verification_item(
    case: Case,
    *,
    item: VerificationItemKind,
    status: VerificationStatus,
    method: VerificationMethod | None,
    partner: Organisation | None,
    note: str,
    actor: User,
    private_key: bytes,
) -> VerificationItem:
    """Record where one checklist item stands, with a sealed note. Raises CaseActionRefused."""
    item, status = VerificationItemKind(item), VerificationStatus(status)
    method = VerificationMethod(method) if method else None
    refuse_if_closed(case)
    _check_item(item, status, method, partner)
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        row = VerificationItem(
            record_id=opened.record_id,
            case=case,
            item=item,
            status=status,
            method=method or "",
            partner=partner,
            actor=actor,
            at=this_hour(),
        )
        # Always sealed ("" when nothing was typed): a row without its seal is forged.
        row.open_with(opened).seal("note", note or "")
        row.save()
        record_event(
            EventType.VERIFICATION_CHECKED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"{item.value}: {status.value}",
        )
    return row


def do_request_verification(case: Case, *, actor: User, private_key: bytes) -> VerificationApproval:
    """Ask a second person to approve the case as verified: the case is in verification and
    every checklist item is confirmed. Raises CaseActionRefused naming what is missing."""
    if case.state != CaseState.VERIFICATION:
        raise CaseActionRefused(
            _("Only a case in verification can be sent for approval; this one is in “%(state)s”.")
            % {"state": case.get_state_display()}
        )
    opened = open_casework(case, actor=actor, private_key=private_key)
    missing = missing_items(case, opened)
    if missing:
        raise CaseActionRefused(
            _("Every check must be confirmed first. Still to confirm: %(items)s.")
            % {"items": ", ".join(str(kind.label) for kind in missing)}
        )
    if pending_approval(case) is not None:
        raise CaseActionRefused(_("Approval has already been asked for."))
    try:
        with transaction.atomic():
            approval = VerificationApproval(
                record_id=opened.record_id, case=case, requested_by=actor, requested_at=this_hour()
            )
            # Sealed empty now, bound to who asked and the hour: the decider opens it first.
            approval.open_with(opened).seal("note", "")
            approval.save()
            record_event(
                EventType.VERIFICATION_REQUESTED,
                actor=actor,
                organisation=case.organisation,
                target=case,
            )
    except IntegrityError:  # asked twice at the same moment
        raise CaseActionRefused(_("Approval has already been asked for.")) from None
    return approval


def _check_decider(approval: VerificationApproval, actor: User) -> None:
    if not has_perm_in(actor, Perm.APPROVE_VERIFICATION, approval.case.organisation):
        raise CaseActionRefused(
            _("Only a supervisor of the case's organisation can decide on a verification.")
        )
    if approval.requested_by_id == actor.pk:
        raise CaseActionRefused(
            _("A second person must decide: you asked for this approval yourself.")
        )


def _decide(
    approval: VerificationApproval,
    decision: ApprovalDecision,
    *,
    actor: User,
    private_key: bytes,
    note: str,
) -> tuple[VerificationApproval, Case, OpenedRecord]:
    """Lock the pending approval and record the decision (inside the caller's transaction)."""
    _check_decider(approval, actor)
    locked = (
        VerificationApproval.objects.select_for_update()
        .select_related("case", "case__organisation")
        .get(pk=approval.pk)
    )
    if locked.decision != ApprovalDecision.PENDING:
        raise CaseActionRefused(_("This approval has already been decided."))
    case = Case.objects.select_for_update().select_related("organisation").get(pk=locked.case_id)
    opened = open_casework(case, actor=actor, private_key=private_key)
    if not approval_opens(locked, opened):
        # Inserted in the database, or who asked (or when) rewritten there: the two-person
        # rule cannot be checked on it.
        raise CaseActionRefused(
            _(
                "This request for approval does not match its seal: it cannot be trusted. "
                "Tell your administrators."
            )
        )
    locked.decision = decision
    locked.decided_by = actor
    locked.decided_at = this_hour()
    locked.open_with(opened).seal("note", note)
    locked.save()
    return locked, case, opened


def do_approve_verification(
    approval: VerificationApproval, *, actor: User, private_key: bytes, note: str
) -> Case:
    """A second person approves: the case moves to VERIFIED in the same transaction."""
    with transaction.atomic():
        decided, case, opened = _decide(
            approval, ApprovalDecision.APPROVED, actor=actor, private_key=private_key, note=note
        )
        if case.state != CaseState.VERIFICATION:
            raise CaseActionRefused(_("The case is no longer in verification."))
        missing = missing_items(case, opened)
        if missing:
            raise CaseActionRefused(
                _("A check is no longer confirmed: %(items)s.")
                % {"items": ", ".join(str(kind.label) for kind in missing)}
            )
        apply_case_move(
            case,
            to_state=CaseState.VERIFIED,
            reason=note or _("Verification approved by a second person."),
            actor=actor,
            opened=opened,
        )
        record_event(
            EventType.VERIFICATION_APPROVED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"asked by user #{decided.requested_by_id}",
        )
    return case


def do_refuse_verification(
    approval: VerificationApproval, *, actor: User, private_key: bytes, note: str
) -> VerificationApproval:
    """A second person refuses, saying why: the case stays in verification."""
    if not note.strip():
        raise CaseActionRefused(_("Say why, so the checks can be done again."))
    with transaction.atomic():
        decided, case, _opened = _decide(
            approval, ApprovalDecision.REFUSED, actor=actor, private_key=private_key, note=note
        )
        record_event(
            EventType.VERIFICATION_REFUSED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"asked by user #{decided.requested_by_id}",
        )
    return decided
