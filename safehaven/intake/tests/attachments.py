"""Images for the document-photo tests: a JPEG carrying a GPS position, built with Pillow."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safehaven.core.uploads.sanitise import sanitise_evidence
from safehaven.intake.models import HelpRequest, RequestAttachment

GPS_IFD = 0x8825
DOCUMENTS_URL = "/en/status/request/documents/"


def jpeg_with_gps(size: tuple[int, int] = (60, 40)) -> bytes:
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (43.0, 19.0, 5.0), 3: "E", 4: (45.0, 41.0, 39.0)}
    output = BytesIO()
    Image.new("RGB", size, "blue").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def photo_upload(content: bytes | None = None, name: str = "passport.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or jpeg_with_gps(), "image/jpeg")


def attach_photo(help_request: HelpRequest) -> RequestAttachment:
    """A document photo on ``help_request`` as the status page stores one (sealed to its inbox
    key), without going through the page."""
    photo = sanitise_evidence(photo_upload())
    attachment = RequestAttachment(record_id=help_request.record_id, help_request=help_request)
    attachment.seal_for_inbox("content", photo.content)
    attachment.seal_for_inbox("content_type", photo.content_type)
    attachment.save()
    return attachment
