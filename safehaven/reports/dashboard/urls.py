from __future__ import annotations

from django.urls import URLPattern, path

from safehaven.reports.dashboard import views

urlpatterns: list[URLPattern] = [
    path("", views.show_dashboard, name="reports-show-dashboard"),
]
