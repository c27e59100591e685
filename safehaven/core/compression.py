"""Gzip for the pages that carry no secret, and only those.

Nothing is compressed unless the view marked its response: the landing page and the help form
when read (GET/HEAD, nothing posted in them) and the error pages. Why (BREACH): SECURITY.md,
"Uncompressed public pages".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import cast

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = "_safehaven_compressible"
READ_METHODS = frozenset({"GET", "HEAD"})

View = Callable[..., HttpResponseBase]


def compressible[Response: HttpResponseBase](response: Response) -> Response:
    """Mark a response that holds no secret and nothing anyone else chose."""
    setattr(response, COMPRESSIBLE, True)
    return response


def compressed_when_read[V: View](view: V) -> V:
    """Mark ``view``'s answers to a GET or HEAD; a post's answer (a receipt, a form with what
    the person typed) is never compressed."""

    @wraps(view)
    def marked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if request.method in READ_METHODS:
            compressible(response)
        return response

    return cast(V, marked)


class PublicPageCompressionMiddleware(GZipMiddleware):
    """Django's gzip, for marked responses only."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not getattr(response, COMPRESSIBLE, False):
            return response
        return super().process_response(request, response)
