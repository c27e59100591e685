"""A consent to a government recorded before its country was asked: sealed genuinely, as the
first version of the consent's details was (no ``government_country``)."""

from __future__ import annotations

import json
from typing import Any

from safehaven.cases.compartments import open_casework
from safehaven.cases.models import Case, CasePerson
from safehaven.core.coarse_time import this_hour
from safehaven.travel.choices import ReferralRecipient
from safehaven.travel.models import ReferralConsent
from safehaven.travel.tests.referral_helpers import HOW_GIVEN, RECIPIENT_CONTACT, worker

OLD_RECIPIENT = "Sentinel Ministry of the old consent"


def old_government_consent(world: Any, case: Case, person: CasePerson) -> ReferralConsent:
    opened = open_casework(case, **worker(world))
    row = ReferralConsent(
        record_id=opened.record_id,
        case=case,
        person=person,
        recipient_kind=ReferralRecipient.GOVERNMENT,
        recorded_by=world.users["caseworker"],
        recorded_at=this_hour(),
    )
    version_1 = {
        "v": 1,
        "recipient_name": OLD_RECIPIENT,
        "recipient_contact": RECIPIENT_CONTACT,
        "how_given": HOW_GIVEN,
        "note": "",
    }
    row.open_with(opened).seal("details", json.dumps(version_1, sort_keys=True))
    row.save()
    return row
