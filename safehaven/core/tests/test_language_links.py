"""The language links every page carries: the same page in each language, no cookie needed;
what Django's ``translate_url`` would give, found with one URL resolution. Staff pages keep the
query string, public pages drop it and keep the rendered links per language and path only."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import RequestFactory
from django.urls import resolve, translate_url
from django.utils.translation import override

from safehaven.core.context_processors import site

pytestmark = pytest.mark.django_db


def links_for(
    path: str, *, resolved: bool = True, made_by: str = "language_links"
) -> dict[str, str]:
    request = RequestFactory().get(path)
    # As LocaleMiddleware does: the path's language is active while the page is made.
    with override(path.split("/")[1]):
        if resolved:
            request.resolver_match = resolve(request.path_info)
        made = site(request)[made_by]
        assert callable(made)
        links = made()
    assert isinstance(links, list)
    return {link["code"]: link["url"] for link in links}


def translated(path: str, code: str) -> str:
    with override(path.split("/")[1]):
        return translate_url(path, code)


@pytest.mark.parametrize(
    "path",
    [
        "/en/help/",
        "/fa/status/request/?page=2",
        "/ar/staff/requests/7/",
        "/ru/",
    ],
)
def test_it_links_the_same_page_in_every_language(path):
    links = links_for(path)
    assert list(links) == [code for code, _name in settings.LANGUAGES]
    for code, url in links.items():
        assert url == translated(path, code)
        assert url.startswith(f"/{code}/")


def test_it_keeps_the_query_string():
    assert links_for("/en/help/?from=partner")["es"] == "/es/help/?from=partner"


def test_it_drops_the_query_string_from_the_links_of_public_pages():
    links = links_for("/en/help/?from=partner", made_by="public_language_links")
    assert links["es"] == "/es/help/"
    assert links["en"] == "/en/help/"


@pytest.mark.parametrize("path", ["/en/no-such-page/", "//evil.example/x", "/en//evil.example/x"])
def test_it_links_each_languages_home_when_no_page_matched(path):
    # A 404 page: nothing matched, so nothing made from the path may become a link.
    for made_by in ("language_links", "public_language_links"):
        links = links_for(path, resolved=False, made_by=made_by)
        assert links == {code: f"/{code}/" for code in links}
        assert list(links) == [code for code, _name in settings.LANGUAGES]


def test_it_shows_the_links_on_a_public_page_without_its_query_string(client):
    html = client.get("/fr/help/?x=1").content.decode()
    assert 'href="/ar/help/"' in html
    assert 'href="/fr/help/" lang="fr" hreflang="fr" aria-current' in html
    assert "x=1" not in html


def test_it_keeps_the_query_string_on_the_links_of_staff_pages(client, world):
    client.force_login(world.users["triage"])
    html = client.get("/fr/staff/requests/?status=reviewing").content.decode()
    assert 'href="/ar/staff/requests/?status=reviewing"' in html


def test_it_never_shows_the_links_kept_for_one_page_on_another(client):
    # The rendered links are kept per language and path (base.html, {% cache %}).
    for path in ("/en/help/", "/en/status/", "/fr/help/", "/en/help/?x=2", "/en/help/"):
        page = client.get(path).content.decode()
        language, rest = path[1:3], path[3:].partition("?")[0]
        assert f'href="/ar{rest}"' in page
        current = f'href="/{language}{rest}" lang="{language}" hreflang="{language}" aria-current'
        assert current in page


def kept_fragments() -> int:
    return len(caches["template_fragments"]._cache)  # type: ignore[attr-defined]


def test_it_keeps_the_links_of_a_public_page_per_path_only(client):
    client.get("/en/help/")
    key = make_template_fragment_key("language_links", ["en", "/en/help/"])
    assert caches["template_fragments"].get(key) is not None


def test_it_keeps_nothing_for_public_pages_asked_with_a_query_string(client):
    for number in range(50):
        page = client.get(f"/en/help/?look={number}-7f3e").content.decode()
        assert 'href="/ar/help/"' in page
    assert kept_fragments() <= 1  # the empty request form, the same for every address
    client.get("/en/help/")
    kept = kept_fragments()
    for number in range(50):
        page = client.get(f"/en/help/?look={number}-7f3e&q=%3Cscript%3E").content.decode()
        assert 'href="/ar/help/"' in page
        assert 'href="/en/help/" lang="en" hreflang="en" aria-current' in page
        assert "7f3e" not in page
    assert kept_fragments() == kept
    key = make_template_fragment_key("language_links", ["en", "/en/help/"])
    assert "7f3e" not in caches["template_fragments"].get(key)
