"""The forms of the pathways panel: start a pathway, record a step, end a pathway, choose who
receives its information sheet."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import User
from safehaven.cases.case_tasks.forms import task_holders
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.triage.forms import StaffChoiceField
from safehaven.intake.submission.fields import CleanTextField
from safehaven.travel.choices import PathwayKind, PathwayState, StepOutcome
from safehaven.travel.pathways.actions import ENDINGS

NOTE_MAX_LENGTH = 2000
DATE_ERRORS = {"invalid": _("Give the date as YYYY-MM-DD.")}


def _date(label: Any, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={**DATE_ERRORS, "required": _("Please fill this in.")},
    )


class _WithOwner(forms.Form):
    owner = StaffChoiceField(label=_("Owner"), queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made per form: who holds the case changes as it is assigned.
        self.fields["owner"].queryset = task_holders(case)  # type: ignore[attr-defined]


class StartPathwayForm(_WithOwner):
    kind = forms.ChoiceField(label=_("Pathway"), choices=PathwayKind.choices)
    notes = CleanTextField(
        label=_("Notes"),
        help_text=_("Kept sealed with the case."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        multiline=True,
    )
    field_order = ["kind", "owner", "notes"]


class RecordStepForm(_WithOwner):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=StepOutcome.choices, required=False)
    done_on = _date(_("Done on (today if empty)"), required=False)
    due_on = _date(_("Due on"), required=False)
    note = CleanTextField(
        label=_("Note"),
        help_text=_("Kept sealed with the case. Leave empty to keep the note as it is."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        multiline=True,
    )
    field_order = ["outcome", "done_on", "due_on", "owner", "note"]


class EndPathwayForm(forms.Form):
    state = forms.ChoiceField(
        label=_("How it ended"),
        choices=[(s.value, s.label) for s in PathwayState if s in ENDINGS],
    )
    reason = CleanTextField(
        label=_("Reason"),
        help_text=_("Kept sealed with the case."),
        max_length=NOTE_MAX_LENGTH,
        multiline=True,
    )


def person_label(person: CasePerson) -> str:
    """A person of the case, named only by their place in it (their names are sealed)."""
    if person.is_primary:
        return str(_("Main person"))
    return str(_("Household member #%(number)s") % {"number": person.pk})


class SendSheetForm(forms.Form):
    """Who receives the sheet: people of the case (the action keeps only those whose status
    page the actor's key opens, and refuses any other)."""

    people = forms.TypedMultipleChoiceField(
        label=_("Send to"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who receives the sheet.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [  # type: ignore[attr-defined]
            (person.pk, person_label(person))
            for person in case.people.order_by("-is_primary", "pk")
        ]
