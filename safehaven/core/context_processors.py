"""Template context every page needs: language links that set no cookie, neutral title."""

from functools import partial
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language_info, override


def site(request: HttpRequest) -> dict[str, object]:
    return {
        # Made only if the template uses it: base.html keeps the rendered links in the
        # fragment cache, per language and path.
        "language_links": partial(language_links, request),
        "organisation_name": settings.ORGANISATION_NAME,
    }


def language_links(request: HttpRequest) -> list[dict[str, str]]:
    urls = _this_page_in_each_language(request)
    return [
        {"code": code, "name_local": get_language_info(code)["name_local"], "url": urls[code]}
        for code, _name in settings.LANGUAGES
    ]


def _this_page_in_each_language(request: HttpRequest) -> dict[str, str]:
    """What ``translate_url`` gives for each language, resolving the path once (the request's
    own match) instead of once per language: every page shows these links."""
    full_path = request.get_full_path()
    codes = [code for code, _name in settings.LANGUAGES]
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return {code: translate_url(full_path, code) for code in codes}
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    query = urlsplit(full_path).query
    urls = {}
    for code in codes:
        with override(code):
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                urls[code] = full_path
                continue
        urls[code] = urlunsplit(("", "", path, query, ""))
    return urls
