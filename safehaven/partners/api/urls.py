"""The partner API (django-ninja): tokens scoped to one organisation, referrals in, neutral
statuses out; it holds no private key.

Not language-prefixed, and open to the login-required middleware (``core/public.py``): a
program calls it with a Bearer token, never a session. Its views are ninja's, flattened here
without a namespace so that their names are the site's own; ninja marks them CSRF-exempt (no
cookie is read: the token is the only credential).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, path

from safehaven.partners.api import docs
from safehaven.partners.api.api import api

_ninja_patterns, _app_name, _namespace = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("openapi.json", docs.show_schema, name="partners-api-show-schema"),
    path("docs", docs.show_docs, name="partners-api-show-docs"),
]
_routes_seen: set[str] = set()
for _pattern in _ninja_patterns:
    # ninja's root view only answers 404 naming its docs URL: not needed here. It also gives
    # one pattern per operation, all with the path's one view: keep one per path.
    route = str(_pattern.pattern)
    if (
        isinstance(_pattern, URLPattern)
        and _pattern.name != "api-root"
        and route not in _routes_seen
    ):
        _routes_seen.add(route)
        login_not_required(_pattern.callback)
        urlpatterns.append(_pattern)
