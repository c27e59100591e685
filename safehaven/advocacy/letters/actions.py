"""Edit a request's letter (the advocacy officer), and open its annex of named people for a
key holder's print: only the cases the viewer may open and whose casework their own key
opens are read, and each case whose named people are shown is audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm
from safehaven.accounts.models import User
from safehaven.advocacy.choices import AdvocacyStatus
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyRequest
from safehaven.advocacy.namings.queries import OpenedNaming, open_namings
from safehaven.advocacy.requests.actions import refuse_unless_advocate
from safehaven.advocacy.requests.counts import active_namings, counted_inclusions
from safehaven.cases.access import cases_visible_to
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import DETAIL_MAX, record_event
from safehaven.core.event_types import EventType

LETTER_MAX = 20000


def do_edit_advocacy_letter(
    advocacy_request: AdvocacyRequest, *, text: str, actor: User
) -> AdvocacyRequest:
    """Keep the officer's text of the letter (while the request is drafted: a sent letter is
    what the government has). Raises CaseActionRefused."""
    refuse_unless_advocate(advocacy_request.organisation, actor)
    cleaned = text.strip()
    if not cleaned or len(cleaned) > LETTER_MAX:
        raise CaseActionRefused(_("Write the letter, in at most 20000 characters."))
    with transaction.atomic():
        row = AdvocacyRequest.objects.select_for_update().get(pk=advocacy_request.pk)
        if row.status != AdvocacyStatus.DRAFTED:
            raise CaseActionRefused(_("This letter was sent: it can no longer be changed."))
        row.letter_text = cleaned
        row.save(update_fields=["letter_text"])
        record_event(
            EventType.ADVOCACY_LETTER_EDITED,
            actor=actor,
            organisation=advocacy_request.organisation,
            target=row,
            detail=f"advocacy request #{row.pk}",
        )
    advocacy_request.letter_text = cleaned
    return row


@dataclass(frozen=True, repr=False)
class AnnexHousehold:
    """The named people of one case, numbered in the annex (never by the case's id)."""

    number: int
    inclusion: AdvocacyInclusion
    people: list[OpenedNaming]

    def __repr__(self) -> str:
        return f"AnnexHousehold({self.number}, {len(self.people)} people)"


@dataclass(frozen=True)
class Annex:
    households: list[AnnexHousehold] = field(default_factory=list)
    # Named in cases the viewer may not open, or whose casework their key does not open.
    not_shown: int = 0
    # Not printed: a naming that does not match its seal, or whose consent no longer holds
    # (withdrawn, or not to this request's government: its sealed country is another).
    damaged: int = 0
    withdrawn_consent: int = 0


def _audit_detail(advocacy_request: AdvocacyRequest, household: AnnexHousehold) -> str:
    ids = ", ".join(f"#{item.row.pk}" for item in household.people)
    detail = (
        f"advocacy request #{advocacy_request.pk}, inclusion #{household.inclusion.pk}: "
        f"namings {ids}"
    )
    if len(detail) > DETAIL_MAX:  # a large household: the inclusion still finds them all
        detail = (
            f"advocacy request #{advocacy_request.pk}, inclusion #{household.inclusion.pk}: "
            f"{len(household.people)} namings"
        )
    return detail


def do_open_named_letter(
    advocacy_request: AdvocacyRequest, *, actor: User, private_key: bytes
) -> Annex:
    """The annex of named people the actor may print: of each counted case in their scope
    whose casework their own key opens, the namings that open and whose consent holds. Every
    case shown is audited (one event per case, on the case, so each case's trail shows it)."""
    inclusions = list(counted_inclusions(advocacy_request).select_related("case__organisation"))
    named_cases = set(active_namings(advocacy_request).values_list("case_id", flat=True))
    in_scope = set(
        cases_visible_to(actor, Perm.OPEN_CASES)
        .filter(pk__in=named_cases)
        .values_list("pk", flat=True)
    )
    households: list[AnnexHousehold] = []
    not_shown = damaged = withdrawn_consent = 0
    for inclusion in inclusions:
        if inclusion.case_id not in named_cases:
            continue
        casework = None
        if inclusion.case_id in in_scope:
            casework = open_compartment(
                inclusion.case, CompartmentKind.CASEWORK, user=actor, private_key=private_key
            )
        if casework is None:
            not_shown += active_namings(advocacy_request).filter(inclusion=inclusion).count()
            continue
        opened = open_namings(inclusion, casework)
        damaged += sum(1 for item in opened if item.damaged)
        withdrawn_consent += sum(1 for item in opened if not item.damaged and not item.consented)
        printable = [item for item in opened if item.printable]
        if printable:
            households.append(AnnexHousehold(len(households) + 1, inclusion, printable))
    with transaction.atomic():
        for household in households:
            record_event(
                EventType.ADVOCACY_NAMED_LETTER_PRINTED,
                actor=actor,
                organisation=advocacy_request.organisation,
                target=household.inclusion.case,
                detail=_audit_detail(advocacy_request, household),
            )
    return Annex(households, not_shown, damaged, withdrawn_consent)
