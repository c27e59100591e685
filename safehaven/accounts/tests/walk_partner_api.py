"""The authorisation walk's expectations for the partner API and its token pages (merged into
the walk's).

The walk's clients hold session logins and no API token: the API answers 401 to every one of
them (a session is no credential there), and 405 to a method it does not take, before any
token is looked at. Its schema and docs page are public. The token pages are a partner
member's; making a token needs a fresh password and second factor first (a redirect here)."""

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

NO_TOKEN = 401

EXPECTATIONS: dict[str, Expect] = {
    "partners-list-api-tokens": Expect(
        outcomes=members_only(FORBIDDEN, partner_a=OK, partner_b=OK)
    ),
    "partners-create-api-token": Expect(
        outcomes=members_only(FORBIDDEN, partner_a=REDIRECT, partner_b=REDIRECT),
        more_methods={"POST": members_only(FORBIDDEN, partner_a=REDIRECT, partner_b=REDIRECT)},
    ),
    "partners-revoke-api-token": Expect(
        "POST",
        members_only(FORBIDDEN, partner_a=NOT_FOUND, partner_b=NOT_FOUND),
        kwargs="unknown_api_token",
    ),
    "partners-api-referrals": Expect(
        outcomes=everyone(NO_TOKEN), more_methods={"POST": everyone(NO_TOKEN)}
    ),
    "partners-api-import-referrals": Expect("POST", everyone(NO_TOKEN)),
    "partners-api-show-referral": Expect(outcomes=everyone(NO_TOKEN), kwargs="partner_a_referral"),
    "partners-api-show-schema": Expect(outcomes=everyone(OK)),
    "partners-api-show-docs": Expect(outcomes=everyone(OK)),
}
