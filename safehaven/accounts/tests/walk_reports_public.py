"""The authorisation walk's expectations for the reports public pages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import OK, Expect, everyone

EXPECTATIONS: dict[str, Expect] = {
    # Aggregate figures anyone may read, like the landing page: GET only (POST and PUT 405).
    "reports-show-impact": Expect(outcomes=everyone(OK)),
}
