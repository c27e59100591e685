"""The forms of the contact and support log, posted from the case page's panel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.cases.contact_log.choices import (
    ConsentKind,
    ContactChannel,
    ContactOutcome,
    SupportKind,
)
from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField

NO_CONSENT = ""


class DateInput(forms.DateInput):
    input_type = "date"


class ContactAttemptForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    # Radio buttons, every outcome in sight: "wrong person answered" and "unsafe to talk" must
    # be as easy to pick as "no answer", so the next caseworker does not retry carelessly.
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ContactOutcome.choices, widget=forms.RadioSelect
    )
    next_try_on = forms.DateField(
        label=_("Next try on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty if no further try is planned."),
    )
    note = CleanTextField(
        label=_("Note"),
        required=False,
        help_text=_("Sealed: only those who open this case's casework read it."),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )


class SupportSessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    consent = forms.ChoiceField(
        label=_("Consent"),
        choices=[(NO_CONSENT, _("Not recorded")), *ConsentKind.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("A referral needs the person's agreement to the referral being made."),
    )
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    note = CleanTextField(
        label=_("Note"),
        required=False,
        help_text=_("Sealed: only those who open this case's casework read it."),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )

    def consent_kind(self) -> ConsentKind | None:
        value = self.cleaned_data.get("consent") or NO_CONSENT
        return None if value == NO_CONSENT else ConsentKind(value)


class CaseNoteForm(forms.Form):
    body = CleanTextField(
        label=_("Casework note"),
        help_text=_(
            "For those who open this case's casework: the person never reads it, "
            "and partners never do."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
