"""Reports' pages: the staff dashboard and its parts, and the public impact page."""

from __future__ import annotations

from django.urls import URLResolver, include, path

urlpatterns: list[URLResolver] = [
    path("staff/reports/", include("safehaven.reports.dashboard.urls")),
    path("staff/reports/goals/", include("safehaven.reports.goals.urls")),
    path("staff/reports/exports/", include("safehaven.reports.exports.urls")),
    path("staff/reports/crises/", include("safehaven.reports.crisis_dashboard.urls")),
    path("staff/reports/retention/", include("safehaven.reports.retention.urls")),
    path("impact/", include("safehaven.reports.public_impact.urls")),
]
