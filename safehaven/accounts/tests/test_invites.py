"""Invitations: single use, 72 hours, no public sign-up."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from safehaven.accounts.models import Invite, Membership, Role, User
from safehaven.accounts.tests.helpers import mark_reauthenticated

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 7"


@dataclass
class Sent:
    path: str
    code: str


@pytest.fixture
def invite(world, django_capture_on_commit_callbacks):
    def send(client: Client, email: str = "new.person@staff.test") -> Sent:
        with django_capture_on_commit_callbacks(execute=True):
            code = post_invite(world, client, email)
        message = mail.outbox[-1]
        assert message.to == [email]
        assert code not in message.body
        link = next(line for line in message.body.splitlines() if "/staff/invite/" in line)
        return Sent(link.split("testserver", 1)[1], code)

    return send


def post_invite(world, client: Client, email: str) -> str:
    response = client.post(
        "/en/staff/admin/people/invite/",
        {
            "email": email,
            "organisation": world.organisation.pk,
            "role": Role.CASEWORKER,
            "scope": "own",
        },
    )
    assert response.status_code == 200, response.content.decode()
    return response.context["acceptance_code"]


def admin_client(world) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    mark_reauthenticated(client, world.users["admin"])
    return client


def accept(sent: Sent, username: str = "newperson", password: str = NEW_PASSWORD, code: str = ""):
    client = Client()
    response = client.post(
        sent.path,
        {
            "acceptance_code": code or sent.code,
            "username": username,
            "password": password,
            "password_again": password,
        },
    )
    return client, response


def test_it_invites_and_the_invitee_sets_up_an_account_then_mfa(world, invite):
    sent = invite(admin_client(world))
    assert not Invite.objects.filter(token_hash__contains=sent.path.rsplit("/", 2)[-2]).exists()
    client, response = accept(sent)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"
    user = User.objects.get(username="newperson")
    assert user.email == "new.person@staff.test"
    assert Membership.objects.filter(user=user, role=Role.CASEWORKER).exists()
    assert user.password.startswith("argon2")
    # Confined to second-factor set-up until one is added.
    assert client.get("/en/staff/")["Location"] == "/en/accounts/2fa/totp/activate/"


def test_it_refuses_to_reuse_an_invitation(world, invite):
    sent = invite(admin_client(world))
    accept(sent)
    _client, response = accept(sent, username="someoneelse")
    assert response.status_code == 404
    assert "cannot be used" in response.content.decode()
    assert not User.objects.filter(username="someoneelse").exists()


def test_it_refuses_an_expired_invitation(world, invite):
    sent = invite(admin_client(world))
    Invite.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _client, response = accept(sent)
    assert response.status_code == 404
    assert not User.objects.filter(username="newperson").exists()


def test_it_expires_invitations_after_72_hours(world, invite):
    invite(admin_client(world))
    created = Invite.objects.get()
    assert created.expires_at - created.created_at == timedelta(hours=72)


def test_it_refuses_a_short_password_and_keeps_the_form(world, invite):
    sent = invite(admin_client(world))
    _client, response = accept(sent, password="short")
    assert response.status_code == 200
    body = response.content.decode()
    assert "at least 12 characters" in body
    assert 'value="newperson"' in body
    assert Invite.objects.get().accepted_at is None


def test_it_refuses_a_second_account_for_the_same_address(world):
    client = admin_client(world)
    response = client.post(
        "/en/staff/admin/people/invite/",
        {
            "email": world.users["triage"].email,
            "organisation": world.organisation.pk,
            "role": Role.CASEWORKER,
            "scope": "own",
        },
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()


def test_it_refuses_a_team_of_another_organisation(world):
    response = admin_client(world).post(
        "/en/staff/admin/people/invite/",
        {
            "email": "x@staff.test",
            "organisation": world.organisation.pk,
            "team": world.teams["partner_a"].pk,
            "role": Role.CASEWORKER,
            "scope": "own",
        },
    )
    assert response.status_code == 200
    assert "belongs to another organisation" in response.content.decode()
    assert not Invite.objects.exists()


def test_it_refuses_a_staff_role_in_a_partner_organisation(world):
    response = admin_client(world).post(
        "/en/staff/admin/people/invite/",
        {
            "email": "x@staff.test",
            "organisation": world.partner_a.pk,
            "role": Role.TRIAGE,
            "scope": "organisation",
        },
    )
    assert response.status_code == 200
    assert "can only hold the partner role" in response.content.decode()
    assert not Invite.objects.exists()


def test_it_refuses_a_wrong_acceptance_code_and_withdraws_after_five(world, invite):
    sent = invite(admin_client(world))
    for attempt in range(5):
        _client, response = accept(sent, code="00000-00000")
        assert response.status_code in {200, 404}
        if attempt < 4:
            assert "acceptance code is not right" in response.content.decode()
    assert not User.objects.filter(username="newperson").exists()
    # Withdrawn now: even the right code no longer works.
    _client, response = accept(sent)
    assert response.status_code == 404
    assert Invite.objects.get().revoked_at is not None
