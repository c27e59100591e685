"""The forms of a request: drafting it, and changing its status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation
from safehaven.advocacy.choices import MOVES, AdvocacyKind, AdvocacyStatus
from safehaven.advocacy.requests.actions import (
    CONTACT_MAX,
    OUTCOME_MAX,
    PROGRAMME_MAX,
    RequestDetails,
    StatusChange,
)
from safehaven.countries.models import Crisis
from safehaven.intake.submission.fields import CleanTextField
from safehaven.intake.submission.place_names import country_choices


class DraftRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("For the organisation"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("What is asked"), choices=AdvocacyKind.choices, widget=forms.RadioSelect
    )
    government = forms.ChoiceField(label=_("Government"))
    programme = CleanTextField(
        label=_("Programme"),
        help_text=_("The visa or protection programme asked for, e.g. a humanitarian stream."),
        max_length=PROGRAMME_MAX,
    )
    contact = CleanTextField(
        label=_("Government office"),
        help_text=_("The office and address the letter goes to. Never a person we help."),
        max_length=CONTACT_MAX,
    )
    crisis = forms.ModelChoiceField(
        label=_("Crisis (for a batch)"),
        queryset=Crisis.objects.order_by("-starts_on", "name"),
        required=False,
        help_text=_("Leave empty for a request about single cases."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            field.initial = organisations.first()
            field.widget = forms.HiddenInput()
        self.fields["government"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *country_choices(),
        ]

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            kind=data["kind"],
            government=data["government"],
            programme=data["programme"],
            contact=data["contact"],
            crisis=data["crisis"],
        )


class ChangeStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    on = forms.DateField(
        label=_("On (YYYY-MM-DD)"), help_text=_("The day it was sent, acknowledged or decided.")
    )
    people_granted = forms.IntegerField(
        label=_("People granted"), min_value=0, required=False, help_text=_("With a decision.")
    )
    people_refused = forms.IntegerField(
        label=_("People refused"), min_value=0, required=False, help_text=_("With a decision.")
    )
    outcome = CleanTextField(
        label=_("What the government decided"),
        help_text=_("With a decision. Counts and words only: never a person's name."),
        max_length=OUTCOME_MAX,
        multiline=True,
        required=False,
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [  # type: ignore[attr-defined]
            (status.value, status.label) for status in AdvocacyStatus if status in MOVES[current]
        ]

    def change(self) -> StatusChange:
        data = self.cleaned_data
        return StatusChange(
            to_status=data["to_status"],
            on=data["on"],
            outcome=data["outcome"],
            people_granted=data["people_granted"],
            people_refused=data["people_refused"],
        )
