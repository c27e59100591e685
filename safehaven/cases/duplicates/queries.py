"""Possible duplicates, read from clear columns only: nothing sealed is read and no key opened.

Two open cases of the same organisation are candidates when requests of theirs share a
``ContactHint``: an 18-bit blind index of a phone number, an e-mail address, a messenger handle,
or a name a referring partner gave. Eighteen bits collide by chance (about one pair in 260,000),
so a hint is never proof: it only says which two cases are worth opening side by side. Each
candidate carries signals that name no one (which kinds of hint match, never their values; the
countries, the months received, the referring partner, the crisis), and candidates are ranked by
them. Requests not yet in a case are matched the same way, against the open cases and against
one another, for triage.

Everything is read in three queries whatever the number of cases: the hints of open cases, the
pairs already marked distinct, the hints of requests waiting outside a case; pairs are formed
in memory from hints grouped by value.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Membership, User
from safehaven.cases.access import CASE_MANAGER_ROLES
from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case, DistinctCasePair
from safehaven.core.crypto_blind_index import BlindIndexKind
from safehaven.intake.choices import OPEN_STATUSES
from safehaven.intake.models import ContactHint

# Strongest first: a contact detail is typed by the person themselves; a name comes from a
# partner and is shared by many people.
HINT_KINDS = (
    BlindIndexKind.PHONE,
    BlindIndexKind.EMAIL,
    BlindIndexKind.HANDLE,
    BlindIndexKind.NAME,
)
CONTACT_KINDS = frozenset({BlindIndexKind.PHONE, BlindIndexKind.EMAIL, BlindIndexKind.HANDLE})
KIND_LABELS: dict[str, str | Promise] = {
    BlindIndexKind.PHONE: _("phone number"),
    BlindIndexKind.EMAIL: _("e-mail address"),
    BlindIndexKind.HANDLE: _("messenger handle"),
    BlindIndexKind.NAME: _("name given by a partner"),
}
# A hint shared by more records than this (a common name, or chance) tells nobody apart:
# pairing them all would bury the real candidates, so it proposes nothing.
CROWDED_HINT = 25

CASE = "case"
REQUEST = "request"


@dataclass(frozen=True)
class Facts:
    """What the list shows of one case or one request waiting outside a case: clear columns,
    none of them naming a person."""

    kind: str  # CASE or REQUEST
    pk: int
    country: str
    received_month: datetime.date
    partner_id: int | None
    partner_name: str
    crisis_id: int | None
    crisis_name: str

    @property
    def is_case(self) -> bool:
        return self.kind == CASE


def _months(day: datetime.date) -> int:
    return day.year * 12 + day.month


@dataclass(frozen=True)
class Candidate:
    """Two records that may be one person, with the kinds of hint they share."""

    first: Facts
    second: Facts
    kinds: tuple[str, ...]

    @property
    def sides(self) -> tuple[Facts, Facts]:
        return (self.first, self.second)

    @property
    def kind_labels(self) -> list[str | Promise]:
        return [KIND_LABELS[kind] for kind in self.kinds]

    @property
    def same_country(self) -> bool:
        return self.first.country == self.second.country

    @property
    def same_partner(self) -> bool:
        return self.first.partner_id is not None and self.first.partner_id == self.second.partner_id

    @property
    def same_crisis(self) -> bool:
        return self.first.crisis_id is not None and self.first.crisis_id == self.second.crisis_id

    @property
    def months_apart(self) -> int:
        return abs(_months(self.first.received_month) - _months(self.second.received_month))

    @property
    def strength(self) -> tuple[int, int, int, int]:
        """Higher is stronger: contact details matched, then hints matched, then signals
        agreeing, then the nearer in time."""
        contact = sum(1 for kind in self.kinds if kind in CONTACT_KINDS)
        signals = int(self.same_country) + int(self.same_partner) + int(self.same_crisis)
        return (contact, len(self.kinds), signals, -self.months_apart)

    @property
    def name_only(self) -> bool:
        return self.kinds == (BlindIndexKind.NAME,)


@dataclass(frozen=True)
class Candidates:
    cases: list[Candidate]
    requests: list[Candidate]


def managed_organisation_ids(user: User) -> list[int]:
    """The organisations where ``user`` manages cases (triage, supervisor): the only ones
    whose cases are paired for them (elsewhere they see only what is assigned to them)."""
    return list(
        Membership.objects.filter(user=user, role__in=CASE_MANAGER_ROLES).values_list(
            "organisation_id", flat=True
        )
    )


def open_cases(organisation_ids: Iterable[int]) -> QuerySet[Case]:
    """The cases that can still be duplicates: not closed (a merged case is closed)."""
    return Case.objects.filter(
        organisation_id__in=list(organisation_ids), merged_into__isnull=True
    ).exclude(state=CaseState.CLOSED)


_FACT_COLUMNS = (
    "country",
    "received_month",
    "referred_by_id",
    "referred_by__name",
    "crisis_id",
    "crisis__name",
)


def _facts(kind: str, pk: int, values: tuple[Any, ...]) -> Facts:
    country, month, partner_id, partner_name, crisis_id, crisis_name = values
    return Facts(
        kind, pk, country, month, partner_id, partner_name or "", crisis_id, crisis_name or ""
    )


Bucket = tuple[str, int]  # (kind, index): one hint value


def _case_hints(
    organisation_ids: list[int],
) -> tuple[dict[int, dict[Bucket, set[int]]], dict[int, Facts]]:
    """Per organisation, the open cases sharing each hint value; and each case's facts."""
    prefix = "help_request__case_person__case__"
    rows = ContactHint.objects.filter(
        kind__in=HINT_KINDS,
        help_request__case_person__case__in=open_cases(organisation_ids),
    ).values_list(
        "kind",
        "index",
        f"{prefix}id",
        f"{prefix}organisation_id",
        *(prefix + column for column in _FACT_COLUMNS),
    )
    buckets: dict[int, dict[Bucket, set[int]]] = defaultdict(lambda: defaultdict(set))
    facts: dict[int, Facts] = {}
    for kind, index, case_id, organisation_id, *values in rows:
        buckets[organisation_id][(kind, index)].add(case_id)
        if case_id not in facts:
            facts[case_id] = _facts(CASE, case_id, tuple(values))
    return buckets, facts


