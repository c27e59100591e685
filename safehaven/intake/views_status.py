"""The requester's status pages: open with the codename, read and answer the thread, change
contact details, withdraw.

Like the request form, these are public, ``csrf_exempt`` (a CSRF cookie would be a trace on
the phone before the person chose to open anything) and guarded by ``same_origin_posts_only``
(``origin.public_form`` applies both).
The only cookie is the status session's, set after the codename form is submitted. No Django
messages framework here: it would store notes in a cookie or the staff session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safehaven.core.addresses import client_address
from safehaven.core.database_failures import refused_when_the_database_fails
from safehaven.intake.actions import RateLimited
from safehaven.intake.actions_status import (
    StatusUnavailable,
    TooManyStatusChanges,
    do_change_contact_details,
    do_leave_status,
    do_open_status,
    do_send_requester_message,
    do_withdraw_help_request,
)
from safehaven.intake.forms_contact import CONTACT_FIELDS
from safehaven.intake.forms_status import (
    CodenameForm,
    ContactDetailsForm,
    MessageForm,
    WithdrawForm,
)
from safehaven.intake.models import HelpRequest
from safehaven.intake.origin import public_form
from safehaven.intake.presentation import requester_status_text, thread_for_requester
from safehaven.intake.sealing import read_details
from safehaven.intake.status_session import (
    RequesterSession,
    forget_status_cookie,
    has_status_cookie,
    resume_session,
    set_status_cookie,
)
from safehaven.keys.opened import OpenedRecord

SessionView = Callable[..., HttpResponse]
_resume_session = refused_when_the_database_fails(StatusUnavailable)(resume_session)
# Fixed notes for the page after a redirect; the query string never carries what was typed.
DONE_NOTES = {
    "message": gettext_lazy("Your message was sent."),
    "contacts": gettext_lazy("Your contact details were changed."),
}


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
            session = _resume_session(request)
        except StatusUnavailable as failure:
            # The cookie is left as it is: the page is likely still open.
            return _give_back_or_raise(request, give_back, failure)
        response: HttpResponse
        if session is None:
            if explain_closed and request.method == "POST":
                response = _render_open(
                    request, CodenameForm(), _carried_message(request), page_closed=True
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
            context["thread"] = thread_for_requester(session.help_request, session.opened)
    return _page(request, template, context, status=status)


def _page(
    request: HttpRequest, template: str, context: Mapping[str, object], status: int = 200
) -> HttpResponse:
    return render(request, template, {"public_page": True, **context}, status=status)


def _carried_message(request: HttpRequest) -> MessageForm | None:
    """A message posted after its page had closed, carried through the codename form so that
    it is sent when the page opens again (never stored before that)."""
    return MessageForm(request.POST) if "body" in request.POST else None


def _render_open(
    request: HttpRequest,
    form: CodenameForm,
    carried: MessageForm | None,
    *,
    page_closed: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "carried": carried, "page_closed": page_closed}
    return _page(request, "intake/status_open.html", context, status=status)


@public_form("GET", "POST")
def open_status(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = CodenameForm(request.POST if posted else None)
    carried = _carried_message(request)
    # Both forms are checked before the codename is tried: a message that cannot be taken
    # costs no attempt.
    if posted and form.is_valid() and (carried is None or carried.is_valid()):
        try:
            opening = do_open_status(
                form.cleaned_data["codename"],
                phrase=form.cleaned_data["phrase"],
                client=client_address(request),
                message=carried.cleaned_data["body"] if carried is not None else "",
            )
        except RateLimited as refusal:
            form.add_error(None, refusal.message)
            return _render_open(request, form, carried, status=429)
        except StatusUnavailable as failure:
            form.add_error(None, failure.message)
            return _render_open(request, form, carried, status=503)
        if opening is None:
            form.add_error(
                None,
                _(
                    "These words do not open a request. Please check each word and try again. "
                    "If your request was deleted, its codename no longer works."
                ),
            )
        elif opening.cookie_value is None:
            # Withdrawn: nothing more can reach it, a kept message included; say so.
            context = {
                "help_request": opening.help_request,
                "message_not_sent": carried is not None,
            }
            return _page(request, "intake/status_withdrawn.html", context)
        elif opening.message_refused is not None and carried is not None and opening.opened:
            # The page opened, but the message was over the request's budget: it comes back.
            carried.add_error(None, opening.message_refused.message)
            response = _render_status(
                request, opening.help_request, opening.opened, carried, status=429
            )
            set_status_cookie(response, opening.cookie_value)
            return response
        else:
            done = "?done=message" if carried is not None else ""
            response = redirect(reverse("intake-show-status") + done)
            set_status_cookie(response, opening.cookie_value)
            return response
    return _render_open(request, form, carried)


def _render_status(
    request: HttpRequest,
    help_request: HelpRequest,
    opened: OpenedRecord,
    form: MessageForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "help_request": help_request,
        "status_text": requester_status_text(help_request),
        "thread": thread_for_requester(help_request, opened),
        "form": form,
        "done_note": DONE_NOTES.get(request.GET.get("done", "")),
    }
    return _page(request, "intake/status_show.html", context, status=status)


@public_form("GET")
@requester_session
def show_status(request: HttpRequest, session: RequesterSession) -> HttpResponse:
    return _render_status(request, session.help_request, session.opened, MessageForm())


@public_form("POST")
@requester_session_keeping_input(MessageForm, "intake/status_show.html")
def send_message(request: HttpRequest, session: RequesterSession) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        do_send_requester_message(session, form.cleaned_data["body"])
        return redirect(reverse("intake-show-status") + "?done=message")
    return _render_status(request, session.help_request, session.opened, form)


@public_form("GET", "POST")
@requester_session_keeping_input(ContactDetailsForm, "intake/status_contacts.html")
def change_contacts(request: HttpRequest, session: RequesterSession) -> HttpResponse:
    if request.method == "POST":
        form = ContactDetailsForm(request.POST)
        if form.is_valid():
            do_change_contact_details(
                session,
                contacts=form.contacts(),
                contact_times=form.cleaned_data["contact_times"],
                may_leave=form.leave_message_allowed(),
            )
            return redirect(reverse("intake-show-status") + "?done=contacts")
    else:
        form = ContactDetailsForm()
    context = {"form": form, "kinds_on_file": _kinds_of_contact_on_file(session.help_request)}
    return _page(request, "intake/status_contacts.html", context)


def _kinds_of_contact_on_file(help_request: HelpRequest) -> list[str]:
    """Which kinds of contact the person gave ("Signal", "E-mail"), never the values: whoever
    holds the phone and the codename (a coercer) must not learn the safe, hidden channel."""
    contacts = read_details(help_request).contacts
    return [str(method.label) for method in CONTACT_FIELDS if contacts.get(str(method))]


@public_form("GET", "POST")
@requester_session_keeping_input(WithdrawForm, "intake/status_withdraw.html")
def withdraw_request(request: HttpRequest, session: RequesterSession) -> HttpResponse:
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        help_request = do_withdraw_help_request(session)
        return _page(request, "intake/status_withdrawn.html", {"help_request": help_request})
    return _page(request, "intake/status_withdraw.html", {"form": form})


@public_form("POST")
def leave_status(request: HttpRequest) -> HttpResponse:
    """End the page's session and drop its cookie. The cookie goes even when the database
    fails meanwhile: the person pressed "Leave" and must not be left with an open page on the
    phone (the session's row, useless without the cookie, expires within the idle time)."""
    response = redirect("core-show-landing")
    try:
        session = _resume_session(request)
        if session is not None:
            do_leave_status(session)
    except StatusUnavailable:
        pass
    if has_status_cookie(request):
        forget_status_cookie(response)
    return response
