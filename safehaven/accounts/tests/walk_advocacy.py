"""The authorisation walk's expectations for the advocacy pages (merged into the walk's).

Walked on the advocacy request of the walk's rows (``walk_rows``), which counts the rows' case
(its summary, booking and check-in are sentinels, and its person consented to that government):
the advocacy role alone reaches the request's pages (403 to everyone else), and holds no case
key, so none of them shows anything sealed of a case (no ``shows``, no ``reveals``: the walk
fails if one did). The print with named people is for those who may open cases (it shows only
what their own key opens; nobody is named yet); the forms on a case's page follow the case's
own rules."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    CASE_READERS,
    FORBIDDEN,
    OK,
    REDIRECT,
    Expect,
    assigned_case_readers,
    members_only,
)

ADVOCATE_OK = members_only(FORBIDDEN, advocacy=OK)
REQUEST = "walk_advocacy_request"
INCLUSION = "assigned_case_inclusion"

EXPECTATIONS: dict[str, Expect] = {
    # The officer's list and the drafting form (an empty post shows the form's errors).
    "advocacy-list-requests": Expect(outcomes=ADVOCATE_OK),
    "advocacy-draft-request": Expect(outcomes=ADVOCATE_OK, more_methods={"POST": ADVOCATE_OK}),
    "advocacy-show-request": Expect(outcomes=ADVOCATE_OK, kwargs=REQUEST),
    "advocacy-change-status": Expect(
        outcomes=ADVOCATE_OK, kwargs=REQUEST, more_methods={"POST": ADVOCATE_OK}
    ),
    # The request names no crisis: back to its page with the refusal.
    "advocacy-count-crisis-cases": Expect(
        "POST", members_only(FORBIDDEN, advocacy=REDIRECT), kwargs=REQUEST
    ),
    "advocacy-edit-letter": Expect(
        outcomes=ADVOCATE_OK, kwargs=REQUEST, more_methods={"POST": ADVOCATE_OK}
    ),
    "advocacy-print-letter": Expect(outcomes=ADVOCATE_OK, kwargs=REQUEST),
    # Those who may open cases (a duress session: 404); never the advocacy role.
    "advocacy-print-named-letter": Expect(outcomes=assigned_case_readers(), kwargs=REQUEST),
    # From the case page's panel: an empty post shows the form's errors. Taking the rows' case
    # out of the request goes back to the case page; naming its person shows the form.
    "advocacy-include-case": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    "advocacy-remove-case": Expect("POST", assigned_case_readers(REDIRECT), kwargs=INCLUSION),
    "advocacy-name-person": Expect(
        outcomes=assigned_case_readers(),
        kwargs=INCLUSION,
        more_methods={"POST": assigned_case_readers()},
    ),
}
