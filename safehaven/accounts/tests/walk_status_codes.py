"""The authorisation walk's expectations for the status codes pages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Expect,
    everyone,
    members_only,
)

# Key holders of the walk's request (triage, supervisors; a caseworker only for a request
# shared with them, not this one); a partner never, not even its referring partner. The
# walk's request has a codename of its own: a post is refused on the page, nothing is made,
# and no page here shows anything sealed.
KEY_HOLDERS = members_only(
    FORBIDDEN, triage=OK, supervisor=OK, caseworker=NOT_FOUND, triage_under_duress=NOT_FOUND
)

EXPECTATIONS: dict[str, Expect] = {
    "cases-issue-status-code": Expect(
        outcomes=KEY_HOLDERS, kwargs="partner_a_referral", more_methods={"POST": KEY_HOLDERS}
    ),
    # Public, opened only by the cookie a one-time code gives on the codename form: without
    # one (nobody here has one), back to the codename form, whatever the method.
    "intake-choose-codename": Expect(
        outcomes=everyone(REDIRECT), more_methods={"POST": everyone(REDIRECT)}
    ),
}
