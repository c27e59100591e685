"""The portal's forms: referring a person (the shared ``ReferralForm`` with its languages
offered as choices), adding evidence, importing a file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safehaven.core.uploads.fields import DeferredEvidenceFileField
from safehaven.intake.submission import place_names
from safehaven.intake.submission.fields import CleanTextField
from safehaven.partners.portal.evidence import ACCEPT, too_large_message
from safehaven.partners.referrals.forms import ReferralForm

NOTE_MAX_LENGTH = 2000


class PortalReferralForm(ReferralForm):
    """The referral form as a person fills it in: the usual languages as boxes to tick, any
    other by its code; both reach ``ReferralForm``'s ``languages`` as one list."""

    other_languages = CleanTextField(
        label=_("Other languages"),
        help_text=_("Not in the list above: two-letter codes separated by commas, e.g. os, ka."),
        max_length=100,
        required=False,
    )

    field_order = [
        "known_as",
        "situation",
        "country",
        "region",
        "languages",
        "other_languages",
        "contact_method",
        "contact",
        "contact_times",
        "may_leave_message",
        "risk_indicators",
        "companions",
        "page_language",
        "consent",
    ]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            data.setlist("languages", [*data.getlist("languages"), data.get("other_languages", "")])
        super().__init__(data, *args, **kwargs)
        languages = self.fields["languages"]
        languages.widget = forms.CheckboxSelectMultiple(choices=place_names.language_choices())
        languages.help_text = ""


class EvidenceFileField(DeferredEvidenceFileField):
    """The upload itself, checked and made safe by the action once the referral's caps are
    counted; only a file over the upload cap is refused here."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values and getattr(data, "too_large", False):
            raise ValidationError(too_large_message(), code="refused")
        return super().to_python(data)


class EvidenceForm(forms.Form):
    file = EvidenceFileField(
        label=_("Evidence file"),
        help_text=_(
            "A photo of a document or a page (JPEG, PNG or WebP), or a PDF. A photo is "
            "re-encoded without its hidden data (such as where it was taken); a PDF is kept as "
            "it is. Both are sealed: only the organisation's staff who may open this referral "
            "can download them."
        ),
    )
    note = CleanTextField(
        label=_("Note about the file"),
        help_text=_(
            "Optional: what it shows and how you verified it. Sealed, and sent with the file "
            "as a message to the organisation."
        ),
        multiline=True,
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )


class CsvFileField(forms.FileField):
    def to_python(self, data: Any) -> Any:
        # Before Django's own checks: an upload over the cap arrives empty on purpose.
        if data not in self.empty_values and getattr(data, "too_large", False):
            raise ValidationError(
                _("This file is too large. Split it into smaller files and send them one by one."),
                code="refused",
            )
        return super().to_python(data)


class ImportForm(forms.Form):
    file = CsvFileField(
        label=_("CSV file"),
        help_text=_(
            "Text in UTF-8, one person per line after the header line. Nothing is saved unless "
            "every line is correct."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        # Decoded (UTF-8 or refused, line 0) by ``do_import_referrals``.
        return bytes(upload.read())
