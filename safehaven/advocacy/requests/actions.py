"""Draft a request to a government and move it through its statuses, each audited with ids
only (a request holds nothing about a person: its words stay out of the audit all the same)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import Organisation, User
from safehaven.advocacy.choices import DECISIONS, MOVES, AdvocacyKind, AdvocacyStatus
from safehaven.advocacy.models import AdvocacyRequest
from safehaven.advocacy.requests.counts import counted_inclusions, request_counts
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.countries.models import Crisis
from safehaven.intake.submission.place_names import country_choices

PROGRAMME_MAX = 200
CONTACT_MAX = 300
OUTCOME_MAX = 2000


@dataclass(frozen=True)
class RequestDetails:
    kind: str
    government: str  # ISO 3166-1 alpha-2
    programme: str
    contact: str
    crisis: Crisis | None = None


def refuse_unless_advocate(organisation: Organisation, actor: User) -> None:
    if not has_perm_in(actor, Perm.ADVOCATE, organisation):
        raise CaseActionRefused(
            _("Only an advocacy officer of this organisation can work on its requests.")
        )


def _checked(details: RequestDetails) -> RequestDetails:
    if details.kind not in AdvocacyKind.values:
        raise CaseActionRefused(_("Choose what the request asks for."))
    if details.government not in dict(country_choices()):
        raise CaseActionRefused(_("Choose the government the request goes to."))
    programme, contact = details.programme.strip(), details.contact.strip()
    if not programme or len(programme) > PROGRAMME_MAX:
        raise CaseActionRefused(_("Name the programme, in at most 200 characters."))
    if not contact or len(contact) > CONTACT_MAX:
        raise CaseActionRefused(
            _("Give the government office it goes to, in at most 300 characters.")
        )
    return RequestDetails(details.kind, details.government, programme, contact, details.crisis)


def do_draft_advocacy_request(
    organisation: Organisation, *, details: RequestDetails, actor: User
) -> AdvocacyRequest:
    """A new request of ``organisation`` to a government, drafted, with no case counted yet.
    Raises CaseActionRefused."""
    refuse_unless_advocate(organisation, actor)
    checked = _checked(details)
    with transaction.atomic():
        advocacy_request = AdvocacyRequest.objects.create(
            organisation=organisation,
            kind=checked.kind,
            government=checked.government,
            programme=checked.programme,
            contact=checked.contact,
            crisis=checked.crisis,
            created_by=actor,
        )
        crisis = f", crisis #{checked.crisis.pk}" if checked.crisis is not None else ""
        record_event(
            EventType.ADVOCACY_REQUEST_DRAFTED,
            actor=actor,
            organisation=organisation,
            target=advocacy_request,
            detail=f"advocacy request #{advocacy_request.pk}{crisis}",
        )
    return advocacy_request


@dataclass(frozen=True)
class StatusChange:
    to_status: str
    on: datetime.date
    outcome: str = ""
    people_granted: int | None = None
    people_refused: int | None = None


def _refuse_illegal_move(current: str, change: StatusChange) -> None:
    if change.to_status not in AdvocacyStatus.values:
        raise CaseActionRefused(_("Choose the request's new status."))
    if current in DECISIONS:
        raise CaseActionRefused(_("This request was decided: its status no longer changes."))
    if change.to_status == current:
        raise CaseActionRefused(_("This request already has that status."))
    if change.to_status not in MOVES[current]:
        raise CaseActionRefused(
            _("A request that is “%(current)s” cannot be marked “%(wanted)s”.")
            % {
                "current": AdvocacyStatus(current).label,
                "wanted": AdvocacyStatus(change.to_status).label,
            }
        )


def _refuse_bad_date(row: AdvocacyRequest, change: StatusChange) -> None:
    if change.on > timezone.localdate():
        raise CaseActionRefused(_("The date cannot be in the future."))
    earlier = [day for day in (row.sent_on, row.acknowledged_on) if day is not None]
    if earlier and change.on < max(earlier):
        raise CaseActionRefused(
            _("The date cannot be before the request was sent or acknowledged (%(day)s).")
            % {"day": max(earlier).isoformat()}
        )


def _refuse_bad_decision(row: AdvocacyRequest, change: StatusChange) -> None:
    """A decision says how many people were granted and refused (for reports), and what was
    decided; nothing else carries numbers or an outcome."""
    numbers = (change.people_granted, change.people_refused)
    if change.to_status not in DECISIONS:
        if change.outcome.strip() or any(number is not None for number in numbers):
            raise CaseActionRefused(
                _("Numbers of people and an outcome are recorded only with a decision.")
            )
        return
    if any(number is None or number < 0 for number in numbers):
        raise CaseActionRefused(_("Give the number of people granted and refused (0 if none)."))
    granted, refused = change.people_granted or 0, change.people_refused or 0
    if change.to_status == AdvocacyStatus.GRANTED and granted < 1:
        raise CaseActionRefused(_("A grant covers at least one person."))
    if change.to_status == AdvocacyStatus.REFUSED and granted > 0:
        raise CaseActionRefused(
            _(
                "A refusal grants no one: record a partial grant as granted, with the number "
                "refused."
            )
        )
    counted = request_counts(row).people
    if granted + refused > counted:
        raise CaseActionRefused(
            ngettext(
                "The request counts %(people)s person: no more can be granted or refused.",
                "The request counts %(people)s people: no more can be granted or refused.",
                counted,
            )
            % {"people": counted}
        )
    outcome = change.outcome.strip()
    if not outcome or len(outcome) > OUTCOME_MAX:
        raise CaseActionRefused(_("Say what the government decided, in at most 2000 characters."))


def do_change_advocacy_status(
    advocacy_request: AdvocacyRequest, *, change: StatusChange, actor: User
) -> AdvocacyRequest:
    """Move the request: drafted → sent → acknowledged → granted or refused (a government may
    decide without acknowledging; a decision is final), with the day it happened. Raises
    CaseActionRefused."""
    refuse_unless_advocate(advocacy_request.organisation, actor)
    with transaction.atomic():
        row = (
            AdvocacyRequest.objects.select_for_update()
            .select_related("organisation")
            .get(pk=advocacy_request.pk)
        )
        current = row.status
        _refuse_illegal_move(current, change)
        _refuse_bad_date(row, change)
        if change.to_status == AdvocacyStatus.SENT and not counted_inclusions(row).exists():
            raise CaseActionRefused(_("Count at least one case in this request before sending it."))
        _refuse_bad_decision(row, change)
        row.status = change.to_status
        if change.to_status == AdvocacyStatus.SENT:
            row.sent_on = change.on
        elif change.to_status == AdvocacyStatus.ACKNOWLEDGED:
            row.acknowledged_on = change.on
        else:
            row.decided_on = change.on
            row.outcome = change.outcome.strip()
            row.people_granted = change.people_granted
            row.people_refused = change.people_refused
        row.save()
        record_event(
            EventType.ADVOCACY_STATUS_CHANGED,
            actor=actor,
            organisation=row.organisation,
            target=row,
            detail=f"advocacy request #{row.pk}: {current} > {row.status}",
        )
    return row
