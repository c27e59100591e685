"""The clear rows of the apps above cases that exist only to carry a case's sealed data.

``cases.erasure`` cannot import travel or advocacy (they sit above it), so retention, at the
top, deletes theirs in the same transaction as the shred. Their sealed values are under the
case's compartment keys and unreadable once those go; what they keep in clear are exact days
(a journey's check-in window, a pathway's steps, follow-up dates) that would narrow down when a
person travelled, and nothing reports count once the case's figures row is kept. Never
deleted: finance's grants, disbursements and journal (the ledger; their payees are sealed
under the payments compartment and unreadable), advocacy's inclusions (counts of people in
a letter already sent, no person). The pathway a case counts under is already in its
figures row, kept before the shred.
"""

from __future__ import annotations

from safehaven.advocacy.models import AdvocacyNaming
from safehaven.cases.models import Case
from safehaven.travel.alarms.models import JourneyAlert
from safehaven.travel.models import (
    Booking,
    CasePathway,
    FollowUp,
    SavedRoute,
    TravelDocument,
)
from safehaven.travel.referral_packages.models import ReferralConsent

# In this order: each row's dependants (which cascade) go before it is reached.
CARRIERS_OF_SEALED_DATA = (
    AdvocacyNaming,
    ReferralConsent,
    JourneyAlert,
    # A booking takes its expected check-ins and ticket files with it.
    Booking,
    SavedRoute,
    TravelDocument,
    FollowUp,
    # A pathway takes its steps with it.
    CasePathway,
)


def delete_case_leftovers(case: Case) -> int:
    """Delete them for ``case`` (inside the shred's transaction); how many rows went."""
    return sum(
        model._default_manager.filter(case=case).delete()[0] for model in CARRIERS_OF_SEALED_DATA
    )
