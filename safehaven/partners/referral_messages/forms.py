"""The form of a message about a referral, the same on both sides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField


class ReferralMessageForm(forms.Form):
    body = CleanTextField(
        label=_("Message"),
        help_text=_(
            "Sealed: only those who may open this referral read it; the person referred "
            "never does. Write only what the other side needs to help."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
