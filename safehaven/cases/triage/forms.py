"""Forms of the staff pages for help requests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import User
from safehaven.intake.choices import TRIAGE_STATUSES
from safehaven.intake.handling.actions import staff_who_may_receive_requests
from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField, PlainChoiceField


class ReplyForm(forms.Form):
    body = CleanTextField(
        label=_("Answer to the person"),
        help_text=_(
            "They read this on their status page. Never write a route, a flight, a place or a "
            "name: someone else may be looking at their screen."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )


class RequestStateForm(forms.Form):
    status = PlainChoiceField(
        label=_("Status"), choices=[(status.value, status.label) for status in TRIAGE_STATUSES]
    )


class AcknowledgeCheckInForm(forms.Form):
    notice = forms.UUIDField(widget=forms.HiddenInput)
    note = CleanTextField(
        label=_("What you did or decided"),
        help_text=_(
            "Kept with the check-in, for the team; the person never sees it. For a danger "
            "check-in: whom you told, and how you will (or will not) contact them."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.username


class ShareRequestForm(forms.Form):
    reader = StaffChoiceField(
        label=_("Share with"),
        help_text=_(
            "They will see this request on their page and can read everything in it. Share "
            "only with the person who needs it now."
        ),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        to_field_name="pk",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made per form: who may receive requests changes as roles and keys do.
        self.fields["reader"].queryset = staff_who_may_receive_requests()  # type: ignore[attr-defined]


REASON_MAX_LENGTH = 2000


class AcceptRequestForm(forms.Form):
    reason = CleanTextField(
        label=_("Why this request becomes a case"),
        help_text=_("Kept with the case, for the team; the person never sees it."),
        multiline=True,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JoinHouseholdForm(forms.Form):
    case_number = forms.IntegerField(
        label=_("Case number"),
        min_value=1,
        help_text=_(
            "The person joins that case's household. Each person keeps reading only their own "
            "messages, with their own codename."
        ),
        error_messages={"required": _("Please fill this in."), "invalid": _("Write a number.")},
    )
