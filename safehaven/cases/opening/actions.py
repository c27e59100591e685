"""Open a case from a help request or a phone call, and join requests into a household.

Accepting a request opens its case in screening; a case typed after a call starts as received.
Either way the case gets its casework compartment (``cases.compartments``). A household joins
several requests into one case, and joins nothing else: each request keeps its own key and its
own codename wrap, and nothing of the case is ever wrapped to a codename (one of the requests
may be a planted duplicate or an abusive relative).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from safehaven.cases.choices import CaseOrigin, CaseState, CompartmentKind
from safehaven.cases.compartments import make_compartment, open_casework, triage_teams
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import seal_person_link
from safehaven.cases.models import Case, CasePerson, CaseTransition
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission.risk import band_for
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record


def case_organisation(actor: User) -> Organisation:
    """The relocating organisation ``actor`` opens cases for (as triage or supervisor)."""
    membership = (
        Membership.objects.filter(
            user=actor,
            role__in=[Role.TRIAGE, Role.SUPERVISOR],
            organisation__kind=OrganisationKind.RELOCATING,
        )
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise CaseActionRefused(_("Only triage or a supervisor of the organisation opens cases."))
    return membership.organisation


def _refuse_unless_open_to_accept(help_request: HelpRequest) -> None:
    if help_request.is_withdrawn or help_request.is_shredded:
        raise CaseActionRefused(_("The person withdrew this request: it cannot open a case."))
    if CasePerson.objects.filter(help_request=help_request).exists():
        raise CaseActionRefused(_("This request is already part of a case."))


def _open_request(help_request: HelpRequest, actor: User, private_key: bytes) -> None:
    try:
        open_record(help_request.record_id, user=actor, private_key=private_key)
    except RecordUnavailable:
        raise CaseActionRefused(
            _("Your key cannot open this request, so you cannot accept it.")
        ) from None


def _record_opening(case: Case, opened: OpenedRecord, actor: User, reason: str) -> None:
    transition = CaseTransition(
        record_id=opened.record_id, case=case, from_state="", to_state=case.state, actor=actor
    )
    transition.at = this_hour()
    transition.open_with(opened).seal("reason", reason)
    transition.save()


def do_accept_help_request(
    help_request: HelpRequest, *, reason: str, actor: User, private_key: bytes
) -> Case:
    """Accept a request: it opens a case in screening, the request becoming its first person.
    The actor's key must open the request. Raises CaseActionRefused."""
    _refuse_unless_open_to_accept(help_request)
    _open_request(help_request, actor, private_key)
    organisation = case_organisation(actor)
    with transaction.atomic():
        locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        _refuse_unless_open_to_accept(locked)
        case = Case.objects.create(
            organisation=organisation,
            origin=CaseOrigin.REQUEST,
            state=CaseState.SCREENING,
            country=locked.country,
            languages=locked.languages,
            risk_score=locked.risk_score,
            risk_band=locked.risk_band,
            received_month=locked.received_month,
            referred_by=locked.referred_by,
            crisis_id=locked.crisis_id,
        )
        _compartment, opened = make_compartment(case, CompartmentKind.CASEWORK, triage_teams(case))
        person = CasePerson(
            record_id=opened.record_id, case=case, help_request=locked, is_primary=True
        )
        seal_person_link(person, opened)
        person.save()
        _record_opening(case, opened, actor, reason)
        if locked.status == RequestStatus.RECEIVED:
            locked.status = RequestStatus.REVIEWING
            locked.save(update_fields=["status"])
        record_event(
            EventType.CASE_OPENED,
            actor=actor,
            organisation=organisation,
            target=case,
            detail=f"from request #{locked.pk}",
        )
    return case


def do_join_household(
    case: Case, help_request: HelpRequest, *, actor: User, private_key: bytes
) -> CasePerson:
    """Join another request to a case's household. Wraps nothing to anyone: each person keeps
    reading only their own thread. The case keeps the higher stored score of the two."""
    if case.is_closed:
        raise CaseActionRefused(_("This case is closed."))
    _refuse_unless_open_to_accept(help_request)
    _open_request(help_request, actor, private_key)
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        _refuse_unless_open_to_accept(locked)
        person = CasePerson(
            record_id=opened.record_id, case=case, help_request=locked, is_primary=False
        )
        seal_person_link(person, opened)
        person.save()
        if locked.risk_score > case.risk_score:
            Case.objects.filter(pk=case.pk).update(
                risk_score=locked.risk_score, risk_band=locked.risk_band
            )
            case.risk_score, case.risk_band = locked.risk_score, locked.risk_band
        if locked.status == RequestStatus.RECEIVED:
            locked.status = RequestStatus.REVIEWING
            locked.save(update_fields=["status"])
        record_event(
            EventType.CASE_PERSON_JOINED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"request #{locked.pk}",
        )
    return person


@dataclass(frozen=True)
class CallDetails:
    """What staff type after a phone call: sealed into the case, but for the country and
    languages (the queue's filters) and the score."""

    country: str
    languages: list[str]
    summary: str
    region: str
    citizenships: str
    contacts: str
    risk_score: int


def do_open_case_from_call(details: CallDetails, *, reason: str, actor: User) -> Case:
    """Open a case for someone who called: it starts as received, the person's details sealed
    into its casework compartment (there is no request, so no codename either)."""
    organisation = case_organisation(actor)
    score = max(0, min(100, 5 * round(details.risk_score / 5)))
    with transaction.atomic():
        case = Case.objects.create(
            organisation=organisation,
            origin=CaseOrigin.PHONE_CALL,
            state=CaseState.RECEIVED,
            country=details.country,
            languages=details.languages,
            risk_score=score,
            risk_band=band_for(score),
            received_month=this_hour().date().replace(day=1),
        )
        _compartment, opened = make_compartment(case, CompartmentKind.CASEWORK, triage_teams(case))
        person = CasePerson(record_id=opened.record_id, case=case, is_primary=True)
        person.open_with(opened)
        person.seal("summary", details.summary)
        person.seal("region", details.region)
        person.seal("citizenships", details.citizenships)
        person.seal("contacts", details.contacts)
        seal_person_link(person, opened)
        person.save()
        _record_opening(case, opened, actor, reason)
        record_event(
            EventType.CASE_OPENED,
            actor=actor,
            organisation=organisation,
            target=case,
            detail="after a phone call",
        )
    return case
