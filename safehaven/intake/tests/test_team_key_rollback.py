"""A team's key rolled back in the database after a rotation (outside review of issue 14,
finding 3): every tag stays genuine, so only the newest version this app server saw (in memory,
and in the versions file across a restart) tells; intake leaves the team out, with an alarm."""

import pytest

from safehaven.accounts.actions import do_remove_membership
from safehaven.accounts.models import Membership, Role, User
from safehaven.intake.submission.actions import do_create_help_request
from safehaven.intake.tests.helpers import latest_request, private_key
from safehaven.intake.tests.test_short_transaction import draft, team_wrap_keys
from safehaven.keys.actions.teams import do_add_team_member_key, do_rotate_team_key
from safehaven.keys.models import RecordKeyWrap, TeamKey, TeamKeyWrap
from safehaven.keys.records import can_open
from safehaven.keys.team_key_versions import forget_team_key_versions
from safehaven.keys.tests.helpers import make_user, private_key_of
from safehaven.keys.tests.tampering import tamper_alarms

pytestmark = pytest.mark.django_db


def remove_a_holder_then_roll_back(world, django_capture_on_commit_callbacks):
    """The review's proof of concept: a member holding version n is removed (the rotation
    commits version n + 1); a database writer deletes n + 1, marks n active again and puts
    back the removed member's wrap, which it kept. Every tag stays genuine."""
    triage = world.teams["triage"]
    leaver = make_user("leaver")
    membership = Membership.objects.create(
        user=leaver, organisation=triage.organisation, team=triage, role=Role.TRIAGE
    )
    triager = User.objects.get(username="triage")
    do_add_team_member_key(triage, leaver, private_key("triage"), actor=triager)
    before = TeamKey.objects.get(team=triage, active=True)
    kept = TeamKeyWrap.objects.get(team_key=before, user=leaver)
    with django_capture_on_commit_callbacks(execute=True):
        do_remove_membership(membership=membership, actor=User.objects.get(username="admin"))
    after = TeamKey.objects.get(team=triage, active=True)
    assert after.version == before.version + 1
    return before, after, leaver, kept


def roll_back(before, after, leaver, kept) -> None:
    RecordKeyWrap.objects.filter(team_key=after).delete()
    TeamKeyWrap.objects.filter(team_key=after).delete()
    after.delete()
    TeamKey.objects.filter(pk=before.pk).update(active=True)
    TeamKeyWrap.objects.create(team_key=before, user=leaver, wrapped=bytes(kept.wrapped))


def test_it_wraps_nothing_to_a_team_key_rolled_back_after_a_rotation(
    world, django_capture_on_commit_callbacks
):
    before, after, leaver, kept = remove_a_holder_then_roll_back(
        world, django_capture_on_commit_callbacks
    )
    roll_back(before, after, leaver, kept)
    do_create_help_request(draft())
    stored = latest_request()
    assert not can_open(stored.record_id, user=leaver, private_key=private_key_of(leaver))
    assert team_wrap_keys(stored) == set()
    assert tamper_alarms() == [("teamkey", str(before.pk))]


def test_it_remembers_a_version_it_read_though_another_server_rotated(world):
    triage = world.teams["triage"]
    before = TeamKey.objects.get(team=triage, active=True)
    # Another app server rotates: this one only sees the new version when it reads the keys.
    after = do_rotate_team_key(triage, None, actor=None)
    do_create_help_request(draft())
    assert team_wrap_keys(latest_request()) == {after.pk}
    TeamKeyWrap.objects.filter(team_key=after).delete()
    RecordKeyWrap.objects.filter(team_key=after).delete()
    after.delete()
    TeamKey.objects.filter(pk=before.pk).update(active=True)
    do_create_help_request(draft())
    assert team_wrap_keys(latest_request()) == set()
    assert tamper_alarms() == [("teamkey", str(before.pk))]


def test_it_wraps_nothing_to_a_rolled_back_team_key_after_a_restart(
    world, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.KEYS_TEAM_KEY_VERSIONS_FILE = str(tmp_path / "team-key-versions.txt")
    before, after, leaver, kept = remove_a_holder_then_roll_back(
        world, django_capture_on_commit_callbacks
    )
    assert f"{after.team_id} {after.version}\n" in (tmp_path / "team-key-versions.txt").read_text()
    forget_team_key_versions()  # the app server restarts: only the file remembers
    roll_back(before, after, leaver, kept)
    do_create_help_request(draft())
    stored = latest_request()
    assert not can_open(stored.record_id, user=leaver, private_key=private_key_of(leaver))
    assert tamper_alarms() == [("teamkey", str(before.pk))]
