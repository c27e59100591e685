"""The authorisation walk's expectations for the tickets pages (merged into the walk's): each
under a booking that does not exist in the walk's case, so 404 to those who may open the case
(before any file is looked for), 403 to every other role."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import CASE_ROW_UNKNOWN, Expect

EXPECTATIONS: dict[str, Expect] = {
    "travel-add-ticket-file": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_booking",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
    # Two ids: {"case_id": <the walk's case>, "booking_id": 999999, "ticket_id": 999999}.
    "travel-download-ticket-file": Expect(
        outcomes=CASE_ROW_UNKNOWN, kwargs="walk_case_unknown_booking_ticket"
    ),
    "travel-remove-ticket-file": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_booking_ticket",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
}
