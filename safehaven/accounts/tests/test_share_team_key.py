"""A team member passes the team key on to a newcomer from the staff home."""

import pytest
from django.test import Client

from safehaven.accounts.models import Membership, Role, User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.keys.actions.users import do_create_user_keys
from safehaven.keys.teams import members_awaiting_team_key

pytestmark = pytest.mark.django_db


def newcomer_in_triage(world) -> User:
    user = User.objects.create_user("newtriage", "newtriage@staff.test", TEST_PASSWORD)
    Membership.objects.create(
        user=user, organisation=world.organisation, team=world.teams["triage"], role=Role.TRIAGE
    )
    do_create_user_keys(user, TEST_PASSWORD, actor=user)
    return user


def log_in(client: Client, user, secret: str, totp_code) -> None:
    client.post("/en/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    client.post("/en/accounts/2fa/authenticate/", {"code": totp_code(secret)})


def test_it_lists_and_shares_the_team_key_with_a_newcomer(world, totp_code):
    newcomer = newcomer_in_triage(world)
    team = world.teams["triage"]
    assert members_awaiting_team_key(team) == [newcomer]
    client = Client()
    log_in(client, world.users["triage"], world.totp_secrets["triage"], totp_code)
    home = client.get("/en/staff/").content.decode()
    assert "newtriage" in home
    response = client.post(f"/en/staff/teams/{team.pk}/share-key/{newcomer.pk}/", follow=True)
    assert "newtriage can now open the team&#x27;s records." in response.content.decode()
    assert members_awaiting_team_key(team) == []


def test_it_refuses_without_an_open_key(world):
    newcomer = newcomer_in_triage(world)
    team = world.teams["triage"]
    client = Client()
    client.force_login(world.users["triage"])  # no password step: no key in this session
    response = client.post(f"/en/staff/teams/{team.pk}/share-key/{newcomer.pk}/", follow=True)
    assert "Log out and in again" in response.content.decode()
    assert members_awaiting_team_key(team) == [newcomer]


def test_it_hides_other_teams(world):
    newcomer = newcomer_in_triage(world)
    client = Client()
    client.force_login(world.users["finance"])
    team = world.teams["triage"]
    response = client.post(f"/en/staff/teams/{team.pk}/share-key/{newcomer.pk}/")
    assert response.status_code == 404
