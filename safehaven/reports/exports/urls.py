"""This feature's URLs, added to ``reports.urls`` under ``staff/reports/exports/``."""

from django.urls import URLPattern, path

from safehaven.reports.exports import views

urlpatterns: list[URLPattern] = [
    path("", views.export_figures, name="reports-export-figures"),
]
