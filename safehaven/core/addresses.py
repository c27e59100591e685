"""Where a request came from, for rate limits and lockouts only (never stored for requesters).

Behind the TLS proxy every request arrives from the proxy: there the last hop the proxy
appended to X-Forwarded-For is the client. Visitors of an onion service all arrive as
127.0.0.1, so their limits are shared and proof-of-work is the real defence.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
