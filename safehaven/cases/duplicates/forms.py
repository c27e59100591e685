"""The two decisions on a possible duplicate, each confirmed by a box the caseworker ticks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.cases.models import Case


class MarkDistinctForm(forms.Form):
    # Both forms are on one page: their fields' ids must differ.
    prefix = "distinct"
    confirm = forms.BooleanField(
        label=_("I opened both cases: they are different people."),
        error_messages={"required": _("Tick the box to confirm that you opened both cases.")},
    )


class MergeCasesForm(forms.Form):
    prefix = "merge"
    kept = forms.TypedChoiceField(
        label=_("Which case goes on"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the case that goes on.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "I opened both cases: they are the same person. Merge them: the other case is "
            "closed and what it holds moves to the one that goes on."
        ),
        error_messages={"required": _("Tick the box to confirm that you opened both cases.")},
    )

    def __init__(self, *args: object, case: Case, other: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kept"].choices = [  # type: ignore[attr-defined]
            (row.pk, _("Case #%(number)s goes on") % {"number": row.pk}) for row in (case, other)
        ]
