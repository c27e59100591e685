"""The forms of ticket files: add one to a booking (for a traveller or the whole booking),
remove one with an optional reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.cases.models import Case, CasePerson
from safehaven.core.uploads.fields import DeferredEvidenceFileField
from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField
from safehaven.travel.documents.forms import PersonChoiceField
from safehaven.travel.tickets.files import ACCEPT, MAX_TICKET_BYTES, MEGABYTE


class TicketFileField(DeferredEvidenceFileField):
    """The upload itself, checked and made safe by the action (``files.checked_ticket_file``)
    once the booking's caps are counted; only a file over the upload cap is refused here."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)


class TicketFileForm(forms.Form):
    traveller = PersonChoiceField(
        label=_("Whose ticket"),
        queryset=CasePerson.objects.none(),
        required=False,
        empty_label=_("The whole booking"),
    )
    file = TicketFileField(label=_("Ticket file"))

    def __init__(self, *args: Any, case: Case, travellers: list[int] | None = None, **kwargs: Any):
        """``travellers``: the people to offer (a booking's); all the case's people if None
        (the action refuses anyone who does not travel on the booking)."""
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, or an image such as a screenshot of a boarding pass (JPEG, PNG or WebP), "
            "at most %(megabytes)d MB. An image is re-encoded without its hidden data; a PDF is "
            "kept as it is. Both are sealed, and only ever downloaded, never shown in the page."
        ) % {"megabytes": MAX_TICKET_BYTES // MEGABYTE}
        people = case.people.order_by("-is_primary", "pk")
        if travellers is not None:
            people = people.filter(pk__in=travellers)
        self.fields["traveller"].queryset = people  # type: ignore[attr-defined]


class RemoveTicketFileForm(forms.Form):
    reason = CleanTextField(
        label=_("Reason"),
        help_text=_(
            "Optional. Sealed with the file: only those who open this case's travel "
            "records read it."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
    )
