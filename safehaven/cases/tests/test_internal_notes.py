"""Internal notes: sealed under the request's key, for the triage team only (never the person,
never a partner), audited without their text, blanked with the record, and a row written or
moved around the application never opens."""

from datetime import timedelta

import pytest
from django.db import connection

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.models import InternalNote
from safehaven.intake.notes.actions import do_add_internal_note
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    latest_request,
    opened_record,
    private_key,
    requester_client,
    staff_client_with_keys,
    submit_request,
)
from safehaven.keys.actions.records import do_shred_record
from safehaven.keys.records import seal_for_inbox
from safehaven.keys.tests.test_raw_storage import forms_found_in, raw_sqlite_bytes

NOTE = "Sentinel-Note-Quillfeather: her brother works for the police"


def show_url(help_request) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def notes_url(help_request) -> str:
    return f"/en/staff/requests/{help_request.pk}/notes/"


@pytest.mark.django_db
def test_it_adds_a_note_the_team_reads_and_audits_it_without_its_text(world, partner_codes):
    codename = submit_request(referral_code=partner_codes["partner_a"])
    help_request = latest_request()
    triage = staff_client_with_keys(world, "triage")

    response = triage.post(notes_url(help_request), {"note": NOTE})

    assert response.status_code == 302
    html = triage.get(show_url(help_request)).content.decode()
    assert NOTE in html
    assert 'id="internal-notes"' in html
    event = AuditEvent.objects.get(event_type=EventType.INTERNAL_NOTE_ADDED)
    assert event.actor == world.users["triage"]
    assert event.target_ref == str(help_request.record_id)
    assert "Quillfeather" not in event.detail
    # Not the person's, not a partner's, even a partner whose key opens the request.
    assert NOTE not in requester_client(codename).get(SHOW_STATUS_URL).content.decode()
    partner_page = staff_client_with_keys(world, "partner_a").get(show_url(help_request))
    assert partner_page.status_code == 200
    assert 'id="situation"' in partner_page.content.decode()  # the partner's key opened it
    assert NOTE not in partner_page.content.decode()
    assert 'id="internal-notes"' not in partner_page.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_partner_a_note(world, partner_codes):
    submit_request(referral_code=partner_codes["partner_a"])
    help_request = latest_request()
    partner = staff_client_with_keys(world, "partner_a")

    assert partner.post(notes_url(help_request), {"note": NOTE}).status_code == 403
    assert not InternalNote.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_empty_note(world):
    submit_request()
    help_request = latest_request()
    triage = staff_client_with_keys(world, "triage")

    response = triage.post(notes_url(help_request), {"note": "  "})

    assert response.status_code == 200
    assert 'id="internal-notes"' in response.content.decode()
    assert not InternalNote.objects.exists()


def add_note(world, help_request, username: str = "triage") -> InternalNote:
    return do_add_internal_note(
        help_request,
        actor=world.users[username],
        private_key=private_key(username),
        text=NOTE,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["author", "hour", "other_request", "inbox"])
def test_it_never_shows_a_note_written_or_moved_around_the_application(world, change):
    submit_request()
    first = latest_request()
    note = add_note(world, first)
    if change == "author":
        InternalNote.objects.filter(pk=note.pk).update(author=world.users["supervisor"])
    elif change == "hour":
        InternalNote.objects.filter(pk=note.pk).update(
            created_at=note.created_at + timedelta(hours=5)
        )
    elif change == "other_request":
        submit_request()
        second = latest_request()
        InternalNote.objects.filter(pk=note.pk).update(
            help_request=second, record_id=second.record_id
        )
    else:
        InternalNote.objects.filter(pk=note.pk).update(
            body=seal_for_inbox(first.record_id, note.sealed_binding("body"), NOTE)
        )
    shown = InternalNote.objects.get(pk=note.pk).help_request

    html = staff_client_with_keys(world, "triage").get(show_url(shown)).content.decode()

    assert NOTE not in html
    assert 'id="forged-notes"' in html


@pytest.mark.django_db
def test_it_blanks_notes_when_the_record_is_shredded(world):
    submit_request()
    help_request = latest_request()
    note = add_note(world, help_request)
    assert note.open_with(opened_record(help_request)).sealed("body") == NOTE

    do_shred_record(help_request.record_id, actor=None, reason="consent_withdrawn")

    assert bytes(InternalNote.objects.get(pk=note.pk).body or b"") == b""


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_note_in_clear_to_the_sqlite_file(world):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    submit_request()
    help_request = latest_request()
    triage = staff_client_with_keys(world, "triage")
    assert triage.post(notes_url(help_request), {"note": NOTE}).status_code == 302
    assert NOTE in triage.get(show_url(help_request)).content.decode()  # stored, and opens

    raw = raw_sqlite_bytes()

    assert str(help_request.record_id).replace("-", "").encode() in raw or (
        str(help_request.record_id).encode() in raw
    )  # a clear column is found, so the search works
    assert forms_found_in(raw, NOTE) == []
    assert forms_found_in(raw, "Quillfeather") == []
