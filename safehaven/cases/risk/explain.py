"""A case's risk score, term by term: the place, each indicator, the household, and the
waiting term, which add up to the stored score plus the waiting term (docs/countries.md,
"Scoring terms").

The terms of the stored score are those the request was scored with at intake (its sealed
indicators, household size and chosen region, and the place's facts on the day it arrived), so
only a reader whose key opens the request can have them; everyone else gets the total.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safehaven.cases.choices import CaseOrigin
from safehaven.cases.models import Case
from safehaven.cases.risk.waiting import waiting_points
from safehaven.countries.risk import place_risk_terms
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission.risk import ScoreTerm, score_terms
from safehaven.intake.submission.sealing import read_details

WAITING = "waiting"
STORED = "stored"
EARLIER_RULES = "earlier_rules"


@dataclass(frozen=True)
class RiskExplanation:
    """``terms`` add up to ``total``. ``explained`` is False when the reader's key did not
    open the request the score came from: then the terms are the stored score as one figure
    and the waiting term, and a page shows the total only."""

    stored: int
    waiting: int
    explained: bool
    terms: list[ScoreTerm] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.stored + self.waiting


def scoring_request(case: Case, requests: Sequence[HelpRequest]) -> HelpRequest | None:
    """The request whose stored score the case carries (the primary one first, on a tie):
    accepting copies the primary request's, and joining a household keeps the higher."""
    matching = [r for r in requests if r.risk_score == case.risk_score]
    return matching[0] if matching else None


def request_terms(help_request: HelpRequest) -> list[ScoreTerm]:
    """The terms an opened request was scored with on the day it arrived."""
    details = read_details(help_request)
    place = place_risk_terms(
        help_request.country, details.region_code or None, on=help_request.consented_on
    )
    return score_terms(details.risk_indicators, companions=details.companions, place=place)


def _waiting_term(case: Case, points: int) -> ScoreTerm:
    month = date_format(case.received_month, "YEAR_MONTH_FORMAT")
    return ScoreTerm(WAITING, _("Waiting since %(month)s") % {"month": month}, points)


def explain_case_risk(
    case: Case, opened_requests: Sequence[HelpRequest], today: datetime.date
) -> RiskExplanation:
    """The terms of ``case``'s score today. ``opened_requests`` are the case's requests the
    reader's key opened (``open_with`` done), primary first."""
    waiting = waiting_points(case.received_month, today)
    stored = case.risk_score
    scored = scoring_request(case, opened_requests)
    if scored is not None:
        terms = request_terms(scored)
        difference = stored - sum(term.points for term in terms)
        if difference:
            # Scored before the place counted, or under weights since changed.
            label = _("Scored at intake under earlier rules")
            terms.append(ScoreTerm(EARLIER_RULES, label, difference))
    elif case.origin == CaseOrigin.PHONE_CALL:
        terms = [ScoreTerm(STORED, _("Score given by staff after the call"), stored)]
    else:
        terms = [ScoreTerm(STORED, _("Stored score"), stored)]
        return RiskExplanation(stored, waiting, False, [*terms, _waiting_term(case, waiting)])
    return RiskExplanation(stored, waiting, True, [*terms, _waiting_term(case, waiting)])
