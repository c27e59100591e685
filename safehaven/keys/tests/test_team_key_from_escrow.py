"""A team's first holder gets its key through escrow (two administrators), since a rotation
reaches only holders and a team made after init_keys has a key wrapped to escrow only."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehaven.accounts.actions import do_create_team
from safehaven.accounts.models import Membership, Role, Team, TeamKind, User
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.teams import do_give_team_key_from_escrow, do_rotate_team_key
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import TeamKey, TeamKeyWrap
from safehaven.keys.records import can_open, new_record_key
from safehaven.keys.teams import members_awaiting_team_key
from safehaven.keys.tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def new_team_with_member(world) -> tuple[Team, User]:
    team = do_create_team(
        organisation=world.organisation,
        name="Second casework",
        kind=TeamKind.CASEWORK,
        actor=world.users["admin1"],
    )
    member = make_user("first")
    Membership.objects.create(
        user=member, organisation=world.organisation, team=team, role=Role.CASEWORKER
    )
    world.users["first"] = member
    return team, member


def test_it_gives_a_new_teams_first_member_its_key_through_escrow(world):
    team, member = new_team_with_member(world)
    assert not TeamKeyWrap.objects.filter(team_key__team=team, user__isnull=False).exists()
    assert members_awaiting_team_key(team) == [member]

    versions = do_give_team_key_from_escrow(
        team,
        member,
        admin_a_private=world.key("admin1"),
        admin_b_private=world.key("admin2"),
        actor=world.users["admin2"],
    )

    assert versions == 1
    assert members_awaiting_team_key(team) == []
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[team])
    assert can_open(record_id, user=member, private_key=world.key("first"))
    # Neither administrator came to hold the key.
    assert set(
        TeamKeyWrap.objects.filter(team_key__team=team, user__isnull=False).values_list(
            "user__username", flat=True
        )
    ) == {"first"}
    event = AuditEvent.objects.filter(event_type=EventType.ESCROW_USED).latest("pk")
    assert event.detail.startswith(f"team key of team #{team.pk} wrapped (1 versions) by admins")


def test_it_refuses_escrow_to_one_administrator_alone(world):
    team, member = new_team_with_member(world)
    with pytest.raises(KeyActionRefused, match="Two different administrators"):
        do_give_team_key_from_escrow(
            team,
            member,
            admin_a_private=world.key("admin1"),
            admin_b_private=world.key("admin1"),
            actor=world.users["admin1"],
        )
    assert members_awaiting_team_key(team) == [member]


def test_it_refuses_escrow_to_someone_outside_the_team_or_suspended(world):
    team, member = new_team_with_member(world)
    keys = {"admin_a_private": world.key("admin1"), "admin_b_private": world.key("admin2")}
    with pytest.raises(KeyActionRefused, match="Add the person to the team"):
        do_give_team_key_from_escrow(team, world.users["outsider"], actor=None, **keys)
    User.objects.filter(pk=member.pk).update(is_active=False)
    with pytest.raises(KeyActionRefused, match="cannot receive a team key"):
        do_give_team_key_from_escrow(team, member, actor=None, **keys)
    assert not TeamKeyWrap.objects.filter(user=member).exists()


def test_it_gives_every_version_through_the_command(world, monkeypatch):
    team, member = new_team_with_member(world)
    do_rotate_team_key(team, None, actor=None)
    do_rotate_team_key(team, None, actor=None)
    passwords = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    out = io.StringIO()
    call_command(
        "give_team_key",
        str(team.pk),
        "first@staff.test",
        admin_a="admin1@staff.test",
        admin_b="admin3@staff.test",
        stdout=out,
    )
    assert "now holds the key of team Second casework (3 versions wrapped)" in out.getvalue()
    assert (
        TeamKeyWrap.objects.filter(user=member).count() == TeamKey.objects.filter(team=team).count()
    )
    assert members_awaiting_team_key(team) == []
    with pytest.raises(CommandError, match="There is no team #0"):
        call_command(
            "give_team_key", "0", "first@staff.test", admin_a="a@x", admin_b="b@x", stdout=out
        )
