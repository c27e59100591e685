"""Count a case in a request, take it out again, or count a crisis's cases at once.

A holder of the case's casework key counts their case: the people counted are those whose
sealed link opens (a row a database writer added is not a person). The advocacy officer, who
holds no case key, may count at once the cases tagged with the request's crisis: from clear
columns only (the crisis, the state, the household's rows), never opening anything. Each case
counted or taken out is audited on its own, with ids only.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.advocacy.choices import OPEN_STATUSES
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyNaming, AdvocacyRequest
from safehaven.advocacy.namings.actions import withdraw_namings
from safehaven.advocacy.requests.actions import refuse_unless_advocate
from safehaven.cases.choices import CaseState
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import linked_people
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType

S = CaseState
# A case no longer waiting for a way out (travelling, arrived, ended) is not counted in a
# request to a government.
NOT_COUNTED = frozenset(
    {
        S.IN_TRANSIT,
        S.ARRIVED,
        S.POST_ARRIVAL,
        S.DECLINED,
        S.REFERRED_OUT,
        S.WITHDRAWN,
        S.LOST_CONTACT,
        S.CLOSED,
    }
)


def may_be_counted(case: Case) -> bool:
    return case.state not in NOT_COUNTED


def _refuse_unless_open(advocacy_request: AdvocacyRequest) -> None:
    if advocacy_request.status not in OPEN_STATUSES:
        raise CaseActionRefused(
            _("The government has decided on this request: it no longer changes.")
        )


def do_include_case(
    case: Case, *, advocacy_request: AdvocacyRequest, actor: User, private_key: bytes
) -> AdvocacyInclusion:
    """Count ``case`` (its linked people) in ``advocacy_request``, by a holder of its casework
    key. Raises CaseActionRefused."""
    if advocacy_request.organisation_id != case.organisation_id:
        raise CaseActionRefused(_("This request is not of this case's organisation."))
    if not may_be_counted(case):
        raise CaseActionRefused(
            _("A case that is travelling, has arrived or has ended is not counted in a request.")
        )
    casework = open_casework(case, actor=actor, private_key=private_key)
    people = len(linked_people(case, casework))
    if people == 0:
        raise CaseActionRefused(_("This case has no person to count."))
    with transaction.atomic():
        # The request's row serialises inclusions with its status changes.
        locked = AdvocacyRequest.objects.select_for_update().get(pk=advocacy_request.pk)
        _refuse_unless_open(locked)
        counted = AdvocacyInclusion.objects.filter(
            advocacy_request=locked, case=case, removed_at__isnull=True
        )
        if counted.exists():
            raise CaseActionRefused(_("This case is already counted in this request."))
        inclusion = AdvocacyInclusion.objects.create(
            advocacy_request=locked, case=case, people=people, included_by=actor
        )
        record_event(
            EventType.ADVOCACY_CASE_INCLUDED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"advocacy request #{locked.pk}, inclusion #{inclusion.pk}: {people} people",
        )
    return inclusion


def do_remove_case(inclusion: AdvocacyInclusion, *, actor: User, private_key: bytes) -> None:
    """Take the inclusion's case out of its request, by a holder of its casework key; the
    people named for it are withdrawn with it. Raises CaseActionRefused."""
    casework = open_casework(inclusion.case, actor=actor, private_key=private_key)
    with transaction.atomic():
        locked = (
            AdvocacyInclusion.objects.select_for_update()
            .select_related("advocacy_request", "case__organisation")
            .get(pk=inclusion.pk)
        )
        _refuse_unless_open(locked.advocacy_request)
        if locked.is_removed:
            raise CaseActionRefused(_("This case is no longer counted in the request."))
        now = this_hour()
        namings = AdvocacyNaming.objects.select_for_update().filter(
            inclusion=locked, withdrawn_at__isnull=True
        )
        withdrawn = withdraw_namings(list(namings), casework, at=now)
        locked.removed_at, locked.removed_by = now, actor
        locked.save(update_fields=["removed_at", "removed_by"])
        names = f", {len(withdrawn)} naming(s) withdrawn" if withdrawn else ""
        record_event(
            EventType.ADVOCACY_CASE_REMOVED,
            actor=actor,
            organisation=locked.case.organisation,
            target=locked.case,
            detail=f"advocacy request #{locked.advocacy_request_id}, inclusion #{locked.pk}{names}",
        )
    inclusion.removed_at, inclusion.removed_by = locked.removed_at, actor


def do_count_crisis_cases(
    advocacy_request: AdvocacyRequest, *, actor: User
) -> list[AdvocacyInclusion]:
    """Count in a crisis's request every case of its organisation tagged with that crisis and
    still waiting for a way out, but none counted in it before (a case its caseworker took out
    stays out). From clear columns only; each case audited. Raises CaseActionRefused."""
    refuse_unless_advocate(advocacy_request.organisation, actor)
    if advocacy_request.crisis_id is None:
        raise CaseActionRefused(_("This request is not for a crisis."))
    with transaction.atomic():
        locked = (
            AdvocacyRequest.objects.select_for_update()
            .select_related("organisation")
            .get(pk=advocacy_request.pk)
        )
        _refuse_unless_open(locked)
        crisis_id = locked.crisis_id
        if crisis_id is None:  # the crisis was deleted meanwhile
            raise CaseActionRefused(_("This request is not for a crisis."))
        seen = AdvocacyInclusion.objects.filter(advocacy_request=locked).values("case_id")
        candidates = (
            Case.objects.filter(organisation=locked.organisation, crisis_id=crisis_id)
            .exclude(state__in=NOT_COUNTED)
            .exclude(pk__in=seen)
            .annotate(household=Count("people"))
            .filter(household__gt=0)
            .order_by("pk")
        )
        added = []
        for case in candidates:
            inclusion = AdvocacyInclusion.objects.create(
                advocacy_request=locked, case=case, people=case.household, included_by=actor
            )
            record_event(
                EventType.ADVOCACY_CASE_INCLUDED,
                actor=actor,
                organisation=locked.organisation,
                target=case,
                detail=(
                    f"advocacy request #{locked.pk}, inclusion #{inclusion.pk}: "
                    f"{case.household} people, crisis #{locked.crisis_id}"
                ),
            )
            added.append(inclusion)
    return added
