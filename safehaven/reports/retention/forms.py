"""The retention page's forms: a rule, and the confirmation of a real run."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.reports.choices import RetentionTarget


class RetentionRuleForm(forms.Form):
    target = forms.ChoiceField(label=_("What"), choices=RetentionTarget.choices)
    # The lower bound is the action's, which says why (an erasure cannot be undone).
    after_days = forms.IntegerField(
        label=_("Erase after (days)"),
        min_value=1,
        help_text=_(
            "At least 30 days, counted from the close of a case or the decline of a request."
        ),
    )


class RunRetentionForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that what is due is erased for good, for everyone, escrow included."),
        required=True,
    )
