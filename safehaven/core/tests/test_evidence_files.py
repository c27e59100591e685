"""Evidence files: the type comes from the content, images are re-encoded without any
metadata, and everything else is refused with a message the person can act on."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from safehaven.core.uploads import sanitise
from safehaven.core.uploads.fields import EvidenceFileField
from safehaven.core.uploads.sanitise import EvidenceRefused, sanitise_evidence

GPS_IFD = 0x8825
ORIENTATION = 0x0112
SENTINEL = "Sentinel-Metadata-Larkspur"


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotated: the stored image must come out upright
    exif[0x010E] = SENTINEL  # ImageDescription
    exif[GPS_IFD] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    output = BytesIO()
    Image.new("RGB", (40, 20), "red").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SENTINEL)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{SENTINEL}</x:xmpmeta>")
    output = BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type)


def refusal(content: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(ValidationError) as refused:
        EvidenceFileField().clean(upload(content, name))
    return " ".join(refused.value.messages)


def test_it_strips_gps_and_every_exif_tag_from_a_jpeg_and_turns_it_upright():
    original = jpeg_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test means something
    stored = EvidenceFileField().clean(upload(original))
    assert stored is not None
    assert stored.content_type == "image/jpeg"
    assert stored.extension == "jpg"
    read_back = Image.open(BytesIO(stored.content))
    assert read_back.format == "JPEG"
    assert dict(read_back.getexif()) == {}
    assert read_back.getexif().get_ifd(GPS_IFD) == {}
    assert "exif" not in read_back.info
    assert SENTINEL.encode() not in stored.content
    assert read_back.size == (20, 40)  # EXIF orientation 6 applied


def test_it_drops_the_text_and_xmp_chunks_of_a_png():
    stored = sanitise_evidence(upload(png_with_text(), "scan.png", "image/png"))
    assert stored.content_type == "image/png"
    assert SENTINEL.encode() not in stored.content
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP"):
        assert chunk not in stored.content
    assert Image.open(BytesIO(stored.content)).mode == "RGBA"


def test_it_keeps_a_webp_as_webp_without_metadata():
    output = BytesIO()
    exif = Image.Exif()
    exif[0x010E] = SENTINEL
    Image.new("RGB", (8, 8), "green").save(output, format="WEBP", exif=exif)
    stored = sanitise_evidence(upload(output.getvalue(), "x.webp", "image/webp"))
    assert stored.content_type == "image/webp"
    assert SENTINEL.encode() not in stored.content


def test_it_refuses_a_program_renamed_to_jpg_whatever_the_browser_says():
    program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    message = refusal(program, "holiday.jpg")
    assert "This type of file cannot be accepted" in message
    assert "JPEG, PNG, WebP" in message


def test_it_refuses_a_pdf_and_says_why_and_what_to_do():
    message = refusal(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF", "passport.jpg")
    assert "PDF files cannot be accepted" in message
    assert "photo of each page" in message


def test_it_refuses_a_damaged_image():
    message = refusal(jpeg_with_gps()[:40])
    assert "could not be read" in message


def test_it_refuses_an_image_with_too_many_pixels(monkeypatch):
    monkeypatch.setattr("safehaven.core.uploads.sanitise.MAX_PIXELS", 100)
    output = BytesIO()
    Image.new("L", (11, 10)).save(output, format="PNG")
    assert "too many pixels" in refusal(output.getvalue(), "a.png")


def test_it_refuses_a_file_over_the_cap(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(EvidenceRefused) as refused:
        sanitise_evidence(upload(b"\xff\xd8\xff" + b"\x00" * 2000))
    assert "This file is larger than" in refused.value.message


def test_it_never_keeps_the_original_name():
    stored = EvidenceFileField().clean(upload(jpeg_with_gps(), "Ivanov passport Grozny.jpg"))
    assert "Ivanov" not in repr(stored)
    assert not hasattr(stored, "name")


def test_it_refuses_more_than_24_megapixels_before_decoding(monkeypatch):
    assert sanitise.MAX_PIXELS <= 24_000_000
    output = BytesIO()
    Image.new("L", (5000, 5000)).save(output, format="PNG")  # 25 MP, a small file
    monkeypatch.setattr(
        sanitise, "_pixels_only", lambda *args: pytest.fail("decoded an image over the cap")
    )
    assert "too many pixels" in refusal(output.getvalue(), "a.png")


def test_it_refuses_rather_than_queues_when_two_images_are_being_decoded(monkeypatch):
    monkeypatch.setattr(sanitise, "SANITISING_WAIT_SECONDS", 0)
    busy = [sanitise._sanitising.acquire(blocking=False) for _slot in range(2)]
    try:
        assert busy == [True, True]
        assert "Please try again in a minute" in refusal(jpeg_with_gps())
    finally:
        for _slot in busy:
            sanitise._sanitising.release()
    assert EvidenceFileField().clean(upload(jpeg_with_gps())) is not None
