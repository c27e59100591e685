"""Building one case's page: its clear facts for everyone who may see it, and what the viewer's
own key opens (each person's details, the reasons of its history, its tasks' titles), and the
panels other features register (``cases.panels``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from safehaven.accounts.access import current_user
from safehaven.accounts.models import User
from safehaven.cases.case_tasks.forms import AddCaseTaskForm
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.panels import case_panels
from safehaven.cases.workflow.forms import MoveCaseForm, offered_moves
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.intake.handling.actions import do_open_help_request
from safehaven.intake.submission.sealing import read_details
from safehaven.intake.thread.display import DetailsView, details_view
from safehaven.keys.exceptions import RecordUnavailable, SealedValueUnavailable
from safehaven.keys.fields import SealedRecordMixin
from safehaven.keys.login_key import unlocked_private_key
from safehaven.keys.opened import OpenedRecord

logger = logging.getLogger(__name__)

NO_KEY = "no_key"
CANNOT_OPEN = "cannot_open"


@dataclass(frozen=True, repr=False)
class PersonView:
    """One person of the household as the viewer sees them: a request's details opened with
    the viewer's key, or the sealed details typed after a call."""

    person: CasePerson
    details: DetailsView | None = None
    call_details: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"PersonView({self.person.item_id})"


@dataclass(frozen=True, repr=False)
class Entry:
    """A transition or a task, with its sealed text opened (or "" if it does not open)."""

    row: Any
    text: str
    unreadable: bool = False

    def __repr__(self) -> str:
        return f"Entry({type(self.row).__name__} {self.row.pk})"


def _opened_text(row: SealedRecordMixin, name: str, opened: OpenedRecord | None) -> Entry:
    if opened is None:
        return Entry(row, "")
    try:
        return Entry(row, row.open_with(opened).sealed(name) or "")
    except (SealError, SealedValueUnavailable):
        # Written around the application, or bound to other clear fields: never shown.
        logger.warning("case %s: %s %s does not open", getattr(row, "case_id", "?"), name, row.pk)
        return Entry(row, "", unreadable=True)


def _person_view(
    person: CasePerson, user: User, key: bytes, casework: OpenedRecord | None
) -> PersonView:
    request = person.help_request
    if request is None:
        if casework is None:
            return PersonView(person)
        person.open_with(casework)
        fields = ("summary", "region", "citizenships", "contacts")
        return PersonView(person, call_details={n: person.sealed(n) or "" for n in fields})
    if request.is_shredded:
        return PersonView(person)
    try:
        do_open_help_request(request, actor=user, private_key=key, mark_read=False)
    except RecordUnavailable:
        return PersonView(person)
    return PersonView(person, details=details_view(request, read_details(request)))


def _panels(request: HttpRequest, case: Case) -> list[SafeString]:
    shown = []
    for panel in case_panels():
        try:
            context = panel.context(request, case)
            if context is None:
                continue
            shown.append(render_to_string(panel.template, context, request=request))
        except Exception:
            # A broken panel must not take the case page (and its danger notices) down with it;
            # tests see the failure itself.
            if settings.MODE == "test":
                raise
            logger.exception("case panel %s failed", panel.name)
    return shown


def _sealed_parts(request: HttpRequest, case: Case, user: User, key: bytes) -> dict[str, object]:
    casework = open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=key)
    people = case.people.select_related("help_request")
    return {
        "casework_opens": casework is not None,
        "people": [_person_view(person, user, key, casework) for person in people],
        "history": [
            _opened_text(row, "reason", casework)
            for row in case.transitions.select_related("actor")
        ],
        "tasks": [
            _opened_text(row, "title", casework) for row in case.tasks.select_related("assignee")
        ],
    }


def render_case_page(
    request: HttpRequest,
    case: Case,
    *,
    move_form: MoveCaseForm | None = None,
    task_form: AddCaseTaskForm | None = None,
) -> HttpResponse:
    user = current_user(request)
    with transaction.atomic():
        record_event(EventType.CASE_VIEWED, actor=user, organisation=case.organisation, target=case)
    context: dict[str, object] = {
        "case": case,
        "problem": None,
        "move_form": move_form or MoveCaseForm(case=case),
        "can_move": bool(offered_moves(case)),
        "task_form": task_form or AddCaseTaskForm(case=case),
        "panels": _panels(request, case),
    }
    key = unlocked_private_key(request)
    if key is None:
        context["problem"] = NO_KEY
        context["people"] = [PersonView(p) for p in case.people.select_related("help_request")]
        context["history"] = [Entry(row, "") for row in case.transitions.select_related("actor")]
        context["tasks"] = [Entry(row, "") for row in case.tasks.select_related("assignee")]
    else:
        context |= _sealed_parts(request, case, user, key)
        if not context["casework_opens"]:
            context["problem"] = CANNOT_OPEN
    return render(request, "cases/case_show.html", context)


def post_on_case_page(
    request: HttpRequest,
    case: Case,
    form: forms.Form,
    *,
    form_name: str,
    act: Callable[[bytes, dict[str, Any]], str],
) -> HttpResponse:
    """What every form on the case page does with a post: with a valid form and the viewer's
    unlocked key, ``act(private_key, cleaned_data)`` runs the action and returns the message to
    show; a refusal goes on the form, and the page comes back with what was typed."""
    private_key = unlocked_private_key(request)
    if form.is_valid():
        if private_key is None:
            form.add_error(None, _("Your key is not unlocked in this session. Log in again."))
        else:
            try:
                done = act(private_key, form.cleaned_data)
            except CaseActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, done)
                return redirect("cases-show-case", case_id=case.pk)
    given_back: dict[str, Any] = {form_name: form}
    return render_case_page(request, case, **given_back)
