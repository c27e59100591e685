"""No team key goes to the interim key pair of someone whose password an administrator reset:
the administrator knows that password. They are not listed as waiting for the key, a teammate
cannot pass it on, and ``give_team_key`` refuses them with a message that says why."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehaven.accounts.models import User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.accounts.tests.test_share_team_key import newcomer_in_triage
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.actions.teams import do_add_team_member_key
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import TeamKeyWrap
from safehaven.keys.teams import members_awaiting_team_key

pytestmark = pytest.mark.django_db

WHY = "an administrator reset their password"


def reset_by_admin(staff_client, newcomer: User) -> None:
    response = staff_client("admin").post(f"/en/staff/admin/people/{newcomer.pk}/reset-password/")
    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


def test_it_neither_lists_nor_lets_a_teammate_pass_the_key_to_an_interim_key_pair(
    world, staff_client
):
    newcomer = newcomer_in_triage(world)
    team = world.teams["triage"]
    assert members_awaiting_team_key(team) == [newcomer]
    reset_by_admin(staff_client, newcomer)

    assert members_awaiting_team_key(team) == []
    triage = staff_client_with_keys(world, "triage")
    assert "newtriage" not in triage.get("/en/staff/").content.decode()
    response = triage.post(f"/en/staff/teams/{team.pk}/share-key/{newcomer.pk}/")
    assert response.status_code == 404
    with pytest.raises(KeyActionRefused, match=WHY):
        do_add_team_member_key(
            team, newcomer, private_key("triage"), actor=User.objects.get(username="triage")
        )
    assert not TeamKeyWrap.objects.filter(user=newcomer).exists()


def test_give_team_key_refuses_an_interim_key_pair_and_says_why(world, staff_client, monkeypatch):
    newcomer = newcomer_in_triage(world)
    reset_by_admin(staff_client, newcomer)
    monkeypatch.setattr("getpass.getpass", lambda prompt: TEST_PASSWORD)

    with pytest.raises(CommandError, match=f"{WHY}, and until they log in and choose a new one"):
        call_command(
            "give_team_key",
            str(world.teams["triage"].pk),
            newcomer.email,
            admin_a=world.users["admin"].email,
            admin_b=world.users["admin2"].email,
        )
    assert not TeamKeyWrap.objects.filter(user=newcomer).exists()
