"""The authorisation walk's expectations for retention pages (merged into the walk's).

Retention is an administrator's page only (MANAGE_REPORTS): every other role gets 403 before
anything is read. The rule form, the dry run and the real run take POST only. Setting a rule
and the real run ask for the password and the second factor again first (the walk's logins are
never recent), so an administrator is sent to re-authenticate; the dry run lists what a run
would erase (it erases nothing; the walk sets no rule, so nothing is due).
"""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import REDIRECT, Expect, admin_only

EXPECTATIONS: dict[str, Expect] = {
    "reports-show-retention": Expect(outcomes=admin_only()),
    "reports-set-retention-rule": Expect(method="POST", outcomes=admin_only(REDIRECT)),
    "reports-dry-run-retention": Expect(method="POST", outcomes=admin_only()),
    "reports-run-retention": Expect(method="POST", outcomes=admin_only(REDIRECT)),
}
