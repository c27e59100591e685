"""This feature's URLs, added to ``finance.urls``: the request from a case, and finance's
grant pages."""

from django.urls import URLPattern, path

from safehaven.finance.grants import views

GRANT = "staff/finance/grants/<int:grant_id>/"

urlpatterns: list[URLPattern] = [
    path(
        "staff/cases/<int:case_id>/finance/grants/request/",
        views.request_case_grant,
        name="finance-request-case-grant",
    ),
    path("staff/finance/grants/", views.list_grants, name="finance-list-grants"),
    path(
        "staff/finance/grants/partner/",
        views.request_partner_grant,
        name="finance-request-partner-grant",
    ),
    path(GRANT, views.show_grant, name="finance-show-grant"),
    path(f"{GRANT}approve/", views.approve_grant, name="finance-approve-grant"),
    path(f"{GRANT}refuse/", views.refuse_grant, name="finance-refuse-grant"),
    path(f"{GRANT}cancel/", views.cancel_grant, name="finance-cancel-grant"),
]
