"""The language links every page carries: the same page in each language, query kept, no
cookie needed; what Django's ``translate_url`` would give, found with one URL resolution."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import resolve, translate_url
from django.utils.translation import override

from safehaven.core.context_processors import site

pytestmark = pytest.mark.django_db


def links_for(path: str, *, resolved: bool = True) -> dict[str, str]:
    request = RequestFactory().get(path)
    # As LocaleMiddleware does: the path's language is active while the page is made.
    with override(path.split("/")[1]):
        if resolved:
            request.resolver_match = resolve(request.path_info)
        made = site(request)["language_links"]
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


def test_it_falls_back_to_the_path_when_no_page_matched():
    # A 404 page: no match to reverse, so each link is what translate_url makes of it.
    links = links_for("/en/no-such-page/", resolved=False)
    assert links == dict.fromkeys(links, "/en/no-such-page/")


def test_the_page_shows_them(client):
    response = client.get("/fr/help/?x=1")
    assert 'href="/ar/help/?x=1"' in response.content.decode()


def test_the_links_kept_for_one_page_are_not_shown_on_another(client):
    # The rendered links are kept per language and path (base.html, {% cache %}).
    for path in ("/en/help/", "/en/status/", "/fr/help/", "/en/help/?x=2"):
        page = client.get(path).content.decode()
        language, rest = path[1:3], path[3:]
        assert f'href="/ar{rest}"' in page
        current = f'href="/{language}{rest}" lang="{language}" hreflang="{language}" aria-current'
        assert current in page
