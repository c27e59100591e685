"""The authorisation walk's expectations for the finance funds pages (merged into the walk's).

Funds, donations, budgets, statements and exports are a finance officer's pages only: every
other role gets 403 before anything is looked up, so no one else reaches a donor's name. The
fund pages are walked on the walk's own fund (``walk_rows``: a donation whose donor's name is
a sentinel), which none of them shows: the list of donations shows names only on a post, after
both factors were checked again (the walk's logins are never recent: a redirect; with both
factors fresh it is walked in ``walk_fresh``). An empty post shows a form again with its
errors. The export asks for the password and the second factor again first, whatever the
method.
"""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    FORBIDDEN,
    OK,
    REDIRECT,
    Expect,
    members_only,
)

FINANCE_ONLY = members_only(FORBIDDEN, finance=OK)
REAUTHENTICATE_FIRST = members_only(FORBIDDEN, finance=REDIRECT)


def _fund_page(*, post: bool) -> Expect:
    more = {"POST": FINANCE_ONLY} if post else {}
    return Expect(outcomes=FINANCE_ONLY, kwargs="walk_fund", more_methods=more)


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
    "finance-list-donations": Expect(
        outcomes=FINANCE_ONLY, kwargs="walk_fund", more_methods={"POST": REAUTHENTICATE_FIRST}
    ),
    "finance-record-donation": _fund_page(post=True),
    "finance-import-donations": _fund_page(post=True),
    "finance-show-fund-statement": _fund_page(post=False),
    "finance-export-finance": Expect(
        outcomes=REAUTHENTICATE_FIRST, more_methods={"POST": REAUTHENTICATE_FIRST}
    ),
}
