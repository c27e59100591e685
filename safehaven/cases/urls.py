from django.urls import include, path

from safehaven.cases.assignment import views as assignment
from safehaven.cases.call_intake import views as call_intake
from safehaven.cases.case_messages import views as case_messages
from safehaven.cases.case_page import views as case_page
from safehaven.cases.case_tasks import views as case_tasks
from safehaven.cases.contact_log import views as contact_log
from safehaven.cases.keyholders import views as keyholders
from safehaven.cases.my_work import views as my_work
from safehaven.cases.queue import views as queue
from safehaven.cases.request_notes import views as request_notes
from safehaven.cases.triage import views as triage
from safehaven.cases.verification import views as verification

urlpatterns = [
    path("", include("safehaven.cases.duplicates.urls")),
    path("", include("safehaven.cases.status_codes.urls")),
    path(
        "staff/cases/<int:case_id>/messages/",
        case_messages.show_case_messages,
        name="cases-show-case-messages",
    ),
    path("staff/requests/", triage.list_requests, name="cases-list-requests"),
    path("staff/referrals/", triage.list_referrals, name="cases-list-referrals"),
    path("staff/shared/", triage.list_shared_requests, name="cases-list-shared-requests"),
    path(
        "staff/requests/<int:request_id>/",
        triage.show_request,
        name="cases-show-request",
    ),
    path(
        "staff/requests/<int:request_id>/reply/",
        triage.reply_to_request,
        name="cases-reply-to-request",
    ),
    path(
        "staff/requests/<int:request_id>/status/",
        triage.change_request_status,
        name="cases-change-request-status",
    ),
    path(
        "staff/requests/<int:request_id>/check-ins/acknowledge/",
        triage.acknowledge_check_in,
        name="cases-acknowledge-check-in",
    ),
    path(
        "staff/requests/<int:request_id>/share/",
        triage.share_request,
        name="cases-share-request",
    ),
    path(
        "staff/requests/<int:request_id>/accept/",
        triage.accept_request,
        name="cases-accept-request",
    ),
    path(
        "staff/requests/<int:request_id>/join/",
        triage.join_household,
        name="cases-join-household",
    ),
    path("staff/cases/", queue.list_cases, name="cases-list-cases"),
    path("staff/cases/new/", call_intake.open_case_from_call, name="cases-open-case-from-call"),
    path(
        "staff/requests/<int:request_id>/notes/",
        request_notes.add_internal_note,
        name="cases-add-internal-note",
    ),
    path(
        "staff/cases/<int:case_id>/keys/<int:user_id>/regrant/",
        keyholders.regrant_case,
        name="cases-regrant-case",
    ),
    path("staff/cases/<int:case_id>/keys/rekey/", keyholders.rekey_case, name="cases-rekey-case"),
    path("staff/cases/<int:case_id>/assign/", assignment.assign_case, name="cases-assign-case"),
    path(
        "staff/cases/<int:case_id>/assignments/<int:assignment_id>/unassign/",
        assignment.unassign_case,
        name="cases-unassign-case",
    ),
    path(
        "staff/cases/<int:case_id>/verification/checks/",
        verification.record_verification_item,
        name="cases-record-verification-item",
    ),
    path(
        "staff/cases/<int:case_id>/evidence/",
        verification.add_evidence,
        name="cases-add-evidence",
    ),
    path(
        "staff/cases/<int:case_id>/evidence/<uuid:item_id>/",
        verification.download_evidence,
        name="cases-download-evidence",
    ),
    path(
        "staff/cases/<int:case_id>/evidence/from-person/<uuid:item_id>/",
        verification.copy_person_photo,
        name="cases-copy-person-photo",
    ),
    path(
        "staff/cases/<int:case_id>/verification/ask/",
        verification.request_verification,
        name="cases-request-verification",
    ),
    path(
        "staff/cases/<int:case_id>/verification/<int:approval_id>/approve/",
        verification.approve_verification,
        name="cases-approve-verification",
    ),
    path(
        "staff/cases/<int:case_id>/verification/<int:approval_id>/refuse/",
        verification.refuse_verification,
        name="cases-refuse-verification",
    ),
    path("staff/cases/<int:case_id>/", case_page.show_case, name="cases-show-case"),
    path("staff/cases/<int:case_id>/move/", case_page.move_case, name="cases-move-case"),
    path("staff/cases/<int:case_id>/tasks/", case_tasks.add_case_task, name="cases-add-case-task"),
    path(
        "staff/cases/<int:case_id>/tasks/<int:task_id>/done/",
        case_tasks.complete_case_task,
        name="cases-complete-case-task",
    ),
    path("staff/my-cases/", my_work.show_my_work, name="cases-show-my-work"),
    path(
        "staff/cases/<int:case_id>/contact-attempts/",
        contact_log.log_contact_attempt,
        name="cases-log-contact-attempt",
    ),
    path(
        "staff/cases/<int:case_id>/support-sessions/",
        contact_log.log_support_session,
        name="cases-log-support-session",
    ),
    path("staff/cases/<int:case_id>/notes/", contact_log.add_case_note, name="cases-add-case-note"),
]
