"""The form that moves a case, offering only the moves the table allows from its state."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.models import Case
from safehaven.cases.workflow.transitions import allowed_moves, closing_outcomes
from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField, PlainChoiceField, TickBoxField


def offered_moves(case: Case) -> list[CaseState]:
    """The moves a person may make from the case page: VERIFIED only comes by approval."""
    moves = allowed_moves(case.state) - {CaseState.VERIFIED}
    return sorted(moves, key=list(CaseState).index)


class MoveCaseForm(forms.Form):
    to_state = PlainChoiceField(label=_("Move to"), choices=[])
    outcome = PlainChoiceField(label=_("Outcome (when closing)"), choices=[], required=False)
    reason = CleanTextField(
        label=_("Reason"),
        help_text=_("Kept sealed in the case's history; the person never sees it."),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
    tell_the_person = TickBoxField(
        label=_("Send the person this move's fixed message"),
        help_text=_(
            "Only for a move to verification, waitlisted, declined, referred elsewhere or lost "
            "contact: a neutral message in their language, in their thread."
        ),
        required=False,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        moves = [(state.value, state.label) for state in offered_moves(case)]
        self.fields["to_state"].choices = moves  # type: ignore[attr-defined]
        outcomes = sorted(closing_outcomes(case.state), key=list(CaseOutcome).index)
        choices = [("", "—")] + [(o.value, o.label) for o in outcomes]
        self.fields["outcome"].choices = choices  # type: ignore[attr-defined]
