"""The authorisation walk's expectations for the reports crisis pages (merged into the walk's).

The crisis list and a crisis's dashboard are for the readers of reports (``VIEW_REPORTS``:
administrators, supervisors, triage, advocacy); every other member, partners included, gets
403 and a stranger (or a suspended member's surviving browser) the login page. A duress
session (a triage member's) opens them like triage, but every count is 0 there. Counts only:
nobody sees the walk request's sealed sentinels on them. GET only.
"""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import FORBIDDEN, OK, Expect, members_only

REPORT_READERS = members_only(FORBIDDEN, admin=OK, supervisor=OK, triage=OK, advocacy=OK)

EXPECTATIONS: dict[str, Expect] = {
    "reports-list-crises": Expect(outcomes=REPORT_READERS),
    # {"crisis_id": the walk's crisis, covering RU (the walk request's country)}
    "reports-show-crisis": Expect(outcomes=REPORT_READERS, kwargs="walk_crisis"),
}
