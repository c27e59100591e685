"""A consent to share with a government names which one (its country, sealed in the consent):
a person is named in a request only to the government they agreed to, and a naming whose
consent is to another government, or to none (recorded before the country was asked), is
never printed and is counted as without a valid consent (advocacy.namings)."""

import pytest

from safehaven.advocacy.letters.actions import do_open_named_letter
from safehaven.advocacy.models import AdvocacyNaming, AdvocacyRequest
from safehaven.advocacy.namings.queries import consenting_people, open_namings
from safehaven.advocacy.namings.sealing import NamingDetails, naming_to_json
from safehaven.advocacy.tests.helpers import (
    as_user,
    case_url,
    draft,
    government_consent,
    include,
    name,
    url,
)
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.tests.helpers import assigned_case, primary_person
from safehaven.travel.tests.referral_country_helpers import old_government_consent

pytestmark = pytest.mark.django_db
NAME = "Sentinel-Name Idris Vantorel"


def casework(case):
    return open_casework(case, **as_user())


def named_events():
    return AuditEvent.objects.filter(event_type=EventType.ADVOCACY_PERSON_NAMED)


def printed_events():
    return AuditEvent.objects.filter(event_type=EventType.ADVOCACY_NAMED_LETTER_PRINTED)


def test_it_refuses_to_name_a_person_to_a_government_they_did_not_consent_to(world):
    case = assigned_case(world)
    government_consent(world, case, country="CA")
    to_emirates = include(case, draft(world, government="AE"))
    with pytest.raises(CaseActionRefused, match="government of United Arab Emirates"):
        name(to_emirates, full_name=NAME)
    assert not AdvocacyNaming.objects.exists()
    assert not named_events().exists()
    assert consenting_people(case, casework(case), "AE") == []
    assert consenting_people(case, casework(case), "CA") == [primary_person(case)]


def test_it_relies_on_the_consent_to_the_request_s_own_government(world):
    case = assigned_case(world)
    to_canada = government_consent(world, case, country="CA")
    government_consent(world, case, country="DE")  # later, to another government
    naming = name(include(case, draft(world, government="CA")), full_name=NAME)
    assert naming.consent_id == to_canada.pk


def test_it_never_names_with_a_consent_recorded_before_the_country_was_asked(world):
    case = assigned_case(world)
    old_government_consent(world, case, primary_person(case))
    inclusion = include(case, draft(world))
    with pytest.raises(CaseActionRefused, match="has not consented to share"):
        name(inclusion, full_name=NAME)
    assert consenting_people(case, casework(case), "CA") == []
    assert not named_events().exists()


def test_it_does_not_print_a_naming_whose_consent_names_no_government(world):
    """A naming made, before the country was asked, on such a consent is not printed."""
    case = assigned_case(world)
    person = primary_person(case)
    old = old_government_consent(world, case, person)
    inclusion = include(case, draft(world))
    opened = casework(case)
    row = AdvocacyNaming(
        record_id=opened.record_id,
        advocacy_request=inclusion.advocacy_request,
        inclusion=inclusion,
        case=case,
        person=person,
        consent=old,
        named_by=world.users["caseworker"],
        named_at=this_hour(),
    )
    row.open_with(opened).seal("details", naming_to_json(NamingDetails(NAME)))
    row.save()
    [shown] = open_namings(inclusion, casework(case))
    assert not shown.damaged
    assert not shown.consented
    annex = do_open_named_letter(inclusion.advocacy_request, **as_user())
    assert (annex.households, annex.withdrawn_consent) == ([], 1)
    assert not printed_events().exists()


def test_it_does_not_print_a_naming_once_the_request_goes_to_another_government(world):
    """A database writer re-points the request (its government is in clear): the consent, to
    Canada, no longer covers it."""
    case = assigned_case(world)
    government_consent(world, case, country="CA")
    advocacy_request = draft(world, government="CA")
    inclusion = include(case, advocacy_request)
    name(inclusion, full_name=NAME)
    assert len(do_open_named_letter(advocacy_request, **as_user()).households) == 1
    AdvocacyRequest.objects.filter(pk=advocacy_request.pk).update(government="AE")
    advocacy_request.refresh_from_db()
    inclusion.refresh_from_db()
    [shown] = open_namings(inclusion, casework(case))
    assert not shown.damaged
    assert not shown.consented
    annex = do_open_named_letter(advocacy_request, **as_user())
    assert (annex.households, annex.withdrawn_consent) == ([], 1)
    assert printed_events().count() == 1  # the print while it still went to Canada
    client = staff_client_with_keys(world, "caseworker")
    page = client.get(url("advocacy-print-named-letter", advocacy_request)).content.decode()
    assert NAME not in page
    assert "no longer has a valid consent to share with this government" in page


def test_it_offers_only_people_who_consented_to_the_request_s_government(world):
    case = assigned_case(world)
    government_consent(world, case, country="CA")
    inclusion = include(case, draft(world, government="AE"))
    client = staff_client_with_keys(world, "caseworker")
    name_url = case_url("advocacy-name-person", case, inclusion_id=inclusion.pk)
    page = client.get(name_url).content.decode()
    assert "consented to share their details with the government of United Arab Emirates" in page
    response = client.post(name_url, {"person": primary_person(case).pk, "name": NAME})
    assert response.status_code == 200
    assert not AdvocacyNaming.objects.exists()
