"""Referral codes: created for a partner team, shown once, stored as an HMAC only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.models import ReferralCode
from safehaven.intake.referrals import (
    ReferralCodeRefused,
    do_create_referral_code,
    find_referral_code,
)

pytestmark = pytest.mark.django_db


def test_it_makes_a_random_code_and_keeps_only_its_hash(world):
    code = do_create_referral_code(world.teams["partner_a"], actor=world.users["admin"])
    assert len(code) == 14
    referral = ReferralCode.objects.get()
    assert code not in referral.code_hash
    assert referral.organisation == world.partner_a
    assert find_referral_code(f"  {code.lower()} ") == referral
    event = AuditEvent.objects.get(event_type=EventType.ORGANISATION_CHANGED)
    assert event.detail == "referral code added"
    assert code not in event.detail


def test_it_refuses_a_code_for_a_team_that_is_no_partner(world):
    with pytest.raises(ReferralCodeRefused):
        do_create_referral_code(world.teams["triage"], actor=None)


def test_it_refuses_a_code_that_exists(world):
    do_create_referral_code(world.teams["partner_a"], actor=None, code="SAME-CODE")
    with pytest.raises(ReferralCodeRefused):
        do_create_referral_code(world.teams["partner_b"], actor=None, code="same-code")


def test_it_creates_a_code_from_the_command(world):
    out = StringIO()
    call_command("create_referral_code", str(world.teams["partner_b"].pk), stdout=out)
    code = out.getvalue().strip().rsplit(" ", 1)[1]
    referral = find_referral_code(code)
    assert referral is not None
    assert referral.organisation == world.partner_b
    with pytest.raises(CommandError):
        call_command("create_referral_code", str(world.teams["triage"].pk), stdout=StringIO())
