"""The authorisation walk's expectations for the finance grants pages (merged into the walk's).

Asking for a grant goes through the case (``REQUEST_GRANTS`` and the case's scope): on the walk's
case, not assigned to the caseworker, only the supervisor gets the form (an empty post shows
it again with its errors); a caseworker or a finance officer, who may ask but not for this
case, get 404. Every other finance page is a finance officer's: the queue and the partner
grant's form open for them; a grant, payment or journal entry that does not exist is 404 for
them (before anyone is asked to re-authenticate), and every other role gets 403, so no one but
finance reaches a payee. The case page's costs panel (totals only) is walked with the case page.
"""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import FORBIDDEN, NOT_FOUND, OK, Expect, members_only

FINANCE_ONLY = members_only(FORBIDDEN, finance=OK)
FINANCE_ROW_UNKNOWN = members_only(FORBIDDEN, finance=NOT_FOUND)
CASE_REQUESTERS = members_only(FORBIDDEN, supervisor=OK, caseworker=NOT_FOUND, finance=NOT_FOUND)

EXPECTATIONS: dict[str, Expect] = {
    "finance-request-case-grant": Expect(
        outcomes=CASE_REQUESTERS, kwargs="walk_case", more_methods={"POST": CASE_REQUESTERS}
    ),
    "finance-list-grants": Expect(outcomes=FINANCE_ONLY),
    "finance-request-partner-grant": Expect(
        outcomes=FINANCE_ONLY, more_methods={"POST": FINANCE_ONLY}
    ),
    # {"grant_id": 999999}
    "finance-show-grant": Expect(outcomes=FINANCE_ROW_UNKNOWN, kwargs="unknown_grant"),
    "finance-approve-grant": Expect("POST", FINANCE_ROW_UNKNOWN, kwargs="unknown_grant"),
    "finance-refuse-grant": Expect("POST", FINANCE_ROW_UNKNOWN, kwargs="unknown_grant"),
    "finance-cancel-grant": Expect("POST", FINANCE_ROW_UNKNOWN, kwargs="unknown_grant"),
    "finance-record-disbursement": Expect(
        outcomes=FINANCE_ROW_UNKNOWN,
        kwargs="unknown_grant",
        more_methods={"POST": FINANCE_ROW_UNKNOWN},
    ),
    "finance-show-payees": Expect(outcomes=FINANCE_ROW_UNKNOWN, kwargs="unknown_grant"),
    # {"disbursement_id": 999999}
    "finance-confirm-disbursement": Expect(
        "POST", FINANCE_ROW_UNKNOWN, kwargs="unknown_disbursement"
    ),
    # {"entry_id": 999999}
    "finance-show-entry": Expect(outcomes=FINANCE_ROW_UNKNOWN, kwargs="unknown_entry"),
    "finance-reverse-entry": Expect("POST", FINANCE_ROW_UNKNOWN, kwargs="unknown_entry"),
}
