"""Record keys: codename access, grants, revocation, shredding and re-applying shreds."""

import io
import uuid

import pytest
from django.core.management import call_command

from safehaven.core.crypto import SealError, new_key_pair
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.records import (
    do_grant_record,
    do_reapply_shred,
    do_revoke_record,
    do_shred_record,
    open_with_escrow,
)
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.models import RecordKey, RecordKeyWrap, ShreddedRecord, ShredReason
from safehaven.keys.records import (
    can_open,
    new_record_key,
    open_record,
    open_record_with_codename,
    seal_for_inbox,
)
from safehaven.keys.shred import read_shred_list
from safehaven.keys.tests.sealed_models import SealedNote

pytestmark = pytest.mark.django_db
CODENAME = "orbit lantern mango velvet quarry tundra falcon"


@pytest.fixture
def shred_list(settings, tmp_path):
    settings.KEYS_SHRED_LIST_FILE = str(tmp_path / "shredded.txt")
    return tmp_path / "shredded.txt"


def test_it_opens_a_record_with_the_requesters_codename_only(world):
    record_id = uuid.uuid4()
    opened = new_record_key(record_id, readers=[world.triage], codename=CODENAME)
    sealed = opened.seal("status", "We received your request")
    as_requester = open_record_with_codename(
        record_id, "  Orbit LANTERN mango velvet quarry tundra falcon "
    )
    assert as_requester.open_text("status", sealed) == "We received your request"
    with pytest.raises(RecordUnavailable):
        open_record_with_codename(record_id, "orbit lantern mango velvet quarry tundra eagle")
    with pytest.raises(RecordUnavailable):
        open_record_with_codename(uuid.uuid4(), CODENAME)


def test_it_binds_the_codename_wrap_to_its_record(world):
    first, second = uuid.uuid4(), uuid.uuid4()
    new_record_key(first, readers=[world.triage], codename=CODENAME)
    new_record_key(second, readers=[world.triage], codename=CODENAME)
    first_wrap = RecordKeyWrap.objects.get(record_key__record_id=first, kind="codename")
    RecordKeyWrap.objects.filter(record_key__record_id=second, kind="codename").update(
        wrapped=first_wrap.wrapped
    )
    with pytest.raises(RecordUnavailable):
        open_record_with_codename(second, CODENAME)


def test_it_grants_only_through_someone_who_can_open_the_record(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage])
    triager, worker = world.users["triager"], world.users["worker"]
    with pytest.raises(KeyActionRefused, match="cannot open this record"):
        do_grant_record(
            record_id,
            to_team=world.casework,
            granter=worker,
            granter_private_key=world.key("worker"),
            actor=worker,
        )
    do_grant_record(
        record_id,
        to_team=world.casework,
        granter=triager,
        granter_private_key=world.key("triager"),
        actor=triager,
    )
    assert can_open(record_id, user=worker, private_key=world.key("worker"))
    with pytest.raises(KeyActionRefused, match="already shared"):
        do_grant_record(
            record_id,
            to_team=world.casework,
            granter=triager,
            granter_private_key=world.key("triager"),
            actor=triager,
        )
    assert AuditEvent.objects.filter(
        event_type=EventType.RECORD_GRANTED, target_ref=str(record_id)
    ).exists()


def test_it_revokes_a_team_grant(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage, world.casework])
    do_revoke_record(record_id, from_team=world.casework, actor=world.users["admin1"])
    assert not can_open(record_id, user=world.users["worker"], private_key=world.key("worker"))
    assert can_open(record_id, user=world.users["triager"], private_key=world.key("triager"))
    with pytest.raises(KeyActionRefused, match="not shared"):
        do_revoke_record(record_id, from_team=world.casework, actor=world.users["admin1"])


