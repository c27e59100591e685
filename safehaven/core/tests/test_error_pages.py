"""Error pages (400, 403, 404, 500) never echo input (SECURITY.md): not the path, not the
query string, not as text and not as a link; their language links go to each language's home."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client, RequestFactory
from django.utils.translation import override
from django.views import defaults

pytestmark = pytest.mark.django_db

HOMES = [f"/{code}/" for code, _name in settings.LANGUAGES]


def language_hrefs(html: str) -> list[str]:
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S)
    assert nav is not None, "no language links"
    return re.findall(r'href="([^"]*)"', nav.group(0))


def assert_echoes_nothing(html: str, *typed: str) -> None:
    for text in typed:
        assert text not in html
    for escaped in ("q=", "%3Cscript", "&lt;script", "<script>"):
        assert escaped not in html


def test_it_links_each_languages_home_on_a_404_for_another_site(client: Client):
    # The test client reads "//evil.example/x" as a host; a real server passes it as the path.
    response = client.get("/", PATH_INFO="//evil.example/x")
    assert response.status_code == 404
    html = response.content.decode()
    assert language_hrefs(html) == HOMES
    assert_echoes_nothing(html, "evil.example")


def test_it_repeats_neither_the_path_nor_the_query_on_a_404(client: Client):
    response = client.get("/en/nowhere/?q=<script>")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert language_hrefs(html) == HOMES
    assert_echoes_nothing(html, "nowhere")


def test_it_links_each_languages_home_on_a_404_from_a_page_that_exists(client: Client, world):
    # The address matched a page, whose view found nothing: still nothing of it is repeated.
    client.force_login(world.users["triage"])
    response = client.get("/fr/staff/requests/987654/?q=<script>")
    assert response.status_code == 404
    html = response.content.decode()
    assert language_hrefs(html) == HOMES
    assert_echoes_nothing(html, "987654")


def test_it_links_each_languages_home_on_a_403(client: Client, world):
    client.force_login(world.users["caseworker"])
    response = client.get("/ar/staff/requests/?status=<script>")
    assert response.status_code == 403
    html = response.content.decode()
    assert language_hrefs(html) == HOMES
    assert_echoes_nothing(html, "staff/requests", "status=")


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (lambda request: defaults.bad_request(request, SuspiciousOperation("<script>")), 400),
        (lambda request: defaults.permission_denied(request, PermissionDenied("<script>")), 403),
        (lambda request: defaults.page_not_found(request, Http404("<script>")), 404),
        (defaults.server_error, 500),
    ],
)
def test_it_echoes_nothing_on_any_error_page(handler, status: int):
    request = RequestFactory().get("/en/nowhere-7f3e/?q=<script>sentinel-9a1c")
    with override("en"):
        response = handler(request)
    assert response.status_code == status
    assert_echoes_nothing(response.content.decode(), "nowhere", "7f3e", "9a1c")


def test_it_still_links_a_normal_page_in_each_language(client: Client):
    html = client.get("/es/help/").content.decode()
    assert language_hrefs(html) == [f"/{code}/help/" for code, _name in settings.LANGUAGES]
