"""The verification views: the checklist and evidence forms, the evidence download, and the
two-person approval from a supervisor's own re-authenticated session."""

import tempfile
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safehaven.accounts.tests.helpers import mark_reauthenticated
from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.models import EvidenceFile, VerificationApproval
from safehaven.cases.tests.helpers import primary_request
from safehaven.cases.tests.verification_helpers import (
    add_second_supervisor,
    case_in_verification,
    confirm_checklist,
)
from safehaven.cases.verification.actions import do_request_verification
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.attachments import GPS_IFD, attach_photo, jpeg_with_gps
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1000 * 1000


def case_url(case, tail=""):
    return f"/en/staff/cases/{case.pk}/{tail}"


def said(response):
    """The last message the response adds (earlier ones wait, unread, in the session)."""
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    return [message for message in shown if not message.startswith("Successfully signed in")][-1:]


def upload(client, case, content, name="page.jpg", description="Passport, first page"):
    photo = SimpleUploadedFile(name, content, "image/jpeg")
    return client.post(case_url(case, "evidence/"), {"file": photo, "description": description})


def stored_evidence(world, case):
    evidence = EvidenceFile.objects.get(case=case)
    opened_record = case.compartments.get(kind=CompartmentKind.CASEWORK)
    from safehaven.keys.records import open_record

    opened = open_record(
        opened_record.record_id, user=world.users["triage"], private_key=private_key("triage")
    )
    return evidence.open_with(opened).sealed_bytes("content")


@pytest.fixture
def upload_tmp(tmp_path, settings, monkeypatch):
    """Every temporary file Django or Python could make goes to ``tmp_path``."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_it_records_a_check_and_goes_back_to_the_case(world):
    case = case_in_verification(world)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(
        case_url(case, "verification/checks/"),
        {"item": "identity", "status": "confirmed", "method": "document", "note": "Seen."},
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert said(response) == ["Check recorded."]
    assert case.verification_items.get().status == "confirmed"


def test_it_refuses_a_check_with_a_message_and_keeps_what_was_typed(world):
    case = case_in_verification(world)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(
        case_url(case, "verification/checks/"),
        {"item": "lgbtq_identity", "status": "confirmed", "method": "document", "note": "Kept."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "not by a document" in page
    assert "Kept." in page
    assert not case.verification_items.exists()


def test_it_strips_gps_from_a_jpeg_uploaded_through_the_form(world, upload_tmp):
    case = case_in_verification(world)
    client = staff_client_with_keys(world, "caseworker")
    original = jpeg_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(GPS_IFD)
    response = upload(client, case, original)
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = stored_evidence(world, case)
    image = Image.open(BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in stored
    assert list(upload_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "This type of file cannot be accepted"),
        (b"%PDF-1.7\n" + b"\x00" * 200, "PDF files cannot be accepted"),
    ],
)
def test_it_refuses_a_file_it_cannot_keep_and_keeps_the_description(world, content, message):
    case = case_in_verification(world)
    client = staff_client_with_keys(world, "caseworker")
    response = upload(client, case, content, description="Birth certificate")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Birth certificate" in page
    assert not EvidenceFile.objects.exists()


def test_it_refuses_an_oversize_upload_and_writes_no_file(world, upload_tmp, settings):
    case = case_in_verification(world)
    client = staff_client_with_keys(world, "caseworker")
    response = upload(client, case, b"\xff\xd8\xff" + b"\x00" * settings.UPLOAD_MAX_BYTES)
    assert response.status_code == 200
    assert "This file is larger than 10 MB" in response.content.decode()
    assert list(upload_tmp.iterdir()) == []
    assert not EvidenceFile.objects.exists()


def test_it_leaves_no_file_in_the_temporary_directory_after_a_ten_megabyte_upload(
    world, upload_tmp
):
    case = case_in_verification(world)
    client = staff_client_with_keys(world, "caseworker")
    response = upload(client, case, b"\xff\xd8\xff" + b"\x00" * (TEN_MB - 3))
    # Not a readable image, so refused; what matters is that it never touched the disk.
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()
    assert list(upload_tmp.iterdir()) == []


def test_it_downloads_evidence_as_an_attachment_and_records_the_read(world):
    case = case_in_verification(world)
    client = staff_client_with_keys(world, "caseworker")
    upload(client, case, jpeg_with_gps())
    evidence = EvidenceFile.objects.get()
    supervisor = staff_client_with_keys(world, "supervisor")
    response = supervisor.get(case_url(case, f"evidence/{evidence.item_id}/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        f'attachment; filename="evidence-{str(evidence.item_id)[:8]}.jpg"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "page.jpg" not in repr(sorted(response.items()))
    assert AuditEvent.objects.filter(event_type=EventType.EVIDENCE_VIEWED).count() == 1


def test_it_refuses_evidence_to_those_who_may_not_open_the_case(world):
    case = case_in_verification(world)
    upload(staff_client_with_keys(world, "caseworker"), case, jpeg_with_gps())
    evidence = EvidenceFile.objects.get()
    url = case_url(case, f"evidence/{evidence.item_id}/")
    assert staff_client_with_keys(world, "partner_a").get(url).status_code == 403
    assert staff_client_with_keys(world, "interpreter").get(url).status_code == 403
    assert not AuditEvent.objects.filter(event_type=EventType.EVIDENCE_VIEWED).exists()


def test_it_shows_the_panel_with_the_approval_buttons_to_a_second_supervisor(world):
    case = case_in_verification(world)
    confirm_checklist(world, case)
    do_request_verification(
        case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    page = staff_client_with_keys(world, "supervisor").get(case_url(case)).content.decode()
    assert 'id="verification"' in page
    assert "Approve: the case is verified" in page


def decider(world, username):
    """A supervisor's own session, logged in with their keys and re-authenticated just now."""
    client = staff_client_with_keys(world, username)
    mark_reauthenticated(client, world.users[username])
    return client


