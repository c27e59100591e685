"""Template context every page needs: language links that set no cookie, neutral title."""

from functools import partial
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_info, override


def site(request: HttpRequest) -> dict[str, object]:
    # Each made only if the template uses it: base.html keeps the rendered links of a public
    # page in the fragment cache, per language and path.
    return {
        # This page in each language, query string kept: staff pages (a filter, a page number).
        "language_links": partial(language_links, request),
        # The same without the query string: public pages (base.html says why).
        "public_language_links": partial(language_links, request, keep_query=False),
        # Each language's home page: error pages, which never repeat the address asked for.
        "language_homes": language_homes,
        "organisation_name": settings.ORGANISATION_NAME,
    }


def language_links(request: HttpRequest, *, keep_query: bool = True) -> list[dict[str, str]]:
    return _links(_this_page_in_each_language(request, keep_query=keep_query))


def language_homes() -> list[dict[str, str]]:
    return _links({code: _home(code) for code in _codes()})


def _links(urls: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"code": code, "name_local": get_language_info(code)["name_local"], "url": urls[code]}
        for code in _codes()
    ]


def _codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _home(code: str) -> str:
    with override(code):
        return reverse("core-show-landing")


def _this_page_in_each_language(request: HttpRequest, *, keep_query: bool) -> dict[str, str]:
    """What ``translate_url`` gives for each language, resolving the path once (the request's
    own match) instead of once per language: every page shows these links.

    A path that matched no page (a 404) gets each language's home, never a link made from the
    path: it is whatever someone typed or sent, ``//evil.example/x`` included, and a page
    must not repeat it, let alone link to it."""
    codes = _codes()
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return {code: _home(code) for code in codes}
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    query = urlsplit(request.get_full_path()).query if keep_query else ""
    urls = {}
    for code in codes:
        with override(code):
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                urls[code] = _home(code)
                continue
        urls[code] = urlunsplit(("", "", path, query, ""))
    return urls
