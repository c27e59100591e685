"""Rendering one help request's staff page: its clear facts for everyone who may see it, and
what the reader's own key opens (the details, the thread, possible duplicates)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehaven.accounts.access import Perm, current_user, has_perm
from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import CasePerson
from safehaven.cases.request_notes.forms import InternalNoteForm
from safehaven.cases.status_codes.access import may_issue_status_code
from safehaven.cases.triage.forms import (
    AcceptRequestForm,
    AcknowledgeCheckInForm,
    JoinHouseholdForm,
    ReplyForm,
    RequestStateForm,
    ShareRequestForm,
)
from safehaven.intake.access import requests_visible_to
from safehaven.intake.attachments.actions import attachments_panel_context
from safehaven.intake.handling.actions import (
    RequestActionRefused,
    do_open_help_request,
    do_report_forged_messages,
)
from safehaven.intake.models import HelpRequest
from safehaven.intake.notes.actions import check_notes
from safehaven.intake.submission.contact_hints import possible_duplicates
from safehaven.intake.submission.sealing import read_details
from safehaven.intake.thread.display import details_view, thread_for_staff
from safehaven.intake.thread.keys import open_thread
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import unlocked_private_key
from safehaven.keys.opened import OpenedRecord

NO_KEY = "no_key"
CANNOT_OPEN = "cannot_open"


def render_request_page(
    request: HttpRequest,
    help_request: HelpRequest,
    *,
    reply_form: ReplyForm | None = None,
    status_form: RequestStateForm | None = None,
    acknowledge_form: AcknowledgeCheckInForm | None = None,
    share_form: ShareRequestForm | None = None,
    note_form: InternalNoteForm | None = None,
    accept_form: AcceptRequestForm | None = None,
    join_form: JoinHouseholdForm | None = None,
) -> HttpResponse:
    user = current_user(request)
    can_triage = has_perm(user, Perm.TRIAGE_REQUESTS)
    person = CasePerson.objects.filter(help_request=help_request).only("case_id").first()
    context: dict[str, object] = {
        "help_request": help_request,
        "can_triage": can_triage,
        "reply_form": reply_form or ReplyForm(),
        "status_form": status_form or RequestStateForm(initial={"status": help_request.status}),
        "problem": None,
        "acknowledge_form": acknowledge_form,
        "share_form": share_form or ShareRequestForm(),
        "list_url_name": _list_url_name(user, can_triage),
        "note_form": note_form or InternalNoteForm(),
        # Opening a case: for those who manage cases, while the request is in none.
        # The case number only for those who open cases (a partner is not told it).
        "case_id": (
            None if person is None or not has_perm(user, Perm.OPEN_CASES) else person.case_id
        ),
        "can_open_case": has_perm(user, Perm.MANAGE_CASES) and person is None,
        "accept_form": accept_form or AcceptRequestForm(),
        "join_form": join_form or JoinHouseholdForm(),
        # A partner's referral has no codename: its key holders may make a one-time code.
        "can_issue_status_code": may_issue_status_code(user, help_request),
        **attachments_panel_context(help_request, None),
    }
    private_key = unlocked_private_key(request)
    if private_key is None:
        context["problem"] = NO_KEY
        return render(request, "cases/triage_show.html", context)
    try:
        opened = do_open_help_request(
            help_request, actor=user, private_key=private_key, mark_read=can_triage
        )
        thread = open_thread(help_request, user=user, private_key=private_key)
    except RecordUnavailable:
        context["problem"] = CANNOT_OPEN
        return render(request, "cases/triage_show.html", context)
    context |= _what_the_key_opens(help_request, opened, thread, user=user, can_triage=can_triage)
    return render(request, "cases/triage_show.html", context)


def _list_url_name(user: User, can_triage: bool) -> str:
    if can_triage:
        return "cases-list-requests"
    if has_perm(user, Perm.VIEW_SHARED_REQUESTS):
        return "cases-list-shared-requests"
    return "cases-list-referrals"


def _what_the_key_opens(
    help_request: HelpRequest,
    opened: OpenedRecord,
    thread_opened: OpenedRecord,
    *,
    user: User,
    can_triage: bool,
) -> dict[str, object]:
    details = details_view(help_request, read_details(help_request))
    # Partners read the thread without notices and without the names of triage staff.
    thread = thread_for_staff(help_request, thread_opened, for_partner=not can_triage)
    do_report_forged_messages(help_request, message_ids=thread.forged_ids, actor=user)
    return {
        "details": details,
        "forged_count": len(thread.forged_ids),
        "thread": thread.entries,
        # At the top of the page until acknowledged, not only in their place in the thread:
        # whoever opens the request next (the "new" flag is gone by then) must see them first.
        "unacknowledged": thread.unacknowledged,
        "duplicates": possible_duplicates(help_request, requests_visible_to(user)),
        # Internal notes are the triage team's: never a partner's to read.
        "notes": check_notes(help_request, opened) if can_triage else None,
        **attachments_panel_context(help_request, opened),
    }


def post_on_request_page(
    request: HttpRequest,
    help_request: HelpRequest,
    form: forms.Form,
    *,
    form_name: str,
    act: Callable[[bytes, dict[str, Any]], str],
    cannot_open: str | None = None,
) -> HttpResponse:
    """What every form on a request's staff page does with a post: with a valid form and the
    reader's unlocked key, ``act(private_key, cleaned_data)`` runs the action and returns the
    message to show; a refusal goes on the form; the page comes back with what was typed.

    Without a key, or a key that cannot open the request, the page says why by itself;
    ``cannot_open`` adds that to the form too where the form would otherwise look accepted.
    """
    private_key = unlocked_private_key(request)
    if form.is_valid() and private_key is not None:
        try:
            done = act(private_key, form.cleaned_data)
        except (RequestActionRefused, CaseActionRefused) as refusal:
            form.add_error(None, str(refusal))
        except RecordUnavailable:
            if cannot_open is not None:
                form.add_error(None, cannot_open)
        else:
            messages.success(request, done)
            return redirect("cases-show-request", request_id=help_request.pk)
    given_back: dict[str, Any] = {form_name: form}
    return render_request_page(request, help_request, **given_back)
