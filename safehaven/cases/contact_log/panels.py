"""The case page's contact and support log panel: for viewers whose own key opens the case's
casework, and nobody else (partners never open casework; an interpreter is given messages
only)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from safehaven.accounts.access import Perm, current_user, has_perm
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.contact_log.forms import CaseNoteForm, ContactAttemptForm, SupportSessionForm
from safehaven.cases.contact_log.queries import open_log
from safehaven.cases.models import Case
from safehaven.keys.login_key import is_duress_session, unlocked_private_key


def contact_log_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = current_user(request)
    if is_duress_session(request) or not has_perm(user, Perm.OPEN_CASES):
        return None
    private_key = unlocked_private_key(request)
    if private_key is None:
        return None
    opened = open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=private_key)
    if opened is None:
        return None
    return {
        "case": case,
        "log": open_log(case, opened, timezone.localdate()),
        "attempt_form": None if case.is_closed else ContactAttemptForm(),
        "session_form": None if case.is_closed else SupportSessionForm(),
        "case_note_form": CaseNoteForm(),
    }
