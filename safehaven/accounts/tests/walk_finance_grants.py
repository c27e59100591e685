"""The authorisation walk's expectations for the finance grants pages (merged into the walk's).

Asking for a grant goes through the case (``REQUEST_GRANTS`` and the case's scope): on the walk's
case, not assigned to the caseworker, only the supervisor gets the form (an empty post shows
it again with its errors); a caseworker or a finance officer, who may ask but not for this
case, get 404. Every other finance page is a finance officer's, walked on the walk's own grant,
payment and journal entry (``walk_rows``: approved, partly paid to a payee whose details are
sentinels): every other role gets 403 before anything is looked up. Approving, refusing and
opening the payees ask finance for both factors again first (the walk's logins are never
recent: a redirect); the payees page with both factors fresh is walked in ``walk_fresh``.
Cancelling the grant (its unpaid part released) and confirming the payment go back to the
grant's page (each post undone after it: ``walk_checks.rolled_back``). No page here shows a
payee or a donor. The case page's costs panel (totals only) is walked with the case page.
"""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Expect,
    members_only,
)

FINANCE_ONLY = members_only(FORBIDDEN, finance=OK)
# Both factors again first; or, after a post that needs none, back to the grant's page.
FINANCE_REDIRECTED = members_only(FORBIDDEN, finance=REDIRECT)
CASE_REQUESTERS = members_only(FORBIDDEN, supervisor=OK, caseworker=NOT_FOUND, finance=NOT_FOUND)

EXPECTATIONS: dict[str, Expect] = {
    "finance-request-case-grant": Expect(
        outcomes=CASE_REQUESTERS, kwargs="walk_case", more_methods={"POST": CASE_REQUESTERS}
    ),
    "finance-list-grants": Expect(outcomes=FINANCE_ONLY),
    "finance-request-partner-grant": Expect(
        outcomes=FINANCE_ONLY, more_methods={"POST": FINANCE_ONLY}
    ),
    "finance-show-grant": Expect(outcomes=FINANCE_ONLY, kwargs="walk_grant"),
    "finance-approve-grant": Expect("POST", FINANCE_REDIRECTED, kwargs="walk_grant"),
    "finance-refuse-grant": Expect("POST", FINANCE_REDIRECTED, kwargs="walk_grant"),
    "finance-cancel-grant": Expect("POST", FINANCE_REDIRECTED, kwargs="walk_grant"),
    # An empty post shows the form again with its errors.
    "finance-record-disbursement": Expect(
        outcomes=FINANCE_ONLY, kwargs="walk_grant", more_methods={"POST": FINANCE_ONLY}
    ),
    "finance-show-payees": Expect(outcomes=FINANCE_REDIRECTED, kwargs="walk_grant"),
    # Confirmed at reconciliation.
    "finance-confirm-disbursement": Expect("POST", FINANCE_REDIRECTED, kwargs="walk_disbursement"),
    # The payment's journal entry; an empty post to reverse it shows the form's errors.
    "finance-show-entry": Expect(outcomes=FINANCE_ONLY, kwargs="walk_entry"),
    "finance-reverse-entry": Expect("POST", FINANCE_ONLY, kwargs="walk_entry"),
}
