"""The forms that give someone a role: no role chosen in advance, teams grouped under their
organisation (and a team of another organisation refused with a clear message), and the
password asked again before the invitation form, so that nothing typed is lost to it."""

import re

import pytest

from safehaven.accounts.models import Invite, Membership, Role
from safehaven.accounts.tests.helpers import TEST_PASSWORD

pytestmark = pytest.mark.django_db

INVITE_URL = "/en/staff/admin/people/invite/"


def selected_role(html: str) -> list[str]:
    select = html.split('name="role"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def team_groups(html: str) -> dict[str, list[str]]:
    select = html.split('name="team"')[1].split("</select>")[0]
    return {
        label: re.findall(r"<option[^>]*>([^<]*)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    }


@pytest.mark.parametrize("page", ["invite", "user"])
def test_it_preselects_no_role(world, staff_client, page):
    client = staff_client("admin")
    url = (
        INVITE_URL if page == "invite" else f"/en/staff/admin/people/{world.users['advocacy'].pk}/"
    )

    html = client.get(url).content.decode()

    assert selected_role(html) == [""]
    assert "Choose a role" in html


def test_it_refuses_a_grant_without_a_role(world, staff_client):
    member = world.users["advocacy"]
    response = staff_client("admin").post(
        f"/en/staff/admin/people/{member.pk}/roles/",
        {"organisation": world.organisation.pk, "role": "", "scope": "own"},
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Membership.objects.filter(user=member, role=Role.TRIAGE).exists()


@pytest.mark.parametrize("page", ["invite", "user"])
def test_it_groups_teams_under_their_organisation(world, staff_client, page):
    client = staff_client("admin")
    url = (
        INVITE_URL if page == "invite" else f"/en/staff/admin/people/{world.users['advocacy'].pk}/"
    )

    groups = team_groups(client.get(url).content.decode())

    assert set(groups) >= {world.organisation.name, world.teams["partner_a"].organisation.name}
    assert world.teams["partner_a"].name in groups[world.teams["partner_a"].organisation.name]
    assert world.teams["partner_a"].name not in groups[world.organisation.name]


def test_it_refuses_a_role_in_a_team_of_another_organisation_with_a_clear_message(
    world, staff_client
):
    member = world.users["advocacy"]
    response = staff_client("admin").post(
        f"/en/staff/admin/people/{member.pk}/roles/",
        {
            "organisation": world.organisation.pk,
            "team": world.teams["partner_a"].pk,
            "role": Role.CASEWORKER,
            "scope": "own",
        },
    )

    assert response.status_code == 200
    assert "This team belongs to another organisation." in response.content.decode()
    assert not Membership.objects.filter(user=member, role=Role.CASEWORKER).exists()


def test_it_asks_for_the_password_before_showing_the_invitation_form(world, staff_client):
    client = staff_client("admin", reauthenticated=False)

    response = client.get(INVITE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/reauthenticate/")
    confirmed = client.post(
        "/en/accounts/reauthenticate/", {"password": TEST_PASSWORD, "next": INVITE_URL}
    )
    assert confirmed.status_code == 302
    assert client.get(confirmed["Location"]).status_code == 200


def test_it_keeps_what_was_typed_when_the_password_is_asked_in_the_middle(world, staff_client):
    client = staff_client("admin", reauthenticated=False)
    typed = {
        "email": "kept.across@staff.test",
        "organisation": world.organisation.pk,
        "role": Role.CASEWORKER,
        "scope": "own",
    }

    asked = client.post(INVITE_URL, typed)
    assert asked.status_code == 302
    assert asked["Location"].startswith("/en/accounts/reauthenticate/")
    sent = client.post(
        "/en/accounts/reauthenticate/", {"password": TEST_PASSWORD, "next": INVITE_URL}
    )

    assert sent.status_code == 200
    assert Invite.objects.filter(email="kept.across@staff.test").exists()
