"""The case page's contact and support log panel: for viewers whose own key opens the case's
casework, and nobody else (partners never open casework; an interpreter is given messages
only)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from safehaven.cases.contact_log.forms import CaseNoteForm, ContactAttemptForm, SupportSessionForm
from safehaven.cases.contact_log.queries import open_log
from safehaven.cases.models import Case
from safehaven.cases.panels import casework_viewer


def contact_log_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    opened = viewer.casework
    return {
        "case": case,
        "log": open_log(case, opened, timezone.localdate()),
        "attempt_form": None if case.is_closed else ContactAttemptForm(),
        "session_form": None if case.is_closed else SupportSessionForm(),
        "case_note_form": CaseNoteForm(),
    }
