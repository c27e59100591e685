"""Record a travel document a person of the case holds, and remove one. Its details (issuing
country, the country a visa is for, number, valid until) are sealed in the case's travel
compartment; in clear only its kind and the Monday of the week its renewal reminder falls due."""

from __future__ import annotations

import datetime
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.compartments import refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CasePerson
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.countries.models import Country
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.travel.choices import TravelDocumentKind
from safehaven.travel.compartment import open_or_make_travel, open_travel
from safehaven.travel.documents.queries import PASSPORT_KINDS
from safehaven.travel.models import TravelDocument

# Many countries admit only a passport valid six months beyond arrival; a visa or permit is
# renewed from a month before it runs out.
PASSPORT_NOTICE_DAYS = 180
VISA_NOTICE_DAYS = 30


def remind_on(kind: str, valid_until: datetime.date) -> datetime.date:
    """The Monday of the week the reminder falls due (a week in clear, not the expiry day)."""
    notice = PASSPORT_NOTICE_DAYS if kind in PASSPORT_KINDS else VISA_NOTICE_DAYS
    day = valid_until - datetime.timedelta(days=notice)
    return day - datetime.timedelta(days=day.weekday())


def _country(code: str, *, missing: str) -> str:
    code = (code or "").strip().upper()
    if not code:
        raise CaseActionRefused(missing)
    if not Country.objects.filter(iso2=code).exists():
        raise CaseActionRefused(_("“%(code)s” is not a known country.") % {"code": code})
    return code


def do_add_travel_document(
    case: Case,
    *,
    person: CasePerson | None,
    kind: str,
    issuing_country: str,
    for_country: str,
    number: str,
    valid_until: datetime.date,
    actor: User,
    private_key: bytes,
) -> TravelDocument:
    """Record a document, its details sealed in the case's travel compartment (made now if
    the case has none). Raises CaseActionRefused."""
    refuse_if_closed(case)
    if kind not in TravelDocumentKind.values:
        raise CaseActionRefused(_("Choose the kind of document."))
    if person is not None and person.case_id != case.pk:
        raise CaseActionRefused(_("This person is not of this case."))
    if valid_until < timezone.localdate():
        raise CaseActionRefused(_("This document has expired already."))
    issuing = (
        _country(issuing_country, missing=_("Give the country that issued it."))
        if kind in PASSPORT_KINDS or issuing_country.strip()
        else ""
    )
    destination = (
        _country(for_country, missing=_("Give the country this visa or permit is for."))
        if kind not in PASSPORT_KINDS
        else ""
    )
    details = {
        "issuing_country": issuing,
        "for_country": destination,
        "number": number.strip(),
        "valid_until": valid_until.isoformat(),
    }
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
        refuse_if_closed(locked)
        opened = open_or_make_travel(locked, actor=actor, private_key=private_key)
        row = TravelDocument(
            record_id=opened.record_id,
            case=locked,
            person=person,
            kind=kind,
            remind_on=remind_on(kind, valid_until),
            added_by=actor,
        )
        row.open_with(opened).seal("details", json.dumps(details, sort_keys=True))
        row.save()
        record_event(
            EventType.TRAVEL_DOCUMENT_ADDED,
            actor=actor,
            organisation=locked.organisation,
            target=locked,
            detail=f"document {row.item_id} kind {kind}",
        )
    return row


def do_remove_travel_document(
    document: TravelDocument, *, actor: User, private_key: bytes
) -> TravelDocument:
    """Mark a document removed (kept sealed, no longer listed or reminded of): its details are
    sealed again with the removal bound in, so it needs the actor's travel key. Refused on a
    closed case and for a document that does not match its seal."""
    refuse_if_closed(document.case)
    with transaction.atomic():
        case = (
            Case.objects.select_for_update().select_related("organisation").get(pk=document.case_id)
        )
        refuse_if_closed(case)
        opened = open_travel(case, actor=actor, private_key=private_key)
        if opened is None:
            raise CaseActionRefused(_("Your key does not open this case's travel records."))
        locked = TravelDocument.objects.select_for_update().get(pk=document.pk)
        if locked.removed_at is not None:
            raise CaseActionRefused(_("This document is removed already."))
        try:
            details = locked.open_with(opened).sealed_bytes("details")
        except (SealError, SealedValueUnavailable):
            raise CaseActionRefused(
                _("This document does not match its seal: tell your administrators.")
            ) from None
        locked.removed_at = this_hour()
        locked.seal("details", details)
        locked.save(update_fields=["removed_at", "details"])
        record_event(
            EventType.TRAVEL_DOCUMENT_REMOVED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"document {locked.item_id} kind {locked.kind}",
        )
    return locked
