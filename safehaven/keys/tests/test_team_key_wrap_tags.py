"""A database writer cannot make someone a holder of a team key by writing a wrap row: only
wraps whose tag verifies count (follow-up review of issue 14, finding 1)."""

import importlib
import uuid
from types import SimpleNamespace

import pytest

from safehaven.accounts.actions import do_remove_membership
from safehaven.accounts.models import Membership, Role
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.teams import do_add_team_member_key
from safehaven.keys.keyring import UserHolder
from safehaven.keys.models import TeamKey, TeamKeyWrap
from safehaven.keys.public_key_tags import record_pending_alarms
from safehaven.keys.records import can_open, new_record_key
from safehaven.keys.teams import holders_of_team_key, members_awaiting_team_key
from safehaven.keys.tests.helpers import make_user, private_key_of
from safehaven.keys.tests.tampering import tamper_alarms
from safehaven.keys.wrap_tags import wrap_tag_matches

pytestmark = pytest.mark.django_db


def forge_holder(world, name: str) -> tuple:
    """A member of triage (an account with a genuine, tagged key pair) and one junk wrap row
    of the active version written straight into the database."""
    mole = make_user(name)
    Membership.objects.create(
        user=mole, organisation=world.organisation, team=world.triage, role=Role.TRIAGE
    )
    active = TeamKey.objects.get(team=world.triage, active=True)
    forged = TeamKeyWrap.objects.create(team_key=active, user=mole, wrapped=b"junk")
    return mole, active, forged


def test_it_does_not_hand_the_next_version_to_a_member_with_a_forged_wrap(world):
    mole, _active, forged = forge_holder(world, "mole")
    leaver = make_user("leaver")
    Membership.objects.create(
        user=leaver, organisation=world.organisation, team=world.triage, role=Role.TRIAGE
    )
    do_remove_membership(membership=Membership.objects.get(user=leaver), actor=world.admins[0])
    rotated = TeamKey.objects.get(team=world.triage, active=True)
    mole_key = private_key_of(mole)
    assert not TeamKeyWrap.objects.filter(team_key=rotated, user=mole).exists()
    assert UserHolder(mole, mole_key).team_private(rotated.pk) is None
    request_id = uuid.uuid4()
    new_record_key(request_id, readers=[world.triage])
    assert not can_open(request_id, user=mole, private_key=mole_key)
    record_pending_alarms()  # as at the end of the request
    assert ("teamkeywrap", str(forged.pk)) in tamper_alarms()
    # The genuine holder got the new version.
    assert TeamKeyWrap.objects.filter(team_key=rotated, user=world.users["triager"]).exists()


def test_it_raises_an_alarm_naming_ids_only(world):
    _mole, active, forged = forge_holder(world, "mole")
    assert [user.username for user in holders_of_team_key(active)] == ["triager"]
    event = AuditEvent.objects.get(event_type=EventType.PUBLIC_KEY_TAMPERED)
    assert (event.target_type, event.target_ref) == ("teamkeywrap", str(forged.pk))
    assert event.detail == "team-key wrap does not carry its tag"


def test_it_does_not_count_a_wrap_and_tag_copied_from_another_member(world):
    mole = make_user("mole")
    Membership.objects.create(
        user=mole, organisation=world.organisation, team=world.triage, role=Role.TRIAGE
    )
    genuine = TeamKeyWrap.objects.get(
        team_key__team=world.triage, team_key__active=True, user=world.users["triager"]
    )
    TeamKeyWrap.objects.create(
        team_key=genuine.team_key, user=mole, wrapped=genuine.wrapped, tag=genuine.tag
    )
    assert mole not in holders_of_team_key(genuine.team_key)


def test_it_lists_a_member_with_a_forged_wrap_as_still_awaiting_the_key(world):
    mole, _active, _forged = forge_holder(world, "mole")
    assert mole in members_awaiting_team_key(world.triage)
    assert world.users["triager"] not in members_awaiting_team_key(world.triage)


def test_it_tags_every_wrap_it_makes(world):
    wraps = list(TeamKeyWrap.objects.all())
    assert wraps
    assert all(wrap_tag_matches(wrap) for wrap in wraps)
    assert not tamper_alarms()


def test_its_migration_tags_the_wraps_that_exist(world):
    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("safehaven.keys.migrations.0008_tag_team_key_wraps")
    TeamKeyWrap.objects.update(tag=b"")
    migration.tag_existing_wraps(apps, SimpleNamespace(connection=connection))
    assert all(wrap_tag_matches(wrap) for wrap in TeamKeyWrap.objects.all())


def test_it_replaces_a_forged_wrap_when_a_holder_passes_the_key_on(world):
    # The junk row must not keep the member from getting the real key, nor stay behind.
    mole, active, forged = forge_holder(world, "mole")
    triager = world.users["triager"]
    do_add_team_member_key(world.triage, mole, world.key("triager"), actor=triager)
    assert not TeamKeyWrap.objects.filter(pk=forged.pk).exists()
    mole_key = private_key_of(mole)
    assert UserHolder(mole, mole_key).team_private(active.pk) is not None
    record_pending_alarms()
    assert ("teamkeywrap", str(forged.pk)) in tamper_alarms()
