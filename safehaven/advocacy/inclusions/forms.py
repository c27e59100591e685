"""The case panel's form: count the case in one of its organisation's open requests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.advocacy.models import AdvocacyRequest
from safehaven.intake.submission.place_names import country_choices


def request_label(advocacy_request: AdvocacyRequest, names: dict[str, str]) -> str:
    """A request as a caseworker picks it: what, to whom, under which programme."""
    government = names.get(advocacy_request.government, advocacy_request.government)
    crisis = f" ({advocacy_request.crisis.name})" if advocacy_request.crisis else ""
    return (
        f"{advocacy_request.get_kind_display()} · {government} · "
        f"{advocacy_request.programme}{crisis}"
    )


class IncludeCaseForm(forms.Form):
    advocacy_request = forms.TypedChoiceField(
        label=_("Count this case in"),
        coerce=int,
        help_text=_(
            "The advocacy officer sees only how many cases and people a request counts. "
            "Name people afterwards, with their consent."
        ),
    )

    def __init__(self, *args: Any, requests: list[AdvocacyRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(country_choices())
        self.requests = {item.pk: item for item in requests}
        self.fields["advocacy_request"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((item.pk, request_label(item, names)) for item in requests),
        ]

    def chosen(self) -> AdvocacyRequest:
        return self.requests[self.cleaned_data["advocacy_request"]]
