"""The "choose your codename" form: the codename the page offered, sent back with a tag only
the server can make, so that nobody chooses a weak codename of their own by editing the page."""

from __future__ import annotations

import hmac
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safehaven.core.crypto import derive_key, hmac_digest
from safehaven.intake.codename import normalise_words
from safehaven.intake.status_codes.actions import is_offerable_codename
from safehaven.intake.submission.fields import LeavesNoFormHistory

OFFER_LABEL = "safehaven offered codename v1"


def offer_tag(step_reference: str, codename: str) -> str:
    """The tag of a codename offered in one choose step (never stored: it is in the page)."""
    key = derive_key(settings.CODENAME_PEPPER, OFFER_LABEL)
    return hmac_digest(key, f"{step_reference}\x00{normalise_words(codename)}").hex()


class ChooseCodenameForm(LeavesNoFormHistory):
    codename = forms.CharField(widget=forms.HiddenInput, max_length=200)
    offer = forms.CharField(widget=forms.HiddenInput, max_length=64)
    written_down = forms.BooleanField(
        label=_("I have written these words down, or I know them by heart."),
        error_messages={"required": _("Please write the words down first, then tick this box.")},
    )

    def __init__(self, *args: Any, step_reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_reference = step_reference

    def offered_codename(self) -> str | None:
        """The codename sent back, if this step offered it (whatever the box says)."""
        codename = normalise_words(str(self.data.get("codename", "")))[:200]
        tag = str(self.data.get("offer", ""))
        expected = offer_tag(self.step_reference, codename)
        if not is_offerable_codename(codename) or not hmac.compare_digest(
            tag.encode(), expected.encode()
        ):
            return None
        return codename

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.offered_codename() is None:
            raise ValidationError(
                _("This page was out of date. Here is a new codename: please write it down.")
            )
        return cleaned
