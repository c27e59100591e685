"""Verification evidence from the portal: an image re-encoded without its metadata or a PDF as
sent, sealed to the request's inbox key as partner evidence (nothing of it in clear in the
database), listed to the member by kind and hour, downloadable by staff where the request's
files are; the note becomes a sealed message; wrong types, oversize files and the cap are
refused with a message and nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import AttachmentKind
from safehaven.intake.models import RequestAttachment
from safehaven.intake.tests.helpers import opened_record
from safehaven.keys.wrapping import is_inbox_blob
from safehaven.partners.models import ReferralMessage
from safehaven.partners.portal import actions as evidence_actions
from safehaven.partners.tests.portal_helpers import (
    PDF_BYTES,
    logged_in,
    pdf_upload,
    photo_upload,
    refer,
    show_url,
)

pytestmark = pytest.mark.django_db
NOTE = "Evidence-Note-Thistledown: we saw the summons."


def evidence_url(referral):
    return f"{show_url(referral)}evidence/"


def test_it_seals_a_photo_without_its_metadata_as_partner_evidence(world):
    referral = refer(world)
    partner = logged_in(world, "partner_a")
    response = partner.post(evidence_url(referral), {"file": photo_upload(), "note": NOTE})
    assert response.status_code == 302
    attachment = RequestAttachment.objects.get(help_request=referral)
    assert attachment.kind == AttachmentKind.PARTNER_EVIDENCE
    raw = bytes(attachment.content)
    assert is_inbox_blob(raw)
    assert b"Exif-Secret-Lakeshore" not in raw
    assert b"\xff\xd8\xff" not in raw[:16]
    attachment.open_with(opened_record(referral, "triage"))
    content = attachment.sealed_bytes("content") or b""
    assert content.startswith(b"\xff\xd8\xff")
    assert b"Exif-Secret-Lakeshore" not in content
    assert attachment.sealed("content_type") == "image/jpeg"
    # The note: a sealed message to the organisation.
    message = ReferralMessage.objects.get(help_request=referral)
    assert NOTE.encode() not in bytes(message.body)
    event = AuditEvent.objects.get(event_type=EventType.PARTNER_EVIDENCE_ADDED)
    assert str(attachment.item_id) in event.detail
    assert str(message.item_id) in event.detail
    assert NOTE not in event.detail
    html = partner.get(show_url(referral)).content.decode()
    assert "Evidence from the referring partner" in html
    assert NOTE in html  # in the messages


def test_staff_download_a_pdf_as_sent_and_see_it_labelled(world):
    referral = refer(world)
    partner = logged_in(world, "partner_a")
    assert partner.post(evidence_url(referral), {"file": pdf_upload()}).status_code == 302
    attachment = RequestAttachment.objects.get(help_request=referral)
    assert PDF_BYTES not in bytes(attachment.content)
    assert not ReferralMessage.objects.exists()  # no note, no message
    triage = logged_in(world, "triage")
    page = triage.get(f"/en/staff/requests/{referral.pk}/").content.decode()
    assert "Evidence from the referring partner" in page
    assert "Added by the referring partner" in page
    download = triage.get(f"/en/staff/requests/{referral.pk}/attachments/{attachment.item_id}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == PDF_BYTES


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.exe", b"MZ\x90\x00 not a picture"), "must be a PDF or an image"),
        (SimpleUploadedFile("a.pdf", b"junk then %PDF-1.4"), "must be a PDF or an image"),
        (SimpleUploadedFile("a.jpg", b"\xff\xd8\xff broken jpeg"), "could not be read"),
    ],
)
def test_it_refuses_a_file_it_cannot_keep(world, upload, message):
    referral = refer(world)
    response = logged_in(world, "partner_a").post(evidence_url(referral), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_it_refuses_an_empty_post(world):
    referral = refer(world)
    response = logged_in(world, "partner_a").post(evidence_url(referral), {"note": NOTE})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not RequestAttachment.objects.exists()
    assert not ReferralMessage.objects.exists()


def test_it_refuses_a_file_over_the_upload_cap(world, settings):
    referral = refer(world)
    partner = logged_in(world, "partner_a")
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    response = partner.post(evidence_url(referral), {"file": big})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This file is larger than 1 MB, so it was not added." in html
    assert not RequestAttachment.objects.exists()


def test_it_refuses_evidence_past_the_referrals_cap(world, monkeypatch):
    referral = refer(world)
    monkeypatch.setattr(evidence_actions, "MAX_EVIDENCE_FILES", 1)
    partner = logged_in(world, "partner_a")
    assert partner.post(evidence_url(referral), {"file": pdf_upload()}).status_code == 302
    response = partner.post(evidence_url(referral), {"file": pdf_upload()})
    assert response.status_code == 200
    assert "as many as it can hold" in response.content.decode()
    assert RequestAttachment.objects.count() == 1
