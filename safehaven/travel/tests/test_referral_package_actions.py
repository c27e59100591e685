"""Making a referral package, as an action: exactly the chosen pieces, for a genuine consent,
each person's own consent for their details, audited by ids and field names only."""

from __future__ import annotations

import io

import py7zr
import pytest

from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import EvidenceFile
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.travel.models import ReferralConsent, TravelDocument
from safehaven.travel.referral_packages.actions import (
    do_make_referral_package,
    do_withdraw_referral_consent,
)
from safehaven.travel.tests.helpers import assigned_case
from safehaven.travel.tests.referral_helpers import (
    CITIZENSHIPS,
    CONTACTS,
    EVIDENCE_DESCRIPTION,
    HOW_GIVEN,
    PASSPHRASE,
    PASSPORT_NUMBER,
    RECIPIENT_CONTACT,
    RECIPIENT_NAME,
    REGION,
    SECOND_SITUATION,
    SUMMARY,
    consent,
    household,
    opened_archive,
    opens_with,
    worker,
)

# A transactional test elsewhere may have flushed the countries a travel document names.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("country_facts")]

UNCHOSEN = (REGION, CONTACTS, SECOND_SITUATION, "Registration interview", "Confirmed")


def make(world, house, chosen, package_format="archive", **more):
    return do_make_referral_package(
        house.case,
        consent=more.pop("consent", house.consent),
        chosen=chosen,
        package_format=package_format,
        passphrase=more.pop("passphrase", PASSPHRASE),
        **worker(world),
    )


def keys(house):
    evidence = EvidenceFile.objects.get(case=house.case)
    document = TravelDocument.objects.get(case=house.case)
    main = house.main.pk
    return {
        "summary": f"person-{main}-summary",
        "citizenships": f"person-{main}-citizenships",
        "evidence": f"evidence-{evidence.pk}",
        "document": f"document-{document.pk}",
        "second": f"person-{house.second.pk}-summary",
    }


def package_events():
    return AuditEvent.objects.filter(event_type=EventType.REFERRAL_PACKAGE_MADE)


def test_it_puts_exactly_the_chosen_pieces_in_the_archive(world):
    house = household(world)
    chosen = keys(house)
    picked = [chosen["summary"], chosen["citizenships"], chosen["evidence"], chosen["document"]]
    package = make(world, house, picked)
    files = opened_archive(package.archive)
    evidence = EvidenceFile.objects.get(case=house.case)
    assert set(files) == {"README.txt", "referral.txt", f"evidence/evidence-{evidence.pk}.png"}
    text = files["referral.txt"].decode()
    for shown in (SUMMARY, CITIZENSHIPS, PASSPORT_NUMBER, EVIDENCE_DESCRIPTION, RECIPIENT_NAME):
        assert shown in text, shown
    for left_out in UNCHOSEN:
        assert left_out not in text, left_out
    assert files[f"evidence/evidence-{evidence.pk}.png"].startswith(b"\x89PNG")
    readme = files["README.txt"].decode()
    assert "referral.txt" in readme
    assert f"evidence/evidence-{evidence.pk}.png" in readme


def test_it_puts_exactly_the_chosen_pieces_on_the_printable_page(world):
    house = household(world)
    chosen = keys(house)
    package = make(world, house, [chosen["citizenships"], chosen["document"]], "print")
    assert package.archive is None
    shown = {piece.key for group in package.groups for piece in group.pieces}
    assert shown == {chosen["citizenships"], chosen["document"]}
    assert package.files == []


