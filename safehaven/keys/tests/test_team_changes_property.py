"""Property: over any sequence of team changes, exactly the people who should hold a team's
active key version do (issue 14, "Tests that would have caught these").

The test keeps its own model of who holds the active version and checks the database against
it after every step: add or remove a member, suspend or reinstate a user, a duress login and
its restore, a rotation, and a holder passing the key on.
"""

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehaven.accounts.actions import (
    do_reinstate_user,
    do_remove_membership,
    do_suspend_user,
)
from safehaven.accounts.models import Membership, Role, SuspensionReason, User
from safehaven.accounts.tests.helpers import grant_role_with_approval
from safehaven.keys.actions.duress import do_restore_after_duress, do_suspend_keys_for_duress
from safehaven.keys.actions.teams import do_add_team_member_key, do_rotate_team_key
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.keyring import UserHolder
from safehaven.keys.models import TeamKey, TeamKeyWrap
from safehaven.keys.records import current_escrow
from safehaven.keys.teams import members_awaiting_team_key
from safehaven.keys.tests.helpers import make_user

pytestmark = pytest.mark.django_db

PEOPLE = ("worker", "worker2", "p1", "p2")
CHANGES = ("add", "remove", "suspend", "reinstate", "duress", "restore", "rotate", "pass on")

steps = st.lists(
    st.tuples(st.sampled_from(CHANGES), st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)),
    min_size=1,
    max_size=8,
)


@dataclass
class Model:
    """What the test expects: ``wrapped`` have a wrap of the active version (a duress login
    suspends it, it does not remove it)."""

    members: set[str] = field(default_factory=lambda: {"worker", "worker2"})
    wrapped: set[str] = field(default_factory=lambda: {"worker", "worker2"})
    suspended: set[str] = field(default_factory=set)
    under_duress: set[str] = field(default_factory=set)
    version: int = 1

    def may_hold_keys(self, name: str) -> bool:
        return name not in self.suspended and name not in self.under_duress

    def holders(self) -> set[str]:
        return {name for name in self.wrapped if self.may_hold_keys(name)}

    def rotate(self, removed: str | None) -> None:
        self.wrapped = self.holders() - {removed}
        self.version += 1


@pytest.fixture
def people(world):
    """The pool's private keys, unlocked once (Argon2 per example would be slow)."""
    for name in ("p1", "p2"):
        world.users[name] = make_user(name)
    return {name: world.key(name) for name in PEOPLE}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=steps)
def test_it_keeps_the_active_version_with_exactly_its_holders(world, people, changes):
    # Each example starts from the same world: its changes are rolled back at the end.
    with transaction.atomic():
        model = Model()
        for change in changes:
            apply(world, people, model, *change)
            check(world, people, model)
        transaction.set_rollback(True)


def apply(world, people, model: Model, change: str, name: str, other: str) -> None:
    team, admin = world.casework, world.users["admin1"]
    user = User.objects.get(username=name)
    if change == "add" and name not in model.members:
        grant_role_with_approval(
            user=user,
            team=team,
            role=Role.CASEWORKER,
            requester=admin,
            approver=world.users["admin2"],
        )
        model.members.add(name)
    elif change == "remove" and name in model.members:
        membership = Membership.objects.get(user=user, team=team)
        do_remove_membership(membership=membership, actor=admin)
        model.members.remove(name)
        model.rotate(removed=name)
    elif change == "suspend" and name not in model.suspended:
        do_suspend_user(user=user, reason=SuspensionReason.SECURITY_CONCERN, actor=admin)
        model.suspended.add(name)
        if name in model.members:
            model.rotate(removed=name)
    elif change == "reinstate" and name in model.suspended:
        do_reinstate_user(user=user, actor=admin)
        model.suspended.remove(name)
    elif change == "duress" and name not in model.under_duress:
        do_suspend_keys_for_duress(user, actor=user)
        model.under_duress.add(name)
    elif change == "restore" and name in model.under_duress:
        second = world.users["admin2"]
        do_restore_after_duress(user, admin_a=admin, admin_b=second, actor=second)
        model.under_duress.remove(name)
    elif change == "rotate":
        do_rotate_team_key(team, None, actor=admin)
        model.rotate(removed=None)
    elif change == "pass on":
        pass_on(
            team, model, granter=User.objects.get(username=other), recipient=user, people=people
        )


def pass_on(team, model: Model, *, granter: User, recipient: User, people) -> None:
    allowed = (
        recipient.username in model.members
        and model.may_hold_keys(recipient.username)
        and model.may_hold_keys(granter.username)
        and (recipient.username in model.wrapped or granter.username in model.holders())
    )
    try:
        do_add_team_member_key(team, recipient, people[granter.username], actor=granter)
    except KeyActionRefused:
        assert not allowed
    else:
        assert allowed
        model.wrapped.add(recipient.username)


def check(world, people, model: Model) -> None:
    team = world.casework
    active = TeamKey.objects.get(team=team, active=True)
    assert active.version == model.version
    wraps = dict(
        TeamKeyWrap.objects.filter(team_key=active, user__isnull=False).values_list(
            "user__username", "suspended"
        )
    )
    assert set(wraps) == model.wrapped
    assert {name for name, suspended in wraps.items() if not suspended} == model.holders()
    assert TeamKeyWrap.objects.filter(team_key=active, escrow=current_escrow()).exists()
    # Nobody suspended, inactive or with suspended keys holds a usable wrap of any version.
    assert not TeamKeyWrap.objects.filter(
        team_key__team=team, suspended=False, user__is_active=False
    ).exists()
    assert not TeamKeyWrap.objects.filter(
        team_key__team=team, suspended=False, user__suspended_at__isnull=False
    ).exists()
    assert not TeamKeyWrap.objects.filter(
        team_key__team=team, suspended=False, user__key_pair__suspended_at__isnull=False
    ).exists()
    waiting = {user.username for user in members_awaiting_team_key(team)}
    assert waiting == {
        name for name in model.members if model.may_hold_keys(name) and name not in model.wrapped
    }
    for name in model.holders():
        holder = UserHolder(User.objects.get(username=name), people[name])
        assert holder.team_private(active.pk) is not None
