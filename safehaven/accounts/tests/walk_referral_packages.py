"""The authorisation walk's expectations for referral packages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import CASE_READERS, CASE_ROW_UNKNOWN, Expect

EXPECTATIONS: dict[str, Expect] = {
    # Recording a consent: the form alone (both methods: an empty post is a first visit).
    "travel-record-referral-consent": Expect(
        outcomes=CASE_READERS, kwargs="walk_case", more_methods={"POST": CASE_READERS}
    ),
    "travel-withdraw-referral-consent": Expect(
        "POST", CASE_ROW_UNKNOWN, kwargs="walk_case_unknown_consent"
    ),
    # The package page finds no consent 999999 in the walk's case before it asks anyone to
    # re-authenticate.
    "travel-make-referral-package": Expect(
        outcomes=CASE_ROW_UNKNOWN,
        kwargs="walk_case_unknown_consent",
        more_methods={"POST": CASE_ROW_UNKNOWN},
    ),
}
