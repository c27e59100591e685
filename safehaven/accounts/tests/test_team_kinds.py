"""A team's kind fits its organisation's kind: every new request is wrapped to the triage
teams, so a "triage" team in a partner organisation would receive them all."""

import pytest

from safehaven.accounts.actions import ActionRefused, check_role_fits, do_create_team
from safehaven.accounts.models import Role, Team, TeamKind

pytestmark = pytest.mark.django_db


def test_it_refuses_a_triage_team_in_a_partner_organisation(world, staff_client):
    response = staff_client("admin").post(
        "/en/staff/admin/teams/add/",
        {
            "team-organisation": world.partner_a.pk,
            "team-name": "Triage",
            "team-kind": TeamKind.TRIAGE,
        },
    )
    assert response.status_code == 200
    assert "Triage and caseworker teams belong only to the relocating organisation." in (
        response.content.decode()
    )
    assert not world.partner_a.teams.filter(kind=TeamKind.TRIAGE).exists()


def test_it_refuses_a_casework_team_in_a_partner_organisation(world):
    with pytest.raises(ActionRefused, match="only to the relocating organisation"):
        do_create_team(
            organisation=world.partner_b, name="Cases", kind=TeamKind.CASEWORK, actor=None
        )


def test_it_refuses_a_partner_team_in_the_relocating_organisation(world):
    with pytest.raises(ActionRefused, match="Partner teams belong only to partner organisations"):
        do_create_team(
            organisation=world.organisation, name="Partners", kind=TeamKind.PARTNER, actor=None
        )


def test_it_allows_other_teams_anywhere(world):
    team = do_create_team(
        organisation=world.partner_a, name="Logistics", kind=TeamKind.OTHER, actor=None
    )
    assert team.pk


def test_it_refuses_a_role_in_a_team_of_the_wrong_kind_made_before(world):
    # Written before the check existed (or straight into the database).
    misplaced = Team.objects.create(organisation=world.partner_a, name="T", kind=TeamKind.TRIAGE)
    with pytest.raises(ActionRefused, match="only to the relocating organisation"):
        check_role_fits(organisation=world.partner_a, role=Role.PARTNER, team=misplaced)
