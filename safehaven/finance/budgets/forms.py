"""The budget pages' forms: the year shown, and a budget line (a whole year or one month)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation
from safehaven.finance.choices import GrantCategory
from safehaven.finance.funds.forms import amount_field, currency_field, organisation_field

FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


class YearForm(forms.Form):
    year = year_field()

    def year_or(self, default: int) -> int:
        if self.is_valid():
            return int(self.cleaned_data["year"])
        return default


class BudgetLineForm(forms.Form):
    organisation = organisation_field()
    year = year_field()
    month = forms.TypedChoiceField(
        label=_("Month"),
        choices=[("", _("The whole year")), *MONTHS.items()],
        coerce=int,
        empty_value=None,
        required=False,
    )
    category = forms.ChoiceField(label=_("Category"), choices=GrantCategory.choices)
    currency = currency_field()
    amount = amount_field(_("Amount planned"), help_text=_("Setting a line again replaces it."))

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        today: datetime.date,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"year": today.year})
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
