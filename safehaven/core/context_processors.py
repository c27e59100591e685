"""Template context every page needs: language links that set no cookie, neutral title."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language_info


def site(request: HttpRequest) -> dict[str, object]:
    language_links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        language_links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
            }
        )
    return {
        "language_links": language_links,
        "organisation_name": settings.ORGANISATION_NAME,
    }
