"""The authorisation walk's expectations for the reports goals pages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import NOT_FOUND, Expect, admin_only

EXPECTATIONS: dict[str, Expect] = {
    # Administrators only; counts of people and the sources of totals, nothing sealed. An
    # empty post re-shows the form (nothing changes).
    "reports-list-goals": Expect(outcomes=admin_only(), more_methods={"POST": admin_only()}),
    "reports-record-historical-total": Expect(
        outcomes=admin_only(), more_methods={"POST": admin_only()}
    ),
    "reports-change-reporting-settings": Expect(
        outcomes=admin_only(), more_methods={"POST": admin_only()}
    ),
    # Another organisation's total or an unknown one is 404 to an administrator.
    "reports-remove-historical-total": Expect(
        "POST", admin_only(NOT_FOUND), kwargs="unknown_historical_total"
    ),
}
