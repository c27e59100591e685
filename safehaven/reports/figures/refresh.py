"""Recompute cases' figures rows (``CaseFigures``) from their clear sources: the case, its
moves (``CaseTransition``), its people, its pathways and its approved grants.

A row whose ``shredded_month`` is set is never touched: retention erased the case's sealed
data and its history with it, so what the row says is all that is left (docs/reports.md).
Each month is the month, in the organisation's reporting zone, of the first move that reached
the stage; no stage counts before the month the request arrived.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.models import Case, CasePerson, CaseTransition
from safehaven.finance.choices import GrantState
from safehaven.finance.models import Grant
from safehaven.reports.figures.zones import local_month, reporting_zones
from safehaven.reports.models import CaseFigures
from safehaven.travel.choices import PathwayState
from safehaven.travel.models import CasePathway

# A case is supported once it is planned for or on its journey (or funded, or closed as
# supported in place).
SUPPORTED_STATES = frozenset(
    {
        CaseState.PLANNING,
        CaseState.TRAVEL_BOOKED,
        CaseState.IN_TRANSIT,
        CaseState.ARRIVED,
        CaseState.POST_ARRIVAL,
    }
)
# Which pathway a case counts under: the one that succeeded, else the one being pursued, else
# the last one tried; between two of the same standing, the later started.
PATHWAY_STANDING: dict[str, int] = {PathwayState.SUCCEEDED.value: 2, PathwayState.ACTIVE.value: 1}
# The columns a refresh writes (all but the case and ``shredded_month``).
REFRESHED_FIELDS = (
    "organisation",
    "country",
    "destination",
    "pathway",
    "partner",
    "crisis",
    "received_month",
    "verified_month",
    "supported_month",
    "arrived_month",
    "closed_month",
    "people",
    "state",
    "outcome",
)
BATCH = 500


@dataclass
class Sources:
    """What a batch of cases' figures are computed from, each fetched in one query."""

    transitions: dict[int, list[tuple[str, datetime.datetime]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    people: dict[int, int] = field(default_factory=dict)
    pathways: dict[int, list[tuple[int, datetime.date, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    first_grant: dict[int, datetime.datetime] = field(default_factory=dict)


def _sources(case_ids: Sequence[int]) -> Sources:
    sources = Sources()
    moves = CaseTransition.objects.filter(case_id__in=case_ids).order_by("at", "pk")
    for case_id, to_state, at in moves.values_list("case_id", "to_state", "at"):
        sources.transitions[case_id].append((to_state, at))
    people = CasePerson.objects.filter(case_id__in=case_ids).order_by().values("case_id")
    for case_id, count in people.annotate(n=Count("pk")).values_list("case_id", "n"):
        sources.people[case_id] = count
    pathways = CasePathway.objects.filter(case_id__in=case_ids)
    for case_id, kind, state, started, pk in pathways.values_list(
        "case_id", "kind", "state", "started_on", "pk"
    ):
        sources.pathways[case_id].append((PATHWAY_STANDING.get(state, 0), started, pk, kind))
    grants = Grant.objects.filter(
        case_id__in=case_ids, state=GrantState.APPROVED, decided_at__isnull=False
    )
    for case_id, decided in grants.values_list("case_id", "decided_at"):
        if case_id is None or decided is None:
            continue
        earlier = sources.first_grant.get(case_id)
        if earlier is None or decided < earlier:
            sources.first_grant[case_id] = decided
    return sources


def _figures(case: Case, sources: Sources, zone: ZoneInfo) -> CaseFigures:
    received = case.received_month

    def month(moment: datetime.datetime | None) -> datetime.date | None:
        # Counted in the reporting zone, never before the request's own month.
        return None if moment is None else max(received, local_month(moment, zone))

    def first_move(states: Iterable[str]) -> datetime.datetime | None:
        wanted = set(states)
        return next((at for to, at in sources.transitions[case.pk] if to in wanted), None)

    closed = month(first_move([CaseState.CLOSED]))
    supported_by = [
        month(first_move(SUPPORTED_STATES)),
        month(sources.first_grant.get(case.pk)),
        closed if case.outcome == CaseOutcome.SUPPORTED_IN_PLACE else None,
    ]
    supported = min((m for m in supported_by if m is not None), default=None)
    pathways = sources.pathways[case.pk]
    return CaseFigures(
        case_id=case.pk,
        organisation_id=case.organisation_id,
        country=case.country,
        destination=case.arrived_in,
        pathway=max(pathways)[3] if pathways else "",
        partner_id=case.referred_by_id,
        crisis_id=case.crisis_id,
        received_month=received,
        verified_month=month(first_move([CaseState.VERIFIED])),
        supported_month=supported,
        arrived_month=month(first_move([CaseState.ARRIVED])),
        closed_month=closed,
        people=max(1, sources.people.get(case.pk, 0)),
        state=case.state,
        outcome=case.outcome,
    )


def refresh_cases(case_ids: Iterable[int]) -> int:
    """Recompute the rows of ``case_ids`` (those not shredded) in one transaction; how many."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return 0
    with transaction.atomic():
        # Locks the existing rows, so retention cannot shred one between this check and the
        # write below.
        existing = CaseFigures.objects.select_for_update().filter(case_id__in=wanted)
        shredded = set(
            existing.filter(shredded_month__isnull=False).values_list("case_id", flat=True)
        )
        cases = list(Case.objects.filter(pk__in=wanted).exclude(pk__in=shredded).order_by("pk"))
        if not cases:
            return 0
        sources = _sources([case.pk for case in cases])
        zones = reporting_zones(case.organisation_id for case in cases)
        rows = [_figures(case, sources, zones[case.organisation_id]) for case in cases]
        CaseFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=list(REFRESHED_FIELDS),
        )
    return len(rows)


def refresh_case_figures(case_id: int) -> None:
    """Recompute one case's row from its clear sources (never a shredded row)."""
    refresh_cases([case_id])


def _batches(case_ids: Iterator[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for case_id in case_ids:
        batch.append(case_id)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def refresh_all_figures() -> int:
    """Recompute the row of every case not shredded, in batches; how many rows."""
    shredded = CaseFigures.objects.filter(shredded_month__isnull=False).values("case_id")
    case_ids = (
        Case.objects.exclude(pk__in=shredded).order_by("pk").values_list("pk", flat=True).iterator()
    )
    return sum(refresh_cases(batch) for batch in _batches(case_ids))
