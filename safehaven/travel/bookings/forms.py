"""The forms of bookings: start one (from a saved route or by hand, for the people who
travel), record a segment, tick a document, cancel."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.cases.models import Case, CasePerson
from safehaven.core.ids import IdsChoiceField
from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField
from safehaven.travel.choices import ChecklistItem, RouteStatus
from safehaven.travel.documents.forms import PersonChoiceField
from safehaven.travel.models import SavedRoute

PLACE_MAX_LENGTH = 80


class SavedRouteChoiceField(forms.ModelChoiceField):
    """A saved route named by its number only: its places are sealed."""

    def label_from_instance(self, obj: Any) -> str:
        return str(_("Saved route #%(number)s") % {"number": obj.pk})


class PeopleChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return PersonChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class BookRouteForm(forms.Form):
    saved_route = SavedRouteChoiceField(
        label=_("Route"),
        queryset=SavedRoute.objects.none(),
        required=False,
        empty_label=_("None: enter the segments by hand"),
        help_text=_("A route waiting for a supervisor's override cannot be booked."),
    )
    travellers = PeopleChoiceField(
        label=_("Who travels"),
        queryset=CasePerson.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who travels.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        routes = SavedRoute.objects.filter(case=case, status=RouteStatus.SAVED)
        self.fields["saved_route"].queryset = routes  # type: ignore[attr-defined]
        people = case.people.order_by("-is_primary", "pk")
        self.fields["travellers"].queryset = people  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["travellers"] = list(people)


class SegmentForm(forms.Form):
    segment = forms.IntegerField(
        label=_("Segment number"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("Leave it empty to add a segment entered by hand."),
    )
    from_place = CleanTextField(
        label=_("From"),
        max_length=PLACE_MAX_LENGTH,
        required=False,
        help_text=_("Only for a new segment: an airport code, a city or a border crossing."),
    )
    to_place = CleanTextField(label=_("To"), max_length=PLACE_MAX_LENGTH, required=False)
    departs = forms.DateTimeField(
        label=_("Departs (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": _("Give the time as YYYY-MM-DD HH:MM.")},
    )
    arrives = forms.DateTimeField(
        label=_("Arrives (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": _("Give the time as YYYY-MM-DD HH:MM.")},
    )
    carrier = CleanTextField(label=_("Carrier"), max_length=PLACE_MAX_LENGTH)
    reference = CleanTextField(label=_("Booking reference"), max_length=PLACE_MAX_LENGTH)


class TickDocumentForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    item = forms.ChoiceField(choices=ChecklistItem.choices, widget=forms.HiddenInput)


class CancelBookingForm(forms.Form):
    reason = CleanTextField(
        label=_("Reason"),
        help_text=_(
            "Sealed with the booking: only those who open this case's travel records read it."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
