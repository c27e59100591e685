"""The forms of the follow-ups panel: confirm a safe arrival, log a follow-up."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField
from safehaven.intake.submission.place_names import country_choices
from safehaven.travel.choices import FollowUpOutcome, FollowUpTopic
from safehaven.travel.follow_ups.actions import LOGGED_OUTCOMES

NOTE_MAX_LENGTH = 2000


def _note(label: object) -> CleanTextField:
    return CleanTextField(
        label=label,
        help_text=_("Kept sealed with the case. Leave empty to keep the note as it is."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        multiline=True,
    )


class ConfirmArrivalForm(forms.Form):
    reason = CleanTextField(
        label=_("How the arrival was confirmed"),
        help_text=_("Kept sealed in the case's history; the person never sees it."),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
    # In clear, for reports: a country only, never a city or an address.
    arrived_in = forms.ChoiceField(
        label=_("Country the person arrived in (counted in reports; a country only)"),
        choices=[],
        error_messages={
            "required": _("Choose the country the person arrived in from the list."),
            "invalid_choice": _("Choose the country the person arrived in from the list."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Named in the language of the page, so built for each form.
        field = cast(forms.ChoiceField, self.fields["arrived_in"])
        field.choices = [("", _("Choose a country")), *country_choices()]


class LogFollowUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(o.value, o.label) for o in FollowUpOutcome if o in LOGGED_OUTCOMES],
    )

    housing = _note(FollowUpTopic.HOUSING.label)
    legal_status = _note(FollowUpTopic.LEGAL_STATUS.label)
    health = _note(FollowUpTopic.HEALTH.label)
    emotional_support = _note(FollowUpTopic.EMOTIONAL_SUPPORT.label)

    def topic_notes(self) -> dict[str, str]:
        return {topic.value: self.cleaned_data.get(topic.value, "") for topic in FollowUpTopic}
