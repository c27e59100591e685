"""The authorisation walk's expectations for the journey alarm and on-call rota pages (merged
into the walk's). Nothing of them is sealed, so nothing reveals a sentinel.

Acknowledging the walk's alert (``walk_rows``: its case's check-in was missed): its case's
caseworker and the organisation's supervisors acknowledge it (back to their home page). The
alert is looked up among those the user may acknowledge, not through the case: triage and
administrators, on call for nobody here, get 404, as does a duress session (a triage
member's); finance, advocacy, interpreters and partners 403. The rota: read by every role
that may be on call (empty in a duress session), kept by supervisors and administrators;
removing a shift that does not exist (none posted) is 404 to them."""

from __future__ import annotations

from safehaven.accounts.tests.walk_expect import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Expect,
    members_only,
)

# The roles that may be on call: those that open cases, and administrators (whose audit log
# names cases already). Never finance or advocacy: an alert names its case's number.
ON_CALL_ROLES = ("admin", "triage", "caseworker", "supervisor")


def _on_call_roles(outcome: int | str) -> dict[str, int | str]:
    return members_only(FORBIDDEN, **dict.fromkeys(ON_CALL_ROLES, outcome))


ROTA_KEEPERS = members_only(FORBIDDEN, admin=OK, supervisor=OK)

EXPECTATIONS: dict[str, Expect] = {
    "travel-acknowledge-alert": Expect(
        "POST",
        members_only(
            FORBIDDEN, admin=NOT_FOUND, triage=NOT_FOUND, caseworker=REDIRECT, supervisor=REDIRECT
        ),
        kwargs="assigned_case_alert",
    ),
    "travel-show-on-call": Expect(outcomes=_on_call_roles(OK)),
    # An empty post shows the form again with its errors.
    "travel-add-on-call-shift": Expect(outcomes=ROTA_KEEPERS, more_methods={"POST": ROTA_KEEPERS}),
    "travel-remove-on-call-shift": Expect(
        "POST", members_only(FORBIDDEN, admin=NOT_FOUND, supervisor=NOT_FOUND)
    ),
}
