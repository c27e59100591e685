"""Whoever can write the database cannot make an invitation that works, nor turn a pending one
into a role in a team that holds keys (follow-up review of issue 14, finding 1)."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from safehaven.accounts.actions import (
    ActionRefused,
    WrongAcceptanceCode,
    acceptance_code_hash,
    do_accept_invite,
    do_invite_staff,
    invite_token_hash,
)
from safehaven.accounts.models import Invite, Membership, Role, Team, TeamKind, User
from safehaven.keys.actions.teams import do_create_team_key

pytestmark = pytest.mark.django_db

PASSWORD = "a long mole password 993"


def keep(links: list[str]):
    def accept_url_for(token: str) -> str:
        links.append(token)
        return token

    return accept_url_for


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def forged_invite(world, *, token_hash: str, code_hash: str, team=None) -> Invite:
    now = timezone.now()
    return Invite.objects.create(
        email="mole@x.test",
        organisation=world.organisation,
        team=team,
        role=Role.TRIAGE,
        token_hash=token_hash,
        acceptance_code_hash=code_hash,
        created_at=now,
        expires_at=now + timedelta(days=1),
        invited_by=world.users["admin"],
    )


def test_it_refuses_an_invitation_written_with_unkeyed_hashes(world):
    # The reviewer's forgery: the plain SHA-256 of a token and code the writer chose.
    forged_invite(world, token_hash=sha256("tok"), code_hash=sha256("11111-11111"))
    with pytest.raises(ActionRefused):
        do_accept_invite(token="tok", code="11111-11111", username="mole", password=PASSWORD)
    assert not User.objects.filter(username="mole").exists()


def test_it_keys_the_hashes_with_a_server_secret(settings):
    before = invite_token_hash("tok")
    assert before != sha256("tok")
    settings.SECRET_KEY = "another secret key of at least fifty characters, for this test"
    assert invite_token_hash("tok") != before


def test_it_refuses_an_invitation_into_a_team_that_holds_keys(world):
    # Even one whose hashes are right (sent before the team got its key, or written by
    # someone who has the secret): an invitation carries no second administrator's approval.
    forged_invite(
        world,
        token_hash=invite_token_hash("tok"),
        code_hash=acceptance_code_hash(
            "11111-11111",
            email="mole@x.test",
            organisation_id=world.organisation.pk,
            team_id=world.teams["triage"].pk,
            role=Role.TRIAGE,
            scope="own",
        ),
        team=world.teams["triage"],
    )
    with pytest.raises(ActionRefused, match="team that holds keys"):
        do_accept_invite(token="tok", code="11111-11111", username="mole", password=PASSWORD)
    assert not Membership.objects.filter(user__username="mole").exists()


def test_it_refuses_a_pending_invitation_moved_into_another_team(world):
    team = Team.objects.create(organisation=world.organisation, name="New", kind=TeamKind.CASEWORK)
    links: list[str] = []
    invite, code = do_invite_staff(
        email="new@staff.test",
        organisation=world.organisation,
        role=Role.CASEWORKER,
        team=team,
        actor=world.users["admin"],
        accept_url_for=keep(links),
    )
    Invite.objects.filter(pk=invite.pk).update(team=world.teams["casework"])
    with pytest.raises(WrongAcceptanceCode):
        do_accept_invite(token=links[0], code=code, username="newbie", password=PASSWORD)


def test_it_refuses_an_invitation_whose_team_got_a_key_since_it_was_sent(world):
    team = Team.objects.create(organisation=world.organisation, name="New", kind=TeamKind.CASEWORK)
    links: list[str] = []
    _invite, code = do_invite_staff(
        email="new@staff.test",
        organisation=world.organisation,
        role=Role.CASEWORKER,
        team=team,
        actor=world.users["admin"],
        accept_url_for=keep(links),
    )
    do_create_team_key(team, actor=None)
    with pytest.raises(ActionRefused, match="team that holds keys"):
        do_accept_invite(token=links[0], code=code, username="newbie", password=PASSWORD)


def test_it_still_accepts_a_genuine_invitation(world):
    links: list[str] = []
    _invite, code = do_invite_staff(
        email="new@staff.test",
        organisation=world.organisation,
        role=Role.CASEWORKER,
        actor=world.users["admin"],
        accept_url_for=keep(links),
    )
    user = do_accept_invite(token=links[0], code=code, username="newbie", password=PASSWORD)
    assert Membership.objects.filter(user=user, role=Role.CASEWORKER).exists()
