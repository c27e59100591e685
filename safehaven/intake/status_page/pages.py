"""Rendering the requester's status pages: every one public (no staff chrome), and the
codename form that opens them."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safehaven.intake.models import HelpRequest
from safehaven.intake.status_page.actions import StatusOpening
from safehaven.intake.status_page.forms import CodenameForm, MessageForm
from safehaven.intake.status_page.session import idle_seconds, set_status_cookie
from safehaven.intake.thread.display import requester_status_text, thread_for_requester
from safehaven.keys.opened import OpenedRecord

# Fixed notes for the page after a redirect; the query string never carries what was typed.
DONE_NOTES = {
    "message": gettext_lazy("Your message was sent."),
    "contacts": gettext_lazy("Your contact details were changed."),
    "photo": gettext_lazy("Your photo was sent."),
}


def render_page(
    request: HttpRequest, template: str, context: Mapping[str, object], status: int = 200
) -> HttpResponse:
    # Every status page closes after the session's idle time (intake/_status_closes.html).
    context = {"public_page": True, "status_idle_seconds": idle_seconds(), **context}
    return render(request, template, context, status=status)


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


def render_status_page(
    request: HttpRequest,
    help_request: HelpRequest,
    thread: OpenedRecord,
    form: MessageForm,
    status: int = 200,
) -> HttpResponse:
    """``thread``: the request's thread opened (``RequesterSession.thread``)."""
    context = {
        "help_request": help_request,
        "status_text": requester_status_text(help_request),
        "thread": thread_for_requester(help_request, thread),
        "form": form,
        "done_note": DONE_NOTES.get(request.GET.get("done", "")),
    }
    return render_page(request, "intake/status_show.html", context, status=status)


def page_after_opening(
    request: HttpRequest,
    opening: StatusOpening | None,
    form: CodenameForm,
    carried: MessageForm | None,
) -> HttpResponse:
    """What a codename tried on the codename form leads to: the form again when it opened
    nothing, the withdrawn page, the status page with a carried message that was over budget,
    or a redirect to the status page with the new session's cookie."""
    if opening is None:
        form.add_error(
            None,
            _(
                "These words do not open a request. Please check each word and try again. "
                "If your request was deleted, its codename no longer works."
            ),
        )
        return render_codename_page(request, form, carried)
    if opening.cookie_value is None:
        # Withdrawn: nothing more can reach it, a kept message included; say so.
        context = {"help_request": opening.help_request, "message_not_sent": carried is not None}
        return render_page(request, "intake/status_withdrawn.html", context)
    if opening.message_refused is not None and carried is not None and opening.thread:
        # The page opened, but the message was over the request's budget: it comes back.
        carried.add_error(None, opening.message_refused.message)
        response = render_status_page(
            request, opening.help_request, opening.thread, carried, status=429
        )
    else:
        done = "?done=message" if carried is not None else ""
        response = redirect(reverse("intake-show-status") + done)
    set_status_cookie(response, opening.cookie_value)
    return response
