"""Sealed model fields: round trips, bindings, and plaintext never leaving the opened key."""

import pickle

import pytest

from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.records import new_record_key, open_record
from safehaven.keys.tests.sealed_models import SealedNote, SealedNoteMessage

pytestmark = pytest.mark.django_db


def make_note(world, body="Lives at 12 Hidden Street", phone="+7 912 345 67 89"):
    note = SealedNote(title="intake")
    opened = new_record_key(note.record_id, readers=[world.triage])
    note.open_with(opened)
    note.seal("body", body)
    note.seal("phone", phone)
    note.save()
    return note


def test_it_round_trips_sealed_fields_through_the_database(world):
    note = make_note(world)
    stored = SealedNote.objects.get(pk=note.pk)
    assert b"Hidden Street" not in bytes(stored.body)
    opened = open_record(
        stored.record_id, user=world.users["triager"], private_key=world.key("triager")
    )
    assert stored.open_with(opened).sealed("body") == "Lives at 12 Hidden Street"
    assert stored.sealed("phone") == "+7 912 345 67 89"
    assert stored.sealed_bytes("body") == b"Lives at 12 Hidden Street"


def test_it_fails_to_open_ciphertext_copied_to_another_row(world):
    first = make_note(world, body="first secret")
    second = make_note(world, body="second secret")
    SealedNote.objects.filter(pk=second.pk).update(body=first.body)
    copied = SealedNote.objects.get(pk=second.pk)
    opened = open_record(
        copied.record_id, user=world.users["triager"], private_key=world.key("triager")
    )
    with pytest.raises(SealError):
        copied.open_with(opened).sealed("body")


def test_it_fails_to_open_ciphertext_moved_to_another_field(world):
    note = make_note(world)
    SealedNote.objects.filter(pk=note.pk).update(phone=note.body)
    moved = SealedNote.objects.get(pk=note.pk)
    opened = open_record(
        moved.record_id, user=world.users["triager"], private_key=world.key("triager")
    )
    with pytest.raises(SealError):
        moved.open_with(opened).sealed("phone")


def test_it_fails_to_open_a_message_swapped_with_another_of_the_same_thread(world):
    note = make_note(world)
    opened = open_record(
        note.record_id, user=world.users["triager"], private_key=world.key("triager")
    )
    messages = []
    for text in ("first message", "second message"):
        message = SealedNoteMessage(record_id=note.record_id).open_with(opened)
        message.seal("text", text)
        message.save()
        messages.append(message)
    SealedNoteMessage.objects.filter(pk=messages[1].pk).update(text=messages[0].text)
    swapped = SealedNoteMessage.objects.get(pk=messages[1].pk).open_with(opened)
    with pytest.raises(SealError):
        swapped.sealed("text")
    assert SealedNoteMessage.objects.get(pk=messages[0].pk).open_with(opened).sealed("text") == (
        "first message"
    )


def test_it_raises_a_clear_error_when_read_without_the_key(world):
    note = SealedNote.objects.get(pk=make_note(world).pk)
    with pytest.raises(SealedValueUnavailable, match=r"SealedNote\.body is sealed.*open_with"):
        note.sealed("body")
    other = make_note(world)
    opened = open_record(
        other.record_id, user=world.users["triager"], private_key=world.key("triager")
    )
    with pytest.raises(SealedValueUnavailable, match="another record"):
        note.open_with(opened)


def test_it_keeps_plaintext_and_keys_out_of_repr_and_pickles(world):
    note = make_note(world, body="Sentinel-Repr-4411")
    opened = open_record(
        note.record_id, user=world.users["triager"], private_key=world.key("triager")
    )
    note.open_with(opened)
    assert note.sealed("body") == "Sentinel-Repr-4411"
    for text in (repr(note), str(note), repr(opened), str(opened), repr(vars(note))):
        assert "Sentinel-Repr-4411" not in text
        assert opened.data_key_for_wrapping().hex() not in text
    with pytest.raises(TypeError):
        pickle.dumps(opened)


def test_it_opens_values_sealed_to_the_inbox_with_nobody_present(world):
    note = make_note(world)
    message = SealedNoteMessage(record_id=note.record_id)
    message.seal_for_inbox("text", "I am safe for now")
    message.save()
    stored = SealedNoteMessage.objects.get(pk=message.pk)
    opened = open_record(
        note.record_id, user=world.users["triager"], private_key=world.key("triager")
    )
    assert stored.open_with(opened).sealed("text") == "I am safe for now"
    with pytest.raises(SealedValueUnavailable):
        SealedNoteMessage.objects.get(pk=message.pk).sealed("text")


def test_it_marks_sealed_fields_not_editable_in_forms(world):
    assert all(not field.editable for field in SealedNote.sealed_fields())
    assert SealedNote.sealed_field_names() == ["body", "phone"]
