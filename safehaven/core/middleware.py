"""Response headers that Django has no setting for (SECURITY.md, "Rules for every line")."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """No page may stay in a browser cache: a seized phone or laptop must not show what was
    read. Static files are served (and cached) by WhiteNoise before this runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, max-age=0"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def clear_site_data(response: HttpResponse) -> HttpResponse:
    """Ask the browser to forget everything of this site (quick exit, logout)."""
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
