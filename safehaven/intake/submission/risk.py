"""A first risk score for a new request, so triage can read the most urgent ones first.

It is a sorting aid, never a decision: a caseworker reads every request. The score (0-100) and
its band are in clear, the indicators behind them sealed, and every weight is a multiple of 5
(why: SECURITY.md, "What is sealed and what is in clear"). Country and region risk join the
score when country data exists.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from safehaven.intake.choices import RiskBand, RiskIndicator

# Immediate physical danger weighs most: state persecution, violence, detention, hiding.
WEIGHTS: dict[RiskIndicator, int] = {
    RiskIndicator.THREATS_STATE: 25,
    RiskIndicator.VIOLENCE: 25,
    RiskIndicator.DETAINED: 20,
    RiskIndicator.IN_HIDING: 20,
    RiskIndicator.OUTED: 15,
    RiskIndicator.THREATS_FAMILY: 15,
    RiskIndicator.THREATS_COMMUNITY: 10,
    RiskIndicator.HEALTH: 10,
}
# A household is harder to hide and to move. Two steps only, both multiples of 5 like every
# indicator's weight: the score is stored in clear, and a finer scale for companions would let
# anyone who reads it work out the household size, which is sealed.
COMPANIONS_FEW = 5  # one or two
COMPANIONS_MANY = 10  # three or more
# Being hunted by the state while hurt or hiding is an emergency whatever else is ticked.
EMERGENCY_PAIRS = (
    (RiskIndicator.THREATS_STATE, RiskIndicator.VIOLENCE),
    (RiskIndicator.THREATS_STATE, RiskIndicator.IN_HIDING),
    (RiskIndicator.DETAINED, RiskIndicator.IN_HIDING),
)
EMERGENCY_FLOOR = 75

BAND_FLOORS = (
    (75, RiskBand.CRITICAL),
    (50, RiskBand.HIGH),
    (25, RiskBand.MEDIUM),
    (0, RiskBand.LOW),
)


@dataclass(frozen=True)
class RiskAssessment:
    score: int
    band: RiskBand


def band_for(score: int) -> RiskBand:
    for floor, band in BAND_FLOORS:
        if score >= floor:
            return band
    return RiskBand.LOW


def assess_risk(indicators: Iterable[str], *, companions: int = 0) -> RiskAssessment:
    """Score the ticked indicators (unknown values are ignored) and the household size."""
    ticked = {RiskIndicator(value) for value in indicators if value in RiskIndicator.values}
    score = sum(WEIGHTS[indicator] for indicator in ticked)
    if companions > 0:
        score += COMPANIONS_FEW if companions <= 2 else COMPANIONS_MANY
    if any(first in ticked and second in ticked for first, second in EMERGENCY_PAIRS):
        score = max(score, EMERGENCY_FLOOR)
    score = max(0, min(100, score))
    return RiskAssessment(score=score, band=band_for(score))
