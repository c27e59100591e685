"""The vetting form, and the confirmation of a suspension."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import PartnerVetting
from safehaven.partners.vetting.actions import CHANGEABLE_STATUSES


class VettingForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Vetting status"),
        choices=[(status.value, status.label) for status in CHANGEABLE_STATUSES],
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "About the organisation and how it was checked. Never name its members or the "
            "people it refers: these notes are not sealed."
        ),
    )
    review_on = forms.DateField(
        label=_("Review on (YYYY-MM-DD)"),
        required=False,
        help_text=_("When the vetting is looked at again."),
    )

    @classmethod
    def for_vetting(
        cls, vetting: PartnerVetting, data: Mapping[str, Any] | None = None
    ) -> VettingForm:
        initial = {"status": vetting.status, "notes": vetting.notes, "review_on": vetting.review_on}
        return cls(data, initial=initial)

    def chosen_status(self) -> VettingStatus:
        return VettingStatus(self.cleaned_data["status"])

    def review_date(self) -> date | None:
        value: date | None = self.cleaned_data["review_on"]
        return value


class SuspendPartnerForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Suspend this partner organisation now"),
        help_text=_("Everything listed above happens at once, and cannot be undone here."),
    )
