"""Naming a person of a counted case in a request's annex: the person's consent to share with
a government first, sealed under the case's casework key, audited with ids only
(advocacy.namings.actions)."""

import pytest

from safehaven.advocacy.choices import AdvocacyStatus
from safehaven.advocacy.inclusions.actions import do_remove_case
from safehaven.advocacy.models import AdvocacyNaming, AdvocacyRequest
from safehaven.advocacy.namings.queries import naming_details, open_namings
from safehaven.advocacy.requests.counts import request_counts
from safehaven.advocacy.tests.helpers import (
    as_user,
    draft,
    government_consent,
    household_of_two,
    include,
    name,
)
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.travel.referral_packages.actions import do_withdraw_referral_consent
from safehaven.travel.tests.helpers import assigned_case, primary_person
from safehaven.travel.tests.referral_helpers import consent

pytestmark = pytest.mark.django_db
NAME = "Sentinel-Name Ruslan Quenterby"


def casework(case):
    return open_casework(case, **as_user())


def counted_with_consent(world):
    case = assigned_case(world)
    government_consent(world, case)
    return include(case, draft(world))


def test_it_names_a_consenting_person_sealed_and_audited_by_ids(world):
    inclusion = counted_with_consent(world)
    naming = name(inclusion, full_name=NAME, born_on="1990-04-02", nationality="RU", document="7")
    row = AdvocacyNaming.objects.get(pk=naming.pk)
    assert NAME.encode() not in bytes(row.details)
    details = naming_details(row, casework(inclusion.case))
    assert details is not None
    assert (details.name, details.born_on, details.nationality, details.document) == (
        NAME,
        "1990-04-02",
        "RU",
        "7",
    )
    [event] = AuditEvent.objects.filter(event_type=EventType.ADVOCACY_PERSON_NAMED)
    person = primary_person(inclusion.case)
    assert event.target_ref == str(inclusion.case_id)
    assert event.detail == (
        f"advocacy request #{inclusion.advocacy_request_id}, inclusion #{inclusion.pk}: "
        f"naming #{naming.pk} of person #{person.pk}, consent #{naming.consent_id}"
    )
    assert "Sentinel" not in event.detail
    assert request_counts(inclusion.advocacy_request).named == 1


def test_it_refuses_a_person_without_a_consent_to_share_with_a_government(world):
    case = assigned_case(world)
    consent(world, case, recipient_kind="unhcr")  # another recipient does not count
    inclusion = include(case, draft(world))
    with pytest.raises(CaseActionRefused, match="has not consented to share"):
        name(inclusion)
    assert not AdvocacyNaming.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.ADVOCACY_PERSON_NAMED).exists()


def test_it_refuses_a_withdrawn_consent_and_stops_printing_a_naming_relying_on_it(world):
    inclusion = counted_with_consent(world)
    naming = name(inclusion)
    [given] = naming.case.referral_consents.all()
    do_withdraw_referral_consent(given, **as_user())
    [opened] = open_namings(inclusion, casework(inclusion.case))
    assert not opened.damaged
    assert not opened.consented
    assert not opened.printable
    with pytest.raises(CaseActionRefused, match="has not consented to share"):
        name(inclusion)


def test_it_refuses_a_person_of_another_case(world):
    inclusion = counted_with_consent(world)
    other = assigned_case(world)
    government_consent(world, other)
    with pytest.raises(CaseActionRefused, match="not of this case"):
        name(inclusion, primary_person(other))


def test_it_refuses_someone_whose_key_does_not_open_the_case(world):
    inclusion = counted_with_consent(world)
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        name(inclusion, username="advocacy")


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"full_name": "  "}, "Give the person's name"),
        ({"born_on": "02/04/1990"}, "YYYY-MM-DD"),
        ({"born_on": "2999-01-01"}, "cannot be in the future"),
        ({"nationality": "QQ"}, "Choose a nationality"),
        ({"document": "9" * 61}, "too long"),
    ],
)
def test_it_refuses_bad_details(world, details, message):
    inclusion = counted_with_consent(world)
    with pytest.raises(CaseActionRefused, match=message):
        name(inclusion, **details)


def test_it_refuses_naming_once_the_government_decided_or_the_case_was_taken_out(world):
    inclusion = counted_with_consent(world)
    AdvocacyRequest.objects.filter(pk=inclusion.advocacy_request_id).update(
        status=AdvocacyStatus.GRANTED
    )
    inclusion.advocacy_request.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="has decided"):
        name(inclusion)
    taken_out = counted_with_consent(world)
    do_remove_case(taken_out, **as_user())
    with pytest.raises(CaseActionRefused, match="no longer counted"):
        name(taken_out)


def test_it_replaces_an_earlier_naming_of_the_same_person(world):
    inclusion = counted_with_consent(world)
    first = name(inclusion, full_name="Adam Tstov")
    second = name(inclusion, full_name="Adam Testov")
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    # Withdrawn, it is sealed again with the withdrawal bound in: still genuine, not shown.
    assert naming_details(first, casework(inclusion.case)) is not None
    opened = open_namings(inclusion, casework(inclusion.case))
    assert [(item.row.pk, item.details.name) for item in opened if item.details] == [
        (second.pk, "Adam Testov")
    ]
    event = AuditEvent.objects.filter(event_type=EventType.ADVOCACY_PERSON_NAMED).latest("sequence")
    assert event.detail.endswith(f"replaces #{first.pk}")


def test_it_names_each_consenting_person_of_a_household(world):
    case, second = household_of_two(world)
    government_consent(world, case)
    government_consent(world, case, second)
    inclusion = include(case, draft(world))
    name(inclusion, full_name="First Person")
    name(inclusion, second, full_name="Second Person")
    names = sorted(
        item.details.name for item in open_namings(inclusion, casework(case)) if item.details
    )
    assert names == ["First Person", "Second Person"]


def test_it_withdraws_the_namings_of_a_case_taken_out(world):
    inclusion = counted_with_consent(world)
    naming = name(inclusion)
    do_remove_case(inclusion, **as_user())
    naming.refresh_from_db()
    assert naming.withdrawn_at is not None
    assert request_counts(inclusion.advocacy_request).named == 0


def test_it_never_opens_a_naming_moved_or_revived_in_the_database(world):
    inclusion = counted_with_consent(world)
    naming = name(inclusion)
    other = include(inclusion.case, draft(world))
    AdvocacyNaming.objects.filter(pk=naming.pk).update(
        inclusion=other, advocacy_request=other.advocacy_request
    )
    [moved] = open_namings(other, casework(inclusion.case))
    assert moved.damaged
    assert not moved.printable
    revived = name(counted_with_consent(world))
    do_remove_case(revived.inclusion, **as_user())
    AdvocacyNaming.objects.filter(pk=revived.pk).update(withdrawn_at=None)
    revived.refresh_from_db()
    assert naming_details(revived, casework(revived.case)) is None
