"""Demo advocacy for `make demo`, through the real actions with the demo users' own keys: a
crisis batch to Canada (drafted, its letter written, two of the caseworker's cases counted
and a crisis case counted by the advocacy officer, one person named with their consent), and
an earlier protection request to Germany, granted. Registered by ``AdvocacyConfig.ready``,
after the cases and travel steps. Everything here is invented."""

from __future__ import annotations

import datetime

from django.utils import timezone

from safehaven.accounts.models import Organisation
from safehaven.advocacy.choices import AdvocacyKind, AdvocacyStatus
from safehaven.advocacy.inclusions.actions import do_count_crisis_cases, do_include_case
from safehaven.advocacy.letters.actions import do_edit_advocacy_letter
from safehaven.advocacy.letters.drafting import generated_letter
from safehaven.advocacy.models import AdvocacyRequest
from safehaven.advocacy.namings.actions import do_name_person
from safehaven.advocacy.namings.sealing import NamingDetails
from safehaven.advocacy.requests.actions import (
    RequestDetails,
    StatusChange,
    do_change_advocacy_status,
    do_draft_advocacy_request,
)
from safehaven.advocacy.requests.counts import request_counts
from safehaven.cases.choices import CaseState
from safehaven.cases.demo.steps import _key, _user
from safehaven.cases.models import Case
from safehaven.core import demo
from safehaven.countries.models import Country, Crisis
from safehaven.travel.referral_packages.actions import do_record_referral_consent

S = CaseState
DAY = datetime.timedelta(days=1)
CRISIS = "Purge in the North Caucasus (demo)"


def _case(state: CaseState, **clear: object) -> Case:
    return Case.objects.filter(state=state, **clear).select_related("organisation").earliest("pk")


def _crisis() -> Crisis:
    crisis = Crisis.objects.filter(name=CRISIS).first()
    if crisis is None:
        crisis = Crisis.objects.create(
            name=CRISIS, starts_on=datetime.date(2017, 2, 1), created_by=_user("admin")
        )
        crisis.countries.set(Country.objects.filter(iso2="RU"))
    return crisis


def _include(state: CaseState, advocacy_request: AdvocacyRequest) -> None:
    do_include_case(
        _case(state),
        advocacy_request=advocacy_request,
        actor=_user("caseworker"),
        private_key=_key("caseworker"),
    )


def _crisis_batch(organisation: Organisation) -> None:
    crisis = _crisis()
    # As if the travel-booked case's request had come in during the crisis.
    Case.objects.filter(pk=_case(S.TRAVEL_BOOKED).pk).update(crisis=crisis)
    batch = do_draft_advocacy_request(
        organisation,
        details=RequestDetails(
            AdvocacyKind.EMERGENCY_VISA,
            "CA",
            "Urgent protection for human rights defenders (demo)",
            "Refugee and humanitarian branch, Ottawa (a demo office)",
            crisis,
        ),
        actor=_user("advocacy"),
    )
    for state in (S.VERIFIED, S.PLANNING):
        _include(state, batch)
    do_count_crisis_cases(batch, actor=_user("advocacy"))
    household = _case(S.PLANNING)
    person = household.people.get(is_primary=True)
    do_record_referral_consent(
        household,
        person=person,
        recipient_kind="government",
        government_country="CA",
        recipient_name="Refugee and humanitarian branch (demo)",
        recipient_contact="By the embassy's secure upload (demo)",
        how_given="Said yes on a call, with the interpreter (demo)",
        note="",
        actor=_user("caseworker"),
        private_key=_key("caseworker"),
    )
    do_name_person(
        batch.inclusions.get(case=household),
        person=person,
        details=NamingDetails("Chidi Okonkwo-Demo", "1994-03-08", "NG", "A00000000"),
        actor=_user("caseworker"),
        private_key=_key("caseworker"),
    )
    text = generated_letter(batch, request_counts(batch))
    do_edit_advocacy_letter(batch, text=text, actor=_user("advocacy"))


def _granted_request(organisation: Organisation) -> None:
    today = timezone.localdate()
    earlier = do_draft_advocacy_request(
        organisation,
        details=RequestDetails(
            AdvocacyKind.PROTECTION,
            "DE",
            "Humanitarian admission (demo)",
            "Federal Office for Migration, Berlin (a demo office)",
        ),
        actor=_user("advocacy"),
    )
    _include(S.WAITLISTED, earlier)
    officer = _user("advocacy")
    for change in (
        StatusChange(AdvocacyStatus.SENT, today - 20 * DAY),
        StatusChange(AdvocacyStatus.ACKNOWLEDGED, today - 12 * DAY),
        StatusChange(
            AdvocacyStatus.GRANTED,
            today - 2 * DAY,
            outcome="One humanitarian visa issued.",
            people_granted=1,
            people_refused=0,
        ),
    ):
        do_change_advocacy_status(earlier, change=change, actor=officer)


@demo.register
def describe_demo_advocacy(base_url: str) -> list[str]:
    if not AdvocacyRequest.objects.exists() and Case.objects.filter(state=S.PLANNING).exists():
        organisation = _case(S.PLANNING).organisation
        _granted_request(organisation)
        _crisis_batch(organisation)
    counts = {status.label: 0 for status in AdvocacyStatus}
    for row in AdvocacyRequest.objects.all():
        counts[AdvocacyStatus(row.status).label] += 1
    return [
        "",
        "Advocacy: requests to governments "
        + ", ".join(f"{label}: {count}" for label, count in counts.items() if count)
        + f". The advocacy officer sees their counts at {base_url}/en/staff/advocacy/;",
        "  the caseworker prints the crisis letter with the person they named from the planning "
        "case's page.",
    ]
