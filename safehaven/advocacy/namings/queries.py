"""Namings read through their seals, with the casework of their case: only a naming whose seal
opens, of a person whose link opens, relying on a consent to share with the request's own
government (the country sealed in the consent) that still opens and is not withdrawn, is ever
shown or printed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyNaming
from safehaven.advocacy.namings.sealing import NamingDetails, naming_from_json
from safehaven.cases.links import linked_people
from safehaven.cases.models import Case, CasePerson
from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.choices import ReferralRecipient
from safehaven.travel.referral_packages.queries import open_consents


@dataclass(frozen=True, repr=False)
class OpenedNaming:
    row: AdvocacyNaming
    details: NamingDetails | None  # None: the row does not match its seal (damaged)
    # The consent it relies on still opens, is the person's, to the request's government (its
    # sealed country is the request's), not withdrawn.
    consented: bool

    @property
    def damaged(self) -> bool:
        return self.details is None

    @property
    def printable(self) -> bool:
        return self.details is not None and self.consented

    def __repr__(self) -> str:
        return f"OpenedNaming(#{self.row.pk}, damaged={self.damaged})"


def naming_details(row: AdvocacyNaming, casework: OpenedRecord) -> NamingDetails | None:
    """What ``row`` seals, or None when it is missing, does not open under the row's clear
    columns, or is not one the application wrote."""
    if row.record_id != casework.record_id:
        return None
    try:
        text = row.open_with(casework).sealed("details")
        return None if text is None else naming_from_json(text)
    except (SealError, SealedValueUnavailable, ValueError):
        return None


def government_consents(case: Case, casework: OpenedRecord, country: str) -> dict[int, int]:
    """Consent id → person id, for every consent of ``case`` to share with the government of
    ``country`` (ISO 3166-1 alpha-2, sealed in the consent) that opens and is not withdrawn, of
    a person whose link opens. A consent to another government, or naming none, is not one."""
    return {
        item.pk: item.consent.person_id
        for item in open_consents(case, casework)
        if item.recipient_kind == ReferralRecipient.GOVERNMENT
        and country
        and item.government_country == country
    }


def open_namings(inclusion: AdvocacyInclusion, casework: OpenedRecord) -> list[OpenedNaming]:
    """The namings of ``inclusion`` not withdrawn, opened with its case's casework."""
    case = inclusion.case
    consents = government_consents(case, casework, inclusion.advocacy_request.government)
    linked = {person.pk for person in linked_people(case, casework)}
    rows = AdvocacyNaming.objects.filter(
        inclusion=inclusion,
        case=case,
        advocacy_request_id=inclusion.advocacy_request_id,
        withdrawn_at__isnull=True,
    ).select_related("person")
    opened = []
    for row in rows:
        consented = consents.get(row.consent_id) == row.person_id and row.person_id in linked
        opened.append(OpenedNaming(row, naming_details(row, casework), consented))
    return opened


def person_label(person: CasePerson) -> str:
    """A person of the case, named only by their place in it (what they are called is
    sealed)."""
    if person.is_primary:
        return str(_("Main person"))
    return str(_("Household member #%(number)s") % {"number": person.pk})


def consenting_people(case: Case, casework: OpenedRecord, country: str) -> list[CasePerson]:
    """The linked people of ``case`` with a consent that holds to share with the government of
    ``country``."""
    consenting = set(government_consents(case, casework, country).values())
    return [person for person in linked_people(case, casework) if person.pk in consenting]
