from __future__ import annotations

from django.urls import URLPattern, path

from safehaven.reports.retention import views

urlpatterns: list[URLPattern] = [
    path("", views.show_retention, name="reports-show-retention"),
    path("rules/", views.set_retention_rule, name="reports-set-retention-rule"),
    path("dry-run/", views.dry_run_retention, name="reports-dry-run-retention"),
    path("run/", views.run_retention, name="reports-run-retention"),
]
