"""Who may not refer: an organisation that is not a partner, a suspended partner (even when
the suspension lands while the referral is being sealed), a member or token of another
partner, a partner team without a key, and any referral while the key layer is not ready."""

import pytest

from safehaven.accounts.models import (
    Organisation,
    OrganisationKind,
    SuspensionReason,
    Team,
    TeamKind,
)
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission.recipients import forget_keys
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import PartnerVetting
from safehaven.partners.referrals import actions
from safehaven.partners.referrals.actions import (
    KEYS_NOT_READY,
    NO_TEAM_KEY,
    NOT_A_PARTNER,
    NOT_YOURS,
    SUSPENDED,
    ReferralRefused,
    do_import_referrals,
    do_refer_person,
)
from safehaven.partners.tests.referral_helpers import (
    csv_text,
    refer,
    referral_data,
    referral_draft,
)
from safehaven.partners.tests.test_referral_storing import api_token

pytestmark = pytest.mark.django_db


def suspend(organisation: Organisation) -> None:
    PartnerVetting.objects.update_or_create(
        organisation=organisation, defaults={"status": VettingStatus.SUSPENDED}
    )


def refused(make) -> str:
    with pytest.raises(ReferralRefused) as refusal:
        make()
    assert not HelpRequest.objects.exists()
    assert not AuditEvent.objects.filter(event_type__startswith="partners.referral").exists()
    return str(refusal.value.message)


def test_it_refuses_an_organisation_that_is_not_a_partner(world):
    message = refused(
        lambda: do_refer_person(
            referral_draft(),
            organisation=world.organisation,
            channel=RequestChannel.PORTAL,
            actor=world.users["triage"],
        )
    )
    assert message == str(NOT_A_PARTNER)


def test_it_refuses_a_suspended_partner_one_by_one_and_by_file(world):
    suspend(world.partner_a)
    assert refused(lambda: refer(world)) == str(SUSPENDED)
    batch = csv_text([referral_data()])
    message = refused(
        lambda: do_import_referrals(
            batch,
            organisation=world.partner_a,
            channel=RequestChannel.IMPORT,
            actor=world.users["partner_a"],
        )
    )
    assert message == str(SUSPENDED)
    assert refer(world, "partner_b").referred_by == world.partner_b  # B is not touched


def test_it_refuses_when_the_suspension_lands_while_the_referral_is_sealed(world, monkeypatch):
    real = actions.seal_new_request

    def seal_then_suspend(*args, **kwargs):
        sealed = real(*args, **kwargs)
        suspend(world.partner_a)
        return sealed

    monkeypatch.setattr(actions, "seal_new_request", seal_then_suspend)
    assert refused(lambda: refer(world)) == str(SUSPENDED)


def test_it_refuses_a_member_of_partner_b_referring_for_partner_a(world):
    message = refused(
        lambda: do_refer_person(
            referral_draft(),
            organisation=world.partner_a,
            channel=RequestChannel.PORTAL,
            actor=world.users["partner_b"],
        )
    )
    assert message == str(NOT_YOURS)


def test_it_refuses_a_token_of_partner_b_for_partner_a(world):
    token = api_token(world, "partner_b")
    message = refused(
        lambda: do_refer_person(
            referral_draft(), organisation=world.partner_a, channel=RequestChannel.API, token=token
        )
    )
    assert message == str(NOT_YOURS)


def test_it_refuses_a_partner_whose_team_has_no_key(world):
    keyless = Organisation.objects.create(name="New partner", kind=OrganisationKind.PARTNER)
    Team.objects.create(organisation=keyless, name="Referrals", kind=TeamKind.PARTNER)
    token = api_token(world)
    token.organisation, token.team = keyless, Team.objects.get(organisation=keyless)
    token.save()
    message = refused(
        lambda: do_refer_person(
            referral_draft(), organisation=keyless, channel=RequestChannel.API, token=token
        )
    )
    assert message == str(NO_TEAM_KEY)


def test_it_refuses_every_referral_while_the_key_layer_is_not_ready(world, monkeypatch):
    def no_escrow(_referral):
        raise KeyActionRefused("There is no escrow key yet: run `manage.py init_keys` first.")

    monkeypatch.setattr(actions, "recipients", no_escrow)
    forget_keys()
    assert refused(lambda: refer(world)) == str(KEYS_NOT_READY)


def test_it_refuses_a_member_suspended_since_they_logged_in(world):
    member = world.users["partner_a"]
    member.suspend(SuspensionReason.SECURITY_CONCERN)
    member.save()
    assert refused(lambda: refer(world)) == str(NOT_YOURS)
