"""The forms of check-ins: a journey's windows at once (one row each, filled from the booking's
segments), a check-in logged after a call, a cancellation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField
from safehaven.travel.bookings.forms import PLACE_MAX_LENGTH
from safehaven.travel.check_ins.windows import MAX_CHECK_INS_PER_BOOKING, WindowAsked
from safehaven.travel.choices import CheckInPoint

ZONE_MAX_LENGTH = 64
# One list of the known time zones on the page, offered by every zone field (no script).
ZONES_LIST_ID = "time-zones"


def _wall_clock(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Give the time as YYYY-MM-DD HH:MM.")},
    )


def _zone(label: Any, help_text: Any, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=ZONE_MAX_LENGTH,
        required=required,
        widget=forms.TextInput(
            attrs={"list": ZONES_LIST_ID, "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class ScheduleCheckInsForm(forms.Form):
    zone = _zone(
        _("Time zone"),
        _(
            "The time zone the times below are given in, as the tickets give them (for "
            "example Europe/Berlin): for every check-in without a time zone of its own."
        ),
        required=False,
    )


class WindowForm(forms.Form):
    """One expected check-in. A row left out (the formset's deletion box) is not checked, nor
    an extra row nobody filled."""

    point = forms.ChoiceField(
        label=_("Where in the journey"), choices=[("", "—"), *CheckInPoint.choices]
    )
    place = CleanTextField(
        label=_("Place"),
        max_length=PLACE_MAX_LENGTH,
        required=False,
        help_text=_("Sealed with the case's travel records."),
    )
    opens = _wall_clock(_("Window opens (local time)"))
    due_by = _wall_clock(_("Due by (local time)"))
    zone = _zone(
        _("Time zone of this check-in"), _("Leave empty to use the one above."), required=False
    )

    def asked(self, default_zone: str) -> WindowAsked | None:
        """The window this row gives (its times as typed, wall clock); None if left out or
        left empty."""
        data = getattr(self, "cleaned_data", None)
        if not data or data.get("DELETE"):
            return None
        return WindowAsked(
            point=data["point"],
            place=data.get("place", ""),
            # The form made them aware in the server's zone; the caseworker gave wall clock.
            opens=data["opens"].replace(tzinfo=None),
            due_by=data["due_by"].replace(tzinfo=None),
            zone=(data.get("zone") or "").strip() or default_zone.strip(),
        )


class BaseWindowFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Leave this check-in out")


WindowFormSet = forms.formset_factory(
    WindowForm,
    formset=BaseWindowFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CHECK_INS_PER_BOOKING,
    absolute_max=MAX_CHECK_INS_PER_BOOKING,
    validate_max=True,
)


class LogCheckInForm(forms.Form):
    in_danger = forms.BooleanField(
        label=_("The person gave a danger signal, or did not seem free to speak"),
        required=False,
        help_text=_("Raises an alert now for the case's caseworker and the staff on call."),
    )
    note = CleanTextField(
        label=_("What was said"),
        help_text=_("Sealed with the case's travel records; the person never sees it."),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
    )


class CancelCheckInForm(forms.Form):
    reason = CleanTextField(
        label=_("Reason"),
        help_text=_("Sealed with the check-in. Once cancelled, the alarm no longer waits for it."),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
