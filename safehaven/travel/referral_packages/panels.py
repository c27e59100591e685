"""The case page's "Referrals" panel, for a viewer whose key opens the case's casework: the
consents recorded (withdrawn ones marked), the form to record one, a button to withdraw each and
a link to make a package for each one still standing."""

from __future__ import annotations

from django.http import HttpRequest

from safehaven.cases.models import Case
from safehaven.cases.panels import casework_viewer
from safehaven.travel.models import ReferralConsent
from safehaven.travel.pathways.forms import person_label
from safehaven.travel.referral_packages.forms import ConsentForm
from safehaven.travel.referral_packages.queries import consent_history


def referrals_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    history = consent_history(case, viewer.casework)
    genuine = [item.pk for item in history]
    # A row whose seal does not open (inserted, moved, revived) is never listed or relied on.
    forged = ReferralConsent.objects.filter(case=case).exclude(pk__in=genuine).count()
    return {
        "referrals": {
            "case": case,
            "consents": [(item, person_label(item.person)) for item in reversed(history)],
            "forged": forged,
            "form": None if case.is_closed else ConsentForm(case=case),
        }
    }
