"""django-axes hooks: which username and address a failed login counts against, and the page
a locked-out person sees."""

from typing import Any

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


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)
