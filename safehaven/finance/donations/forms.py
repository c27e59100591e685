"""The donations pages' forms: a gift recorded by hand (in the fund's currency, or in another
with the rate entered and its day), and a CSV file to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safehaven.finance.donations.actions import DONOR_NAME_LIMIT, Conversion
from safehaven.finance.donations.csv_import import MAX_BYTES, too_large_message
from safehaven.finance.funds.forms import DateInput, amount_field, currency_field
from safehaven.finance.models import Fund
from safehaven.intake.submission.fields import CleanTextField


def not_after_today(value: Any) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("This day is after today."))


class DonationForm(forms.Form):
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput, validators=[not_after_today]
    )
    amount = amount_field(_("Amount given"))
    currency = currency_field(_("Given in"), required=False)
    rate = forms.CharField(
        label=_("Rate used"),
        required=False,
        max_length=32,
        help_text=_("For a gift in another currency: units of the fund's currency per unit given."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    rate_on = forms.DateField(
        label=_("Rate of the day"), required=False, widget=DateInput, validators=[not_after_today]
    )
    donor_name = CleanTextField(
        label=_("Donor's name"),
        required=False,
        max_length=DONOR_NAME_LIMIT,
        help_text=_(
            "Optional: leave empty for an anonymous gift. Sealed; only finance officers can "
            "open it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fund = fund

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("currency") or self.fund.currency
        if code != self.fund.currency:
            if not data.get("rate"):
                self.add_error("rate", _("A gift in another currency needs the rate used."))
            if not data.get("rate_on") and "rate_on" not in self.errors:
                self.add_error("rate_on", _("Give the day of the rate."))
        elif data.get("rate") or data.get("rate_on"):
            self.add_error(
                "rate", _("A gift in the fund's own currency has no rate: leave it empty.")
            )
        return data

    def amounts(self) -> tuple[str | None, Conversion | None]:
        """(amount in the fund's currency, None) or (None, the conversion), for the action."""
        data = self.cleaned_data
        code = data.get("currency") or self.fund.currency
        if code == self.fund.currency:
            return data["amount"], None
        return None, Conversion(data["amount"], code, data["rate"], data["rate_on"])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if getattr(upload, "too_large", False) or upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        upload.seek(0)
        return bytes(upload.read())
