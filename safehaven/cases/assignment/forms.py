"""The keyholders panel's form to give a case to someone: a member and a role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import assignable_staff
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.models import Case


class StaffChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class AssignCaseForm(forms.Form):
    user = StaffChoiceField(
        label=_("Give the case to"),
        queryset=User.objects.none(),
        empty_label=_("Choose a member of staff"),
    )
    role = forms.ChoiceField(
        label=_("As"), choices=AssignmentRole.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"role": AssignmentRole.CASEWORKER})
        super().__init__(*args, **kwargs)
        candidates = assignable_staff(case, AssignmentRole.CASEWORKER) | assignable_staff(
            case, AssignmentRole.INTERPRETER
        )
        self.fields["user"].queryset = candidates.distinct().order_by(  # type: ignore[attr-defined]
            "username"
        )
