"""The authorisation walk's expectations for the reports dashboard (merged into the walk's).

Those who may view reports (administrators, supervisors, triage, advocacy) read it; it holds
counts only, so nothing sealed of the walk's request shows on it (no ``reveals``). A duress
session (a triage member's) gets the same page, its small counts hidden as for advocacy."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import FORBIDDEN, OK, Expect, members_only

REPORT_READERS = members_only(FORBIDDEN, admin=OK, supervisor=OK, triage=OK, advocacy=OK)

EXPECTATIONS: dict[str, Expect] = {
    "reports-show-dashboard": Expect(outcomes=REPORT_READERS),
}
