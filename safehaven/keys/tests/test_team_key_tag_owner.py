"""Team key tags over the team's kind and organisation (outside review of issue 14, finding
2), and the migration that tags the existing versions again."""

import hmac
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from safehaven.accounts.models import Organisation, OrganisationKind, Team, TeamKind
from safehaven.keys.actions.teams import do_create_team_key
from safehaven.keys.models import TeamKey
from safehaven.keys.public_key_tags import PublicKeyKind, public_key_tag, tag_matches

pytestmark = pytest.mark.django_db

retag = __import__(
    "safehaven.keys.migrations.0007_bind_team_kind_into_team_key_tag",
    fromlist=["tag_team_keys_over_team_kind"],
).tag_team_keys_over_team_kind


def test_its_team_key_tag_covers_the_team_kind_and_organisation(world):
    team_key = TeamKey.objects.get(team=world.partner_team, active=True)
    assert tag_matches(team_key)
    Team.objects.filter(pk=world.partner_team.pk).update(kind=TeamKind.TRIAGE)
    assert not tag_matches(TeamKey.objects.get(pk=team_key.pk))
    Team.objects.filter(pk=world.partner_team.pk).update(
        kind=TeamKind.PARTNER, organisation=world.organisation
    )
    assert not tag_matches(TeamKey.objects.get(pk=team_key.pk))


def test_its_migration_tags_again_only_keys_whose_old_tag_verifies_and_whose_team_fits(world):
    def old_tag(team_key: TeamKey) -> bytes:
        owner = (team_key.team_id, team_key.version)
        return public_key_tag(PublicKeyKind.TEAM, owner, bytes(team_key.public_key))

    misfit = Team.objects.create(
        organisation=Organisation.objects.create(name="P", kind=OrganisationKind.PARTNER),
        name="Posing as triage",
        kind=TeamKind.TRIAGE,
    )
    do_create_team_key(misfit, actor=None)
    keys = {key.team_id: key for key in TeamKey.objects.filter(active=True)}
    for key in keys.values():
        TeamKey.objects.filter(pk=key.pk).update(public_key_tag=old_tag(key))
    TeamKey.objects.filter(pk=keys[world.casework.pk].pk).update(public_key_tag=b"\x00" * 32)

    retag(apps, SimpleNamespace(connection=connection))

    verifies = {key.team_id: tag_matches(key) for key in TeamKey.objects.filter(active=True)}
    assert verifies == {
        world.triage.pk: True,
        world.partner_team.pk: True,
        world.casework.pk: False,
        misfit.pk: False,
    }
    misfit_key = TeamKey.objects.get(team=misfit)
    assert hmac.compare_digest(bytes(misfit_key.public_key_tag), old_tag(misfit_key))
