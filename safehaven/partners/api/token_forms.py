"""The form to make an API token: a name to tell it apart, and how long it is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.partners.api.tokens import VALID_DAYS_DEFAULT, VALID_DAYS_MAX


class CreateApiTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "To tell your tokens apart, e.g. the program that uses it. Do not name a person: "
            "this name is not sealed."
        ),
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=VALID_DAYS_MAX,
        initial=VALID_DAYS_DEFAULT,
        help_text=_("1 to 365 days. Make a new token before this one expires."),
    )
