"""This feature's URLs, added to ``finance.urls``: a grant's payments and payees, and the
confirmation of one payment."""

from django.urls import URLPattern, path

from safehaven.finance.disbursements import views

GRANT = "staff/finance/grants/<int:grant_id>/"

urlpatterns: list[URLPattern] = [
    path(
        f"{GRANT}disbursements/new/",
        views.record_disbursement,
        name="finance-record-disbursement",
    ),
    path(f"{GRANT}payees/", views.show_payees, name="finance-show-payees"),
    path(
        "staff/finance/disbursements/<int:disbursement_id>/confirm/",
        views.confirm_disbursement,
        name="finance-confirm-disbursement",
    ),
]
