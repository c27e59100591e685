from django.urls import path

from safehaven.intake import views, views_status, views_triage

urlpatterns = [
    path("help/", views.show_request_form, name="intake-show-request-form"),
    # The requester's status pages: every one under status/, the path of the session cookie.
    path("status/", views_status.open_status, name="intake-open-status"),
    path("status/request/", views_status.show_status, name="intake-show-status"),
    path("status/request/message/", views_status.send_message, name="intake-send-message"),
    path("status/request/contacts/", views_status.change_contacts, name="intake-change-contacts"),
    path("status/request/withdraw/", views_status.withdraw_request, name="intake-withdraw-request"),
    path("status/request/leave/", views_status.leave_status, name="intake-leave-status"),
    # Staff
    path("staff/requests/", views_triage.list_requests, name="intake-list-requests"),
    path("staff/referrals/", views_triage.list_referrals, name="intake-list-referrals"),
    path(
        "staff/requests/<int:request_id>/",
        views_triage.show_request,
        name="intake-show-request",
    ),
    path(
        "staff/requests/<int:request_id>/reply/",
        views_triage.reply_to_request,
        name="intake-reply-to-request",
    ),
    path(
        "staff/requests/<int:request_id>/status/",
        views_triage.change_request_status,
        name="intake-change-request-status",
    ),
    path(
        "staff/requests/<int:request_id>/check-ins/acknowledge/",
        views_triage.acknowledge_check_in,
        name="intake-acknowledge-check-in",
    ),
]
