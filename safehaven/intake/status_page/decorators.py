"""The status session around a status page view: the live session handed to the view, or the
codename form; and, for a post refused on the way, the page given back with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safehaven.core.database_failures import refused_when_the_database_fails
from safehaven.intake.status_page.actions import StatusUnavailable, TooManyStatusChanges
from safehaven.intake.status_page.forms import CodenameForm
from safehaven.intake.status_page.pages import carried_message, render_codename_page, render_page
from safehaven.intake.status_page.session import (
    RequesterSession,
    forget_status_cookie,
    has_status_cookie,
    resume_session,
    set_status_cookie,
)
from safehaven.intake.thread.display import requester_status_text, thread_for_requester

SessionView = Callable[..., HttpResponse]
resume_live_session = refused_when_the_database_fails(StatusUnavailable)(resume_session)


def requester_session(view: SessionView) -> Callable[..., HttpResponse]:
    """Give ``view`` the live status session, or send the browser to the codename form (and
    drop a stale cookie). Every answer within a session extends the cookie by the idle time."""
    return _with_session(view, explain_closed=False)


def requester_session_keeping_input(
    form_class: type[forms.Form], template: str
) -> Callable[[SessionView], Callable[..., HttpResponse]]:
    """Like :func:`requester_session`, for a view whose posts carry what the person typed:

    - a post that finds the page closed (15 idle minutes) gets the codename form with a note
      saying so, and a message in it is kept, to be sent when the page opens again
      (``open_status``);
    - a post while the database fails (looking up the session or in the view's action) gets
      ``template`` back (503) with ``form_class`` holding what was posted; nothing changed.
    """

    def decorate(view: SessionView) -> Callable[..., HttpResponse]:
        return _with_session(view, explain_closed=True, give_back=(form_class, template))

    return decorate


def _with_session(
    view: SessionView,
    *,
    explain_closed: bool,
    give_back: tuple[type[forms.Form], str] | None = None,
) -> Callable[..., HttpResponse]:
    @wraps(view)
    def with_session(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            session = resume_live_session(request)
        except StatusUnavailable as failure:
            # The cookie is left as it is: the page is likely still open.
            return _give_back_or_raise(request, give_back, failure)
        response: HttpResponse
        if session is None:
            if explain_closed and request.method == "POST":
                response = render_codename_page(
                    request, CodenameForm(), carried_message(request), page_closed=True
                )
            else:
                response = redirect("intake-open-status")
            if has_status_cookie(request):
                forget_status_cookie(response)
            return response
        try:
            response = view(request, session, *args, **kwargs)
        except StatusUnavailable as failure:
            response = _give_back_or_raise(request, give_back, failure, session)
        except TooManyStatusChanges as refusal:
            response = _give_back_or_raise(request, give_back, refusal, session, status=429)
        if session.ended:
            forget_status_cookie(response)
        else:
            set_status_cookie(response, session.cookie_value)
        return response

    return with_session


def _give_back_or_raise(
    request: HttpRequest,
    give_back: tuple[type[forms.Form], str] | None,
    failure: StatusUnavailable | TooManyStatusChanges,
    session: RequesterSession | None = None,
    *,
    status: int = 503,
) -> HttpResponse:
    """The page of a post that was refused (the database failed: 503; over the request's
    budget: 429), with what was posted and why; nothing was changed. Where nothing was typed
    (no ``give_back``, or a GET), the error is raised on."""
    if give_back is None or request.method != "POST":
        raise failure
    form_class, template = give_back
    form = form_class(request.POST)
    form.add_error(None, failure.message)
    context: dict[str, object] = {"form": form, "thread": None}
    if session is not None:
        context["status_text"] = requester_status_text(session.help_request)
        # After a database failure reading the thread would fail too; over the budget, the
        # person still sees the answers they may be waiting for.
        if status != 503:
            context["thread"] = thread_for_requester(session.help_request, session.thread)
    return render_page(request, template, context, status=status)
