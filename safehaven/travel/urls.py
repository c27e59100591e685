"""Every URL of travel, most under the case it belongs to (``/staff/cases/<id>/…``). The older
feature packages add their views here; the newer ones (``tickets``, ``check_ins``, ``alarms``,
``on_call``, ``referral_packages``) keep their own ``urls.py``, added at the end."""

from django.urls import URLPattern, path

from safehaven.travel.alarms import urls as alarms_urls
from safehaven.travel.bookings import views as bookings
from safehaven.travel.check_ins import urls as check_ins_urls
from safehaven.travel.documents import views as documents
from safehaven.travel.follow_ups import views as follow_ups
from safehaven.travel.on_call import urls as on_call_urls
from safehaven.travel.pathways import views as pathways
from safehaven.travel.planner import views as planner
from safehaven.travel.referral_packages import urls as referral_packages_urls
from safehaven.travel.saved_routes import views as saved_routes
from safehaven.travel.tickets import urls as tickets_urls

urlpatterns: list[URLPattern] = [
    path(
        "staff/cases/<int:case_id>/travel/plan/",
        planner.plan_routes,
        name="travel-plan-routes",
    ),
    path(
        "staff/cases/<int:case_id>/travel/routes/save/",
        saved_routes.save_route,
        name="travel-save-route",
    ),
    path(
        "staff/cases/<int:case_id>/travel/routes/<int:route_id>/override/",
        saved_routes.override_route,
        name="travel-override-route",
    ),
    path(
        "staff/cases/<int:case_id>/travel/routes/<int:route_id>/withdraw/",
        saved_routes.withdraw_route,
        name="travel-withdraw-route",
    ),
    path(
        "staff/cases/<int:case_id>/travel/routes/<int:route_id>/print/",
        saved_routes.print_route,
        name="travel-print-route",
    ),
    path("staff/pathways/", pathways.show_pathway_catalogue, name="travel-pathway-catalogue"),
    path(
        "staff/cases/<int:case_id>/travel/pathways/start/",
        pathways.start_pathway,
        name="travel-start-pathway",
    ),
    path(
        "staff/cases/<int:case_id>/travel/pathways/steps/<int:step_id>/",
        pathways.record_pathway_step,
        name="travel-record-pathway-step",
    ),
    path(
        "staff/cases/<int:case_id>/travel/pathways/<int:pathway_id>/end/",
        pathways.end_pathway,
        name="travel-end-pathway",
    ),
    path(
        "staff/cases/<int:case_id>/travel/pathways/<int:pathway_id>/send-sheet/",
        pathways.send_pathway_sheet,
        name="travel-send-pathway-sheet",
    ),
    path(
        "staff/cases/<int:case_id>/travel/documents/add/",
        documents.add_travel_document,
        name="travel-add-document",
    ),
    path(
        "staff/cases/<int:case_id>/travel/documents/<int:document_id>/remove/",
        documents.remove_travel_document,
        name="travel-remove-document",
    ),
    path(
        "staff/cases/<int:case_id>/travel/arrival/",
        follow_ups.confirm_arrival,
        name="travel-confirm-arrival",
    ),
    path(
        "staff/cases/<int:case_id>/travel/follow-ups/schedule/",
        follow_ups.schedule_follow_ups,
        name="travel-schedule-follow-ups",
    ),
    path(
        "staff/cases/<int:case_id>/travel/follow-ups/<int:follow_up_id>/",
        follow_ups.log_follow_up,
        name="travel-log-follow-up",
    ),
    path(
        "staff/cases/<int:case_id>/travel/bookings/new/",
        bookings.book_route,
        name="travel-book-route",
    ),
    path(
        "staff/cases/<int:case_id>/travel/bookings/<int:booking_id>/segment/",
        bookings.add_segment,
        name="travel-add-segment",
    ),
    path(
        "staff/cases/<int:case_id>/travel/bookings/<int:booking_id>/tick/",
        bookings.tick_document,
        name="travel-tick-document",
    ),
    path(
        "staff/cases/<int:case_id>/travel/bookings/<int:booking_id>/confirm/",
        bookings.confirm_booking,
        name="travel-confirm-booking",
    ),
    path(
        "staff/cases/<int:case_id>/travel/bookings/<int:booking_id>/cancel/",
        bookings.cancel_booking,
        name="travel-cancel-booking",
    ),
]
urlpatterns += [
    *tickets_urls.urlpatterns,
    *check_ins_urls.urlpatterns,
    *alarms_urls.urlpatterns,
    *on_call_urls.urlpatterns,
    *referral_packages_urls.urlpatterns,
]
