"""The naming form: a consenting person of the case, and how the government must know them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.advocacy.namings.actions import DOCUMENT_MAX, NAME_MAX
from safehaven.advocacy.namings.sealing import NamingDetails
from safehaven.intake.submission.fields import CleanTextField
from safehaven.intake.submission.place_names import country_choices


class NamingForm(forms.Form):
    person = forms.TypedChoiceField(
        label=_("Person"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "Only people who consented to share their details with this request's government."
        ),
        error_messages={"required": _("Choose the person to name.")},
    )
    name = CleanTextField(
        label=_("Name as on their documents"),
        help_text=_("Kept sealed with the case; printed only in the confidential annex."),
        max_length=NAME_MAX,
    )
    born_on = forms.DateField(label=_("Date of birth (YYYY-MM-DD)"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    document = CleanTextField(
        label=_("Passport or travel document number"), max_length=DOCUMENT_MAX, required=False
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]
        self.fields["nationality"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *country_choices(),
        ]

    def details(self) -> NamingDetails:
        data = self.cleaned_data
        born = data["born_on"]
        return NamingDetails(
            name=data["name"],
            born_on=born.isoformat() if born else "",
            nationality=data["nationality"],
            document=data["document"],
        )
