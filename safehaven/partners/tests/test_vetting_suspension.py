"""Suspending a partner organisation: one action, one audit event, and everything cut at once
(tokens, referral codes, invitations, accounts, sessions, key wraps, the team key); partner B
untouched; a second suspension refused."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession

from safehaven.accounts.access import Perm, has_perm_in, roles_of
from safehaven.accounts.actions import do_remove_membership, do_suspend_user
from safehaven.accounts.models import Invite, Membership, Role, SuspensionReason, User
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.access import partner_organisation_ids
from safehaven.intake.models import ReferralCode
from safehaven.intake.tests.helpers import (
    latest_request,
    opened_record,
    staff_client_with_keys,
    submit_request,
)
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, TeamKey, TeamKeyWrap
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import ApiToken, PartnerVetting
from safehaven.partners.tests.vetting_helpers import equip_partner, events_of, is_logged_out
from safehaven.partners.vetting.actions import VettingRefused, do_suspend_partner
from safehaven.partners.vetting.queries import is_suspended, suspension_preview


@pytest.fixture
def equipped(world):
    """Both partners with a token, a code, a waiting invitation, a logged-in member and a
    referral that came with their code."""
    tokens, referrals = {}, {}
    for name, code in [("partner_a", "ALPHA-CODE-1"), ("partner_b", "BRAVO-CODE-1")]:
        tokens[name], _code = equip_partner(world, name, code=code)
        submit_request(referral_code=code)
        referrals[name] = latest_request()
    clients = {name: staff_client_with_keys(world, name) for name in ("partner_a", "partner_b")}
    return world, tokens, referrals, clients


@pytest.mark.django_db
def test_it_cuts_tokens_codes_invitations_sessions_and_keys_at_once(equipped):
    world, tokens, referrals, clients = equipped
    team_a, team_b = world.teams["partner_a"], world.teams["partner_b"]
    preview = suspension_preview(world.partner_a)
    events_before = AuditEvent.objects.count()

    summary = do_suspend_partner(world.partner_a, actor=world.users["admin"])

    assert summary == preview
    assert summary.api_tokens == 1
    assert summary.referral_codes == 1
    assert summary.invites == 1
    assert summary.members_suspended == 1
    assert summary.sessions_ended >= 1
    assert summary.team_key_wraps == 1
    # The referral's record and its thread's were shared with the team.
    assert summary.record_wraps >= 2
    # One audit event, with counts and no name.
    assert AuditEvent.objects.count() == events_before + 1
    (event,) = events_of(EventType.PARTNER_SUSPENDED)
    assert event.target_ref == str(world.partner_a.pk)
    assert "tokens=1" in event.detail
    assert "members=1" in event.detail
    assert world.partner_a.name not in event.detail
    assert "partner_a" not in event.detail

    vetting = PartnerVetting.objects.get(organisation=world.partner_a)
    assert vetting.status == VettingStatus.SUSPENDED
    assert vetting.suspended_at is not None
    assert is_suspended(world.partner_a)
    assert not is_suspended(world.partner_b)
    assert ApiToken.objects.get(pk=tokens["partner_a"].pk).revoked_at is not None
    assert not ReferralCode.objects.filter(organisation=world.partner_a, revoked_at=None).exists()
    assert not Invite.objects.filter(organisation=world.partner_a, revoked_at=None).exists()

    member = User.objects.get(pk=world.users["partner_a"].pk)
    assert member.is_suspended
    assert not member.is_active
    assert member.suspension_reason == SuspensionReason.SECURITY_CONCERN
    assert roles_of(member) == frozenset()
    assert not UserSession.objects.filter(user=member).exists()
    assert is_logged_out(clients["partner_a"])

    assert not TeamKey.objects.filter(team=team_a, active=True).exists()
    assert not TeamKeyWrap.objects.filter(team_key__team=team_a, user__isnull=False).exists()
    assert not RecordKeyWrap.objects.filter(kind=RecordWrapKind.TEAM, team=team_a).exists()
    # The referral stays with the organisation: triage still opens it.
    assert opened_record(referrals["partner_a"], "triage").record_id == (
        referrals["partner_a"].record_id
    )

    # Partner B is untouched.
    assert ApiToken.objects.get(pk=tokens["partner_b"].pk).revoked_at is None
    assert ReferralCode.objects.filter(organisation=world.partner_b, revoked_at=None).count() == 1
    assert Invite.objects.filter(organisation=world.partner_b, revoked_at=None).count() == 1
    assert User.objects.get(pk=world.users["partner_b"].pk).is_active
    assert TeamKey.objects.filter(team=team_b, active=True).exists()
    assert TeamKeyWrap.objects.filter(team_key__team=team_b, user=world.users["partner_b"]).exists()
    assert RecordKeyWrap.objects.filter(kind=RecordWrapKind.TEAM, team=team_b).exists()
    assert opened_record(referrals["partner_b"], "partner_b").record_id == (
        referrals["partner_b"].record_id
    )
    assert not is_logged_out(clients["partner_b"])


@pytest.mark.django_db
def test_it_refuses_to_suspend_twice(world):
    do_suspend_partner(world.partner_a, actor=world.users["admin"])
    events = AuditEvent.objects.count()
    with pytest.raises(VettingRefused, match="already suspended"):
        do_suspend_partner(world.partner_a, actor=world.users["admin2"])
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_it_refuses_a_relocating_organisation(world):
    with pytest.raises(VettingRefused):
        do_suspend_partner(world.organisation, actor=world.users["admin"])
    assert not PartnerVetting.objects.exists()


@pytest.mark.django_db
def test_it_keeps_the_account_of_a_member_who_belongs_elsewhere_but_grants_nothing_here(world):
    """Someone in partner A and in the relocating organisation's triage keeps their account;
    their partner role grants nothing, and their sessions end."""
    member = world.users["triage"]
    Membership.objects.create(
        user=member, organisation=world.partner_a, team=world.teams["partner_a"], role=Role.PARTNER
    )
    client = staff_client_with_keys(world, "triage")
    assert has_perm_in(member, Perm.VIEW_REFERRALS, world.partner_a)

    summary = do_suspend_partner(world.partner_a, actor=world.users["admin"])

    member = User.objects.get(pk=member.pk)
    assert summary.members_suspended == 1  # partner_a only
    assert member.is_active
    assert not member.is_suspended
    assert roles_of(member) == frozenset({Role.TRIAGE.value})
    assert not has_perm_in(member, Perm.VIEW_REFERRALS, world.partner_a)
    assert partner_organisation_ids(member) == []
    assert is_logged_out(client)
    # Their triage membership, in an organisation with no vetting row, still grants.
    assert has_perm_in(member, Perm.TRIAGE_REQUESTS, world.organisation)


@pytest.mark.django_db
def test_a_suspended_partners_memberships_can_still_be_removed_and_members_suspended(world):
    """Its team's key is retired: removing a member or suspending one who belongs elsewhere
    too has no key left to rotate there, and must not fail for it."""
    member = world.users["triage"]
    Membership.objects.create(
        user=member, organisation=world.partner_a, team=world.teams["partner_a"], role=Role.PARTNER
    )
    do_suspend_partner(world.partner_a, actor=world.users["admin"])

    do_suspend_user(user=member, reason=SuspensionReason.LEFT, actor=world.users["admin"])
    membership = Membership.objects.get(user=world.users["partner_a"])
    do_remove_membership(membership=membership, actor=world.users["admin"])

    assert User.objects.get(pk=member.pk).is_suspended
    assert not Membership.objects.filter(user=world.users["partner_a"]).exists()
    # The triage team's key was rotated for the suspended triage member, as ever.
    assert TeamKey.objects.filter(team=world.teams["triage"]).count() == 2
    assert not TeamKey.objects.filter(team=world.teams["partner_a"], active=True).exists()
