"""The forms of grants: ask for one for a case (the case page's panel) or for a partner
organisation (finance's pages). Only the funds the grant would fit are offered; the amount is
checked against the chosen fund's currency (its own decimals, never rounded)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.finance.choices import GrantCategory
from safehaven.finance.models import Fund
from safehaven.finance.money import MoneyError, amount_in
from safehaven.finance.rules import refuse_unless_fits

AMOUNT_MAX_LENGTH = 30


def fits_some_category(
    fund: Fund, *, case: Case | None = None, partner: Organisation | None = None
) -> bool:
    """Whether a grant from ``fund`` to ``case`` or ``partner`` fits its restriction for at
    least one category (a fund whose check fails fits nothing)."""
    for category in GrantCategory:
        try:
            refuse_unless_fits(fund, category=category, case=case, partner=partner)
        except CaseActionRefused:
            continue
        return True
    return False


def funds_for_case(case: Case) -> list[Fund]:
    """The case's organisation's funds a grant to the case would fit."""
    funds = Fund.objects.filter(organisation_id=case.organisation_id).order_by("name", "pk")
    return [fund for fund in funds if fits_some_category(fund, case=case)]


def partner_organisations() -> list[Organisation]:
    return list(Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name", "pk"))


def funds_for_partners(funds: Iterable[Fund], partners: list[Organisation]) -> list[Fund]:
    """Of ``funds``, those a grant to a partner organisation would fit (every partner
    organisation is judged alike, so the first stands for all)."""
    if not partners:
        return []
    return [fund for fund in funds if fits_some_category(fund, partner=partners[0])]


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.currency})"


class GrantRequestForm(forms.Form):
    fund = FundChoiceField(
        label=_("Fund"),
        queryset=Fund.objects.none(),
        error_messages={
            "required": _("Choose the fund to pay from."),
            "invalid_choice": _("Choose one of the funds offered."),
        },
    )
    category = forms.ChoiceField(
        label=_("What it pays for"),
        choices=GrantCategory.choices,
        error_messages={"required": _("Choose what the grant pays for.")},
    )
    amount = forms.CharField(
        label=_("Amount, in the fund's currency"),
        max_length=AMOUNT_MAX_LENGTH,
        help_text=_("For example 450.00. No more decimals than the currency has."),
        error_messages={"required": _("Enter the amount.")},
    )

    def __init__(self, *args: Any, funds: list[Fund], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(  # type: ignore[attr-defined]
            pk__in=[fund.pk for fund in funds]
        ).order_by("name", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fund, amount = data.get("fund"), data.get("amount")
        if fund is not None and amount:
            try:
                data["amount"] = amount_in(amount, fund.currency)
            except MoneyError as error:
                self.add_error("amount", str(error))
        return data


class PartnerGrantRequestForm(GrantRequestForm):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Choose the partner organisation."),
            "invalid_choice": _("Choose one of the partner organisations offered."),
        },
    )
    field_order = ["partner", "fund", "category", "amount"]

    def __init__(
        self, *args: Any, funds: list[Fund], partners: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, funds=funds, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[partner.pk for partner in partners]
        ).order_by("name", "pk")