def _request_hints() -> tuple[dict[Bucket, set[int]], dict[int, Facts]]:
    """The requests still waiting outside a case sharing each hint value; and their facts."""
    prefix = "help_request__"
    rows = ContactHint.objects.filter(
        kind__in=HINT_KINDS,
        help_request__case_person__isnull=True,
        help_request__status__in=OPEN_STATUSES,
        help_request__withdrawn_at__isnull=True,
        help_request__shredded_at__isnull=True,
    ).values_list("kind", "index", "help_request_id", *(prefix + c for c in _FACT_COLUMNS))
    buckets: dict[Bucket, set[int]] = defaultdict(set)
    facts: dict[int, Facts] = {}
    for kind, index, request_id, *values in rows:
        buckets[(kind, index)].add(request_id)
        if request_id not in facts:
            facts[request_id] = _facts(REQUEST, request_id, tuple(values))
    return buckets, facts


def _sorted_kinds(kinds: set[str]) -> tuple[str, ...]:
    return tuple(kind for kind in HINT_KINDS if kind in kinds)


def _ranked(candidates: Iterable[Candidate]) -> list[Candidate]:
    by_number = sorted(candidates, key=lambda c: (c.first.kind, c.first.pk, c.second.pk))
    return sorted(by_number, key=lambda c: c.strength, reverse=True)


def _distinct_pairs(organisation_ids: list[int]) -> set[tuple[int, int]]:
    return set(
        DistinctCasePair.objects.filter(first__organisation_id__in=organisation_ids).values_list(
            "first_id", "second_id"
        )
    )


def case_candidates(organisation_ids: Iterable[int]) -> list[Candidate]:
    """Pairs of open cases of the same organisation sharing a hint, not marked distinct,
    strongest first."""
    return _candidates(list(organisation_ids), with_requests=False).cases


def duplicate_candidates(organisation_ids: Iterable[int], *, with_requests: bool) -> Candidates:
    """The case pairs of ``case_candidates`` and, ``with_requests``, each request waiting
    outside a case that shares a hint with one of those open cases or with another such
    request."""
    return _candidates(list(organisation_ids), with_requests=with_requests)


def _candidates(organisation_ids: list[int], *, with_requests: bool) -> Candidates:
    case_buckets, case_facts = _case_hints(organisation_ids)
    distinct = _distinct_pairs(organisation_ids)
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)
    for buckets in case_buckets.values():
        for (kind, _index), case_ids in buckets.items():
            if len(case_ids) > CROWDED_HINT:
                continue
            ordered = sorted(case_ids)
            for position, first in enumerate(ordered):
                for second in ordered[position + 1 :]:
                    if (first, second) not in distinct:
                        pairs[(first, second)].add(kind)
    cases = _ranked(
        Candidate(case_facts[first], case_facts[second], _sorted_kinds(kinds))
        for (first, second), kinds in pairs.items()
    )
    if not with_requests:
        return Candidates(cases, [])
    return Candidates(cases, _request_candidates(case_buckets, case_facts))


def _request_candidates(
    case_buckets: dict[int, dict[Bucket, set[int]]], case_facts: dict[int, Facts]
) -> list[Candidate]:
    request_buckets, request_facts = _request_hints()
    with_cases: dict[Bucket, set[int]] = defaultdict(set)
    for buckets in case_buckets.values():
        for bucket, case_ids in buckets.items():
            with_cases[bucket] |= case_ids
    to_case: dict[tuple[int, int], set[str]] = defaultdict(set)
    to_request: dict[tuple[int, int], set[str]] = defaultdict(set)
    for bucket, request_ids in request_buckets.items():
        kind = bucket[0]
        case_ids = with_cases.get(bucket, set())
        if len(request_ids) + len(case_ids) > CROWDED_HINT:
            continue
        ordered = sorted(request_ids)
        for position, request_id in enumerate(ordered):
            for case_id in case_ids:
                to_case[(request_id, case_id)].add(kind)
            for other in ordered[position + 1 :]:
                to_request[(request_id, other)].add(kind)
    found = [
        Candidate(request_facts[request_id], case_facts[case_id], _sorted_kinds(kinds))
        for (request_id, case_id), kinds in to_case.items()
    ] + [
        Candidate(request_facts[first], request_facts[second], _sorted_kinds(kinds))
        for (first, second), kinds in to_request.items()
    ]
    return _ranked(found)


def shared_hint_kinds(case: Case, other: Case) -> tuple[str, ...]:
    """The kinds of hint the requests of two cases share (never their values)."""
    rows = ContactHint.objects.filter(
        kind__in=HINT_KINDS, help_request__case_person__case_id__in=[case.pk, other.pk]
    ).values_list("help_request__case_person__case_id", "kind", "index")
    of_case: dict[int, set[Bucket]] = defaultdict(set)
    for case_id, kind, index in rows:
        of_case[case_id].add((kind, index))
    shared = of_case[case.pk] & of_case[other.pk]
    return _sorted_kinds({kind for kind, _index in shared})


def are_marked_distinct(case: Case, other: Case) -> bool:
    first, second = sorted((case.pk, other.pk))
    return DistinctCasePair.objects.filter(first_id=first, second_id=second).exists()
