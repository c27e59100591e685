"""Origin / Sec-Fetch-Site checks that replace the CSRF cookie on intake forms."""

import pytest
from django.test import Client

from safehaven.intake.tests.helpers import valid_post

pytestmark = pytest.mark.django_db
URL = "/en/help/"
REFUSED = "This form was sent from another website"


def post(client: Client, url: str = URL, **headers: str):
    return client.post(url, valid_post(), headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "https://evil.example"},
        {"Origin": "http://testserver:8080"},
        {"Origin": "https://testserver"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "garbage"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "null"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},
    ],
)
def test_it_refuses_a_post_from_another_origin_with_a_clear_page(client: Client, headers):
    response = post(client, **headers)
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert "Your request was not sent" in response.content.decode()
    assert not response.cookies


def test_it_shows_the_refusal_in_the_language_of_the_page(client: Client):
    response = post(client, "/ar/help/", **{"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert 'href="/ar/help/"' in response.content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://testserver"},
        {"Origin": "HTTP://TestServer:80"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        # What browsers send for our own form under Referrer-Policy: no-referrer.
        {"Sec-Fetch-Site": "same-origin", "Origin": "null"},
        # The same, from a browser too old to send Fetch Metadata (Safari before 16.4).
        {"Origin": "null"},
    ],
)
def test_it_accepts_a_post_from_this_site_or_an_old_browser(client: Client, headers, world):
    response = post(client, **headers)
    assert response.status_code == 200
    assert 'class="codename"' in response.content.decode()


def test_it_accepts_https_origins_behind_tls(client: Client, world):
    response = client.post(URL, valid_post(), secure=True, headers={"Origin": "https://testserver"})
    assert response.status_code == 200


def test_it_lets_other_sites_link_to_the_form(client: Client):
    response = client.get(URL, headers={"Sec-Fetch-Site": "cross-site", "Origin": "null"})
    assert response.status_code == 200
