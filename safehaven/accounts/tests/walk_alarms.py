"""The authorisation walk's expectations for the journey alarm and on-call rota pages (merged
into the walk's). Nothing of them is sealed, so nothing reveals a sentinel.

Acknowledging an alert that does not exist (in the walk's case): 404 to every role that may be
on call (the alert is looked up among those the user may acknowledge, not through the case),
403 to finance, advocacy, interpreters and partners. The rota: read by every role that may be
on call (empty in a duress session), kept by supervisors and administrators; removing a shift
that does not exist (none posted) is 404 to them."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    Expect,
    members_only,
)
from safehaven.accounts.tests.walk_world import DURESS

# The roles that may be on call: those that open cases, and administrators (whose audit log
# names cases already). Never finance or advocacy: an alert names its case's number.
ON_CALL_ROLES = ("admin", "triage", "caseworker", "supervisor")


def _on_call_roles(outcome: int | str) -> dict[str, int | str]:
    return members_only(FORBIDDEN, **dict.fromkeys(ON_CALL_ROLES, outcome))


ROTA_KEEPERS = members_only(FORBIDDEN, admin=OK, supervisor=OK)

EXPECTATIONS: dict[str, Expect] = {
    "travel-acknowledge-alert": Expect(
        "POST",
        members_only(FORBIDDEN, **dict.fromkeys(ON_CALL_ROLES, NOT_FOUND), **{DURESS: NOT_FOUND}),
        kwargs="walk_case_unknown_alert",
    ),
    "travel-show-on-call": Expect(outcomes=_on_call_roles(OK)),
    # An empty post shows the form again with its errors.
    "travel-add-on-call-shift": Expect(outcomes=ROTA_KEEPERS, more_methods={"POST": ROTA_KEEPERS}),
    "travel-remove-on-call-shift": Expect(
        "POST", members_only(FORBIDDEN, admin=NOT_FOUND, supervisor=NOT_FOUND)
    ),
}
