"""The authorisation walk's expectations for retention pages (merged into the walk's).

Retention is an administrator's page only (MANAGE_REPORTS): every other role gets 403 before
anything is read. The rule form, the dry run and the real run take POST only; an empty post
re-shows the page with the form's errors (the rule, the run's confirmation) or lists what a
run would erase (the dry run, which erases nothing; the walk sets no rule, so nothing is due).
"""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import Expect, admin_only

EXPECTATIONS: dict[str, Expect] = {
    "reports-show-retention": Expect(outcomes=admin_only()),
    "reports-set-retention-rule": Expect(method="POST", outcomes=admin_only()),
    "reports-dry-run-retention": Expect(method="POST", outcomes=admin_only()),
    "reports-run-retention": Expect(method="POST", outcomes=admin_only()),
}
