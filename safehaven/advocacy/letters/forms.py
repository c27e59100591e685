"""The letter form: the officer's text, counts only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.advocacy.letters.actions import LETTER_MAX
from safehaven.intake.submission.fields import CleanTextField


class LetterForm(forms.Form):
    text = CleanTextField(
        label=_("Letter"),
        help_text=_(
            "Counts and your own words only: never a person's name. Caseworkers add the names, "
            "with each person's consent, in the confidential annex."
        ),
        max_length=LETTER_MAX,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 20}),
    )
