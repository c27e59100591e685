"""This feature's URLs (and the budget's), added to ``finance.urls``."""

from django.urls import URLPattern, path

from safehaven.finance.budgets import views as budgets
from safehaven.finance.funds import views

urlpatterns: list[URLPattern] = [
    path("staff/finance/funds/", views.list_funds, name="finance-list-funds"),
    path("staff/finance/funds/new/", views.create_fund, name="finance-create-fund"),
    path("staff/finance/funds/<int:fund_id>/", views.show_fund, name="finance-show-fund"),
    path(
        "staff/finance/funds/<int:fund_id>/change/",
        views.change_fund,
        name="finance-change-fund",
    ),
    path(
        "staff/finance/thresholds/",
        views.set_grant_threshold,
        name="finance-set-grant-threshold",
    ),
    path("staff/finance/budget/", budgets.show_budget, name="finance-show-budget"),
    path("staff/finance/budget/set/", budgets.set_budget_line, name="finance-set-budget-line"),
]
