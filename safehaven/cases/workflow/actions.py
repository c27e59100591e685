"""Move a case between states, by the one table (``workflow/transitions.py``), with a sealed
reason; each person of the case is told where their request stands in a neutral sentence only
(``PERSON_STATUS``: never a route, a place, a date or a name; SECURITY.md, T7)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.choices import CaseOutcome, CaseState, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseTransition
from safehaven.cases.workflow.transitions import allowed_moves, closing_outcomes, is_allowed
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.keys.opened import OpenedRecord

S = CaseState

# What each request of a case shows its person, by the case's state. Verification may mean a
# call or an interview, so it says so; everything from verified to post-arrival reads the same,
# so a seized phone never tells a booked flight from paperwork. A side exit that ends the work
# reads as closed: the person may be told more in their thread, by someone who knows them.
PERSON_STATUS: dict[CaseState, RequestStatus] = {
    S.RECEIVED: RequestStatus.RECEIVED,
    S.SCREENING: RequestStatus.REVIEWING,
    S.VERIFICATION: RequestStatus.WILL_CONTACT,
    S.VERIFIED: RequestStatus.IN_PROGRESS,
    S.PLANNING: RequestStatus.IN_PROGRESS,
    S.TRAVEL_BOOKED: RequestStatus.IN_PROGRESS,
    S.IN_TRANSIT: RequestStatus.IN_PROGRESS,
    S.ARRIVED: RequestStatus.IN_PROGRESS,
    S.POST_ARRIVAL: RequestStatus.IN_PROGRESS,
    S.WAITLISTED: RequestStatus.WAITING,
    S.LOST_CONTACT: RequestStatus.CONTACT_LOST,
    S.DECLINED: RequestStatus.CLOSED,
    S.REFERRED_OUT: RequestStatus.CLOSED,
    S.WITHDRAWN: RequestStatus.CLOSED,
    S.CLOSED: RequestStatus.CLOSED,
}


def move_refusal(case: Case, to_state: CaseState) -> str:
    """Why a move is not in the table, naming the moves that are."""
    allowed = sorted(allowed_moves(case.state), key=list(CaseState).index)
    if not allowed:
        return _("A case in “%(state)s” cannot move any more.") % {
            "state": CaseState(case.state).label
        }
    return _("A case in “%(state)s” cannot move to “%(to)s”. It can move to: %(allowed)s.") % {
        "state": CaseState(case.state).label,
        "to": CaseState(to_state).label,
        "allowed": ", ".join(str(state.label) for state in allowed),
    }


def check_case_move(
    case: Case, *, to_state: CaseState, reason: str, outcome: CaseOutcome | None
) -> None:
    """Raise CaseActionRefused unless the table allows the move as asked."""
    if not is_allowed(case.state, to_state):
        raise CaseActionRefused(move_refusal(case, to_state))
    if not reason.strip():
        raise CaseActionRefused(_("Give the reason for this move."))
    if to_state == S.CLOSED:
        fitting = closing_outcomes(case.state)
        if outcome not in fitting:
            raise CaseActionRefused(
                _("A case closes from “%(state)s” with one of: %(outcomes)s.")
                % {
                    "state": CaseState(case.state).label,
                    "outcomes": ", ".join(
                        str(o.label) for o in sorted(fitting, key=list(CaseOutcome).index)
                    ),
                }
            )
    elif outcome:
        raise CaseActionRefused(_("Only closing a case takes an outcome."))


def _tell_the_people(case: Case, to_state: CaseState) -> None:
    """Each request of the case shows the neutral sentence of the new state; a request its
    person withdrew (or that was erased) is left as it is."""
    status = PERSON_STATUS[to_state]
    # One UPDATE, conditional on the row as it is then: a withdrawal committed meanwhile wins.
    HelpRequest.objects.filter(
        case_person__case=case, withdrawn_at__isnull=True, shredded_at__isnull=True
    ).exclude(status=status).update(status=status)


def apply_case_move(
    case: Case,
    *,
    to_state: CaseState,
    reason: str,
    actor: User,
    opened: OpenedRecord,
    outcome: CaseOutcome | None = None,
) -> CaseTransition:
    """The move itself, inside the caller's transaction, with the case's casework compartment
    already ``opened``: the approval of a verification calls this to move to VERIFIED."""
    to_state = CaseState(to_state)
    outcome = CaseOutcome(outcome) if outcome else None
    check_case_move(case, to_state=to_state, reason=reason, outcome=outcome)
    from_state = CaseState(case.state)
    transition = CaseTransition(
        record_id=opened.record_id,
        case=case,
        from_state=from_state,
        to_state=to_state,
        outcome=outcome or "",
        actor=actor,
        at=this_hour(),
    )
    transition.open_with(opened).seal("reason", reason.strip())
    transition.save()
    case.state = to_state
    case.outcome = outcome or ""
    case.state_changed_at = transition.at
    case.save(update_fields=["state", "outcome", "state_changed_at"])
    _tell_the_people(case, to_state)
    record_event(
        EventType.CASE_MOVED,
        actor=actor,
        organisation=case.organisation,
        target=case,
        detail=f"{from_state.value} -> {to_state.value}",
    )
    return transition


def do_move_case(
    case: Case,
    *,
    to_state: CaseState,
    reason: str,
    actor: User,
    private_key: bytes,
    outcome: CaseOutcome | None = None,
) -> CaseTransition:
    """Move ``case`` to ``to_state`` with a reason sealed in its casework. Never to VERIFIED:
    only the approval of a second person does that. Raises CaseActionRefused."""
    to_state = CaseState(to_state)
    if to_state == S.VERIFIED:
        raise CaseActionRefused(
            _("Only a supervisor's approval of the verification moves a case to “Verified”.")
        )
    outcome = CaseOutcome(outcome) if outcome else None
    check_case_move(case, to_state=to_state, reason=reason, outcome=outcome)
    opened = open_compartment(case, CompartmentKind.CASEWORK, user=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_("Your key cannot open this case, so you cannot change it."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
        transition = apply_case_move(
            locked, to_state=to_state, reason=reason, actor=actor, opened=opened, outcome=outcome
        )
    case.state, case.outcome, case.state_changed_at = (
        locked.state,
        locked.outcome,
        locked.state_changed_at,
    )
    return transition
