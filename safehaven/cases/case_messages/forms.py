"""The answer form of a case's messages page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField


class CaseAnswerForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    body = CleanTextField(
        label=_("Answer to the person"),
        help_text=_(
            "They read this on their status page. Never write a route, a flight, a place or a "
            "name: someone else may be looking at their screen."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
        error_messages={"required": _("Write an answer first.")},
    )
