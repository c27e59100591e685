"""Staff read the person's document photos: listed for those who can open the request, each
download opened with the reader's own key, audited, and never cached; erasure takes them."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.attachments.actions import attachments_panel_context
from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.models import RequestAttachment
from safehaven.intake.tests.attachments import DOCUMENTS_URL, photo_upload
from safehaven.intake.tests.helpers import (
    latest_request,
    opened_record,
    requester_client,
    staff_client_with_keys,
    submit_request,
)
from safehaven.keys.actions.records import do_shred_record
from safehaven.keys.models import ShredReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(world) -> RequestAttachment:
    requester = requester_client(submit_request())
    assert requester.post(DOCUMENTS_URL, {"photo": photo_upload()}).status_code == 302
    return RequestAttachment.objects.get()


def download_url(attachment: RequestAttachment) -> str:
    return f"/en/staff/requests/{attachment.help_request_id}/attachments/{attachment.item_id}/"


def test_it_sends_the_photo_as_a_download_that_is_not_stored(world, attachment):
    response = staff_client_with_keys(world, "triage").get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith('attachment; filename="document-')
    assert "passport" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"\xff\xd8\xff")


def test_it_audits_each_download(world, attachment):
    staff_client_with_keys(world, "triage").get(download_url(attachment))
    event = AuditEvent.objects.filter(event_type=EventType.REQUEST_VIEWED).last()
    assert event is not None
    assert event.detail == "attachment"
    assert event.actor_id == world.users["triage"].pk


@pytest.mark.parametrize("role", ["caseworker", "partner_b"])
def test_it_hides_the_photo_from_who_cannot_open_the_request(world, attachment, role):
    assert staff_client_with_keys(world, role).get(download_url(attachment)).status_code == 404


def test_it_refuses_other_roles(world, attachment):
    assert staff_client_with_keys(world, "finance").get(download_url(attachment)).status_code == 403


def test_it_finds_no_attachment_of_another_request(world, attachment):
    other = requester_client(submit_request())
    assert other.get("/en/status/request/").status_code == 200
    url = f"/en/staff/requests/{latest_request().pk}/attachments/{attachment.item_id}/"
    triage = staff_client_with_keys(world, "triage")
    assert triage.get(url).status_code == 404
    unknown = f"/en/staff/requests/{attachment.help_request_id}/attachments/{uuid.uuid4()}/"
    assert triage.get(unknown).status_code == 404


def test_it_does_not_open_a_photo_moved_to_another_hour(world, attachment):
    RequestAttachment.objects.filter(pk=attachment.pk).update(
        created_at=attachment.created_at - timedelta(hours=5)
    )
    assert staff_client_with_keys(world, "triage").get(download_url(attachment)).status_code == 404


def test_it_lists_attachments_only_for_a_reader_whose_key_opened_the_request(world, attachment):
    help_request = attachment.help_request
    listed = attachments_panel_context(help_request, opened_record(help_request))["attachments"]
    assert isinstance(listed, list)
    assert [row.item_id for row in listed] == [attachment.item_id]
    assert attachments_panel_context(help_request, None)["attachments"] is None


def test_it_erases_the_photos_with_the_request(world, attachment):
    do_shred_help_request(attachment.help_request, actor=None)
    assert not RequestAttachment.objects.exists()
    response = staff_client_with_keys(world, "triage").get(download_url(attachment))
    assert response.status_code == 404


def test_it_blanks_the_photos_when_the_record_is_shredded(world, attachment):
    do_shred_record(attachment.record_id, actor=None, reason=ShredReason.CONSENT_WITHDRAWN)
    attachment.refresh_from_db()
    assert attachment.content is None
    assert attachment.content_type is None


def test_it_needs_a_login(world, attachment):
    response = Client().get(download_url(attachment))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_marks_each_photo_as_arrived_through_the_inbox_key(world, attachment):
    client = staff_client_with_keys(world, "triage")
    page = client.get(f"/en/staff/requests/{attachment.help_request_id}/").content.decode()
    listed = page[page.index('id="attachments"') :]
    listed = listed[: listed.index("</section>")]
    assert download_url(attachment) in listed
    assert "Not verifiable: arrived through the public inbox key" in listed
