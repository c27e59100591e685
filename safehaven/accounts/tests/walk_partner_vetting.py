"""The authorisation walk's expectations for the partner vetting pages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import REDIRECT, Expect, admin_only

EXPECTATIONS: dict[str, Expect] = {
    # Administrators only; no requester's words on these pages, so nothing sealed to reveal.
    "partners-list-partners": Expect(outcomes=admin_only()),
    # An empty post re-shows the form (nothing changes).
    "partners-change-vetting": Expect(
        outcomes=admin_only(), kwargs="partner_a_organisation", more_methods={"POST": admin_only()}
    ),
    # The walk's logins are never fresh: both methods send the administrator to confirm the
    # password first, so partner A is never suspended here.
    "partners-suspend-partner": Expect(
        outcomes=admin_only(REDIRECT),
        kwargs="partner_a_organisation",
        more_methods={"POST": admin_only(REDIRECT)},
    ),
}
