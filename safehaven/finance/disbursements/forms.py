"""The form of a payment under an approved grant: how and when it was paid, the amount and
currency that left, and, in another currency than the grant's, the rate used and its date, as
entered (never fetched: the app reaches no rate service). The payee's details and the reference
are sealed for finance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safehaven.finance.choices import DisbursementMethod
from safehaven.finance.disbursements.actions import REFERENCE_LIMIT
from safehaven.finance.disbursements.sealing import FIELD_LIMIT
from safehaven.finance.models import Grant
from safehaven.finance.money import MoneyError, amount_in, currency_choices, exchange_rate
from safehaven.intake.submission.fields import CleanTextField

NUMBER_MAX_LENGTH = 30
DATE_ERRORS = {"invalid": gettext_lazy("Give the day as YYYY-MM-DD.")}
# The posted fields that name the payee: kept out of error reports.
SEALED_FIELDS = ("payee_name", "payee_account", "payee_service", "payee_note", "reference")


def _is_one(rate: str) -> bool:
    try:
        return exchange_rate(rate) == 1
    except MoneyError:
        return False


class DisbursementForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How it was paid"),
        choices=DisbursementMethod.choices,
        error_messages={"required": gettext_lazy("Choose how it was paid.")},
    )
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS | {"required": gettext_lazy("Enter the day it was paid.")},
    )
    amount = forms.CharField(
        label=gettext_lazy("Amount paid"),
        max_length=NUMBER_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Enter the amount that was paid.")},
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency paid"), choices=())
    rate = forms.CharField(label="", max_length=NUMBER_MAX_LENGTH, required=False)
    rate_on = forms.DateField(
        label=gettext_lazy("Day of the rate"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
        required=False,
    )
    payee_name = CleanTextField(
        label=gettext_lazy("Payee's name"), max_length=FIELD_LIMIT, required=False
    )
    payee_account = CleanTextField(
        label=gettext_lazy("Account, card, wallet or phone number"),
        max_length=FIELD_LIMIT,
        required=False,
    )
    payee_service = CleanTextField(
        label=gettext_lazy("Bank or money-transfer service"), max_length=FIELD_LIMIT, required=False
    )
    payee_note = CleanTextField(
        label=gettext_lazy("Note"),
        max_length=FIELD_LIMIT,
        required=False,
        help_text=gettext_lazy("For example, the partner who passed the money on."),
    )
    reference = CleanTextField(
        label=gettext_lazy("Reference of the bank or service"),
        max_length=REFERENCE_LIMIT,
        required=False,
    )

    def __init__(self, *args: Any, grant: Grant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grant = grant
        self.fields["currency"].choices = currency_choices()  # type: ignore[attr-defined]
        self.fields["currency"].initial = grant.currency
        self.fields["rate"].label = _("Exchange rate: %(grant)s for one unit paid") % {
            "grant": grant.currency
        }
        self.fields["rate"].help_text = _(
            "Only for a payment in another currency than the grant's (%(grant)s): the rate "
            "used, as entered from the bank's or service's statement."
        ) % {"grant": grant.currency}
        self.fields["rate_on"].help_text = _("The day the rate was set.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, amount = data.get("currency"), data.get("amount")
        if code and amount:
            try:
                amount_in(amount, code)
            except MoneyError as error:
                self.add_error("amount", str(error))
        if not code:
            return data
        rate = (data.get("rate") or "").strip()
        if code == self.grant.currency:
            if rate and not _is_one(rate):
                self.add_error(
                    "rate",
                    _("Leave the rate empty: this payment is in the grant's own currency."),
                )
            return data
        if not rate:
            self.add_error(
                "rate",
                _("Enter the rate used: how many %(grant)s for one %(paid)s.")
                % {"grant": self.grant.currency, "paid": code},
            )
        else:
            try:
                exchange_rate(rate)
            except MoneyError as error:
                self.add_error("rate", str(error))
        if data.get("rate_on") is None and "rate_on" not in self.errors:
            self.add_error("rate_on", _("Enter the day of the rate used."))
        return data
