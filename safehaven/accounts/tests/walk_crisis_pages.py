"""The authorisation walk's expectations for the crisis pages (merged into the walk's)."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import OK, Expect, everyone

EXPECTATIONS: dict[str, Expect] = {
    # The public page of an open crisis: anyone reads it, logged in or not (a duress session
    # too: it shows nothing of anyone); nothing sealed on it, and GET (HEAD) only.
    "countries-show-crisis-page": Expect(outcomes=everyone(OK), kwargs="walk_crisis"),
}
