"""This feature's URLs, added to ``travel.urls``: the check-ins panel's forms, each under the
case it belongs to."""

from django.urls import URLPattern, path

from safehaven.travel.check_ins import views

urlpatterns: list[URLPattern] = [
    path(
        "staff/cases/<int:case_id>/travel/check-ins/booking/<int:booking_id>/schedule/",
        views.schedule_check_ins,
        name="travel-schedule-check-ins",
    ),
    path(
        "staff/cases/<int:case_id>/travel/check-ins/<int:check_in_id>/log/",
        views.log_check_in,
        name="travel-log-check-in",
    ),
    path(
        "staff/cases/<int:case_id>/travel/check-ins/<int:check_in_id>/cancel/",
        views.cancel_check_in,
        name="travel-cancel-check-in",
    ),
    path(
        "staff/cases/<int:case_id>/travel/check-ins/in-transit/",
        views.mark_in_transit,
        name="travel-mark-in-transit",
    ),
]
