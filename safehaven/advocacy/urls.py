"""Every URL of advocacy: the advocacy officer's pages under ``/staff/advocacy/``, a key
holder's print with named people, and the case page's forms under the case."""

from django.urls import URLPattern, path

from safehaven.advocacy.inclusions import views as inclusions
from safehaven.advocacy.letters import views as letters
from safehaven.advocacy.namings import views as namings
from safehaven.advocacy.requests import views as requests

urlpatterns: list[URLPattern] = [
    path("staff/advocacy/", requests.list_requests, name="advocacy-list-requests"),
    path("staff/advocacy/new/", requests.draft_request, name="advocacy-draft-request"),
    path(
        "staff/advocacy/<int:advocacy_request_id>/",
        requests.show_request,
        name="advocacy-show-request",
    ),
    path(
        "staff/advocacy/<int:advocacy_request_id>/status/",
        requests.change_status,
        name="advocacy-change-status",
    ),
    path(
        "staff/advocacy/<int:advocacy_request_id>/crisis-cases/",
        inclusions.count_crisis_cases,
        name="advocacy-count-crisis-cases",
    ),
    path(
        "staff/advocacy/<int:advocacy_request_id>/letter/",
        letters.edit_letter,
        name="advocacy-edit-letter",
    ),
    path(
        "staff/advocacy/<int:advocacy_request_id>/letter/print/",
        letters.print_letter,
        name="advocacy-print-letter",
    ),
    path(
        "staff/advocacy/<int:advocacy_request_id>/letter/print-named/",
        letters.print_named_letter,
        name="advocacy-print-named-letter",
    ),
    path(
        "staff/cases/<int:case_id>/advocacy/include/",
        inclusions.include_case,
        name="advocacy-include-case",
    ),
    path(
        "staff/cases/<int:case_id>/advocacy/<int:inclusion_id>/remove/",
        inclusions.remove_case,
        name="advocacy-remove-case",
    ),
    path(
        "staff/cases/<int:case_id>/advocacy/<int:inclusion_id>/name/",
        namings.name_person,
        name="advocacy-name-person",
    ),
]
