"""The forms of saved routes: saving one from the planner's results (the planner's question
again, with the chosen route's key), a supervisor's override and a withdrawal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField
from safehaven.travel.planner.forms import PlannerForm

ROUTE_KEY_MAX_LENGTH = 2000


class SaveRouteForm(PlannerForm):
    """Posted by the planner's results page: its question again, as hidden fields, and the key
    of the route chosen (the planner's own form, so both read the question the same way)."""

    route_key = forms.CharField(label=_("Route chosen"), max_length=ROUTE_KEY_MAX_LENGTH)


class RouteReasonForm(forms.Form):
    reason = CleanTextField(
        label=_("Reason"),
        help_text=_(
            "Sealed with the route: only those who open this case's travel records read it."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
