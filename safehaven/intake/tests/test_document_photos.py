"""The person sends photos of documents from their status page: re-encoded without metadata,
sealed to the request's inbox key, capped per request, audited like a message."""

from io import BytesIO

import pytest
from django.test import Client
from PIL import Image

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.core.uploads import sanitise
from safehaven.intake.models import RequestAttachment
from safehaven.intake.status_page import actions
from safehaven.intake.tests.attachments import (
    DOCUMENTS_URL,
    GPS_IFD,
    jpeg_with_gps,
    photo_upload,
)
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    latest_request,
    opened_record,
    rate_limits,
)

pytestmark = pytest.mark.django_db


def test_it_links_the_photo_page_from_the_status_page(requester):
    assert DOCUMENTS_URL in requester.get(SHOW_STATUS_URL).content.decode()
    page = requester.get(DOCUMENTS_URL)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()


def test_it_stores_a_photo_sealed_and_without_its_gps_position(requester):
    response = requester.post(DOCUMENTS_URL, {"photo": photo_upload()})
    assert response.status_code == 302
    assert response["Location"].endswith("?done=photo")
    help_request = latest_request()
    attachment = RequestAttachment.objects.get(help_request=help_request)
    assert attachment.record_id == help_request.record_id
    assert b"\xff\xd8" not in bytes(attachment.content)[:4]  # sealed, not a JPEG in clear
    attachment.open_with(opened_record(help_request))
    stored = attachment.sealed_bytes("content")
    assert stored is not None
    assert attachment.sealed("content_type") == "image/jpeg"
    read_back = Image.open(BytesIO(stored))
    assert read_back.getexif().get_ifd(GPS_IFD) == {}
    assert dict(read_back.getexif()) == {}
    assert latest_request().unread_since is not None
    event = AuditEvent.objects.filter(event_type=EventType.REQUEST_UPDATED_BY_REQUESTER).last()
    assert event is not None
    assert event.detail == "document photo"


def test_it_shows_neither_the_photos_sent_nor_how_many(requester):
    before = requester.get(DOCUMENTS_URL).content.decode()
    requester.post(DOCUMENTS_URL, {"photo": photo_upload()})
    page = requester.get(DOCUMENTS_URL).content.decode()
    assert "You have sent" not in page
    assert "<img" not in page
    # Whoever holds the phone cannot tell this page from the one before any photo was sent.
    assert page == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4\n%%EOF", "PDF files cannot be accepted"),
        (b"MZ\x90\x00" + b"\x00" * 100, "This type of file cannot be accepted"),
    ],
)
def test_it_refuses_what_it_cannot_make_safe_and_says_why(requester, content, message):
    response = requester.post(DOCUMENTS_URL, {"photo": photo_upload(content, "scan.jpg")})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_it_says_a_post_without_a_photo_sent_nothing(requester):
    # An empty post, as a hand-made request sends it: the form is bound and says why.
    response = requester.post(DOCUMENTS_URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_it_refuses_a_photo_over_the_upload_cap(requester, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    response = requester.post(DOCUMENTS_URL, {"photo": photo_upload(jpeg_with_gps((400, 400)))})
    assert response.status_code == 200
    assert "This file is larger than 1 MB" in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_it_refuses_more_photos_than_a_request_holds(requester, monkeypatch):
    monkeypatch.setattr(actions, "MAX_ATTACHMENTS_PER_REQUEST", 2)
    for _photo in range(2):
        assert requester.post(DOCUMENTS_URL, {"photo": photo_upload()}).status_code == 302
    response = requester.post(DOCUMENTS_URL, {"photo": photo_upload()})
    assert response.status_code == 200
    assert "You have already sent 2 photos" in response.content.decode()
    assert RequestAttachment.objects.count() == 2


def test_it_refuses_photos_over_the_request_total(requester, monkeypatch):
    monkeypatch.setattr(actions, "MAX_ATTACHMENT_BYTES_PER_REQUEST", 100)
    response = requester.post(DOCUMENTS_URL, {"photo": photo_upload()})
    assert response.status_code == 200
    assert "larger than this request can hold" in response.content.decode()
    assert not RequestAttachment.objects.exists()


def test_it_keeps_no_photo_without_a_status_session(world):
    response = Client().post(DOCUMENTS_URL, {"photo": photo_upload()})
    assert response.status_code == 200  # the codename form, saying the page closed
    assert not RequestAttachment.objects.exists()


@pytest.fixture
def decodings(monkeypatch) -> list[int]:
    """Each photo the sanitiser starts on (the costly part: decoding), counted."""
    calls: list[int] = []
    typed = sanitise.format_by_content

    def counting(head: bytes) -> str | None:
        calls.append(1)
        return typed(head)

    monkeypatch.setattr(sanitise, "format_by_content", counting)
    return calls


def test_it_counts_the_requests_budget_before_decoding_a_photo(requester, settings, decodings):
    settings.INTAKE_RATE_LIMITS = rate_limits(status_changes=(1, 3600))
    assert requester.post(DOCUMENTS_URL, {"photo": photo_upload()}).status_code == 302
    for _try in range(3):
        refused = requester.post(DOCUMENTS_URL, {"photo": photo_upload()})
        assert refused.status_code == 429
        assert "Many messages and changes have been sent" in refused.content.decode()
    assert len(decodings) == 1
    assert RequestAttachment.objects.count() == 1


def test_it_spends_the_budget_on_a_photo_it_cannot_make_safe(requester, settings, decodings):
    settings.INTAKE_RATE_LIMITS = rate_limits(status_changes=(1, 3600))
    unreadable = photo_upload(jpeg_with_gps()[:40])
    assert (
        "could not be read" in requester.post(DOCUMENTS_URL, {"photo": unreadable}).content.decode()
    )
    assert requester.post(DOCUMENTS_URL, {"photo": photo_upload()}).status_code == 429
    assert len(decodings) == 1


def test_it_checks_the_photo_cap_before_decoding(requester, monkeypatch, decodings):
    monkeypatch.setattr(actions, "MAX_ATTACHMENTS_PER_REQUEST", 1)
    assert requester.post(DOCUMENTS_URL, {"photo": photo_upload()}).status_code == 302
    response = requester.post(DOCUMENTS_URL, {"photo": photo_upload()})
    assert "You have already sent 1 photos" in response.content.decode()
    assert len(decodings) == 1


def test_it_refuses_a_post_of_many_files_without_decoding_any(requester, decodings):
    photos = [photo_upload() for _part in range(5)]
    response = requester.post(DOCUMENTS_URL, {"photo": photos})
    assert response.status_code == 400
    assert decodings == []
    assert not RequestAttachment.objects.exists()
