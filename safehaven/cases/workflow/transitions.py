"""The one table of a case's moves (DOMAIN.md, "A case's life"). Every action that changes a
case's state asks :func:`allowed_moves`; nothing else decides."""

from __future__ import annotations

from safehaven.cases.choices import CaseOutcome, CaseState

S = CaseState

# Side exits open from every active state; a waitlisted or lost case resumes where work does.
_SIDE_EXITS = frozenset({S.WAITLISTED, S.DECLINED, S.REFERRED_OUT, S.WITHDRAWN, S.LOST_CONTACT})

TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    S.RECEIVED: frozenset({S.SCREENING}) | _SIDE_EXITS,
    S.SCREENING: frozenset({S.VERIFICATION}) | _SIDE_EXITS,
    # Only the approval of a second person moves a case to VERIFIED (cases.verification).
    S.VERIFICATION: frozenset({S.VERIFIED, S.SCREENING}) | _SIDE_EXITS,
    S.VERIFIED: frozenset({S.PLANNING, S.CLOSED}) | _SIDE_EXITS,
    S.PLANNING: frozenset({S.TRAVEL_BOOKED, S.VERIFIED, S.CLOSED}) | _SIDE_EXITS,
    S.TRAVEL_BOOKED: frozenset({S.IN_TRANSIT, S.PLANNING}) | _SIDE_EXITS,
    S.IN_TRANSIT: frozenset({S.ARRIVED, S.PLANNING, S.LOST_CONTACT}),
    S.ARRIVED: frozenset({S.POST_ARRIVAL, S.CLOSED}),
    S.POST_ARRIVAL: frozenset({S.CLOSED}),
    S.WAITLISTED: frozenset(
        {S.SCREENING, S.VERIFICATION, S.PLANNING, S.DECLINED, S.REFERRED_OUT, S.WITHDRAWN}
    )
    | frozenset({S.LOST_CONTACT, S.CLOSED}),
    S.LOST_CONTACT: frozenset({S.SCREENING, S.VERIFICATION, S.PLANNING, S.CLOSED}),
    S.DECLINED: frozenset({S.CLOSED}),
    S.REFERRED_OUT: frozenset({S.CLOSED}),
    S.WITHDRAWN: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# The outcomes a case may close with, by the state it closes from.
CLOSING_OUTCOMES: dict[CaseState, frozenset[CaseOutcome]] = {
    S.VERIFIED: frozenset({CaseOutcome.SUPPORTED_IN_PLACE}),
    S.PLANNING: frozenset({CaseOutcome.SUPPORTED_IN_PLACE}),
    S.ARRIVED: frozenset({CaseOutcome.RELOCATED}),
    S.POST_ARRIVAL: frozenset({CaseOutcome.RELOCATED}),
    S.WAITLISTED: frozenset({CaseOutcome.INELIGIBLE, CaseOutcome.NO_CONTACT}),
    S.LOST_CONTACT: frozenset({CaseOutcome.NO_CONTACT}),
    S.DECLINED: frozenset({CaseOutcome.INELIGIBLE}),
    S.REFERRED_OUT: frozenset({CaseOutcome.REFERRED}),
    S.WITHDRAWN: frozenset({CaseOutcome.NO_CONTACT}),
}

# States a case opens in: accepted from a request it has been screened into; typed after a call
# it starts as received.
OPENING_STATES = frozenset({S.RECEIVED, S.SCREENING})


def allowed_moves(state: CaseState | str) -> frozenset[CaseState]:
    return TRANSITIONS[CaseState(state)]


def is_allowed(from_state: CaseState | str, to_state: CaseState | str) -> bool:
    return CaseState(to_state) in allowed_moves(from_state)


def closing_outcomes(state: CaseState | str) -> frozenset[CaseOutcome]:
    return CLOSING_OUTCOMES.get(CaseState(state), frozenset())
