"""Requesting, approving and refusing a change that needs two administrators.

The requester's request changes nothing; the approval, given in the second administrator's
own re-authenticated session, runs the real action in the same transaction. No page ever asks
for another person's password (SECURITY.md, "Staff login").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.actions import ActionRefused, check_role_fits, do_add_membership
from safehaven.accounts.models import (
    AdminApproval,
    ApprovalKind,
    ApprovalState,
    Membership,
    Organisation,
    Role,
    Scope,
    Team,
    User,
)
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.keys.actions.duress import do_restore_after_duress
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import UserKeyPair

APPROVAL_VALID_FOR = timedelta(hours=24)


def is_usable_administrator(user: User, *, since: datetime | None = None) -> bool:
    """Active, not suspended, an administrator (already at ``since``, when given), and not in
    a duress login (which suspends the key pair until two administrators restore it)."""
    admin_roles = Membership.objects.filter(user=user, role=Role.ADMIN)
    if since is not None:
        admin_roles = admin_roles.filter(created_at__lte=since)
    return (
        user.is_active
        and not user.is_suspended
        and admin_roles.exists()
        and not UserKeyPair.objects.filter(user=user, suspended_at__isnull=False).exists()
    )


def do_request_role_grant(
    *,
    user: User,
    organisation: Organisation,
    role: Role,
    scope: Scope,
    team: Team | None,
    actor: User,
) -> AdminApproval:
    check_role_fits(organisation=organisation, role=role, team=team)
    if not is_usable_administrator(actor):
        raise ActionRefused(_("Only an active administrator can ask for this."))
    if Membership.objects.filter(
        user=user, organisation=organisation, team=team, role=role
    ).exists():
        raise ActionRefused(_("This person already holds that role."))
    with transaction.atomic():
        approval = AdminApproval.objects.create(
            kind=ApprovalKind.GRANT_ROLE,
            subject=user,
            organisation=organisation,
            team=team,
            role=role,
            scope=scope,
            requested_by=actor,
            expires_at=timezone.now() + APPROVAL_VALID_FOR,
        )
        record_event(
            EventType.APPROVAL_REQUESTED,
            actor=actor,
            organisation=organisation,
            target=approval,
            detail=f"grant role={role} team=#{team.pk if team else '-'} to user #{user.pk}",
        )
    return approval


def do_request_restore_after_duress(*, user: User, actor: User) -> AdminApproval:
    if user.pk == actor.pk:
        raise ActionRefused(_("The person whose keys were suspended cannot restore them."))
    if not is_usable_administrator(actor):
        raise ActionRefused(_("Only an active administrator can ask for this."))
    if not UserKeyPair.objects.filter(user=user, suspended_at__isnull=False).exists():
        raise ActionRefused(_("This person's keys are not suspended."))
    with transaction.atomic():
        approval = AdminApproval.objects.create(
            kind=ApprovalKind.RESTORE_AFTER_DURESS,
            subject=user,
            requested_by=actor,
            expires_at=timezone.now() + APPROVAL_VALID_FOR,
        )
        record_event(
            EventType.APPROVAL_REQUESTED,
            actor=actor,
            target=approval,
            detail=f"restore keys of user #{user.pk}",
        )
    return approval


def check_can_decide(approval: AdminApproval, actor: User) -> None:
    if approval.state != ApprovalState.PENDING:
        raise ActionRefused(_("This request was already approved or refused."))
    if timezone.now() >= approval.expires_at:
        raise ActionRefused(_("This request has expired. Ask again."))
    if approval.subject_id == actor.pk:
        raise ActionRefused(_("A change about you must be approved by someone else."))
    # An administrator appointed after the request (perhaps by its requester) does not count.
    if not is_usable_administrator(actor, since=approval.requested_at):
        raise ActionRefused(
            _(
                "Only an active administrator, who already was one when this was asked "
                "for, can approve or refuse it."
            )
        )


def do_approve_change(*, approval: AdminApproval, actor: User) -> None:
    """The second administrator's approval: runs the requested change, now, as them."""
    with transaction.atomic():
        approval = AdminApproval.objects.select_for_update().get(pk=approval.pk)
        check_can_decide(approval, actor)
        if approval.requested_by_id == actor.pk:
            raise ActionRefused(_("A second administrator must approve what you asked for."))
        requester = approval.requested_by
        if not is_usable_administrator(requester):
            raise ActionRefused(
                _("The administrator who asked for this is no longer active. Ask again.")
            )
        _mark_decided(approval, ApprovalState.APPROVED, actor)
        record_event(
            EventType.APPROVAL_GIVEN,
            actor=actor,
            organisation=approval.organisation,
            target=approval,
            detail=f"{approval.kind} asked by #{requester.pk} approved by #{actor.pk}",
        )
        run_approved_change(approval, requester=requester, approver=actor)


def run_approved_change(approval: AdminApproval, *, requester: User, approver: User) -> None:
    if approval.kind == ApprovalKind.GRANT_ROLE and approval.organisation is not None:
        do_add_membership(
            user=approval.subject,
            organisation=approval.organisation,
            team=approval.team,
            role=Role(approval.role),
            scope=Scope(approval.scope),
            actor=approver,
            approval=approval,
        )
    elif approval.kind == ApprovalKind.RESTORE_AFTER_DURESS:
        try:
            do_restore_after_duress(
                approval.subject, admin_a=requester, admin_b=approver, actor=approver
            )
        except KeyActionRefused as refusal:
            raise ActionRefused(str(refusal)) from refusal
    else:
        raise ActionRefused(_("This kind of request is not known."))


def do_refuse_change(*, approval: AdminApproval, actor: User) -> None:
    """Any other administrator refuses; the requester may withdraw their own request."""
    with transaction.atomic():
        approval = AdminApproval.objects.select_for_update().get(pk=approval.pk)
        check_can_decide(approval, actor)
        _mark_decided(approval, ApprovalState.REFUSED, actor)
        record_event(
            EventType.APPROVAL_REFUSED,
            actor=actor,
            organisation=approval.organisation,
            target=approval,
            detail=f"{approval.kind} asked by #{approval.requested_by_id}",
        )


def _mark_decided(approval: AdminApproval, state: ApprovalState, actor: User) -> None:
    approval.state = state
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.save(update_fields=["state", "decided_by", "decided_at"])
