"""The funds pages' forms: a fund or appeal (its currency only when it is made), the grant
threshold of a currency. Amounts stay text here: the actions read them exactly (money.py) and
say what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation
from safehaven.countries.models import Crisis
from safehaven.finance.choices import GrantCategory
from safehaven.finance.models import Fund
from safehaven.finance.money import currency_choices
from safehaven.intake.submission.fields import CleanTextField


class DateInput(forms.DateInput):
    input_type = "date"


def amount_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=32,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def organisation_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )


def currency_field(label: Any = None, *, required: bool = True) -> forms.ChoiceField:
    blank = [] if required else [("", _("The fund's own currency"))]
    return forms.ChoiceField(
        label=label or _("Currency"), choices=[*blank, *currency_choices()], required=required
    )


class FundForm(forms.Form):
    """A fund's settings. ``organisations`` and ``currency`` only when the fund is made."""

    organisation = organisation_field()
    name = CleanTextField(label=_("Name"), max_length=120)
    currency = currency_field()
    target = amount_field(
        _("Target"), required=False, help_text=_("In the fund's currency; leave empty for none.")
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput)
    is_appeal = forms.BooleanField(label=_("This is a crisis appeal"), required=False)
    crisis = forms.ModelChoiceField(
        label=_("Only for cases of this crisis"),
        queryset=Crisis.objects.none(),
        required=False,
        empty_label=_("Any case"),
    )
    allowed_categories = forms.MultipleChoiceField(
        label=_("Pays only for"),
        choices=GrantCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none for a fund that pays for everything."),
    )
    allows_partner_grants = forms.BooleanField(
        label=_("May fund partner organisations"), required=False, initial=True
    )
    allows_overdraft = forms.BooleanField(label=_("May go below zero (overdraft)"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        fund: Fund | None = None,
        **kwargs: Any,
    ) -> None:
        if fund is not None:
            kwargs.setdefault("initial", initial_of(fund))
        super().__init__(*args, **kwargs)
        self.fields["crisis"].queryset = Crisis.objects.order_by("-starts_on", "name")  # type: ignore[attr-defined]
        if fund is None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]
            del self.fields["currency"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A fund cannot end before it starts."))
        return data


def initial_of(fund: Fund) -> dict[str, Any]:
    return {
        "name": fund.name,
        "target": "" if fund.target is None else f"{fund.target.normalize():f}",
        "starts_on": fund.starts_on,
        "ends_on": fund.ends_on,
        "is_appeal": fund.is_appeal,
        "crisis": fund.crisis_id,
        "allowed_categories": list(fund.allowed_categories),
        "allows_partner_grants": fund.allows_partner_grants,
        "allows_overdraft": fund.allows_overdraft,
    }


class ThresholdForm(forms.Form):
    organisation = organisation_field()
    currency = currency_field()
    amount = amount_field(
        _("Second finance officer needed above"),
        help_text=_("A grant above this amount is decided by an officer other than its requester."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
