"""Team keys: members open team records; a removed member stops after rotation."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehaven.accounts.models import Membership, Role
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys import tasks
from safehaven.keys.actions.teams import (
    do_add_team_member_key,
    do_create_team_key,
    do_rotate_team_key,
)
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.keyring import UserHolder
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, TeamKey
from safehaven.keys.records import can_open, new_record_key
from safehaven.keys.teams import hold_team_keys
from safehaven.keys.tests.helpers import make_user
from safehaven.keys.wrapping import open_team_envelope

pytestmark = pytest.mark.django_db


def join(world, name, team):
    user = make_user(name)
    Membership.objects.create(
        user=user, organisation=team.organisation, team=team, role=Role.CASEWORKER
    )
    world.users[name] = user
    return user


def test_it_lets_a_member_added_later_open_team_records(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.casework])
    newcomer = join(world, "newcomer", world.casework)
    assert not can_open(record_id, user=newcomer, private_key=world.key("newcomer"))
    granter = world.users["worker"]
    versions = do_add_team_member_key(world.casework, newcomer, world.key("worker"), actor=granter)
    assert versions == 1
    assert can_open(record_id, user=newcomer, private_key=world.key("newcomer"))


def test_it_refuses_a_granter_who_does_not_hold_the_team_key(world):
    newcomer = join(world, "newcomer", world.casework)
    with pytest.raises(KeyActionRefused, match="do not hold this team's key"):
        do_add_team_member_key(
            world.casework, newcomer, world.key("triager"), actor=world.users["triager"]
        )
    with pytest.raises(KeyActionRefused, match="log in again"):
        do_add_team_member_key(
            world.casework, newcomer, world.key("triager"), actor=world.users["worker"]
        )


def test_it_refuses_to_give_the_team_key_to_someone_outside_the_team(world):
    with pytest.raises(KeyActionRefused, match="Add the person to the team"):
        do_add_team_member_key(
            world.casework,
            world.users["outsider"],
            world.key("worker"),
            actor=world.users["worker"],
        )


def test_it_stops_a_removed_member_after_rotation(world):
    leaver, stayer = world.users["worker"], world.users["worker2"]
    before = uuid.uuid4()
    new_record_key(before, readers=[world.casework])
    assert can_open(before, user=leaver, private_key=world.key("worker"))
    # What the leaver could have kept: the old team private key, unwrapped while a member.
    old_key = TeamKey.objects.get(team=world.casework, active=True)
    kept_team_private = UserHolder(leaver, world.key("worker")).team_private(old_key.pk)
    assert kept_team_private is not None

    Membership.objects.filter(user=leaver, team=world.casework).delete()
    new_key = do_rotate_team_key(world.casework, leaver, actor=world.users["admin1"])
    after = uuid.uuid4()
    new_record_key(after, readers=[world.casework])

    assert new_key.version == 2
    for record_id in (before, after):
        assert not can_open(record_id, user=leaver, private_key=world.key("worker"))
        assert can_open(record_id, user=stayer, private_key=world.key("worker2"))
    # The immediate test backend has run the re-wrap: the old wrap is layered under v2, so
    # the kept v1 private key alone no longer opens it.
    wrap = RecordKeyWrap.objects.get(
        record_key__record_id=before, kind=RecordWrapKind.TEAM, team=world.casework
    )
    assert wrap.team_key_id == new_key.pk

    def only_old_key(team_key_id):
        return kept_team_private if team_key_id == old_key.pk else None

    with pytest.raises(SealError):
        open_team_envelope(
            bytes(wrap.wrapped),
            record_id=before,
            team_key_id=wrap.team_key_id,
            private_for=only_old_key,
        )
    assert AuditEvent.objects.filter(event_type=EventType.TEAM_KEY_ROTATED).count() == 2


def test_it_gives_a_member_who_joins_after_rotations_every_version(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.casework])
    do_rotate_team_key(world.casework, None, actor=world.users["admin1"])
    do_rotate_team_key(world.casework, None, actor=world.users["admin1"])
    newcomer = join(world, "newcomer", world.casework)
    versions = do_add_team_member_key(
        world.casework, newcomer, world.key("worker2"), actor=world.users["worker2"]
    )
    assert versions == 3
    assert can_open(record_id, user=newcomer, private_key=world.key("newcomer"))


def test_it_passes_only_ids_to_the_rotation_task(world, monkeypatch):
    calls = []

    class FakeTask:
        def enqueue(self, *args, **kwargs):
            calls.append((args, kwargs))

    monkeypatch.setattr(tasks, "rewrap_team_records", FakeTask())
    do_rotate_team_key(world.casework, world.users["worker"], actor=world.users["admin1"])
    assert calls == [((), {"team_id": world.casework.pk})]


def test_it_refuses_a_second_first_key_and_a_rotation_without_a_key(world):
    with pytest.raises(KeyActionRefused, match="already has a key"):
        do_create_team_key(world.casework, actor=None)
    TeamKey.objects.filter(team=world.casework).update(active=False)
    with pytest.raises(KeyActionRefused, match="no key to rotate"):
        do_rotate_team_key(world.casework, None, actor=None)


def test_it_lists_members_waiting_for_the_team_key(world):
    from safehaven.keys.teams import members_awaiting_team_key

    assert members_awaiting_team_key(world.casework) == []
    newcomer = join(world, "newcomer", world.casework)
    assert members_awaiting_team_key(world.casework) == [newcomer]
    do_add_team_member_key(
        world.casework, newcomer, world.key("worker"), actor=world.users["worker"]
    )
    assert members_awaiting_team_key(world.casework) == []


def test_it_holds_the_audit_chain_before_it_changes_the_active_key_on_postgresql(world):
    # What intake waits for before it checks the keys a new request is wrapped to
    # (intake/recipients.py): so no rotation commits between that check and the request.
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (SQLite runs one writer at a time)")
    with CaptureQueriesContext(connection) as queries:
        do_rotate_team_key(world.casework, None, actor=None)
    statements = [query["sql"] for query in queries.captured_queries]
    held = next(
        index
        for index, sql in enumerate(statements)
        if sql.startswith('SELECT sequence, row_hash FROM "core_auditchainhead"')
        and sql.endswith(" FOR UPDATE")
    )
    changed = next(
        index for index, sql in enumerate(statements) if sql.startswith('UPDATE "keys_teamkey"')
    )
    assert held < changed


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_hold_the_team_keys_outside_a_transaction():
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        hold_team_keys()
