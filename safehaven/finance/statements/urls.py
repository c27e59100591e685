"""This feature's URLs, added to ``finance.urls``."""

from django.urls import URLPattern, path

from safehaven.finance.statements import views

urlpatterns: list[URLPattern] = [
    path(
        "staff/finance/funds/<int:fund_id>/statement/",
        views.show_fund_statement,
        name="finance-show-fund-statement",
    ),
]
