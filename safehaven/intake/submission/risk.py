"""A first risk score for a new request, so triage can read the most urgent ones first.

It is a sorting aid, never a decision: a caseworker reads every request. The score (0-100) and
its band are in clear, the indicators and the chosen region behind them sealed, and every
weight is a multiple of 5 (why: SECURITY.md, "What is sealed and what is in clear"). The
place's term (the country's law, or its region's facts where worse: ``countries.risk``) joins
the indicators' terms; ``score_terms`` gives them one by one, so that the case page can show
how the stored score was made (``cases.risk``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from safehaven.countries.risk import RiskTerm
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
MAX_SCORE = 100

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


class TermKind:
    PLACE = "place"
    INDICATOR = "indicator"
    COMPANIONS = "companions"
    FLOOR = "floor"
    CAP = "cap"


@dataclass(frozen=True)
class ScoreTerm:
    """One term of a stored score: what it is, its points, and the source of a place's fact."""

    kind: str
    label: str
    points: int
    source: str = ""


def band_for(score: int) -> RiskBand:
    for floor, band in BAND_FLOORS:
        if score >= floor:
            return band
    return RiskBand.LOW


def score_terms(
    indicators: Iterable[str], *, companions: int = 0, place: Sequence[RiskTerm] = ()
) -> list[ScoreTerm]:
    """The terms of a stored score, which add up to it: the place, each ticked indicator
    (unknown values are ignored), the household, then the emergency floor and the cap as terms
    of their own when they apply."""
    terms = [ScoreTerm(TermKind.PLACE, str(t.label), t.points, t.source) for t in place]
    ticked = {RiskIndicator(value) for value in indicators if value in RiskIndicator.values}
    terms += [
        ScoreTerm(TermKind.INDICATOR, str(indicator.label), WEIGHTS[indicator])
        for indicator in WEIGHTS
        if indicator in ticked
    ]
    if companions > 0:
        points = COMPANIONS_FEW if companions <= 2 else COMPANIONS_MANY
        label = _("People who would travel along")
        terms.append(ScoreTerm(TermKind.COMPANIONS, str(label), points))
    subtotal = sum(term.points for term in terms)
    emergency = any(first in ticked and second in ticked for first, second in EMERGENCY_PAIRS)
    if emergency and subtotal < EMERGENCY_FLOOR:
        label = _("Emergency: danger from the state with violence, hiding or detention")
        terms.append(ScoreTerm(TermKind.FLOOR, str(label), EMERGENCY_FLOOR - subtotal))
        subtotal = EMERGENCY_FLOOR
    if subtotal > MAX_SCORE:
        cap = str(_("Scores stop at %(max)s")) % {"max": MAX_SCORE}
        terms.append(ScoreTerm(TermKind.CAP, cap, MAX_SCORE - subtotal))
    return terms


def assess_risk(
    indicators: Iterable[str], *, companions: int = 0, place: Sequence[RiskTerm] = ()
) -> RiskAssessment:
    """Score the place's terms, the ticked indicators and the household size."""
    terms = score_terms(indicators, companions=companions, place=place)
    score = max(0, min(MAX_SCORE, sum(term.points for term in terms)))
    return RiskAssessment(score=score, band=band_for(score))
