"""The authorisation walk's expectations for the check ins pages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    CASE_ROW_UNKNOWN,
    FORBIDDEN,
    NOT_FOUND,
    REDIRECT,
    Expect,
    members_only,
)

EXPECTATIONS: dict[str, Expect] = {
    # Journey check-ins (issue 19, item 2): the walk's case has no booking 999999 nor check-in
    # 999999, so those who may open it get 404, other roles 403, outsiders and a duress session
    # 404 for the case itself.
    "travel-schedule-check-ins": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_booking",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
    "travel-log-check-in": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_check_in",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
    "travel-cancel-check-in": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_check_in",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
    # The walk's case is not travel booked: back to the case page with the refusal.
    "travel-mark-in-transit": Expect(
        "POST",
        members_only(
            FORBIDDEN,
            triage=REDIRECT,
            supervisor=REDIRECT,
            caseworker=NOT_FOUND,
            triage_under_duress=NOT_FOUND,
        ),
        kwargs="walk_case",
    ),
}
