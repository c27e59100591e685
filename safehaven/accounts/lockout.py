"""django-axes hooks: which username and address a failed login counts against, and the page
a locked-out person sees."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def username_from_credentials(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """allauth authenticates with ``email``; forms may also post ``login``."""
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    posted = request.POST.get("login", "") if request.method == "POST" else ""
    return posted.strip().lower()


def client_address(request: HttpRequest) -> str:
    """The address a staff login came from. Behind the TLS proxy every request comes from the
    proxy, which would let five wrong passwords lock a caseworker out for everyone: there the
    last hop the proxy appended to X-Forwarded-For is used. Only staff logins reach axes;
    requester addresses are never stored (SECURITY.md)."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)
