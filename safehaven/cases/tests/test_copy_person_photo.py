"""Copying the person's photo into a case's evidence: made safe again (it arrived through the
public inbox key, which any database writer can use), and deleted when its request is erased."""

import uuid
from io import BytesIO

import pytest
from PIL import Image

from safehaven.cases.evidence.actions import do_add_evidence, do_copy_person_photo, do_open_evidence
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import CasePerson, EvidenceFile
from safehaven.cases.tests.helpers import primary_request
from safehaven.cases.tests.verification_helpers import case_in_verification
from safehaven.core.uploads.sanitise import sanitise_evidence
from safehaven.intake.choices import AttachmentKind
from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.models import HelpRequest, RequestAttachment
from safehaven.intake.tests.attachments import GPS_IFD, attach_photo, jpeg_with_gps, photo_upload
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request

pytestmark = pytest.mark.django_db


def planted(
    help_request: HelpRequest, content: bytes, kind: str = AttachmentKind.DOCUMENT_PHOTO
) -> RequestAttachment:
    """What a database writer can put in: any bytes, sealed to the request's inbox key."""
    attachment = RequestAttachment(
        record_id=help_request.record_id, help_request=help_request, kind=kind
    )
    attachment.seal_for_inbox("content", content)
    attachment.seal_for_inbox("content_type", "image/jpeg")
    attachment.save()
    return attachment


def copy(world, case, attachment: RequestAttachment) -> EvidenceFile:
    return do_copy_person_photo(
        case,
        attachment_item_id=attachment.item_id,
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )


def test_it_makes_a_planted_photo_safe_again_before_keeping_it(world):
    case = case_in_verification(world)
    raw = jpeg_with_gps()
    assert Image.open(BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # the test means something
    evidence = copy(world, case, planted(primary_request(case), raw))
    opened = do_open_evidence(
        case, evidence.item_id, actor=world.users["triage"], private_key=private_key("triage")
    )
    assert opened.content != raw
    assert Image.open(BytesIO(opened.content)).getexif().get_ifd(GPS_IFD) == {}


def test_it_refuses_to_copy_a_planted_row_that_claims_to_be_a_partners(world):
    case = case_in_verification(world)
    raw = jpeg_with_gps()
    attachment = planted(primary_request(case), raw, kind=AttachmentKind.PARTNER_EVIDENCE)
    with pytest.raises(CaseActionRefused, match="not one the people of this case sent"):
        copy(world, case, attachment)
    assert not EvidenceFile.objects.exists()


def test_it_refuses_to_copy_a_planted_file_that_is_no_photo(world):
    case = case_in_verification(world)
    attachment = planted(primary_request(case), b"%PDF-1.4\n/JavaScript\n%%EOF")
    with pytest.raises(CaseActionRefused, match="This photo was not copied: PDF files cannot"):
        copy(world, case, attachment)
    assert not EvidenceFile.objects.exists()


def test_it_deletes_the_copies_when_the_request_is_erased(world):
    case = case_in_verification(world)
    help_request = primary_request(case)
    evidence = copy(world, case, attach_photo(help_request))
    assert evidence.source_request_id == help_request.pk
    uploaded = do_add_evidence(
        case,
        file=sanitise_evidence(photo_upload()),
        description="Staff's own",
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    assert uploaded.source_request_id is None

    do_shred_help_request(help_request, actor=None)

    assert list(EvidenceFile.objects.values_list("pk", flat=True)) == [uploaded.pk]


def test_it_never_copies_a_photo_of_a_request_linked_by_a_database_writer(world):
    case = case_in_verification(world)
    submit_request(situation="Someone else entirely.")
    other = latest_request()
    attachment = planted(other, jpeg_with_gps())
    # A row written straight into the database: no sealed link.
    CasePerson.objects.create(record_id=uuid.uuid4(), case=case, help_request=other)

    with pytest.raises(CaseActionRefused, match="not one the people of this case sent"):
        copy(world, case, attachment)
    assert not EvidenceFile.objects.filter(case=case, source_request=other).exists()
