"""Changing a partner's vetting, and reinstating a suspended partner: audited, ids and statuses
only; suspension only through its own action."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safehaven.accounts.models import User
from safehaven.core.event_types import EventType
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, TeamKey, TeamKeyWrap
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import PartnerVetting
from safehaven.partners.tests.vetting_helpers import (
    equip_partner,
    events_of,
    member_private_key,
    team_keys_opened_by,
)
from safehaven.partners.vetting.actions import (
    VettingRefused,
    do_change_partner_vetting,
    do_reinstate_partner,
    do_suspend_partner,
)
from safehaven.partners.vetting.queries import is_suspended

NOTES = "Registered in 2012; two references from the Network's board."


def change(world, organisation=None, **overrides):
    values: dict[str, Any] = {
        "status": VettingStatus.VETTED,
        "notes": NOTES,
        "review_on": date(2031, 1, 31),
    }
    return do_change_partner_vetting(
        organisation or world.partner_a, actor=world.users["admin"], **(values | overrides)
    )


@pytest.mark.django_db
def test_it_changes_vetting_and_records_only_the_statuses(world):
    vetting = change(world)
    assert (vetting.status, vetting.notes, vetting.review_on) == (
        VettingStatus.VETTED,
        NOTES,
        date(2031, 1, 31),
    )
    assert vetting.changed_by == world.users["admin"]
    change(world, status=VettingStatus.PENDING, notes="", review_on=None)
    events = events_of(EventType.PARTNER_VETTING_CHANGED)
    assert [event.detail for event in events] == ["pending -> vetted", "vetted -> pending"]
    assert all(event.target_ref == str(world.partner_a.pk) for event in events)
    assert all(event.actor_id == world.users["admin"].pk for event in events)
    assert PartnerVetting.objects.get(organisation=world.partner_a).notes == ""


@pytest.mark.django_db
def test_it_suspends_only_through_the_suspension(world):
    with pytest.raises(VettingRefused):
        change(world, status=VettingStatus.SUSPENDED)
    assert not is_suspended(world.partner_a)
    assert not events_of(EventType.PARTNER_VETTING_CHANGED)


@pytest.mark.django_db
def test_it_vets_only_partner_organisations(world):
    with pytest.raises(VettingRefused):
        change(world, world.organisation)
    assert not PartnerVetting.objects.exists()


@pytest.mark.django_db
def test_it_does_not_re_vet_a_suspended_partner(world):
    do_suspend_partner(world.partner_a, actor=world.users["admin"])
    with pytest.raises(VettingRefused, match="suspended"):
        change(world)
    assert is_suspended(world.partner_a)


@pytest.mark.django_db
def test_reinstating_gives_a_new_key_that_opens_nothing_from_before(world):
    team = world.teams["partner_a"]
    equip_partner(world, "partner_a", code="ALPHA-CODE-3")
    do_suspend_partner(world.partner_a, actor=world.users["admin"])
    with pytest.raises(VettingRefused):
        do_reinstate_partner(world.partner_b, actor=world.users["admin"])

    do_reinstate_partner(world.partner_a, actor=world.users["admin"])

    vetting = PartnerVetting.objects.get(organisation=world.partner_a)
    assert vetting.status == VettingStatus.PENDING
    assert vetting.suspended_at is None
    new_key = TeamKey.objects.get(team=team, active=True)
    # v1 was retired, v2 closed it (nobody ever held it), v3 is new.
    assert new_key.version == 3
    # Escrow alone holds it: the member stays suspended until reinstated on their own.
    assert list(TeamKeyWrap.objects.filter(team_key=new_key).values_list("user", flat=True)) == [
        None
    ]
    member = User.objects.get(pk=world.users["partner_a"].pk)
    assert member.is_suspended
    assert team_keys_opened_by(member, member_private_key(member)) == {}
    assert not RecordKeyWrap.objects.filter(kind=RecordWrapKind.TEAM, team=team).exists()
    assert events_of(EventType.PARTNER_VETTING_CHANGED)[-1].detail == "suspended -> pending"
    with pytest.raises(VettingRefused, match="not suspended"):
        do_reinstate_partner(world.partner_a, actor=world.users["admin"])
