"""Staff forms keep Django's CSRF token check and accept our own no-referrer posts."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def token_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    return client, client.cookies["csrftoken"].value


def post_login(client: Client, token: str, **headers: str):
    return client.post(
        LOGIN,
        {"login": "nobody@staff.test", "password": "x" * 12, "csrfmiddlewaretoken": token},
        headers=headers,
    )


def test_it_accepts_a_null_origin_vouched_for_by_fetch_metadata():
    client, token = token_client()
    response = post_login(client, token, origin="null", sec_fetch_site="same-origin")
    assert response.status_code == 200  # the form answers (wrong password), no CSRF refusal


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", "none", ""])
def test_it_refuses_a_null_origin_without_same_origin_fetch_metadata(fetch_site: str):
    client, token = token_client()
    headers = {"origin": "null"} | ({"sec_fetch_site": fetch_site} if fetch_site else {})
    assert post_login(client, token, **headers).status_code == 403


def test_it_refuses_another_origin_even_with_a_token():
    client, token = token_client()
    response = post_login(client, token, origin="https://evil.example")
    assert response.status_code == 403


def test_it_still_needs_the_token():
    client, _token = token_client()
    response = post_login(client, "wrong", origin="null", sec_fetch_site="same-origin")
    assert response.status_code == 403


def test_it_installs_the_csrf_check_in_place_of_djangos():
    from django.conf import settings
    from django.middleware.csrf import CsrfViewMiddleware
    from django.utils.module_loading import import_string

    csrf = [path for path in settings.MIDDLEWARE if "Csrf" in path]
    assert csrf == ["safehaven.core.fetch_metadata.FetchMetadataCsrfViewMiddleware"]
    assert issubclass(import_string(csrf[0]), CsrfViewMiddleware)


def test_every_view_without_the_csrf_check_refuses_cross_origin_posts_itself():
    from safehaven.core.tests.urlwalk import iter_routes

    exempt = [route for route in iter_routes() if getattr(route.callback, "csrf_exempt", False)]
    assert exempt, "the public intake pages are csrf_exempt: the walk found none"
    # The partner API reads no cookie: its one credential is a Bearer token in a header,
    # which no cross-site form or link can send (docs/partners.md).
    unchecked = [
        route.name
        for route in exempt
        if not getattr(route.callback, "same_origin_checked", False)
        and not route.name.startswith("partners-api-")
    ]
    assert unchecked == []
