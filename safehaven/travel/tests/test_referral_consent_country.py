"""A consent to a government names which one: its country (ISO 3166-1 alpha-2), required for a
government and refused for any other recipient, on the form and in the action, sealed with the
consent's details and never in the audit; a consent recorded before the country was asked
opens with none. A package to a government states its country, and a household member's
consent to another government's office of the same name does not cover their details."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.models import ReferralConsent
from safehaven.travel.referral_packages.actions import (
    do_make_referral_package,
    do_withdraw_referral_consent,
)
from safehaven.travel.referral_packages.queries import (
    consent_history,
    valid_consent,
    valid_government_consent,
)
from safehaven.travel.referral_packages.sealing import consent_from_json
from safehaven.travel.tests.helpers import assigned_case, primary_person
from safehaven.travel.tests.referral_country_helpers import OLD_RECIPIENT, old_government_consent
from safehaven.travel.tests.referral_helpers import (
    PASSPHRASE,
    SECOND_SITUATION,
    consent,
    household,
    mark_fresh,
    opened_archive,
    worker,
)

# A transactional test elsewhere may have flushed the countries a travel document names.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("country_facts")]
MINISTRY = "Sentinel Immigration ministry"


def casework(world, case):
    return open_casework(case, **worker(world))


def to_government(world, case, country, **more):
    return consent(world, case, recipient_kind="government", government_country=country, **more)


def consent_url(case) -> str:
    return reverse("travel-record-referral-consent", kwargs={"case_id": case.pk})


def posted(person, kind, country, **more):
    return {
        "person": person.pk,
        "recipient_kind": kind,
        "government_country": country,
        "recipient_name": MINISTRY,
        "recipient_contact": "by the embassy's upload",
        "how_given": "in writing",
        "note": "",
    } | more


def test_it_seals_the_government_s_country_and_audits_none(world):
    case = assigned_case(world)
    row = to_government(world, case, "CA")
    raw = bytes(ReferralConsent.objects.filter(pk=row.pk).values_list("details", flat=True).get())
    assert b"government_country" not in raw
    person = primary_person(case)
    found = valid_government_consent(case, person, "CA", casework(world, case))
    assert found is not None
    assert found.pk == row.pk
    assert (found.government_country, found.government_country_name) == ("CA", "Canada")
    assert valid_government_consent(case, person, "AE", casework(world, case)) is None
    event = AuditEvent.objects.get(event_type=EventType.REFERRAL_CONSENT_RECORDED)
    assert event.detail == f"consent #{row.pk} of person #{person.pk} to government"
    do_withdraw_referral_consent(row, **worker(world))
    [withdrawn] = consent_history(case, casework(world, case))
    assert withdrawn.withdrawn
    assert withdrawn.government_country == "CA"
    assert valid_government_consent(case, person, "CA", casework(world, case)) is None


@pytest.mark.parametrize(
    ("kind", "country", "message"),
    [
        ("government", "", "Choose the country whose government"),
        ("government", "  ", "Choose the country whose government"),
        ("government", "QQ", "from the list"),
        ("government", "ca", "from the list"),
        ("unhcr", "CA", "Only a consent to a government names a country"),
        ("sponsor_group", "CA", "Only a consent to a government names a country"),
    ],
)
def test_it_refuses_a_missing_unknown_or_misplaced_country(world, kind, country, message):
    case = assigned_case(world)
    with pytest.raises(CaseActionRefused, match=message):
        consent(world, case, recipient_kind=kind, government_country=country)
    assert not ReferralConsent.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.REFERRAL_CONSENT_RECORDED).exists()


def test_it_reads_a_consent_recorded_before_the_country_was_asked_as_naming_none(world):
    case = assigned_case(world)
    person = primary_person(case)
    old = old_government_consent(world, case, person)
    opened = casework(world, case)
    still = valid_consent(case, person, "government", opened)
    assert still is not None  # a package may still rely on it
    assert still.pk == old.pk
    assert still.recipient_name == OLD_RECIPIENT
    assert still.government_country == ""
    for country in ("CA", ""):
        assert valid_government_consent(case, person, country, opened) is None
    with pytest.raises(ValueError, match="unknown consent version"):
        consent_from_json('{"v":3,"recipient_name":"a","recipient_contact":"b","how_given":"c"}')
    # A second version always holds its country, "" for none.
    with pytest.raises(ValueError, match="not a consent"):
        consent_from_json('{"v":2,"recipient_name":"a","recipient_contact":"b","how_given":"c"}')


def test_it_asks_for_the_country_of_a_government_on_the_form(world):
    house = household(world)
    client = staff_client_with_keys(world, "caseworker")
    panel = client.get(reverse("cases-show-case", kwargs={"case_id": house.case.pk}))
    assert 'name="government_country"' in panel.content.decode()
    missing = client.post(consent_url(house.case), posted(house.main, "government", ""))
    assert missing.status_code == 200
    assert "Choose the country whose government the person agreed to." in (missing.content.decode())
    misplaced = client.post(consent_url(house.case), posted(house.main, "unhcr", "CA"))
    assert misplaced.status_code == 200
    assert "Only a consent to a government names a country" in misplaced.content.decode()
    unknown = client.post(consent_url(house.case), posted(house.main, "government", "QQ"))
    assert unknown.status_code == 200
    assert ReferralConsent.objects.count() == 1  # the household's own consent to UNHCR
    made = client.post(consent_url(house.case), posted(house.main, "government", "CA"))
    assert made.status_code == 302
    found = valid_government_consent(house.case, house.main, "CA", casework(world, house.case))
    assert found is not None
    assert found.recipient_name == MINISTRY
    html = client.get(reverse("cases-show-case", kwargs={"case_id": house.case.pk})).content
    assert "A government (Canada)" in html.decode()


def test_it_marks_an_old_consent_to_a_government_on_the_panel(world):
    house = household(world)
    old_government_consent(world, house.case, house.main)
    client = staff_client_with_keys(world, "caseworker")
    html = client.get(reverse("cases-show-case", kwargs={"case_id": house.case.pk})).content
    assert "No country recorded: this consent cannot name the person" in html.decode()


def test_it_refuses_a_household_member_s_consent_to_another_government(world):
    house = household(world)
    main = to_government(world, house.case, "CA", person=house.main, recipient_name=MINISTRY)
    to_government(world, house.case, "AE", person=house.second, recipient_name=MINISTRY)
    second = f"person-{house.second.pk}-summary"

    def make(chosen):
        return do_make_referral_package(
            house.case,
            consent=main,
            chosen=chosen,
            package_format="archive",
            passphrase=PASSPHRASE,
            **worker(world),
        )

    with pytest.raises(CaseActionRefused, match="has not agreed"):
        make([second])
    to_government(world, house.case, "CA", person=house.second, recipient_name=MINISTRY)
    files = opened_archive(make([second]).archive)
    for name in ("README.txt", "referral.txt"):
        assert "To the government of Canada." in files[name].decode(), name
    assert SECOND_SITUATION in files["referral.txt"].decode()


def test_it_states_the_government_s_country_on_the_printable_page(world):
    house = household(world)
    to_canada = to_government(world, house.case, "CA", person=house.main)
    house = dataclasses.replace(house, consent=to_canada)
    client = staff_client_with_keys(world, "caseworker")
    mark_fresh(client, world.users["caseworker"], "password", "mfa")
    url = reverse(
        "travel-make-referral-package",
        kwargs={"case_id": house.case.pk, "consent_id": to_canada.pk},
    )
    assert "To the government of Canada." in client.get(url).content.decode()
    chosen = [f"person-{house.main.pk}-summary"]
    page = client.post(url, {"pieces": chosen, "package_format": "print"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "To the government of Canada." in html
    assert "Canada" not in html.split("</title>")[0]
