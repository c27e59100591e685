"""Who receives a team key: a rotation reaches only holders of the version before it, and
nobody suspended, inactive or with duress-suspended keys ever gets a wrap (issue 14, items
1 and 2)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safehaven.accounts.actions import do_remove_membership
from safehaven.accounts.models import Membership, Role, Team, TeamKind, User
from safehaven.accounts.tests.helpers import grant_role_with_approval
from safehaven.keys.actions.duress import do_restore_after_duress, do_suspend_keys_for_duress
from safehaven.keys.actions.teams import (
    do_add_team_member_key,
    do_create_team_key,
    do_rotate_team_key,
)
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.keyring import UserHolder
from safehaven.keys.models import TeamKey, TeamKeyWrap
from safehaven.keys.records import can_open, new_record_key
from safehaven.keys.teams import members_awaiting_team_key
from safehaven.keys.tests.helpers import make_user

pytestmark = pytest.mark.django_db


def active_key(team: Team) -> TeamKey:
    return TeamKey.objects.get(team=team, active=True)


def user_wraps_of(team_key: TeamKey) -> set[str]:
    return set(
        TeamKeyWrap.objects.filter(team_key=team_key, user__isnull=False).values_list(
            "user__username", flat=True
        )
    )


def join(world, name: str, team: Team) -> User:
    user = make_user(name)
    Membership.objects.create(
        user=user, organisation=team.organisation, team=team, role=Role.CASEWORKER
    )
    world.users[name] = user
    return user


def suspend_without_rotation(user: User) -> None:
    # As a suspension outside the accounts actions would (Django admin, a raw write):
    # nothing rotates, so the next rotation itself must leave the person out.
    User.objects.filter(pk=user.pk).update(suspended_at=timezone.now(), is_active=False)


def deactivate(user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False)


def suspend_keys(user: User) -> None:
    do_suspend_keys_for_duress(user, actor=user)


MAKE_UNFIT = {
    "suspended": suspend_without_rotation,
    "inactive": deactivate,
    "keys suspended by duress": suspend_keys,
}


def test_it_gives_an_administrator_who_joins_triage_no_new_version_after_a_rotation(world):
    # Issue 14 item 1: one administrator alone must not come to hold the triage key.
    admin = world.users["admin1"]
    # Even with a second administrator's approval for both grants, the rotation gives the
    # newcomer nothing: only a holder can pass the key on.
    second = world.users["admin2"]
    grant = {"team": world.triage, "role": Role.TRIAGE, "requester": admin, "approver": second}
    grant_role_with_approval(user=admin, **grant)
    throwaway = make_user("throwaway")
    membership = grant_role_with_approval(user=throwaway, **grant)
    do_remove_membership(membership=membership, actor=admin)

    rotated = active_key(world.triage)
    assert rotated.version == 2
    assert user_wraps_of(rotated) == {"triager"}
    assert TeamKeyWrap.objects.filter(team_key=rotated, escrow__isnull=False).exists()
    assert UserHolder(admin, world.key("admin1")).team_private(rotated.pk) is None
    request_id = uuid.uuid4()
    new_record_key(request_id, readers=[world.triage])
    assert not can_open(request_id, user=admin, private_key=world.key("admin1"))
    assert can_open(request_id, user=world.users["triager"], private_key=world.key("triager"))
    # Only a holder can now pass the key on: the two-person rule holds.
    assert members_awaiting_team_key(world.triage) == [admin]


def test_it_wraps_a_rotation_only_to_members_who_held_the_active_version(world):
    newcomer = join(world, "newcomer", world.casework)
    do_rotate_team_key(world.casework, None, actor=world.users["admin1"])
    rotated = active_key(world.casework)
    assert user_wraps_of(rotated) == {"worker", "worker2"}
    assert members_awaiting_team_key(world.casework) == [newcomer]
    versions = do_add_team_member_key(
        world.casework, newcomer, world.key("worker"), actor=world.users["worker"]
    )
    assert versions == 2
    do_rotate_team_key(world.casework, world.users["worker"], actor=world.users["admin1"])
    assert user_wraps_of(active_key(world.casework)) == {"worker2", "newcomer"}


@pytest.mark.parametrize("unfit", MAKE_UNFIT)
def test_it_wraps_a_rotation_to_no_one_suspended_or_inactive(world, unfit):
    MAKE_UNFIT[unfit](world.users["worker2"])
    do_rotate_team_key(world.casework, None, actor=world.users["admin1"])
    assert user_wraps_of(active_key(world.casework)) == {"worker"}
    assert members_awaiting_team_key(world.casework) == []


def test_it_counts_a_wrap_suspended_by_duress_as_not_held_until_passed_on_again(world):
    worker2 = world.users["worker2"]
    suspend_keys(worker2)
    do_rotate_team_key(world.casework, None, actor=world.users["admin1"])
    do_restore_after_duress(
        worker2,
        admin_a=world.users["admin1"],
        admin_b=world.users["admin2"],
        actor=world.users["admin2"],
    )
    assert user_wraps_of(active_key(world.casework)) == {"worker"}
    assert members_awaiting_team_key(world.casework) == [worker2]
    assert (
        do_add_team_member_key(
            world.casework, worker2, world.key("worker"), actor=world.users["worker"]
        )
        == 1
    )
    assert user_wraps_of(active_key(world.casework)) == {"worker", "worker2"}


def test_it_creates_a_first_version_only_for_members_who_may_hold_keys(world):
    team = Team.objects.create(organisation=world.organisation, name="New", kind=TeamKind.CASEWORK)
    for name in ("fit", *MAKE_UNFIT):
        join(world, name, team)
    for unfit, make_unfit in MAKE_UNFIT.items():
        make_unfit(world.users[unfit])
    do_create_team_key(team, actor=None)
    assert user_wraps_of(active_key(team)) == {"fit"}
    assert members_awaiting_team_key(team) == []


@pytest.mark.parametrize("unfit", MAKE_UNFIT)
def test_it_refuses_to_pass_the_key_to_someone_suspended_or_inactive(world, unfit):
    newcomer = join(world, "newcomer", world.casework)
    MAKE_UNFIT[unfit](newcomer)
    refusal = "cannot receive a team key: their account or their keys are suspended"
    with pytest.raises(KeyActionRefused, match=refusal):
        do_add_team_member_key(
            world.casework, newcomer, world.key("worker"), actor=world.users["worker"]
        )
    assert not TeamKeyWrap.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("unfit", MAKE_UNFIT)
def test_it_refuses_a_granter_who_may_not_use_their_key(world, unfit):
    newcomer = join(world, "newcomer", world.casework)
    granter = world.users["worker"]  # loaded before the change: a stale object
    private_key = world.key("worker")
    MAKE_UNFIT[unfit](User.objects.get(pk=granter.pk))
    with pytest.raises(KeyActionRefused, match="Your key is not available: log in again"):
        do_add_team_member_key(world.casework, newcomer, private_key, actor=granter)
    assert not TeamKeyWrap.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("unfit", MAKE_UNFIT)
def test_it_lists_no_one_suspended_or_inactive_as_waiting_for_the_key(world, unfit):
    newcomer = join(world, "newcomer", world.casework)
    assert members_awaiting_team_key(world.casework) == [newcomer]
    MAKE_UNFIT[unfit](newcomer)
    assert members_awaiting_team_key(world.casework) == []


def test_it_holds_the_team_keys_before_it_checks_a_pass_on_on_postgresql(world):
    # A removal or suspension that commits while a pass-on runs must be seen by its checks;
    # otherwise the pass-on hands the rotated version to whoever was just removed.
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (SQLite runs one writer at a time)")
    newcomer = join(world, "newcomer", world.casework)
    with CaptureQueriesContext(connection) as queries:
        do_add_team_member_key(
            world.casework, newcomer, world.key("worker"), actor=world.users["worker"]
        )
    statements = [query["sql"] for query in queries.captured_queries]
    held = next(
        index
        for index, sql in enumerate(statements)
        if sql.startswith('SELECT sequence, row_hash FROM "core_auditchainhead"')
        and sql.endswith(" FOR UPDATE")
    )
    checked = next(index for index, sql in enumerate(statements) if '"accounts_membership"' in sql)
    assert held < checked