def test_it_cannot_open_a_shredded_record_by_any_path(world, shred_list):
    note = SealedNote()
    opened = new_record_key(note.record_id, readers=[world.triage], codename=CODENAME)
    note.open_with(opened).seal("body", "to be erased")
    note.save()
    inbox_blob = seal_for_inbox(note.record_id, "keys.sealednote.body", "late message")
    assert opened.open("keys.sealednote.body", inbox_blob, allow_inbox=True) == b"late message"

    do_shred_record(note.record_id, actor=world.users["admin1"], reason=ShredReason.RETENTION)
    assert not RecordKey.objects.filter(record_id=note.record_id).exists()
    assert not RecordKeyWrap.objects.filter(record_key__record_id=note.record_id).exists()
    assert SealedNote.objects.get(pk=note.pk).body is None
    with pytest.raises(RecordUnavailable):
        open_record(note.record_id, user=world.users["triager"], private_key=world.key("triager"))
    with pytest.raises(RecordUnavailable):
        open_record_with_codename(note.record_id, CODENAME)
    with pytest.raises(RecordUnavailable):
        open_with_escrow(note.record_id, world.key("admin1"), world.key("admin2"))
    with pytest.raises(KeyActionRefused, match="shredded and cannot be used again"):
        new_record_key(note.record_id, readers=[world.triage])
    assert ShreddedRecord.objects.filter(record_id=note.record_id).exists()


def test_it_reapplies_shreds_after_a_restore(world, shred_list):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage])
    do_shred_record(record_id, actor=None, reason="consent_withdrawn")
    # on_commit callbacks do not run inside the test transaction: write the list ourselves.
    shred_list.write_text(f"{record_id}\n")
    assert read_shred_list(shred_list) == [record_id]

    # A restore brings back a backup taken before the shred: the key and the list row return.
    ShreddedRecord.objects.all().delete()
    new_record_key(record_id, readers=[world.triage])
    out = io.StringIO()
    call_command("reapply_shreds", stdout=out)
    assert "Shreds re-applied: 1 of 1." in out.getvalue()
    assert not RecordKey.objects.filter(record_id=record_id).exists()
    assert ShreddedRecord.objects.get(record_id=record_id).reason == ShredReason.REAPPLIED
    assert do_reapply_shred(record_id, actor=None) is False


def test_it_refuses_a_free_text_shred_reason(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage])
    with pytest.raises(ValueError, match="is not a valid ShredReason"):
        do_shred_record(record_id, actor=None, reason="asked by Maria from Kazan")


def test_it_refuses_an_inbox_blob_in_a_field_that_takes_no_arrivals(world):
    """Anyone who can write to the database can seal to the clear inbox public key: such a
    blob must not replace a value staff sealed."""
    note = SealedNote()
    opened = new_record_key(note.record_id, readers=[world.triage])
    note.open_with(opened).seal("body", "meet at the north station")
    note.save()
    note.body = seal_for_inbox(note.record_id, "keys.sealednote.body", "meet at the checkpoint")
    note.save()
    with pytest.raises(SealError):
        SealedNote.objects.get(pk=note.pk).open_with(opened).sealed("body")
    with pytest.raises(ValueError, match="accepts_inbox"):
        note.seal_for_inbox("body", "x")


def test_it_refuses_a_swapped_inbox_public_key(world):
    note = SealedNote()
    new_record_key(note.record_id, readers=[world.triage])
    attacker = new_key_pair()
    RecordKey.objects.filter(record_id=note.record_id).update(inbox_public_key=attacker.public)
    reopened = open_record(
        note.record_id, user=world.users["triager"], private_key=world.key("triager")
    )
    with pytest.raises(SealError, match="does not match"):
        reopened.inbox_private_key()


def test_it_opens_a_codename_with_dashes_typed_any_way(world):
    record_id = uuid.uuid4()
    new_record_key(record_id, readers=[world.triage], codename="t shirt apple river")
    for typed in ("t-shirt apple river", "T\u2013Shirt  Apple.River", " t_shirt/apple-river "):
        assert open_record_with_codename(record_id, typed)
