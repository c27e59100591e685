"""This feature's URLs, added to ``travel.urls``: each under the booking it belongs to."""

from django.urls import URLPattern, path

from safehaven.travel.tickets import views

BOOKING = "staff/cases/<int:case_id>/travel/bookings/<int:booking_id>/tickets/"

urlpatterns: list[URLPattern] = [
    path(f"{BOOKING}add/", views.add_ticket_file, name="travel-add-ticket-file"),
    path(
        f"{BOOKING}<int:ticket_id>/",
        views.download_ticket_file,
        name="travel-download-ticket-file",
    ),
    path(
        f"{BOOKING}<int:ticket_id>/remove/",
        views.remove_ticket_file,
        name="travel-remove-ticket-file",
    ),
]
