"""The authorisation walk's expectations for the check ins pages (merged into the walk's).

Journey check-ins (issue 19, item 2), walked on the booking and the missed check-in of the
walk's rows (``walk_rows``): those who open the case get the forms (an empty post shows them
again with their errors), a duress session 404, every other role 403. Nothing sealed of the
case shows on them."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    ASSIGNED_CASE_READERS,
    FORBIDDEN,
    NOT_FOUND,
    REDIRECT,
    Expect,
    members_only,
)


def _form(kwargs: str) -> Expect:
    return Expect(
        outcomes=ASSIGNED_CASE_READERS, kwargs=kwargs, more_methods={"POST": ASSIGNED_CASE_READERS}
    )


EXPECTATIONS: dict[str, Expect] = {
    "travel-schedule-check-ins": _form("assigned_case_booking"),
    "travel-log-check-in": _form("assigned_case_check_in"),
    "travel-cancel-check-in": _form("assigned_case_check_in"),
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
