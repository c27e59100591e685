"""The pages behind a fresh re-authentication, walked a second time with every role's password
and second factor re-checked a moment ago (the main walk's logins are never recent, so there
these pages only ask for both again): what each role sees once both factors are fresh.

Only finance opens a payee's details (the payees page of the walk's grant) and a donor's name
(a post to the walk's fund's donations: "show donors' names"); the disbursements export, for
the accountant, holds neither. Everyone else is refused before anything is looked up (403), as
in a duress session (a triage member's). A referral package's form names its consent's
recipient to those who open the case (404 in a duress session)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    CASE_KEY_HOLDERS,
    FORBIDDEN,
    OK,
    Expect,
    assigned_case_readers,
    members_only,
)
from safehaven.accounts.tests.walk_rows import DONOR, PAYEE, RECIPIENT

FINANCE = frozenset({"finance"})
FINANCE_ONLY = members_only(FORBIDDEN, finance=OK)
# The walk's payment as the accountant's CSV lists it: the header, then its grant's fund and
# category (ids, amounts and days, never a payee or a reference).
DISBURSEMENTS_CSV = ("disbursement,grant,organisation,fund,fund_name", ",Walk fund,airfare,")

FRESH_EXPECTATIONS: dict[str, Expect] = {
    "finance-show-payees": Expect(
        outcomes=FINANCE_ONLY, kwargs="walk_grant", shows={"GET": {PAYEE: FINANCE}}
    ),
    "finance-list-donations": Expect(
        outcomes=FINANCE_ONLY,
        kwargs="walk_fund",
        more_methods={"POST": FINANCE_ONLY},
        shows={"POST": {DONOR: FINANCE}},
    ),
    "finance-export-finance": Expect(
        outcomes=FINANCE_ONLY,
        more_methods={"POST": FINANCE_ONLY},
        post_data={"kind": "disbursements"},
        contains={"POST": {"finance": DISBURSEMENTS_CSV}},
    ),
    # The package's form for the consent of the walk's rows, naming its recipient, for those
    # who open the case; an empty post shows it again with its errors.
    "travel-make-referral-package": Expect(
        outcomes=assigned_case_readers(),
        kwargs="assigned_case_consent",
        more_methods={"POST": assigned_case_readers()},
        shows={"GET": {RECIPIENT: CASE_KEY_HOLDERS}, "POST": {RECIPIENT: CASE_KEY_HOLDERS}},
    ),
}
