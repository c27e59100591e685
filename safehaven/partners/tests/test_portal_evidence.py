"""Verification evidence from the portal: an image re-encoded without its metadata or a PDF as
sent, sealed under the request's data key with the member's key as partner evidence (nothing of
it in clear in the database, nothing sealed to the public inbox key), listed to the member by
kind and hour, downloadable by staff where the request's files are; the note becomes a sealed
message; wrong types, oversize files, the cap and a session without the member's key are
refused with a message and nothing stored. A partner evidence row a database writer seals to
the inbox key is never served nor labelled as the partner's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from safehaven.accounts.models import User
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.attachments.actions import do_open_attachment
from safehaven.intake.choices import AttachmentKind
from safehaven.intake.models import RequestAttachment
from safehaven.intake.tests.helpers import opened_record, private_key
from safehaven.keys.wrapping import is_inbox_blob
from safehaven.partners.models import ReferralMessage
from safehaven.partners.portal import actions as evidence_actions
from safehaven.partners.portal.actions import do_add_partner_evidence, partner_evidence
from safehaven.partners.referral_messages.actions import ReferralMessageRefused
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
    # Under the request's data key, not the public inbox key: a database writer cannot.
    assert not is_inbox_blob(raw)
    assert not is_inbox_blob(bytes(attachment.content_type))
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


def test_it_refuses_evidence_without_the_members_key(world):
    referral = refer(world)
    with pytest.raises(ReferralMessageRefused, match="not unlocked"):
        do_add_partner_evidence(
            referral, upload=pdf_upload(), note="", actor=world.users["partner_a"], private_key=None
        )
    assert not RequestAttachment.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.PARTNER_EVIDENCE_ADDED).exists()


PLANTED_PDF = b"%PDF-1.7\n<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>\n%%EOF"


def plant_partner_evidence(referral) -> RequestAttachment:
    """What a database writer can do: seal a row to the request's public inbox key (no private
    key needed) and call it the partner's evidence."""
    planted = RequestAttachment(
        record_id=referral.record_id, help_request=referral, kind=AttachmentKind.PARTNER_EVIDENCE
    )
    planted.seal_for_inbox("content", PLANTED_PDF)
    planted.seal_for_inbox("content_type", "application/pdf")
    planted.save()
    return planted


def test_a_planted_partner_evidence_row_is_never_served(world):
    referral = refer(world)
    planted = plant_partner_evidence(referral)
    triage = User.objects.get(username="triage")
    with pytest.raises(Http404):
        do_open_attachment(
            referral, planted.item_id, actor=triage, private_key=private_key("triage")
        )
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_VIEWED).exists()
    browser = logged_in(world, "triage")
    url = f"/en/staff/requests/{referral.pk}/attachments/{planted.item_id}/"
    assert browser.get(url).status_code == 404
    page = browser.get(f"/en/staff/requests/{referral.pk}/").content.decode()
    assert "This file does not match its seal" in page
    assert "Added by the referring partner" not in page
    assert url not in page
    # Nor does the partner see it among the evidence their organisation added.
    assert partner_evidence(referral) == []


def test_a_planted_row_beside_real_evidence_leaves_the_real_one_served(world):
    referral = refer(world)
    partner = logged_in(world, "partner_a")
    assert partner.post(evidence_url(referral), {"file": pdf_upload()}).status_code == 302
    real = RequestAttachment.objects.get(help_request=referral)
    planted = plant_partner_evidence(referral)
    assert [row.item_id for row in partner_evidence(referral)] == [real.item_id]
    triage = User.objects.get(username="triage")
    opened = do_open_attachment(
        referral, real.item_id, actor=triage, private_key=private_key("triage")
    )
    assert opened.content == PDF_BYTES
    page = logged_in(world, "triage").get(f"/en/staff/requests/{referral.pk}/").content.decode()
    assert "Added by the referring partner" in page
    assert "This file does not match its seal" in page
    assert f"/attachments/{planted.item_id}/" not in page
