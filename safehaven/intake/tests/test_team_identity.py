"""A team row changed in the database (outside review of issue 14, finding 2): a partner or
caseworker team turned into a triage team fails its key's tag, which covers the team's kind and
organisation, so intake leaves it out of new requests, with an alarm."""

import pytest

from safehaven.accounts.models import Team, TeamKind, User
from safehaven.intake.submission.actions import do_create_help_request
from safehaven.intake.submission.recipients import current_keys
from safehaven.intake.tests.helpers import latest_request, private_key
from safehaven.intake.tests.test_short_transaction import draft, team_wrap_keys
from safehaven.keys.models import RecordKeyWrap, TeamKey
from safehaven.keys.records import can_open
from safehaven.keys.tests.tampering import tamper_alarms

pytestmark = pytest.mark.django_db


def test_it_wraps_nothing_to_a_partner_team_turned_into_triage_in_the_database(world):
    partner_team = world.teams["partner_a"]
    partner_key = TeamKey.objects.get(team=partner_team, active=True)
    Team.objects.filter(pk=partner_team.pk).update(
        kind=TeamKind.TRIAGE, organisation=world.teams["triage"].organisation
    )
    do_create_help_request(draft())
    stored = latest_request()
    partner = User.objects.get(username="partner_a")
    assert not can_open(stored.record_id, user=partner, private_key=private_key("partner_a"))
    triage_key = TeamKey.objects.get(team=world.teams["triage"], active=True)
    assert team_wrap_keys(stored) == {triage_key.pk}
    assert tamper_alarms() == [("teamkey", str(partner_key.pk))]


def test_it_wraps_nothing_to_a_casework_team_turned_into_triage_in_the_database(world):
    casework = world.teams["casework"]
    casework_key = TeamKey.objects.get(team=casework, active=True)
    Team.objects.filter(pk=casework.pk).update(kind=TeamKind.TRIAGE)
    do_create_help_request(draft())
    assert not RecordKeyWrap.objects.filter(team_key=casework_key).exists()
    assert casework.pk not in current_keys().triage_team_ids
    assert tamper_alarms() == [("teamkey", str(casework_key.pk))]