def test_it_audits_the_recipient_consent_format_and_contents_by_ids_only(world):
    house = household(world)
    chosen = keys(house)
    evidence = EvidenceFile.objects.get(case=house.case)
    document = TravelDocument.objects.get(case=house.case)
    make(world, house, [chosen["summary"], chosen["citizenships"], chosen["evidence"]])
    make(world, house, [chosen["document"]], "print")
    archive_event, print_event = package_events().order_by("pk")
    assert archive_event.detail == (
        f"consent #{house.consent.pk} to unhcr, archive: "
        f"person #{house.main.pk} summary,citizenships; evidence #{evidence.pk}"
    )
    assert print_event.detail == (
        f"consent #{house.consent.pk} to unhcr, print: travel document #{document.pk}"
    )
    assert archive_event.target_ref == str(house.case.pk)
    every_detail = " ".join(AuditEvent.objects.values_list("detail", flat=True))
    for value in (SUMMARY, CITIZENSHIPS, EVIDENCE_DESCRIPTION, PASSPORT_NUMBER, PASSPHRASE):
        assert value not in every_detail
    for value in (RECIPIENT_NAME, RECIPIENT_CONTACT, HOW_GIVEN):
        assert value not in every_detail


def test_it_makes_an_archive_only_the_passphrase_opens(world):
    house = household(world)
    package = make(world, house, [keys(house)["summary"]])
    assert SUMMARY.encode() not in package.archive
    assert "referral.txt".encode("utf-16-le") not in package.archive  # names encrypted too
    assert not opens_with(package.archive, "sentinel-pass ochre lantern marsh quilt")
    assert opens_with(package.archive, PASSPHRASE)
    with (
        pytest.raises(py7zr.exceptions.PasswordRequired),
        py7zr.SevenZipFile(io.BytesIO(package.archive), "r"),
    ):
        pass


def test_it_refuses_a_withdrawn_or_forged_consent(world):
    house = household(world)
    summary = keys(house)["summary"]
    ReferralConsent.objects.filter(pk=house.consent.pk).update(recipient_kind="government")
    with pytest.raises(CaseActionRefused, match="withdrawn or does not match"):
        make(world, house, [summary], consent=ReferralConsent.objects.get(pk=house.consent.pk))
    ReferralConsent.objects.filter(pk=house.consent.pk).update(recipient_kind="unhcr")
    do_withdraw_referral_consent(house.consent, **worker(world))
    with pytest.raises(CaseActionRefused, match="withdrawn or does not match"):
        make(world, house, [summary])
    assert not package_events().exists()


def test_it_refuses_another_cases_consent(world):
    house = household(world)
    other = assigned_case(world)
    elsewhere = consent(world, other)
    with pytest.raises(CaseActionRefused):
        make(world, house, [keys(house)["summary"]], consent=elsewhere)
    assert not package_events().exists()


def test_it_refuses_a_household_members_details_without_their_own_consent(world):
    house = household(world)
    second = keys(house)["second"]
    with pytest.raises(CaseActionRefused, match="has not agreed"):
        make(world, house, [second])
    consent(world, house.case, person=house.second, recipient_name="Another UNHCR office")
    with pytest.raises(CaseActionRefused, match="has not agreed"):
        make(world, house, [second])
    consent(world, house.case, person=house.second, recipient_name=RECIPIENT_NAME.upper())
    package = make(world, house, [second])
    assert SECOND_SITUATION in opened_archive(package.archive)["referral.txt"].decode()
    assert package_events().count() == 1


def test_it_refuses_a_piece_of_a_person_or_row_not_of_the_case(world):
    house = household(world)
    other = household(world)
    for foreign in (
        f"person-{other.main.pk}-summary",
        f"evidence-{EvidenceFile.objects.get(case=other.case).pk}",
        "person-999999-summary",
        "anything",
    ):
        with pytest.raises(CaseActionRefused, match="not of this case"):
            make(world, house, [keys(house)["summary"], foreign])
    assert not package_events().exists()


@pytest.mark.parametrize(
    "passphrase",
    ["", "short phrase", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababab", TEST_PASSWORD],
)
def test_it_refuses_a_weak_passphrase_or_the_actors_own_password(world, passphrase):
    house = household(world)
    with pytest.raises(CaseActionRefused):
        make(world, house, [keys(house)["summary"]], passphrase=passphrase)
    assert not package_events().exists()


def test_it_refuses_an_empty_choice_or_an_unknown_format(world):
    house = household(world)
    with pytest.raises(CaseActionRefused, match="Choose what goes"):
        make(world, house, [])
    with pytest.raises(CaseActionRefused):
        make(world, house, [keys(house)["summary"]], "email")
    assert not package_events().exists()
