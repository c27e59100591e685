"""The form that adds a task to a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.access import ROLE_PERMISSIONS, Perm
from safehaven.accounts.models import User
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.models import Case
from safehaven.cases.triage.forms import StaffChoiceField
from safehaven.intake.submission.fields import CleanTextField

TITLE_MAX_LENGTH = 500


def task_holders(case: Case) -> Any:
    """Who may be given a task: the case's caseworkers and those who manage its cases."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(
                case_assignments__case=case,
                case_assignments__role=AssignmentRole.CASEWORKER,
            )
            | Q(
                memberships__organisation=case.organisation,
                memberships__role__in=ROLE_PERMISSIONS[Perm.MANAGE_CASES],
            )
        )
        .distinct()
        .order_by("username")
    )


class AddCaseTaskForm(forms.Form):
    title = CleanTextField(
        label=_("Task"),
        help_text=_("Kept sealed with the case."),
        max_length=TITLE_MAX_LENGTH,
    )
    due_on = forms.DateField(
        label=_("Due on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": _("Give the date as YYYY-MM-DD."),
            "required": _("Please fill this in."),
        },
    )
    assignee = StaffChoiceField(
        label=_("For"), queryset=User.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made per form: who holds the case changes as it is assigned.
        self.fields["assignee"].queryset = task_holders(case)  # type: ignore[attr-defined]
