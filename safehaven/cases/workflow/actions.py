"""Move a case between states, by the one table (``workflow/transitions.py``), with a sealed
reason; each person of the case is told where their request stands in a neutral sentence only
(``PERSON_STATUS``: never a route, a place, a date or a name; SECURITY.md, T7)."""

from __future__ import annotations

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safehaven.accounts.models import User
from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import linked_requests
from safehaven.cases.models import Case, CaseTransition
from safehaven.cases.person_messages import people_threads, send_fixed_message
from safehaven.cases.verification.checklist import is_approved
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


# The fixed messages a move may send each person, in the language of their page: never a
# route, a place, a flight, a date or a name, and nothing for the states of the journey itself.
PERSON_MESSAGES: dict[CaseState, Promise] = {
    S.VERIFICATION: gettext_lazy(
        "We would like to confirm a few things with you. We will contact you in one of the safe "
        "ways you gave us."
    ),
    S.WAITLISTED: gettext_lazy(
        "We cannot move your request forward right now. It stays with us, and we will contact "
        "you when we can."
    ),
    S.DECLINED: gettext_lazy(
        "We are sorry: we cannot take your request further. You can still write to us here."
    ),
    S.REFERRED_OUT: gettext_lazy(
        "Another organisation may be better placed to help you. We will tell you here how to "
        "reach them safely."
    ),
    S.LOST_CONTACT: gettext_lazy(
        "We tried to reach you and could not. Write to us here when it is safe."
    ),
}


# The states a case reaches only through an approved verification. Its state is a clear column:
# one set there by a database writer is not trusted until an approval whose seal opens says so.
AFTER_VERIFICATION = frozenset(
    {S.VERIFIED, S.PLANNING, S.TRAVEL_BOOKED, S.IN_TRANSIT, S.ARRIVED, S.POST_ARRIVAL}
)
# Leaving the work is never held up: a doubtful case can still be waitlisted, declined… (and,
# from there, go back to verification for a new approval).
SIDE_EXITS = frozenset({S.WAITLISTED, S.DECLINED, S.REFERRED_OUT, S.WITHDRAWN, S.LOST_CONTACT})


def needs_approval(case: Case, to_state: CaseState) -> bool:
    """Whether a move relies on the case having been verified: into the journey, or on from
    a state of it (except a side exit)."""
    if to_state in AFTER_VERIFICATION:
        return True
    return case.state in AFTER_VERIFICATION and to_state not in SIDE_EXITS


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


def _tell_the_people(case: Case, to_state: CaseState, opened: OpenedRecord) -> None:
    """Each request of the case (linked by a seal that opens) shows the neutral sentence of
    the new state; a request its person withdrew (or that was erased) is left as it is."""
    status = PERSON_STATUS[to_state]
    linked = [request.pk for request in linked_requests(case, opened)]
    # One UPDATE, conditional on the row as it is then: a withdrawal committed meanwhile wins.
    HelpRequest.objects.filter(
        pk__in=linked, withdrawn_at__isnull=True, shredded_at__isnull=True
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
    _tell_the_people(case, to_state, opened)
    record_event(
        EventType.CASE_MOVED,
        actor=actor,
        organisation=case.organisation,
        target=case,
        detail=f"{from_state.value} -> {to_state.value}",
    )
    return transition


def _open_threads(
    case: Case, to_state: CaseState, actor: User, private_key: bytes, opened: OpenedRecord
) -> list[tuple[HelpRequest, OpenedRecord]]:
    if to_state not in PERSON_MESSAGES:
        raise CaseActionRefused(_("This move has no message for the person."))
    threads = []
    for help_request, thread in people_threads(
        case, casework=opened, actor=actor, private_key=private_key
    ):
        if thread is None:
            raise CaseActionRefused(
                _("Your key cannot open the messages of request #%(number)s.")
                % {"number": help_request.pk}
            )
        threads.append((help_request, thread))
    return threads


def _send_messages(
    threads: list[tuple[HelpRequest, OpenedRecord]], to_state: CaseState, actor: User
) -> None:
    """In the move's transaction: the state's fixed message, in each person's page language,
    to each request still open to its person (a withdrawal since the check wins)."""
    if threads:
        send_fixed_message(threads, PERSON_MESSAGES[to_state], actor)


def do_move_case(
    case: Case,
    *,
    to_state: CaseState,
    reason: str,
    actor: User,
    private_key: bytes,
    outcome: CaseOutcome | None = None,
    tell_the_person: bool = False,
) -> CaseTransition:
    """Move ``case`` to ``to_state`` with a reason sealed in its casework. Never to VERIFIED:
    only the approval of a second person does that; and into or on from the states after it
    only if that approval's seal opens (``needs_approval``). With ``tell_the_person``, each
    person also gets the state's fixed message (``PERSON_MESSAGES``) in their thread. Raises
    CaseActionRefused."""
    to_state = CaseState(to_state)
    if to_state == S.VERIFIED:
        raise CaseActionRefused(
            _("Only a supervisor's approval of the verification moves a case to “Verified”.")
        )
    outcome = CaseOutcome(outcome) if outcome else None
    check_case_move(case, to_state=to_state, reason=reason, outcome=outcome)
    opened = open_casework(case, actor=actor, private_key=private_key)
    threads = _open_threads(case, to_state, actor, private_key, opened) if tell_the_person else []
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
        if needs_approval(locked, to_state) and not is_approved(locked, opened):
            raise CaseActionRefused(
                _(
                    "This case's verification cannot be confirmed: ask a supervisor to approve "
                    "it again."
                )
            )
        transition = apply_case_move(
            locked, to_state=to_state, reason=reason, actor=actor, opened=opened, outcome=outcome
        )
        _send_messages(threads, to_state, actor)
    case.state, case.outcome, case.state_changed_at = (
        locked.state,
        locked.outcome,
        locked.state_changed_at,
    )
    return transition