def ask_as(world, case, username, client=None):
    confirm_checklist(world, case, username=username)
    client = client or staff_client_with_keys(world, username)
    response = client.post(case_url(case, "verification/ask/"))
    assert said(response) == ["Approval asked for. A supervisor other than you must approve it."]
    return VerificationApproval.objects.get(case=case)


def test_it_refuses_an_approval_by_the_supervisor_who_asked(world):
    case = case_in_verification(world)
    client = decider(world, "supervisor")
    approval = ask_as(world, case, "supervisor", client)
    response = client.post(case_url(case, f"verification/{approval.pk}/approve/"))
    assert response.status_code == 302
    assert said(response) == ["A second person must decide: you asked for this approval yourself."]
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION


def test_it_verifies_the_case_when_a_second_supervisor_approves(world):
    case = case_in_verification(world)
    approval = ask_as(world, case, "supervisor")
    add_second_supervisor(world)
    client = decider(world, "supervisor2")
    response = client.post(
        case_url(case, f"verification/{approval.pk}/approve/"), {"note": "Checked twice."}
    )
    assert response.status_code == 302, response.status_code
    assert response["Location"] == case_url(case), response["Location"]
    assert said(response) == ["Case verified."]
    case.refresh_from_db()
    assert case.state == CaseState.VERIFIED


def test_it_forbids_approval_to_someone_who_is_not_a_supervisor(world):
    case = case_in_verification(world)
    caseworker = staff_client_with_keys(world, "caseworker")
    approval = ask_as(world, case, "caseworker", caseworker)
    for client in (caseworker, staff_client_with_keys(world, "triage")):
        response = client.post(case_url(case, f"verification/{approval.pk}/approve/"))
        assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION


def test_it_asks_a_supervisor_with_a_stale_session_to_re_authenticate(world, settings):
    case = case_in_verification(world)
    approval = ask_as(world, case, "caseworker")
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    client = staff_client_with_keys(world, "supervisor")
    for action in ("approve", "refuse"):
        response = client.post(case_url(case, f"verification/{approval.pk}/{action}/"))
        assert response.status_code == 302
        assert "/accounts/reauthenticate/" in response["Location"]
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION
    assert VerificationApproval.objects.get().decision == "pending"


def test_it_refuses_a_refusal_without_a_reason_through_the_view(world):
    case = case_in_verification(world)
    approval = ask_as(world, case, "caseworker")
    client = decider(world, "supervisor")
    url = case_url(case, f"verification/{approval.pk}/refuse/")
    assert said(client.post(url, {"note": ""})) == ["Say why, so the checks can be done again."]
    response = client.post(url, {"note": "Ask the partner again."})
    assert said(response) == ["Approval refused. The case stays in verification."]


def test_it_marks_the_persons_photos_as_not_verifiable(world):
    case = case_in_verification(world)
    attach_photo(primary_request(case))
    page = staff_client_with_keys(world, "caseworker").get(case_url(case)).content.decode()
    photos = page.split('id="person-photos"')[1].split("</ul>")[0]
    assert "Not verifiable: arrived through the public inbox key" in photos


def test_it_shows_no_approval_buttons_to_a_supervisor_of_another_organisation(world):
    from safehaven.accounts.models import Membership, Role

    case = case_in_verification(world)
    approval = ask_as(world, case, "caseworker")
    Membership.objects.create(
        user=world.users["triage"], organisation=world.partner_a, role=Role.SUPERVISOR
    )
    client = decider(world, "triage")
    page = client.get(case_url(case)).content.decode()
    assert 'id="verification"' in page
    assert "Approve: the case is verified" not in page
    response = client.post(case_url(case, f"verification/{approval.pk}/approve/"))
    assert said(response) == [
        "Only a supervisor of the case's organisation can decide on a verification."
    ]
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION
