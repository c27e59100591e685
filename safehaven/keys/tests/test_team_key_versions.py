"""A team key rolled back in the database (outside review of issue 14, finding 3), as the key
layer sees it: the marks of the newest versions seen, and a rotation refused below them."""

import uuid

import pytest

from safehaven.keys.actions.teams import do_rotate_team_key
from safehaven.keys.models import RecordKey, TeamKey, TeamKeyWrap
from safehaven.keys.public_key_tags import PublicKeyTampered, record_pending_alarms
from safehaven.keys.records import new_record_key
from safehaven.keys.team_key_versions import forget_team_key_versions, newest_seen_of
from safehaven.keys.tests.tampering import tamper_alarms

pytestmark = pytest.mark.django_db


def roll_back_to(before: TeamKey) -> None:
    newer = TeamKey.objects.filter(team_id=before.team_id, version__gt=before.version)
    TeamKeyWrap.objects.filter(team_key__in=newer).delete()
    newer.delete()
    TeamKey.objects.filter(pk=before.pk).update(active=True)


def test_it_refuses_to_rotate_a_team_key_rolled_back_below_what_it_saw(
    world, django_capture_on_commit_callbacks
):
    before = TeamKey.objects.get(team=world.casework, active=True)
    with django_capture_on_commit_callbacks(execute=True):
        do_rotate_team_key(world.casework, None, actor=world.admins[0])
    assert newest_seen_of(world.casework.pk) == before.version + 1
    roll_back_to(before)
    with pytest.raises(PublicKeyTampered):
        do_rotate_team_key(world.casework, None, actor=world.admins[0])
    assert TeamKey.objects.get(team=world.casework, active=True).pk == before.pk
    record_pending_alarms()  # as at the end of the request
    assert tamper_alarms() == [("teamkey", str(before.pk))]


def test_it_keeps_no_mark_for_a_rotation_that_did_not_commit(world):
    do_rotate_team_key(world.casework, None, actor=world.admins[0])  # on_commit never runs here
    assert newest_seen_of(world.casework.pk) == 0


def test_it_reads_the_marks_other_processes_appended_to_the_file(world, settings, tmp_path):
    path = tmp_path / "team-key-versions.txt"
    settings.KEYS_TEAM_KEY_VERSIONS_FILE = str(path)
    path.write_text(f"{world.casework.pk} 3\nnot a line\n{world.casework.pk} 2\n7 1")
    assert newest_seen_of(world.casework.pk) == 3
    assert newest_seen_of(7) == 0  # an incomplete last line is read once it is complete
    with path.open("a") as file:
        file.write("\n")
    assert newest_seen_of(7) == 1
    forget_team_key_versions()
    assert newest_seen_of(world.casework.pk) == 3


def test_it_grants_no_record_to_a_team_key_rolled_back_below_what_it_saw(
    world, django_capture_on_commit_callbacks
):
    before = TeamKey.objects.get(team=world.casework, active=True)
    with django_capture_on_commit_callbacks(execute=True):
        do_rotate_team_key(world.casework, None, actor=world.admins[0])
    roll_back_to(before)
    record_id = uuid.uuid4()
    with pytest.raises(PublicKeyTampered):
        new_record_key(record_id, readers=[world.casework])
    assert not RecordKey.objects.filter(record_id=record_id).exists()
