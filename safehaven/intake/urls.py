from django.urls import path

from safehaven.intake.notes import views as notes
from safehaven.intake.status_page import views as status_page
from safehaven.intake.submission import views as submission
from safehaven.intake.trail import views as trail
from safehaven.intake.triage import views as triage

urlpatterns = [
    path("help/", submission.show_request_form, name="intake-show-request-form"),
    # The requester's status pages: every one under status/, the path of the session cookie.
    path("status/", status_page.open_status, name="intake-open-status"),
    path("status/request/", status_page.show_status, name="intake-show-status"),
    path("status/request/message/", status_page.send_message, name="intake-send-message"),
    path("status/request/contacts/", status_page.change_contacts, name="intake-change-contacts"),
    path("status/request/withdraw/", status_page.withdraw_request, name="intake-withdraw-request"),
    path("status/request/leave/", status_page.leave_status, name="intake-leave-status"),
    # Staff
    path("staff/requests/", triage.list_requests, name="intake-list-requests"),
    path("staff/referrals/", triage.list_referrals, name="intake-list-referrals"),
    path("staff/shared/", triage.list_shared_requests, name="intake-list-shared-requests"),
    path(
        "staff/requests/<int:request_id>/",
        triage.show_request,
        name="intake-show-request",
    ),
    path(
        "staff/requests/<int:request_id>/reply/",
        triage.reply_to_request,
        name="intake-reply-to-request",
    ),
    path(
        "staff/requests/<int:request_id>/status/",
        triage.change_request_status,
        name="intake-change-request-status",
    ),
    path(
        "staff/requests/<int:request_id>/check-ins/acknowledge/",
        triage.acknowledge_check_in,
        name="intake-acknowledge-check-in",
    ),
    path(
        "staff/requests/<int:request_id>/share/",
        triage.share_request,
        name="intake-share-request",
    ),
    path(
        "staff/requests/<int:request_id>/notes/",
        notes.add_internal_note,
        name="intake-add-internal-note",
    ),
    path(
        "staff/requests/<int:request_id>/trail/",
        trail.show_request_trail,
        name="intake-show-request-trail",
    ),
]
