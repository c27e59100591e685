"""Referral consents read through their seals: only a consent whose seal opens with the case's
casework, of a person whose link opens, and not withdrawn, lets a package be made; only such a
consent to a government that names its country lets a request to that government name the
person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from safehaven.cases.links import linked_people
from safehaven.cases.models import Case, CasePerson
from safehaven.core.crypto import SealError
from safehaven.intake.submission.place_names import country_choices
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.choices import ReferralRecipient
from safehaven.travel.models import ReferralConsent
from safehaven.travel.referral_packages.sealing import ConsentDetails, consent_from_json


@dataclass(frozen=True)
class OpenConsent:
    """A consent whose seal opened, with what it seals."""

    consent: ReferralConsent
    details: ConsentDetails

    @property
    def pk(self) -> int:
        return self.consent.pk

    @property
    def person(self) -> CasePerson:
        return self.consent.person

    @property
    def recipient_kind(self) -> str:
        return self.consent.recipient_kind

    @property
    def recipient_name(self) -> str:
        return self.details.recipient_name

    @property
    def government_country(self) -> str:
        """The government's country (ISO 3166-1 alpha-2), sealed; "" if none is named."""
        if self.recipient_kind != ReferralRecipient.GOVERNMENT:
            return ""
        return self.details.government_country

    @property
    def government_country_name(self) -> str:
        code = self.government_country
        return dict(country_choices()).get(code, code)

    @property
    def recorded_at(self) -> datetime.datetime:
        return self.consent.recorded_at

    @property
    def withdrawn(self) -> bool:
        return self.consent.withdrawn_at is not None


def opened_details(consent: ReferralConsent, casework: OpenedRecord) -> ConsentDetails | None:
    """What ``consent`` seals, or None when its seal is missing or does not open (forged, or
    its clear columns changed)."""
    if consent.record_id != casework.record_id:
        return None
    try:
        text = consent.open_with(casework).sealed("details")
        return None if text is None else consent_from_json(text)
    except (SealError, SealedValueUnavailable, ValueError):
        return None


def consent_history(case: Case, casework_opened: OpenedRecord) -> list[OpenConsent]:
    """Every consent of ``case`` whose seal opens, withdrawn ones too, of linked people."""
    people = {person.pk: person for person in linked_people(case, casework_opened)}
    shown: list[OpenConsent] = []
    for consent in ReferralConsent.objects.filter(case=case, person__in=list(people)):
        details = opened_details(consent, casework_opened)
        if details is not None:
            consent.person = people[consent.person_id]
            shown.append(OpenConsent(consent, details))
    return shown


def open_consents(case: Case, casework_opened: OpenedRecord) -> list[OpenConsent]:
    """The consents of ``case`` a package may rely on: sealed genuinely, not withdrawn."""
    return [item for item in consent_history(case, casework_opened) if not item.withdrawn]


def valid_consent(
    case: Case, person: CasePerson, recipient_kind: str, casework_opened: OpenedRecord
) -> OpenConsent | None:
    """The latest consent of ``person`` (of ``case``) to share with ``recipient_kind`` that
    opens and is not withdrawn, or None."""
    matching = [
        item
        for item in open_consents(case, casework_opened)
        if item.consent.person_id == person.pk and item.recipient_kind == recipient_kind
    ]
    return matching[-1] if matching else None


def valid_government_consent(
    case: Case, person: CasePerson, country: str, casework_opened: OpenedRecord
) -> OpenConsent | None:
    """The latest consent of ``person`` (of ``case``) to share with the government of
    ``country`` (ISO 3166-1 alpha-2) that opens and is not withdrawn, or None. A consent to a
    government that names no country (recorded before it was asked) is never it."""
    matching = [
        item
        for item in open_consents(case, casework_opened)
        if item.consent.person_id == person.pk
        and item.recipient_kind == ReferralRecipient.GOVERNMENT
        and country
        and item.government_country == country
    ]
    return matching[-1] if matching else None
