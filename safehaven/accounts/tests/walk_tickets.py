"""The authorisation walk's expectations for the tickets pages (merged into the walk's), on the
booking of the walk's rows (``walk_rows``), which has no ticket file: adding one shows the form
(an empty post shows it again with its errors) to those who open the case; a ticket file that
does not exist is 404 to them; a duress session gets 404, every other role 403."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    ASSIGNED_CASE_READERS,
    ASSIGNED_CASE_ROW_UNKNOWN,
    Expect,
)

EXPECTATIONS: dict[str, Expect] = {
    "travel-add-ticket-file": Expect(
        outcomes=ASSIGNED_CASE_READERS,
        kwargs="assigned_case_booking",
        more_methods={"POST": ASSIGNED_CASE_READERS},
    ),
    # {"case_id": <the rows' case>, "booking_id": <its booking>, "ticket_id": 999999}.
    "travel-download-ticket-file": Expect(
        outcomes=ASSIGNED_CASE_ROW_UNKNOWN, kwargs="assigned_case_booking_unknown_ticket"
    ),
    "travel-remove-ticket-file": Expect(
        outcomes=ASSIGNED_CASE_ROW_UNKNOWN,
        kwargs="assigned_case_booking_unknown_ticket",
        more_methods={"POST": ASSIGNED_CASE_ROW_UNKNOWN},
    ),
}
