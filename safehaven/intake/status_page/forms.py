"""Forms of the requester's status pages.

Secrets (codename, phrases) are never written back into a page: a wrong codename and an unknown
one must produce the same bytes, and a page with a codename in it is one more thing to leak.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safehaven.core.uploads.fields import DeferredEvidenceFileField
from safehaven.intake.codename import CODENAME_WORDS, normalise_words
from safehaven.intake.submission.contact_forms import ContactFieldsForm
from safehaven.intake.submission.fields import CleanTextField, LeavesNoFormHistory

MESSAGE_MAX_LENGTH = 5000  # the same as the request's own story


class UnechoedTextInput(forms.TextInput):
    """A text box that never shows a value sent back to it."""

    def format_value(self, value: Any) -> str | None:
        return None


def _secret_attrs() -> dict[str, str]:
    return {
        "autocapitalize": "none",
        "spellcheck": "false",
        "dir": "ltr",
    }


class CodenameForm(LeavesNoFormHistory):
    codename = CleanTextField(
        label=_("Your codename"),
        help_text=_("The seven words you were given when you sent your request."),
        max_length=200,
        widget=UnechoedTextInput(attrs=_secret_attrs()),
    )
    phrase = CleanTextField(
        label=_("Your check-in phrase"),
        help_text=_("Only if you chose one when you sent your request."),
        max_length=100,
        required=False,
        widget=UnechoedTextInput(attrs={**_secret_attrs(), "dir": "auto"}),
    )

    def clean_codename(self) -> str:
        codename = normalise_words(self.cleaned_data["codename"])
        if len(codename.split()) < CODENAME_WORDS:
            # Says nothing about whether a codename exists: only how one looks.
            raise ValidationError(
                _("A codename has seven words. Please type all of them, in order.")
            )
        return codename

    def clean_phrase(self) -> str:
        return normalise_words(self.cleaned_data["phrase"])


class MessageForm(LeavesNoFormHistory):
    body = CleanTextField(
        label=_("Your message"),
        help_text=_("Write in any language. You can answer our questions or tell us more."),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )


class ContactDetailsForm(ContactFieldsForm):
    """The person's ways and times to be reached, to replace what they gave before."""


class WithdrawForm(LeavesNoFormHistory):
    confirm = forms.BooleanField(
        label=_("I want to withdraw my request. Please delete what I wrote and all our messages."),
        error_messages={"required": _("Please tick this box if you want to withdraw.")},
    )


class DocumentPhotoForm(LeavesNoFormHistory):
    # Made safe by the action, once the request's budget and cap allow the decoding.
    photo = DeferredEvidenceFileField(
        label=_("Photo of a document"),
        help_text=_(
            "A photo of one page: JPEG, PNG or WebP, up to 10 MB. We remove the hidden "
            "details a photo carries, such as where it was taken. PDF files cannot be sent."
        ),
    )
