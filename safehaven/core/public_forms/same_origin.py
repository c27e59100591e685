"""Same-origin checks for anonymous forms, in place of Django's CSRF cookie.

Why, and why a post with neither header or a bare ``Origin: null`` passes: SECURITY.md,
"Cross-site requests and ``Origin: null``". A post is accepted only when ``Sec-Fetch-Site`` is
``same-origin`` or absent and ``Origin``, when present, is this site's own origin or a
``null`` that ``Sec-Fetch-Site: same-origin`` vouches for (or that comes without Fetch Metadata).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from safehaven.core.fetch_metadata import SAFE_METHODS, is_same_origin

View = Callable[..., HttpResponse]


def refuse_cross_origin(request: HttpRequest) -> HttpResponse:
    # The language comes from the URL prefix, so this page is in the person's language.
    return render(request, "core/cross_origin.html", {"public_page": True}, status=403)


def same_origin_posts_only(view: View) -> View:
    """Refuse a state-changing request from another site with a clear 403 page."""

    @wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method not in SAFE_METHODS and not is_same_origin(request):
            return refuse_cross_origin(request)
        return view(request, *args, **kwargs)

    # Read by a test: every view without Django's CSRF check must have this one instead.
    checked.same_origin_checked = True  # type: ignore[attr-defined]
    return checked


def public_form(*methods: str) -> Callable[[View], View]:
    """For the pages a person asking for help uses: open without an account, no CSRF cookie
    (it would be a trace on a phone that may be searched), only ``methods``, and a post from
    another site refused with a clear page (``same_origin_posts_only``)."""

    def decorate(view: View) -> View:
        allowed = require_http_methods(list(methods))(same_origin_posts_only(view))
        return csrf_exempt(login_not_required(allowed))

    return decorate
