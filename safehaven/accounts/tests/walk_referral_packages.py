"""The authorisation walk's expectations for referral packages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    CASE_READERS,
    REDIRECT,
    Expect,
    assigned_case_readers,
)

EXPECTATIONS: dict[str, Expect] = {
    # Recording a consent: the form alone (both methods: an empty post is a first visit).
    "travel-record-referral-consent": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    # The consent of the walk's rows (``walk_rows``, to a government): withdrawn by those who
    # open its case, back to the case page.
    "travel-withdraw-referral-consent": Expect(
        "POST", assigned_case_readers(REDIRECT), kwargs="assigned_case_consent"
    ),
    # The package page asks for both factors again first (the walk's logins are never recent),
    # whatever the method; with both fresh it is walked in ``walk_fresh``.
    "travel-make-referral-package": Expect(
        outcomes=assigned_case_readers(REDIRECT),
        kwargs="assigned_case_consent",
        more_methods={"POST": assigned_case_readers(REDIRECT)},
    ),
}
