"""This feature's URLs, added to ``finance.urls``."""

from django.urls import URLPattern, path

from safehaven.finance.donations import views

urlpatterns: list[URLPattern] = [
    path(
        "staff/finance/funds/<int:fund_id>/donations/",
        views.list_donations,
        name="finance-list-donations",
    ),
    path(
        "staff/finance/funds/<int:fund_id>/donations/new/",
        views.record_donation,
        name="finance-record-donation",
    ),
    path(
        "staff/finance/funds/<int:fund_id>/donations/import/",
        views.import_donations,
        name="finance-import-donations",
    ),
]
