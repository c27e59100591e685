"""Pages without a secret are gzipped; a response where a secret and input someone else could
influence meet never is (BREACH): the receipt, the status pages, staff pages."""

import gzip

import pytest
from django.conf import settings
from django.test import Client

from safehaven.intake.tests.helpers import (
    CONTACTS_URL,
    SHOW_STATUS_URL,
    STATUS_URL,
    requester_client,
    staff_client_with_keys,
    stamp_fields,
    submit_request,
    valid_post,
)

pytestmark = pytest.mark.django_db
GZIP = {"accept-encoding": "gzip, deflate, br"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def is_gzipped(response) -> bool:
    return response.get("Content-Encoding") == "gzip"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_compresses_the_landing_page_and_the_help_form(client: Client, language: str):
    for url in (f"/{language}/", f"/{language}/help/"):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200
        assert is_gzipped(response), url
        assert "Accept-Encoding" in response["Vary"]
        html = gzip.decompress(response.content).decode()
        assert f'<html lang="{language}"' in html
        assert not response.cookies
        plain = client.get(url)
        assert not is_gzipped(plain)  # only for a browser that asks
        assert len(response.content) < len(plain.content) / 2


def test_it_compresses_the_error_pages(client: Client):
    missing = client.get("/en/no-such-page/", headers=GZIP)
    assert missing.status_code == 404
    assert is_gzipped(missing)
    assert b"Page not found" in gzip.decompress(missing.content)


def test_it_never_compresses_the_receipt_or_a_form_given_back(client: Client, world):
    receipt = client.post("/en/help/", valid_post() | stamp_fields(), headers=GZIP)
    assert receipt.status_code == 200
    assert b'class="codename"' in receipt.content
    assert not is_gzipped(receipt)
    given_back = client.post(
        "/en/help/", valid_post(contact_phone="call me") | stamp_fields(), headers=GZIP
    )
    assert given_back.status_code == 200
    assert b"My family found my messages" in given_back.content  # what the person typed
    assert not is_gzipped(given_back)


def test_it_never_compresses_the_status_pages(world):
    codename = submit_request()
    assert not is_gzipped(Client().get(STATUS_URL, headers=GZIP))
    unknown = {"codename": "apple banana cherry delta eagle falcon grape", "phrase": ""}
    wrong = Client().post(STATUS_URL, unknown, headers=GZIP)
    assert wrong.status_code == 200
    assert not is_gzipped(wrong)
    requester = requester_client(codename)
    for url in (SHOW_STATUS_URL, CONTACTS_URL):
        response = requester.get(url, headers=GZIP)
        assert response.status_code == 200
        assert not is_gzipped(response), url


def test_it_never_compresses_a_staff_page(world):
    submit_request()
    triage = staff_client_with_keys(world, "triage")
    response = triage.get("/en/staff/requests/", headers=GZIP)
    assert response.status_code == 200
    assert len(response.content) > 200  # long enough that gzip would have taken it
    assert not is_gzipped(response)
