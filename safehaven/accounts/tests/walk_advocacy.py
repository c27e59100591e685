"""The authorisation walk's expectations for the advocacy pages (merged into the walk's).

The advocacy role alone reaches the requests' pages (no request 999999: 404 to it, 403 to
everyone else). The print with named people is for those who may open cases (it shows only
what their own key opens); the forms on a case's page follow the case's own rules. Nothing
sealed of the walk's request shows on any of them (no ``reveals``)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    CASE_READERS,
    CASE_ROW_UNKNOWN,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    Expect,
    members_only,
)

ADVOCATE_OK = members_only(FORBIDDEN, advocacy=OK)
ADVOCATE_UNKNOWN = members_only(FORBIDDEN, advocacy=NOT_FOUND)
KEY_HOLDERS_UNKNOWN = members_only(
    FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND
)
UNKNOWN = "unknown_advocacy_request"

EXPECTATIONS: dict[str, Expect] = {
    # The officer's list and the drafting form (an empty post shows the form's errors).
    "advocacy-list-requests": Expect(outcomes=ADVOCATE_OK),
    "advocacy-draft-request": Expect(outcomes=ADVOCATE_OK, more_methods={"POST": ADVOCATE_OK}),
    "advocacy-show-request": Expect(outcomes=ADVOCATE_UNKNOWN, kwargs=UNKNOWN),
    "advocacy-change-status": Expect(
        outcomes=ADVOCATE_UNKNOWN, kwargs=UNKNOWN, more_methods={"POST": ADVOCATE_UNKNOWN}
    ),
    "advocacy-count-crisis-cases": Expect("POST", ADVOCATE_UNKNOWN, kwargs=UNKNOWN),
    "advocacy-edit-letter": Expect(
        outcomes=ADVOCATE_UNKNOWN, kwargs=UNKNOWN, more_methods={"POST": ADVOCATE_UNKNOWN}
    ),
    "advocacy-print-letter": Expect(outcomes=ADVOCATE_UNKNOWN, kwargs=UNKNOWN),
    # Those who may open cases; never the advocacy role, which holds no case key.
    "advocacy-print-named-letter": Expect(outcomes=KEY_HOLDERS_UNKNOWN, kwargs=UNKNOWN),
    # From the case page's panel: the walk's case is counted in no request; an empty post
    # shows the form's errors. The inclusion-level URLs find no inclusion 999999 in the case.
    "advocacy-include-case": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    "advocacy-remove-case": Expect("POST", CASE_ROW_UNKNOWN, kwargs="walk_case_unknown_inclusion"),
    "advocacy-name-person": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_inclusion",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
}
