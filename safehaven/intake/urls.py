from django.urls import path

from safehaven.intake.attachments import views as attachments
from safehaven.intake.status_codes import views as status_codes
from safehaven.intake.status_page import views as status_page
from safehaven.intake.submission import views as submission
from safehaven.intake.trail import views as trail

urlpatterns = [
    path("help/", submission.show_request_form, name="intake-show-request-form"),
    # The requester's status pages: every one under status/, the path of the session cookie.
    path("status/", status_page.open_status, name="intake-open-status"),
    path("status/request/", status_page.show_status, name="intake-show-status"),
    path("status/request/message/", status_page.send_message, name="intake-send-message"),
    path("status/request/contacts/", status_page.change_contacts, name="intake-change-contacts"),
    path("status/request/withdraw/", status_page.withdraw_request, name="intake-withdraw-request"),
    path("status/request/leave/", status_page.leave_status, name="intake-leave-status"),
    path(
        "status/request/documents/",
        status_page.send_document_photo,
        name="intake-send-document-photo",
    ),
    # Opened only with a one-time status code, under status/ too (the path of its cookie).
    path("status/choose/", status_codes.choose_codename, name="intake-choose-codename"),
    # Staff
    path(
        "staff/requests/<int:request_id>/trail/",
        trail.show_request_trail,
        name="intake-show-request-trail",
    ),
    path(
        "staff/requests/<int:request_id>/attachments/<uuid:item_id>/",
        attachments.download_attachment,
        name="intake-download-attachment",
    ),
]
