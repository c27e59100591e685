"""The authorisation walk's expectations for the duplicates pages (merged into the walk's).

Triage and supervisors (MANAGE_CASES) only; every other role 403. The list shows clear
signals only (no sealed sentinel), and nothing in a duress session; a pair of cases that do
not exist is 404 to those who may ask for cases, as is anything in a duress session."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import FORBIDDEN, NOT_FOUND, OK, Expect, members_only

UNKNOWN_PAIR = members_only(FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND)

EXPECTATIONS: dict[str, Expect] = {
    "cases-list-duplicates": Expect(outcomes=members_only(FORBIDDEN, triage=OK, supervisor=OK)),
    "cases-compare-cases": Expect(outcomes=UNKNOWN_PAIR, kwargs="unknown_case_pair"),
    "cases-mark-cases-distinct": Expect("POST", UNKNOWN_PAIR, kwargs="unknown_case_pair"),
    "cases-merge-cases": Expect("POST", UNKNOWN_PAIR, kwargs="unknown_case_pair"),
}
