"""Uploads stay in memory, under a hard cap: none, however large, lands in a temporary file."""

import tempfile

import pytest
from django.core.exceptions import TooManyFilesSent, ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import RequestFactory

from safehaven.core.uploads.fields import EvidenceFileField
from safehaven.core.uploads.handlers import BODY_ALLOWANCE, UploadTooLarge

TEN_MB = 10 * 1000 * 1000


@pytest.fixture
def upload_tmp(tmp_path, settings, monkeypatch):
    """Every temporary file Django or Python could make goes to ``tmp_path``."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def parsed_request(size: int):
    return RequestFactory().post(
        "/", {"photo": SimpleUploadedFile("page.jpg", b"\xff" * size, "image/jpeg")}
    )


def parsed_upload(size: int):
    return parsed_request(size).FILES["photo"]


def test_it_keeps_an_upload_of_ten_megabytes_in_memory_and_writes_no_file(upload_tmp):
    uploaded = parsed_upload(TEN_MB)
    assert isinstance(uploaded, InMemoryUploadedFile)
    assert uploaded.size == TEN_MB
    assert len(uploaded.read()) == TEN_MB
    assert list(upload_tmp.iterdir()) == []


def test_it_drops_an_upload_just_over_the_cap_and_writes_no_file(upload_tmp, settings):
    uploaded = parsed_upload(settings.UPLOAD_MAX_BYTES + 1)
    assert getattr(uploaded, "too_large", False)
    assert uploaded.read() == b""  # nothing of it was kept
    assert list(upload_tmp.iterdir()) == []


def test_it_tells_the_form_an_upload_is_over_the_cap(upload_tmp, settings):
    uploaded = parsed_upload(settings.UPLOAD_MAX_BYTES + 1)
    field = EvidenceFileField()
    with pytest.raises(ValidationError) as refused:
        field.clean(uploaded)
    assert "This file is larger than 10 MB" in " ".join(refused.value.messages)


def test_it_applies_a_smaller_cap_from_the_setting(upload_tmp, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    assert getattr(parsed_upload(2049), "too_large", False)
    assert parsed_upload(2048).read() == b"\xff" * 2048


def test_it_refuses_a_post_with_more_than_one_file():
    request = RequestFactory().post(
        "/",
        {
            "photo": SimpleUploadedFile("a.jpg", b"\xff" * 10, "image/jpeg"),
            "other": SimpleUploadedFile("b.jpg", b"\xff" * 10, "image/jpeg"),
        },
    )
    with pytest.raises(TooManyFilesSent):
        request.FILES  # noqa: B018


def test_it_refuses_a_body_over_the_cap_unread(upload_tmp, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    request = parsed_request(2048 + BODY_ALLOWANCE + 1)
    with pytest.raises(UploadTooLarge):
        request.FILES  # noqa: B018
    # Nothing of the body was read.
    assert len(request._stream.read()) == int(request.META["CONTENT_LENGTH"])
    # One file just over the cap still arrives as an oversize file, for the form to explain.
    assert getattr(parsed_upload(2049), "too_large", False)


def test_it_says_a_body_over_the_cap_is_too_large(client, settings, world):
    settings.UPLOAD_MAX_BYTES = 2048
    photo = SimpleUploadedFile("page.jpg", b"\xff" * (2048 + BODY_ALLOWANCE + 1), "image/jpeg")
    response = client.post("/en/status/request/documents/", {"photo": photo})
    assert response.status_code == 413
    assert "This file is larger than 1 MB, so it was not sent." in response.content.decode()
