"""This feature's URLs, added to ``finance.urls``."""

from django.urls import URLPattern, path

from safehaven.finance.exports import views

urlpatterns: list[URLPattern] = [
    path("staff/finance/exports/", views.export_finance, name="finance-export-finance"),
]
