"""The authorisation walk's expectations for the reports exports pages (merged into the walk's).

The figures export is for those who view reports (administrators, supervisors, triage and
advocacy; 403 for everyone else). It asks for the password and the second factor again first
(the walk's logins are never recent), so they are sent to re-authenticate, whatever the method;
the duress session too (a triage member's), whose file would count nothing.
"""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import FORBIDDEN, REDIRECT, Expect, members_only

REAUTHENTICATE_FIRST = members_only(
    FORBIDDEN, admin=REDIRECT, supervisor=REDIRECT, triage=REDIRECT, advocacy=REDIRECT
)

EXPECTATIONS: dict[str, Expect] = {
    "reports-export-figures": Expect(
        outcomes=REAUTHENTICATE_FIRST, more_methods={"POST": REAUTHENTICATE_FIRST}
    ),
}
