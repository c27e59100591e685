"""Granting and removing roles from the administrator pages."""

import pytest
from django.test import Client

from safehaven.accounts.models import Membership, Role
from safehaven.accounts.tests.helpers import mark_reauthenticated
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import TeamKey

pytestmark = pytest.mark.django_db


def admin_client(world) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    mark_reauthenticated(client, world.users["admin"])
    return client


def test_it_grants_a_role(world):
    user = world.users["advocacy"]
    response = admin_client(world).post(
        f"/en/staff/admin/people/{user.pk}/roles/",
        {"organisation": world.organisation.pk, "role": Role.INTERPRETER, "scope": "own"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, role=Role.INTERPRETER).exists()
    assert AuditEvent.objects.filter(event_type=EventType.MEMBERSHIP_ADDED).exists()


def test_it_refuses_a_role_held_already(world):
    user = world.users["advocacy"]
    data = {"organisation": world.organisation.pk, "role": Role.ADVOCACY, "scope": "team"}
    response = admin_client(world).post(f"/en/staff/admin/people/{user.pk}/roles/", data)
    assert response.status_code == 200
    assert "already holds that role" in response.content.decode()


def test_it_rotates_the_team_key_when_someone_leaves_the_team(world):
    team = world.teams["triage"]
    before = TeamKey.objects.filter(team=team).count()
    membership = Membership.objects.get(user=world.users["triage"], team=team)
    response = admin_client(world).post(f"/en/staff/admin/roles/{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert TeamKey.objects.filter(team=team).count() == before + 1
    assert AuditEvent.objects.filter(event_type=EventType.TEAM_KEY_ROTATED).exists()


def test_it_adds_organisations_and_teams(world):
    client = admin_client(world)
    response = client.post(
        "/en/staff/admin/organisations/add/",
        {"name": "New Partner", "kind": "partner", "country": "ug"},
    )
    assert response.status_code == 302
    response = client.post(
        "/en/staff/admin/organisations/add/",
        {"name": "new partner", "kind": "partner", "country": "UG"},
    )
    assert "An organisation with this name exists." in response.content.decode()
    response = client.post(
        "/en/staff/admin/teams/add/",
        {
            "team-organisation": world.organisation.pk,
            "team-name": "Casework 2",
            "team-kind": "casework",
        },
    )
    assert response.status_code == 302
    team = world.organisation.teams.get(name="Casework 2")
    assert TeamKey.objects.filter(team=team, active=True).exists()


def test_it_posts_each_form_to_its_own_view(world):
    client = admin_client(world)
    organisations = client.get("/en/staff/admin/organisations/").content.decode()
    assert 'action="/en/staff/admin/organisations/add/"' in organisations
    assert 'action="/en/staff/admin/teams/add/"' in organisations
    user = world.users["advocacy"]
    page = client.get(f"/en/staff/admin/people/{user.pk}/").content.decode()
    assert f'action="/en/staff/admin/people/{user.pk}/roles/"' in page
    assert client.post("/en/staff/admin/organisations/").status_code == 405


def test_it_shows_each_team_s_id_for_the_commands_that_take_one(world):
    # give_team_key and create_referral_code take a team id; no other page shows it.
    page = admin_client(world).get("/en/staff/admin/organisations/").content.decode()
    teams = list(world.organisation.teams.all())
    assert teams
    for team in teams:
        assert f'{team.name} <small class="team-id">#{team.pk}</small>' in page
