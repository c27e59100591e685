"""The explicit list of pages anyone may open without logging in.

The login-required middleware denies every other view. A test fails when a view opts out of
login (``@login_not_required``) without being listed here, or the other way round.
"""

PUBLIC_URL_NAMES = frozenset(
    {
        "core-show-landing",
        "core-quick-exit",
        "core-show-clearing-help",
        "intake-show-request-form",
        # Aggregate figures up to the end of the last quarter (reports/public_impact).
        "reports-show-impact",
        "countries-show-crisis-page",  # an open crisis's page, pointing to the request form
        # The requester's status pages (codename, then a short session of their own).
        "intake-open-status",
        "intake-show-status",
        "intake-send-message",
        "intake-change-contacts",
        "intake-withdraw-request",
        "intake-leave-status",
        "intake-send-document-photo",
        # The step where a one-time status code lets the person choose their codename.
        "intake-choose-codename",
        # The partner API (docs/partners.md): programs call it with a Bearer token, never a
        # session, so the login middleware stands aside; each operation checks the token. Its
        # schema and docs page describe operations only, no data.
        "partners-api-referrals",
        "partners-api-import-referrals",
        "partners-api-show-referral",
        "partners-api-show-schema",
        "partners-api-show-docs",
        # Staff log in (password, then second factor) and accept an invitation.
        "account_login",
        "account_logout",
        "account_inactive",
        "mfa_authenticate",
        "accounts-accept-invite",
    }
)
