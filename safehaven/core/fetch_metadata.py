"""Same-origin checks from Fetch Metadata, shared by the anonymous intake forms and the staff
CSRF check.

Under our ``Referrer-Policy: no-referrer`` a page posting to its own site sends
``Origin: null``; ``Sec-Fetch-Site: same-origin`` then vouches for the post. Why: SECURITY.md,
"Cross-site requests and ``Origin: null``".
"""

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_tuple(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def is_same_origin(request: HttpRequest) -> bool:
    """True when an anonymous post (the public forms) may have come from this site's own page.

    ``Sec-Fetch-Site``, when sent, decides. Without it, ``Origin: null`` counts like no
    ``Origin`` at all (old phones; SECURITY.md, "Cross-site requests and ``Origin: null``").
    Staff forms stay stricter (:class:`FetchMetadataCsrfViewMiddleware`)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site.strip().lower() != "same-origin":
        return False
    origin = request.headers.get("Origin")
    if origin is None or origin.strip().lower() == "null":
        return True
    claimed = _origin_tuple(origin.strip())
    return claimed is not None and claimed == _origin_tuple(request.build_absolute_uri("/"))


def is_null_origin_from_own_page(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin", "").strip().lower()
    fetch_site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    return origin == "null" and fetch_site == "same-origin"


class FetchMetadataCsrfViewMiddleware(CsrfViewMiddleware):
    """Django's CSRF check (token and cookie, unchanged), accepting the ``Origin: null`` that
    our own no-referrer pages produce when Fetch Metadata proves the post is same-origin."""

    def _origin_verified(self, request: HttpRequest) -> bool:
        if is_null_origin_from_own_page(request):
            return True
        return bool(super()._origin_verified(request))  # type: ignore[misc]
