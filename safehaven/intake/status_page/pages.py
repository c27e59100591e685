"""Rendering the requester's status pages: every one public (no staff chrome), and the
codename form that opens them."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehaven.intake.status_page.forms import CodenameForm, MessageForm


def render_page(
    request: HttpRequest, template: str, context: Mapping[str, object], status: int = 200
) -> HttpResponse:
    return render(request, template, {"public_page": True, **context}, status=status)


def carried_message(request: HttpRequest) -> MessageForm | None:
    """A message posted after its page had closed, carried through the codename form so that
    it is sent when the page opens again (never stored before that)."""
    return MessageForm(request.POST) if "body" in request.POST else None


def render_codename_page(
    request: HttpRequest,
    form: CodenameForm,
    carried: MessageForm | None,
    *,
    page_closed: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "carried": carried, "page_closed": page_closed}
    return render_page(request, "intake/status_open.html", context, status=status)
