from __future__ import annotations

from django.urls import URLPattern, path

from safehaven.reports.crisis_dashboard import views

urlpatterns: list[URLPattern] = [
    path("", views.list_crises, name="reports-list-crises"),
    path("<int:crisis_id>/", views.show_crisis, name="reports-show-crisis"),
]
