"""What the authorisation walk expects: roles, methods, outcomes, and the helpers that build
them. Each area's expectations may live in its own ``walk_<area>.py`` beside the walk (merged
into the walk's EXPECTATIONS), so that features built side by side do not edit one file."""

from __future__ import annotations

from dataclasses import dataclass, field

from safehaven.accounts.tests.walk_world import ANONYMOUS, DURESS, SUSPENDED

STAFF = ["admin", "triage", "caseworker", "supervisor", "finance", "advocacy", "interpreter"]
PARTNERS = ["partner_a", "partner_b"]
ROLES = [ANONYMOUS, *STAFF, *PARTNERS, DURESS, SUSPENDED]
# PUT stands for every method no form here uses: a view that accepts it says so below.
METHODS = ("GET", "POST", "PUT")

OK, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT, NOT_ALLOWED = 200, "login", 403, 404, 302, 405
Outcomes = dict[str, int | str]


@dataclass(frozen=True)
class Expect:
    method: str = "GET"
    outcomes: Outcomes = field(default_factory=dict)
    kwargs: str = ""  # the name of an example-argument builder below
    # The other methods the view accepts; any method not declared must be refused.
    more_methods: dict[str, Outcomes] = field(default_factory=dict)
    # Per method, the roles that must see the sentinels; nobody else may.
    reveals: dict[str, frozenset[str]] = field(default_factory=dict)
    # Per method, for a sentinel group of the walk's rows (``walk_rows``), the roles that must
    # see it whole; nobody else may see any of it, on any page.
    shows: dict[str, dict[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)
    # Per method and role, texts the page must hold (what it shows beyond the sentinels).
    contains: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # The form a POST sends (an empty post unless given).
    post_data: dict[str, str] = field(default_factory=dict)

    def outcomes_for(self, method: str) -> Outcomes | None:
        return self.outcomes if method == self.method else self.more_methods.get(method)


def everyone(outcome: int | str, **overrides: int | str) -> Outcomes:
    """``outcome`` for every role but those named. The duress session is a triage member's,
    and the suspended user's browser is treated as anonymous: each gets that role's outcome
    unless named itself."""
    outcomes = {role: overrides.get(role, outcome) for role in ROLES}
    outcomes[DURESS] = overrides.get(DURESS, outcomes["triage"])
    outcomes[SUSPENDED] = overrides.get(SUSPENDED, outcomes[ANONYMOUS])
    return outcomes


def members_only(outcome: int | str, **overrides: int | str) -> Outcomes:
    return everyone(outcome, **{ANONYMOUS: LOGIN, **overrides})


def refused(public: bool) -> Outcomes:
    """A method the view does not accept: 405, after the login for a view behind it."""
    return everyone(NOT_ALLOWED) if public else members_only(NOT_ALLOWED)


# Who reads the walk's help request (referred by partner A): with triage's key, or as its
# referring partner; the forms that only triage uses re-show the request on an empty post.
READERS = frozenset({"triage", "supervisor", "partner_a"})
TRIAGE_READERS = frozenset({"triage", "supervisor"})


def admin_only(outcome: int | str = OK) -> Outcomes:
    return members_only(FORBIDDEN, admin=outcome)


CASE_READERS = members_only(
    FORBIDDEN, triage=OK, supervisor=OK, caseworker=NOT_FOUND, triage_under_duress=NOT_FOUND
)

# A row of the walk's case that does not exist: 404 to those who may open the case.
CASE_ROW_UNKNOWN = members_only(
    FORBIDDEN, triage=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND
)

# The case of the walk's rows (``walk_rows``), given to the caseworker, and its rows: those
# who manage cases and its caseworker open them, a duress session finds nothing (404), every
# other role is refused (403). A row of it that does not exist: 404 to those who open it.
CASE_KEY_HOLDERS = frozenset({"triage", "supervisor", "caseworker"})


def assigned_case_readers(outcome: int | str = OK) -> Outcomes:
    """``outcome`` for those who open the assigned case (e.g. a post that goes back to a page)."""
    return members_only(
        FORBIDDEN, **dict.fromkeys(CASE_KEY_HOLDERS, outcome), triage_under_duress=NOT_FOUND
    )


ASSIGNED_CASE_READERS = assigned_case_readers()
ASSIGNED_CASE_ROW_UNKNOWN = members_only(FORBIDDEN, **dict.fromkeys(CASE_KEY_HOLDERS, NOT_FOUND))

# An allauth form view that first sends to re-authentication, whatever the method.
AS_FORM_REDIRECT = dict.fromkeys(["POST", "PUT"], members_only(REDIRECT))
