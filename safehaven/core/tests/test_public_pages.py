"""Headers and same-origin loading on every public page (SECURITY.md, T7 and T8)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from safehaven.core.public import PUBLIC_URL_NAMES
from safehaven.core.tests.urlwalk import is_public, iter_routes

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
PUBLIC_PAGES = [f"/{code}/" for code in LANGUAGE_CODES] + ["/en/no-such-page/"]
OTHER_ORIGIN = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I
)
CSS_OTHER_ORIGIN = re.compile(
    r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//)""", re.I
)
STATIC_ROOTS = [Path(settings.BASE_DIR) / "safehaven"]


def assert_protective_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    sources = re.findall(r"(?:https?:)?//[^\s;]+", csp)
    assert sources == [], f"CSP allows another origin: {sources}"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_it_sends_protective_headers_and_no_cookie_on_public_pages(client: Client, path: str):
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert_protective_headers(response)
    assert not response.cookies, f"{path} set a cookie: {list(response.cookies)}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_it_references_no_other_origin_in_public_html(client: Client, path: str):
    html = client.get(path).content.decode()
    assert not OTHER_ORIGIN.search(html), OTHER_ORIGIN.search(html)


def test_it_references_no_other_origin_in_stylesheets_and_scripts():
    files = [
        path
        for root in STATIC_ROOTS
        for pattern in ("**/static/**/*.css", "**/static/**/*.js")
        for path in root.glob(pattern)
    ]
    assert files, "no static files found to scan"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not CSS_OTHER_ORIGIN.search(text), f"{path} loads from another origin"
        assert "http://" not in text, f"{path} names another origin"
        assert "https://" not in text, f"{path} names another origin"


@pytest.mark.django_db
def test_it_marks_arabic_and_persian_right_to_left(client: Client):
    for code, direction in [("ar", "rtl"), ("fa", "rtl"), ("en", "ltr"), ("ru", "ltr")]:
        html = client.get(f"/{code}/").content.decode()
        assert f'<html lang="{code}" dir="{direction}">' in html


@pytest.mark.django_db
def test_it_links_every_language_without_a_cookie(client: Client):
    html = client.get("/fr/").content.decode()
    for code in LANGUAGE_CODES:
        assert f'href="/{code}/"' in html
    assert 'hreflang="fr" aria-current="true"' in html


@pytest.mark.django_db
def test_it_offers_a_same_origin_quick_exit_and_clears_the_site(client: Client):
    html = client.get("/en/").content.decode()
    assert 'href="/exit"' in html
    response = client.get("/exit")
    assert response.status_code == 302
    assert response["Location"] == settings.QUICK_EXIT_URL
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert_protective_headers(response)


@pytest.mark.django_db
def test_it_redirects_the_root_to_a_language_prefix_without_a_cookie(client: Client):
    response = client.get("/", headers={"accept-language": "ar"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/"
    assert not response.cookies


@pytest.mark.django_db
def test_it_gives_a_skip_link_to_the_main_content(client: Client):
    html = client.get("/en/").content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index('id="main"')


def test_it_lists_every_public_view_explicitly():
    public_names = {route.name for route in iter_routes() if is_public(route.callback)}
    assert public_names == set(PUBLIC_URL_NAMES)
