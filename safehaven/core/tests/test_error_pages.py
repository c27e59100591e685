"""Error pages (400, 403, 404, 500) never echo input (SECURITY.md): not the path, not the
query string, not as text and not as a link; their language links go to each language's home.
Each offers the quick exit, with its script: a requester may land on one with their status
cookie still set."""

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.translation import gettext, override
from django.views import defaults

from safehaven.core.middleware import CLEAR_SITE_DATA
from safehaven.core.public_forms.proof_of_work import SPENT
from safehaven.core.tests.failing_database import failing_on
from safehaven.intake.rate_budgets import LIMITER
from safehaven.intake.tests.helpers import SHOW_STATUS_URL, requester_client, submit_request

pytestmark = pytest.mark.django_db

HOMES = [f"/{code}/" for code, _name in settings.LANGUAGES]
QUICK_EXIT_LINK = re.compile(
    r'<a class="quick-exit" href="([^"]*)" rel="noreferrer" data-quick-exit>([^<]*)</a>'
)
# Django's own handlers, as the site's handler400/403/404/500 (none is overridden).
ERROR_HANDLERS = [
    (lambda request: defaults.bad_request(request, SuspiciousOperation("<script>")), 400),
    (lambda request: defaults.permission_denied(request, PermissionDenied("<script>")), 403),
    (lambda request: defaults.page_not_found(request, Http404("<script>")), 404),
    (defaults.server_error, 500),
]


def language_hrefs(html: str) -> list[str]:
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S)
    assert nav is not None, "no language links"
    return re.findall(r'href="([^"]*)"', nav.group(0))


def quick_exit_link(html: str) -> tuple[str, str]:
    """The quick exit's address and label; there must be exactly one."""
    links = QUICK_EXIT_LINK.findall(html)
    assert len(links) == 1, f"{len(links)} quick exit links"
    return links[0]


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


@pytest.mark.parametrize(("handler", "status"), ERROR_HANDLERS)
def test_it_echoes_nothing_on_any_error_page(handler, status: int):
    request = RequestFactory().get("/en/nowhere-7f3e/?q=<script>sentinel-9a1c")
    with override("en"):
        response = handler(request)
    assert response.status_code == status
    assert_echoes_nothing(response.content.decode(), "nowhere", "7f3e", "9a1c")


def test_it_still_links_a_normal_page_in_each_language(client: Client):
    html = client.get("/es/help/").content.decode()
    assert language_hrefs(html) == [f"/{code}/help/" for code, _name in settings.LANGUAGES]


@pytest.fixture
def requester(world) -> Iterator[Client]:
    """A browser that opened its status page (no intake limit left over from another test)."""
    LIMITER.clear()
    SPENT.clear()
    yield requester_client(submit_request())
    LIMITER.clear()
    SPENT.clear()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_it_offers_the_quick_exit_on_a_404(client: Client, language: str):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    href, label = quick_exit_link(response.content.decode())
    assert href == reverse("core-quick-exit")
    with override(language):
        assert label == gettext("Quick exit")
    left = client.get(href)
    assert left.status_code == 302
    assert left["Clear-Site-Data"] == CLEAR_SITE_DATA


@pytest.mark.parametrize(("handler", "status"), ERROR_HANDLERS)
def test_it_offers_the_quick_exit_on_every_error_page(handler, status: int):
    with override("ar"):
        response = handler(RequestFactory().get("/ar/nowhere/"))
        label = gettext("Quick exit")
    assert response.status_code == status
    assert quick_exit_link(response.content.decode()) == (reverse("core-quick-exit"), label)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_it_loads_the_quick_exits_script_on_the_500_page_without_the_database(
    django_assert_num_queries, language: str
):
    # Django renders 500.html without context processors; it must not need the database,
    # which may be what failed.
    with override(language), django_assert_num_queries(0):
        response = defaults.server_error(RequestFactory().get(f"/{language}/status/request/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert quick_exit_link(html)[0] == reverse("core-quick-exit")
    assert f'<script src="{static("core/site.js")}" defer></script>' in html
    assert f'<link rel="stylesheet" href="{static("core/site.css")}">' in html
    # The CSP blocks inline code: only the files may give the link its place and Esc-Esc.
    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html


def test_it_shows_the_500_page_when_the_static_manifest_lacks_its_files(settings, tmp_path):
    # In production static names come from a manifest, and a name missing from it raises:
    # the error page must not fail on the same missing file that failed the page.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with pytest.raises(ValueError, match="manifest"):
        static("core/site.css")  # the storage really is the strict one

    response = defaults.server_error(RequestFactory().get("/en/status/request/"))

    assert response.status_code == 500
    assert quick_exit_link(response.content.decode())[0] == reverse("core-quick-exit")
    assert f"{settings.STATIC_URL}core/site.js" in response.content.decode()


def test_it_lets_a_requester_leave_from_the_500_page_of_their_status_page(requester: Client):
    requester.raise_request_exception = False
    with failing_on("intake_statussession"):
        response = requester.get(SHOW_STATUS_URL)
    assert response.status_code == 500
    assert "sh_status" in requester.cookies  # still set: the way out must clear it
    href, _label = quick_exit_link(response.content.decode())
    left = requester.get(href)
    assert left.status_code == 302
    assert left["Location"] == settings.QUICK_EXIT_URL
    assert left["Clear-Site-Data"] == CLEAR_SITE_DATA
