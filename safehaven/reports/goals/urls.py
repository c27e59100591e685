from __future__ import annotations

from django.urls import URLPattern, path

from safehaven.reports.goals import views

urlpatterns: list[URLPattern] = [
    path("", views.list_goals, name="reports-list-goals"),
    path("historical/new/", views.record_historical_total, name="reports-record-historical-total"),
    path(
        "historical/<int:total_id>/remove/",
        views.remove_historical_total,
        name="reports-remove-historical-total",
    ),
    path("settings/", views.change_reporting_settings, name="reports-change-reporting-settings"),
]
