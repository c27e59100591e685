"""This feature's URLs, added to ``travel.urls``."""

from django.urls import URLPattern, path

from safehaven.travel.alarms import views

urlpatterns: list[URLPattern] = [
    path(
        "staff/cases/<int:case_id>/travel/alerts/<int:alert_id>/acknowledge/",
        views.acknowledge_alert,
        name="travel-acknowledge-alert",
    ),
]
