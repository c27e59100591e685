"""The authorisation walk's expectations for the finance funds pages (merged into the walk's).

Funds, donations, budgets, statements and exports are a finance officer's pages only: every
other role gets 403 before anything is looked up, so no one else reaches a donor's name. The
overview, the forms for a new fund, a threshold and a budget line open for finance (an empty
post shows the form again with its errors); a fund that does not exist is 404 for them. The
export asks for the password and the second factor again first (the walk's logins are never
recent), so finance is sent to re-authenticate, whatever the method.
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
FUND_UNKNOWN = members_only(FORBIDDEN, finance=NOT_FOUND)
REAUTHENTICATE_FIRST = members_only(FORBIDDEN, finance=REDIRECT)


def _fund_page(*, post: bool) -> Expect:
    # {"fund_id": 999999}
    more = {"POST": FUND_UNKNOWN} if post else {}
    return Expect(outcomes=FUND_UNKNOWN, kwargs="unknown_fund", more_methods=more)


EXPECTATIONS: dict[str, Expect] = {
    "finance-list-funds": Expect(outcomes=FINANCE_ONLY),
    "finance-create-fund": Expect(outcomes=FINANCE_ONLY, more_methods={"POST": FINANCE_ONLY}),
    "finance-show-fund": _fund_page(post=False),
    "finance-change-fund": _fund_page(post=True),
    "finance-set-grant-threshold": Expect(
        outcomes=FINANCE_ONLY, more_methods={"POST": FINANCE_ONLY}
    ),
    "finance-show-budget": Expect(outcomes=FINANCE_ONLY),
    "finance-set-budget-line": Expect(outcomes=FINANCE_ONLY, more_methods={"POST": FINANCE_ONLY}),
    "finance-list-donations": _fund_page(post=True),
    "finance-record-donation": _fund_page(post=True),
    "finance-import-donations": _fund_page(post=True),
    "finance-show-fund-statement": _fund_page(post=False),
    "finance-export-finance": Expect(
        outcomes=REAUTHENTICATE_FIRST, more_methods={"POST": REAUTHENTICATE_FIRST}
    ),
}
