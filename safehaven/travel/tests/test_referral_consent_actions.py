"""Recording and withdrawing a person's consent to a referral, as actions; a consent whose
seal does not open (inserted, moved or revived in the database) counts as none."""

from __future__ import annotations

import pytest

from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.models import ReferralConsent
from safehaven.travel.referral_packages.actions import (
    do_record_referral_consent,
    do_withdraw_referral_consent,
)
from safehaven.travel.referral_packages.queries import (
    consent_history,
    open_consents,
    valid_consent,
)
from safehaven.travel.tests.helpers import assigned_case, primary_person
from safehaven.travel.tests.referral_helpers import (
    HOW_GIVEN,
    RECIPIENT_CONTACT,
    RECIPIENT_NAME,
    consent,
    consented_case,
    worker,
)

pytestmark = pytest.mark.django_db


def casework(world, case):
    return open_casework(
        case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )


def test_it_records_a_sealed_consent_and_audits_ids_only(world):
    case, row = consented_case(world)
    opened = casework(world, case)
    found = valid_consent(case, primary_person(case), "unhcr", opened)
    assert found is not None
    assert found.pk == row.pk
    assert found.recipient_name == RECIPIENT_NAME
    assert found.details.recipient_contact == RECIPIENT_CONTACT
    assert found.details.how_given == HOW_GIVEN
    assert valid_consent(case, primary_person(case), "government", opened) is None
    raw = ReferralConsent.objects.filter(pk=row.pk).values_list("details", flat=True).get()
    assert "Quorvale" not in str(raw)
    event = AuditEvent.objects.get(event_type=EventType.REFERRAL_CONSENT_RECORDED)
    assert event.detail == f"consent #{row.pk} of person #{primary_person(case).pk} to unhcr"


def test_it_refuses_an_unknown_recipient_kind_and_empty_details(world):
    case = assigned_case(world)
    with pytest.raises(CaseActionRefused):
        consent(world, case, recipient_kind="embassy")
    with pytest.raises(CaseActionRefused):
        do_record_referral_consent(
            case,
            person=primary_person(case),
            recipient_kind="unhcr",
            recipient_name=" ",
            recipient_contact="x",
            how_given="y",
            note="",
            **worker(world),
        )
    assert not ReferralConsent.objects.exists()


def test_it_refuses_a_person_of_another_case(world):
    case = assigned_case(world)
    other = assigned_case(world)
    with pytest.raises(CaseActionRefused):
        consent(world, case, person=primary_person(other))
    assert not ReferralConsent.objects.exists()


def test_it_refuses_a_key_that_cannot_open_the_casework(world):
    case = assigned_case(world)
    with pytest.raises(CaseActionRefused):
        do_record_referral_consent(
            case,
            person=primary_person(case),
            recipient_kind="unhcr",
            recipient_name=RECIPIENT_NAME,
            recipient_contact=RECIPIENT_CONTACT,
            how_given=HOW_GIVEN,
            note="",
            actor=world.users["caseworker"],
            private_key=private_key("triage"),
        )


def test_it_withdraws_a_consent_and_a_revived_one_no_longer_opens(world):
    case, row = consented_case(world)
    do_withdraw_referral_consent(row, **worker(world))
    opened = casework(world, case)
    assert valid_consent(case, primary_person(case), "unhcr", opened) is None
    assert [item.pk for item in consent_history(case, opened)] == [row.pk]
    assert AuditEvent.objects.filter(event_type=EventType.REFERRAL_CONSENT_WITHDRAWN).count() == 1
    with pytest.raises(CaseActionRefused):
        do_withdraw_referral_consent(row, **worker(world))
    ReferralConsent.objects.filter(pk=row.pk).update(withdrawn_at=None)
    assert open_consents(case, opened) == []
    assert consent_history(case, opened) == []


def test_it_ignores_a_consent_moved_to_another_recipient_or_case(world):
    case, row = consented_case(world)
    ReferralConsent.objects.filter(pk=row.pk).update(recipient_kind="government")
    opened = casework(world, case)
    assert valid_consent(case, primary_person(case), "government", opened) is None
    assert open_consents(case, opened) == []
    other = assigned_case(world)
    ReferralConsent.objects.filter(pk=row.pk).update(
        recipient_kind="unhcr", case=other, person=primary_person(other)
    )
    assert open_consents(other, casework(world, other)) == []
    with pytest.raises(CaseActionRefused):
        do_withdraw_referral_consent(ReferralConsent.objects.get(pk=row.pk), **worker(world))


def test_it_records_nothing_on_a_closed_case(world):
    case = assigned_case(world)
    Case.objects.filter(pk=case.pk).update(state="closed")
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused):
        consent(world, case)
