"""Helpers for the duplicates tests: cases opened from requests with chosen contact details,
name hints as a referring partner's ``known_as`` leaves them, and another organisation's case."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from django.conf import settings

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.tests.helpers import bare_case, open_case, primary_request
from safehaven.core.crypto_blind_index import BlindIndexKind, blind_index
from safehaven.intake.models import ContactHint, HelpRequest
from safehaven.intake.tests.helpers import latest_request, submit_request

SHARED_PHONE = "+7 912 345-67-89"
_numbers = itertools.count(1)


def own_email() -> str:
    """An e-mail address no other request in the test uses."""
    return f"person{next(_numbers)}@example.org"


def case_reached_by(world: Any, *, phone: str | None = None, **request: Any) -> Case:
    """A case of the seeded organisation from a request giving ``phone`` on Signal, or else
    an e-mail address of its own (so it shares no contact hint by accident)."""
    if phone is None:
        return open_case(world, contact_signal=None, contact_email=own_email(), **request)
    return open_case(world, contact_signal=phone, **request)


def waiting_request(*, phone: str | None = None, **request: Any) -> HelpRequest:
    """A request left outside any case."""
    if phone is None:
        submit_request(contact_signal=None, contact_email=own_email(), **request)
    else:
        submit_request(contact_signal=phone, **request)
    return latest_request()


def bare_request(**fields: Any) -> HelpRequest:
    """A request row with nothing sealed and no key: enough for what is read in clear (a
    crowd of them, faster than through the public form and its rate limits)."""
    from safehaven.core.coarse_time import this_hour
    from safehaven.intake.choices import RiskBand

    today = this_hour().date()
    values: dict[str, Any] = {
        "country": "RU",
        "risk_band": RiskBand.LOW,
        "received_month": today.replace(day=1),
        "consented_on": today,
        "record_id": uuid.uuid4(),
    }
    return HelpRequest.objects.create(**(values | fields))


def give_name_hint(help_request: HelpRequest, name: str) -> ContactHint:
    """The hint a partner's ``known_as`` gives a request (the referrals feature makes them)."""
    index = blind_index(BlindIndexKind.NAME, name, settings.BLIND_INDEX_PEPPER)
    return ContactHint.objects.create(
        help_request=help_request, kind=BlindIndexKind.NAME, index=index
    )


def give_case_name_hint(case: Case, name: str) -> ContactHint:
    return give_name_hint(primary_request(case), name)


def other_organisation_case(world: Any, *, phone: str = SHARED_PHONE) -> Case:
    """A case of another relocating organisation whose request gives ``phone``."""
    organisation, _created = Organisation.objects.get_or_create(
        name="Another relocating organisation", defaults={"kind": OrganisationKind.RELOCATING}
    )
    case = bare_case(world, organisation=organisation)
    attach_request(case, waiting_request(phone=phone))
    return case


def attach_request(case: Case, help_request: HelpRequest) -> CasePerson:
    """A person row linking ``help_request`` to a bare case, as clear columns only (no sealed
    link: what the candidates read is the clear link, never proof of anything)."""
    return CasePerson.objects.create(
        case=case, help_request=help_request, is_primary=True, record_id=uuid.uuid4()
    )
