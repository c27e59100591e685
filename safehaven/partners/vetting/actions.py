"""Changing a partner organisation's vetting, and suspending it in one move. Each runs in one
transaction and writes one audit event, with ids, statuses and counts only."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.actions import end_all_sessions
from safehaven.accounts.models import (
    Organisation,
    OrganisationKind,
    SuspensionReason,
    Team,
    User,
)
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.intake.models import ReferralCode
from safehaven.keys.actions.teams import renew_team_key, retire_team_key
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.teams import hold_team_keys
from safehaven.partners.api.tokens import do_revoke_all_api_tokens
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import PartnerVetting
from safehaven.partners.vetting.queries import (
    SuspensionSummary,
    member_ids,
    members_only_there,
    pending_invites,
)

# What the vetting form may set: suspension is its own action, with its own page.
CHANGEABLE_STATUSES = (VettingStatus.PENDING, VettingStatus.VETTED)


class VettingRefused(Exception):
    """The change cannot be made; the message says why in words an administrator understands."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked_vetting(organisation: Organisation) -> PartnerVetting:
    """The organisation's vetting row, made if missing, locked until the transaction ends: two
    administrators acting at once are taken one after the other."""
    if organisation.kind != OrganisationKind.PARTNER:
        raise VettingRefused(_("Only partner organisations are vetted."))
    PartnerVetting.objects.get_or_create(organisation=organisation)
    return PartnerVetting.objects.select_for_update().get(organisation=organisation)


def do_change_partner_vetting(
    organisation: Organisation,
    *,
    status: VettingStatus,
    notes: str,
    review_on: date | None,
    actor: User,
) -> PartnerVetting:
    """Set a partner's vetting status (pending or vetted), notes and review date."""
    status = VettingStatus(status)
    if status not in CHANGEABLE_STATUSES:
        raise VettingRefused(_("Suspend a partner organisation from its suspension page."))
    with transaction.atomic():
        vetting = _locked_vetting(organisation)
        if vetting.is_suspended:
            raise VettingRefused(
                _(
                    "This partner organisation is suspended. Reinstate it first; its vetting "
                    "then starts again as pending."
                )
            )
        before = vetting.status
        vetting.status = status
        vetting.notes = notes
        vetting.review_on = review_on
        vetting.changed_at = this_hour()
        vetting.changed_by = actor
        vetting.save()
        record_event(
            EventType.PARTNER_VETTING_CHANGED,
            actor=actor,
            organisation=organisation,
            target=organisation,
            detail=f"{before} -> {status}",
        )
    return vetting


def do_suspend_partner(organisation: Organisation, *, actor: User) -> SuspensionSummary:
    """Cut a partner organisation off at once: its API tokens, referral codes and pending
    invitations are revoked; the accounts of members who belong nowhere else are suspended
    and every member's sessions end; its teams' keys are retired, their wraps to members and
    every record's wrap to its teams deleted. Its referrals stay with the organisation (triage
    and escrow keep their wraps). What its members already read cannot be taken back."""
    with transaction.atomic():
        # First, as every change of the active keys does (keys.teams.hold_team_keys): then
        # no request is stored halfway through, and no lock is taken here before it.
        hold_team_keys()
        vetting = _locked_vetting(organisation)
        if vetting.is_suspended:
            raise VettingRefused(_("This partner organisation is already suspended."))
        now = timezone.now()
        vetting.status = VettingStatus.SUSPENDED
        vetting.suspended_at = now
        vetting.changed_at = this_hour()
        vetting.changed_by = actor
        vetting.save()
        tokens = do_revoke_all_api_tokens(organisation, actor=actor)
        codes = ReferralCode.objects.filter(
            organisation=organisation, revoked_at__isnull=True
        ).update(revoked_at=now)
        invites = pending_invites(organisation).update(revoked_at=now)
        suspended = 0
        for member in members_only_there(organisation).filter(suspended_at__isnull=True):
            member.suspend(SuspensionReason.SECURITY_CONCERN)
            member.save(update_fields=["suspended_at", "suspension_reason", "is_active"])
            suspended += 1
        sessions = sum(
            end_all_sessions(member)
            for member in User.objects.filter(pk__in=member_ids(organisation))
        )
        member_wraps = record_wraps = 0
        for team in Team.objects.filter(organisation=organisation).order_by("pk"):
            retired = retire_team_key(team)
            member_wraps += retired.member_wraps
            record_wraps += retired.record_wraps
        summary = SuspensionSummary(
            api_tokens=tokens,
            referral_codes=codes,
            invites=invites,
            members_suspended=suspended,
            sessions_ended=sessions,
            team_key_wraps=member_wraps,
            record_wraps=record_wraps,
        )
        record_event(
            EventType.PARTNER_SUSPENDED,
            actor=actor,
            organisation=organisation,
            target=organisation,
            detail=summary.as_detail(),
        )
    return summary


def do_reinstate_partner(organisation: Organisation, *, actor: User) -> PartnerVetting:
    """Lift a suspension: vetting starts again as pending and each team gets a new key version
    (escrow only). Nothing cut comes back by itself: members stay suspended until an
    administrator reinstates each one and two administrators give them the new team key from
    escrow; new tokens and codes are made again; the referrals made before stay out of the
    partner's reach (their wraps to the old key are gone)."""
    with transaction.atomic():
        vetting = _locked_vetting(organisation)
        if not vetting.is_suspended:
            raise VettingRefused(_("This partner organisation is not suspended."))
        vetting.status = VettingStatus.PENDING
        vetting.suspended_at = None
        vetting.changed_at = this_hour()
        vetting.changed_by = actor
        vetting.save()
        try:
            for team in Team.objects.filter(organisation=organisation).order_by("pk"):
                renew_team_key(team)
        except KeyActionRefused as refusal:
            raise VettingRefused(str(refusal)) from refusal
        record_event(
            EventType.PARTNER_VETTING_CHANGED,
            actor=actor,
            organisation=organisation,
            target=organisation,
            detail=f"{VettingStatus.SUSPENDED} -> {VettingStatus.PENDING}",
        )
    return vetting
