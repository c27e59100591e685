"""Reinstating a suspended partner wraps its teams' new key version to escrow only: neither a
member one administrator reinstated first, nor one who belongs elsewhere too (never
suspended), gets it; two administrators then give it from escrow."""

from __future__ import annotations

import pytest

from safehaven.accounts.actions import do_reinstate_user
from safehaven.accounts.models import Membership, Role, User
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.actions.teams import do_give_team_key_from_escrow
from safehaven.keys.models import TeamKey, TeamKeyWrap
from safehaven.partners.tests.vetting_helpers import member_private_key, team_keys_opened_by
from safehaven.partners.vetting.actions import do_reinstate_partner, do_suspend_partner

pytestmark = pytest.mark.django_db


def new_version_holders(world) -> list[int | None]:
    active = TeamKey.objects.get(team=world.teams["partner_a"], active=True)
    return list(TeamKeyWrap.objects.filter(team_key=active).values_list("user_id", flat=True))


def test_a_member_reinstated_first_gets_no_wrap_of_the_new_key(world):
    admin = world.users["admin"]
    member = world.users["partner_a"]
    do_suspend_partner(world.partner_a, actor=admin)
    # One administrator: the member's account first, then the organisation.
    do_reinstate_user(user=User.objects.get(pk=member.pk), actor=admin)
    do_reinstate_partner(world.partner_a, actor=admin)

    assert new_version_holders(world) == [None]  # escrow alone
    assert team_keys_opened_by(member, member_private_key(member)) == {}

    given = do_give_team_key_from_escrow(
        world.teams["partner_a"],
        User.objects.get(pk=member.pk),
        admin_a_private=private_key("admin"),
        admin_b_private=private_key("admin2"),
        actor=admin,
    )
    assert given == 2  # the new version, and the retired one escrow kept (it opens nothing)
    assert sorted(new_version_holders(world), key=str) == sorted([None, member.pk], key=str)


def test_a_member_who_belongs_elsewhere_gets_no_wrap_of_the_new_key(world):
    """Never suspended (their account lives on in the other organisation): still escrow only."""
    member = world.users["triage"]
    Membership.objects.create(
        user=member, organisation=world.partner_a, team=world.teams["partner_a"], role=Role.PARTNER
    )
    do_suspend_partner(world.partner_a, actor=world.users["admin"])
    assert not User.objects.get(pk=member.pk).is_suspended

    do_reinstate_partner(world.partner_a, actor=world.users["admin"])

    assert new_version_holders(world) == [None]
    opened = team_keys_opened_by(member, member_private_key(member))
    active = TeamKey.objects.get(team=world.teams["partner_a"], active=True)
    assert active.pk not in opened
