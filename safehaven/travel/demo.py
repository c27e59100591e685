"""Demo travel data for `make demo`, added to the demo cases (``cases.demo``) through the real
actions with the demo users' own keys: pathways (some steps done, one overdue), travel documents
(one passport due for renewal, so its reminder shows on the caseworker's own page), a pathway's
sheet sent to a person's status page, and two routes saved by the planner on the shipped data,
one of them through a criminalising country, waiting for a supervisor's override; and the
journey (``demo_journey``): an on-call rota, a booked case with a ticket file and check-ins, one
missed whose alert waits, and a consent to share with UNHCR.

Registered by ``TravelConfig.ready``, after the cases step whose cases it works on. Everything
here is invented: the document numbers are not real.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from safehaven.cases.choices import CaseState
from safehaven.cases.demo.steps import _key, _user
from safehaven.cases.models import Case
from safehaven.core import demo
from safehaven.travel.choices import (
    PathwayKind,
    PathwayState,
    RouteStatus,
    StepOutcome,
    TravelDocumentKind,
)
from safehaven.travel.demo_journey import add_demo_journey, describe_demo_journey
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.models import CasePathway, PathwayStep, SavedRoute, TravelDocument
from safehaven.travel.pathways.actions import (
    do_end_pathway,
    do_record_pathway_step,
    do_send_pathway_sheet,
    do_start_pathway,
)
from safehaven.travel.routes.plan import Traveller
from safehaven.travel.routes.planning import plan_for
from safehaven.travel.saved_routes.actions import do_save_route

S = CaseState
K = PathwayKind
DAY = datetime.timedelta(days=1)

# The open cases at verified or later, the pathways each pursues and whose they are (the
# caseworker's own cases are theirs; the others are triage's, who opened them).
PATHWAYS: dict[CaseState, tuple[str, tuple[PathwayKind, ...]]] = {
    S.VERIFIED: ("caseworker", (K.UNHCR_RESETTLEMENT, K.SUPPORT_IN_PLACE)),
    S.PLANNING: ("caseworker", (K.ASYLUM_ON_ARRIVAL, K.CANADA_PSR_BVOR)),
    S.TRAVEL_BOOKED: ("triage", (K.ASYLUM_ON_ARRIVAL,)),
    S.IN_TRANSIT: ("triage", (K.EMERGENCY_VISA,)),
    S.ARRIVED: ("triage", (K.ASYLUM_ON_ARRIVAL,)),
    S.POST_ARRIVAL: ("triage", (K.HUMAN_RIGHTS_DEFENDER,)),
}
ARRIVED = (S.ARRIVED, S.POST_ARRIVAL)


def _case(state: CaseState) -> Case:
    return Case.objects.filter(state=state).select_related("organisation").earliest("pk")


def _record(step: PathwayStep, username: str, *, done: bool, due_on: datetime.date) -> None:
    do_record_pathway_step(
        step,
        outcome=StepOutcome.DONE if done else StepOutcome.PENDING,
        done_on=None,
        due_on=due_on,
        owner=_user(username),
        note="Done with the person on a call (demo)." if done else "",
        actor=_user(username),
        private_key=_key(username),
    )


def _start(case: Case, username: str, kind: PathwayKind, *, done: int) -> CasePathway:
    """Start ``kind`` with its first ``done`` steps done."""
    worker = _user(username)
    row = do_start_pathway(
        case,
        kind=kind,
        owner=worker,
        notes="Talked it through with the person; they agreed to try it (demo).",
        actor=worker,
        private_key=_key(username),
    )
    for step in row.steps.order_by("position")[:done]:
        _record(step, username, done=True, due_on=step.due_on)  # type: ignore[arg-type]
    return row


def _document(
    case: Case, username: str, kind: str, country: str, number: str, valid_days: int
) -> TravelDocument:
    passport = kind == TravelDocumentKind.PASSPORT
    return do_add_travel_document(
        case,
        person=case.people.filter(is_primary=True).first(),
        kind=kind,
        issuing_country=country if passport else "",
        for_country="" if passport else country,
        number=number,
        valid_until=timezone.localdate() + valid_days * DAY,
        actor=_user(username),
        private_key=_key(username),
    )


def _pathways() -> None:
    today = timezone.localdate()
    for state, (username, kinds) in PATHWAYS.items():
        case = _case(state)
        for kind in kinds:
            row = _start(case, username, kind, done=1 if state in ARRIVED else 2)
            if state in ARRIVED:
                do_end_pathway(
                    row,
                    state=PathwayState.SUCCEEDED,
                    actor=_user(username),
                    private_key=_key(username),
                    reason="The person arrived and was met (demo).",
                )
    # The caseworker's verified case: the next step of resettlement fell overdue (the real
    # action keeps a due day the caseworker gives), its sheet is sent to the person.
    verified = CasePathway.objects.get(case=_case(S.VERIFIED), kind=K.UNHCR_RESETTLEMENT)
    late = verified.steps.filter(outcome=StepOutcome.PENDING).order_by("position").first()
    if late is not None:
        _record(late, "caseworker", done=False, due_on=today - 4 * DAY)
    main = verified.case.people.get(is_primary=True)
    do_send_pathway_sheet(
        verified, people=[main.pk], actor=_user("caseworker"), private_key=_key("caseworker")
    )


# Invented numbers; a passport valid four months is inside its six months' notice.
DOCUMENTS: tuple[tuple[CaseState, str, str, str, str, int], ...] = (
    (S.VERIFIED, "caseworker", TravelDocumentKind.PASSPORT, "IR", "DEMO-IR-0001", 120),
    (S.PLANNING, "caseworker", TravelDocumentKind.PASSPORT, "NG", "DEMO-NG-0002", 1500),
    (S.PLANNING, "caseworker", TravelDocumentKind.VISA, "GB", "DEMO-GB-0003", 150),
    (S.TRAVEL_BOOKED, "triage", TravelDocumentKind.PASSPORT, "RU", "DEMO-RU-0004", 2000),
    (S.IN_TRANSIT, "triage", TravelDocumentKind.PASSPORT, "UG", "DEMO-UG-0005", 900),
)

# The household in planning holds a Nigerian passport and a British visa: the planner on the
# shipped data offers a direct flight, and one through a criminalising country.
PLANNING_TRAVELLER = Traveller(
    origin_country="NG", passports=("NG",), visas=("GB",), citizenships=("NG",)
)


def _routes() -> None:
    case = _case(S.PLANNING)
    plan = plan_for(PLANNING_TRAVELLER)
    for route in plan.safe_routes[:1] + plan.flagged_routes[:1]:
        do_save_route(
            case,
            traveller=PLANNING_TRAVELLER,
            route_key=route.key,
            actor=_user("caseworker"),
            private_key=_key("caseworker"),
        )


def _create_demo_travel() -> None:
    _pathways()
    for state, username, kind, country, number, days in DOCUMENTS:
        _document(_case(state), username, kind, country, number, days)
    _routes()


@demo.register
def describe_demo_travel(base_url: str) -> list[str]:
    if not CasePathway.objects.exists() and Case.objects.filter(state=S.PLANNING).exists():
        _create_demo_travel()
    if CasePathway.objects.exists():
        add_demo_journey()
    today = timezone.localdate()
    overdue = PathwayStep.objects.filter(outcome=StepOutcome.PENDING, due_on__lt=today).count()
    due = TravelDocument.objects.filter(removed_at__isnull=True, remind_on__lte=today).count()
    waiting = SavedRoute.objects.filter(status=RouteStatus.NEEDS_OVERRIDE).count()
    return [
        "",
        f"Travel: pathways {CasePathway.objects.count()} (steps overdue: {overdue}), "
        f"travel documents {TravelDocument.objects.count()} (due for renewal: {due}), "
        f"saved routes {SavedRoute.objects.count()} (waiting for a supervisor's override: "
        f"{waiting}).",
        "  The caseworker's verified and planning cases show them; the overdue step and the "
        f"passport to renew are on their own page ({base_url}/en/staff/my-cases/).",
        f"  The pathway catalogue: {base_url}/en/staff/pathways/",
        *describe_demo_journey(base_url),
    ]
