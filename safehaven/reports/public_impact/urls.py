"""The public impact page, under ``impact/`` in each language (``/en/impact/``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from safehaven.reports.public_impact import views

urlpatterns: list[URLPattern] = [
    path("", views.show_impact, name="reports-show-impact"),
]
