"""The requester's status pages: open with the codename, read and answer the thread, change
contact details, withdraw.

Public like the request form: ``core.public_forms.same_origin.public_form``, no messages
framework, and no cookie but the status session's, set after the codename form (the session
decorators are in ``decorators``). Why: SECURITY.md, "Cross-site requests and ``Origin: null``".
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from safehaven.core.addresses import client_address
from safehaven.core.public_forms.rate_limits import RateLimited
from safehaven.core.public_forms.same_origin import public_form
from safehaven.intake.models import HelpRequest
from safehaven.intake.status_codes.opening import ChooseOpening
from safehaven.intake.status_codes.pages import page_after_code
from safehaven.intake.status_page.actions import (
    AttachmentRefused,
    StatusUnavailable,
    do_change_contact_details,
    do_leave_status,
    do_open_status,
    do_send_document_photo,
    do_send_requester_message,
    do_withdraw_help_request,
)
from safehaven.intake.status_page.decorators import (
    requester_session,
    requester_session_keeping_input,
    resume_live_session,
)
from safehaven.intake.status_page.forms import (
    CodenameForm,
    ContactDetailsForm,
    DocumentPhotoForm,
    MessageForm,
    WithdrawForm,
)
from safehaven.intake.status_page.pages import (
    carried_message,
    page_after_opening,
    render_codename_page,
    render_page,
    render_status_page,
)
from safehaven.intake.status_page.session import (
    RequesterSession,
    forget_status_cookie,
    has_status_cookie,
)
from safehaven.intake.submission.contact_forms import CONTACT_FIELDS
from safehaven.intake.submission.sealing import read_details


@public_form("GET", "POST")
def open_status(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = CodenameForm(request.POST if posted else None)
    carried = carried_message(request)
    # Both forms are checked before the codename is tried: a message that cannot be taken
    # costs no attempt.
    if not (posted and form.is_valid() and (carried is None or carried.is_valid())):
        return render_codename_page(request, form, carried)
    try:
        opening = do_open_status(
            form.cleaned_data["codename"],
            phrase=form.cleaned_data["phrase"],
            client=client_address(request),
            message=carried.cleaned_data["body"] if carried is not None else "",
        )
    except RateLimited as refusal:
        form.add_error(None, refusal.message)
        return render_codename_page(request, form, carried, status=429)
    except StatusUnavailable as failure:
        form.add_error(None, failure.message)
        return render_codename_page(request, form, carried, status=503)
    if isinstance(opening, ChooseOpening):
        return page_after_code(opening)
    return page_after_opening(request, opening, form, carried)


@public_form("GET")
@requester_session
def show_status(request: HttpRequest, session: RequesterSession) -> HttpResponse:
    return render_status_page(request, session.help_request, session.thread, MessageForm())


@public_form("POST")
@requester_session_keeping_input(MessageForm, "intake/status_show.html")
def send_message(request: HttpRequest, session: RequesterSession) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        do_send_requester_message(session, form.cleaned_data["body"])
        return redirect(reverse("intake-show-status") + "?done=message")
    return render_status_page(request, session.help_request, session.thread, form)


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
    return render_page(request, "intake/status_contacts.html", context)


def _kinds_of_contact_on_file(help_request: HelpRequest) -> list[str]:
    """Which kinds of contact the person gave ("Signal", "E-mail"), never the values: whoever
    holds the phone and the codename (a coercer) must not learn the safe, hidden channel."""
    contacts = read_details(help_request).contacts
    return [str(method.label) for method in CONTACT_FIELDS if contacts.get(str(method))]


@public_form("GET", "POST")
@requester_session_keeping_input(DocumentPhotoForm, "intake/status_documents.html")
def send_document_photo(request: HttpRequest, session: RequesterSession) -> HttpResponse:
    # Bound on every post, even an empty one: an unbound form would come back without a word.
    posted = request.method == "POST"
    form = DocumentPhotoForm(request.POST, request.FILES) if posted else DocumentPhotoForm()
    if posted and form.is_valid():
        try:
            do_send_document_photo(session, form.cleaned_data["photo"])
        except AttachmentRefused as refusal:
            form.add_error("photo", refusal.message)
        else:
            return redirect(reverse("intake-show-status") + "?done=photo")
    # Neither the photos nor how many were sent: whoever holds the phone must not learn it.
    return render_page(request, "intake/status_documents.html", {"form": form})


@public_form("GET", "POST")
@requester_session_keeping_input(WithdrawForm, "intake/status_withdraw.html")
def withdraw_request(request: HttpRequest, session: RequesterSession) -> HttpResponse:
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        help_request = do_withdraw_help_request(session)
        return render_page(request, "intake/status_withdrawn.html", {"help_request": help_request})
    return render_page(request, "intake/status_withdraw.html", {"form": form})


@public_form("POST")
def leave_status(request: HttpRequest) -> HttpResponse:
    """End the page's session and drop its cookie. The cookie goes even when the database
    fails meanwhile: the person pressed "Leave" and must not be left with an open page on the
    phone (the session's row, useless without the cookie, expires within the idle time)."""
    response = redirect("core-show-landing")
    try:
        session = resume_live_session(request)
        if session is not None:
            do_leave_status(session)
    except StatusUnavailable:
        pass
    if has_status_cookie(request):
        forget_status_cookie(response)
    return response
