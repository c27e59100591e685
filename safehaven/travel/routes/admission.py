"""Whether and how a person's papers admit them to a country: the best entry, and the reason
for a refusal. Pure; the rules are in docs/travel.md ("Admission").
"""

from __future__ import annotations

from safehaven.travel.routes.data import Requirement, RouteData
from safehaven.travel.routes.plan import Entry, EntryBasis, RejectionReason, Traveller

# Best first: a passport's rule for a country, or a visa the person holds.
ENTRY_RANK = {
    EntryBasis.OWN_COUNTRY: 0,
    EntryBasis.VISA_FREE: 1,
    EntryBasis.VISA_HELD: 2,
    EntryBasis.ETA: 3,
    EntryBasis.E_VISA: 4,
    EntryBasis.VISA_ON_ARRIVAL: 5,
}
ADMITTING = {
    Requirement.OWN_COUNTRY: EntryBasis.OWN_COUNTRY,
    Requirement.VISA_FREE: EntryBasis.VISA_FREE,
    Requirement.ETA: EntryBasis.ETA,
    Requirement.E_VISA: EntryBasis.E_VISA,
    Requirement.VISA_ON_ARRIVAL: EntryBasis.VISA_ON_ARRIVAL,
}


def admission(traveller: Traveller, country: str, data: RouteData) -> Entry | None:
    """How the person enters ``country``, the best way their papers allow; None when they
    cannot."""
    if country in traveller.citizenships:
        return Entry(country, "", EntryBasis.OWN_COUNTRY)
    best: Entry | None = None
    for passport in traveller.passports:
        rule = data.visa(passport, country)
        basis = ADMITTING.get(rule.requirement) if rule is not None else None
        if rule is None or basis is None:
            continue
        if best is None or ENTRY_RANK[basis] < ENTRY_RANK[best.basis]:
            best = Entry(country, passport, basis, rule.days)
    held = ENTRY_RANK[EntryBasis.VISA_HELD]
    if country in traveller.visas and (best is None or ENTRY_RANK[best.basis] > held):
        best = Entry(country, traveller.passports[0], EntryBasis.VISA_HELD)
    return best


def refusal(traveller: Traveller, country: str, data: RouteData) -> RejectionReason:
    rules = [data.visa(p, country) for p in traveller.passports]
    if rules and all(r is not None and r.requirement == Requirement.NO_ADMISSION for r in rules):
        return RejectionReason.NO_ADMISSION
    return RejectionReason.VISA_NEEDED
