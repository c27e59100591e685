"""The form to write an internal note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField


class InternalNoteForm(forms.Form):
    note = CleanTextField(
        label=_("Internal note"),
        help_text=_("For the triage team only: the person never sees it, and neither do partners."),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
