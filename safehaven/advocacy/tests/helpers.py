"""Helpers for advocacy tests: a request drafted by the seeded advocacy officer, a crisis, cases
counted by the seeded caseworker, consents to share with a government and namings."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from safehaven.advocacy.choices import AdvocacyKind
from safehaven.advocacy.inclusions.actions import do_include_case
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyNaming, AdvocacyRequest
from safehaven.advocacy.namings.actions import do_name_person
from safehaven.advocacy.namings.sealing import NamingDetails
from safehaven.advocacy.requests.actions import RequestDetails, do_draft_advocacy_request
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.opening.actions import do_join_household
from safehaven.countries.models import Crisis
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.travel.models import ReferralConsent
from safehaven.travel.tests.helpers import assigned_case, primary_person
from safehaven.travel.tests.referral_helpers import consent

GOVERNMENT = "government"
PROGRAMME = "Urgent protection programme"
CONTACT = "Immigration ministry, refugee branch, Ottawa"


def a_crisis(world: Any, name: str = "Chechnya purge 2017") -> Crisis:
    return Crisis.objects.create(
        name=name, starts_on=datetime.date(2017, 2, 1), created_by=world.users["admin"]
    )


def draft(world: Any, *, crisis: Crisis | None = None, **details: Any) -> AdvocacyRequest:
    values: dict[str, Any] = {
        "kind": AdvocacyKind.EMERGENCY_VISA,
        "government": "CA",
        "programme": PROGRAMME,
        "contact": CONTACT,
        "crisis": crisis,
    } | details
    return do_draft_advocacy_request(
        world.organisation, details=RequestDetails(**values), actor=world.users["advocacy"]
    )


def as_user(username: str = "caseworker") -> dict[str, Any]:
    from safehaven.accounts.models import User

    return {"actor": User.objects.get(username=username), "private_key": private_key(username)}


def include(
    case: Case, advocacy_request: AdvocacyRequest, username: str = "caseworker"
) -> AdvocacyInclusion:
    return do_include_case(case, advocacy_request=advocacy_request, **as_user(username))


def government_consent(
    world: Any, case: Case, person: CasePerson | None = None, *, country: str = "CA"
) -> ReferralConsent:
    """A consent to share with the government of ``country`` (``draft``'s default: Canada)."""
    return consent(
        world,
        case,
        person=person or primary_person(case),
        recipient_kind=GOVERNMENT,
        government_country=country,
    )


def name(
    inclusion: AdvocacyInclusion,
    person: CasePerson | None = None,
    *,
    full_name: str = "Adam Testov",
    username: str = "caseworker",
    **details: Any,
) -> AdvocacyNaming:
    return do_name_person(
        inclusion,
        person=person or primary_person(inclusion.case),
        details=NamingDetails(name=full_name, **details),
        **as_user(username),
    )


def url(name_: str, advocacy_request: AdvocacyRequest) -> str:
    return reverse(name_, kwargs={"advocacy_request_id": advocacy_request.pk})


def case_url(name_: str, case: Case, **kwargs: Any) -> str:
    return reverse(name_, kwargs={"case_id": case.pk, **kwargs})


def household_of_two(world: Any, **request: Any) -> tuple[Case, CasePerson]:
    """A case given to the caseworker, with a second person joined from another request."""
    case = assigned_case(world, **request)
    submit_request()
    second = do_join_household(case, latest_request(), **as_user("triage"))
    return case, second


def tagged(case: Case, crisis: Crisis) -> Case:
    Case.objects.filter(pk=case.pk).update(crisis=crisis)
    case.refresh_from_db()
    return case
