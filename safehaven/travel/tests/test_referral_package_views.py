"""The referral pages with real logins: the panel, recording and withdrawing a consent, the
package page behind a fresh password *and* a fresh second factor, and the package itself as a
printable page or an encrypted archive."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse

from safehaven.accounts.seed import current_totp
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.cases.models import EvidenceFile
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.models import ReferralConsent
from safehaven.travel.tests.referral_helpers import (
    CONTACTS,
    EVIDENCE_DESCRIPTION,
    PASSPHRASE,
    RECIPIENT_NAME,
    REGION,
    SECOND_SITUATION,
    SUMMARY,
    household,
    mark_fresh,
    opened_archive,
)

# A transactional test elsewhere may have flushed the countries a travel document names.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("country_facts")]


def package_url(house) -> str:
    return reverse(
        "travel-make-referral-package",
        kwargs={"case_id": house.case.pk, "consent_id": house.consent.pk},
    )


def case_url(case) -> str:
    return reverse("cases-show-case", kwargs={"case_id": case.pk})


def fresh_client(world, *methods: str):
    client = staff_client_with_keys(world, "caseworker")
    mark_fresh(client, world.users["caseworker"], *methods)
    return client


class PieceParser(HTMLParser):
    """The pieces and files a printable package shows, by their keys."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.files: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("data-piece"):
            self.pieces.append(str(found["data-piece"]))
        if found.get("data-file"):
            self.files.append(str(found["data-file"]))
        if tag == "script":
            self.scripts += 1


def test_it_shows_the_consents_and_records_and_withdraws_one_from_the_panel(world):
    house = household(world)
    client = staff_client_with_keys(world, "caseworker")
    html = client.get(case_url(house.case)).content.decode()
    assert RECIPIENT_NAME in html
    assert package_url(house) in html
    response = client.post(
        reverse("travel-record-referral-consent", kwargs={"case_id": house.case.pk}),
        {
            "person": house.second.pk,
            "recipient_kind": "sponsor_group",
            "recipient_name": "Sentinel Harbourlight sponsors",
            "recipient_contact": "by hand",
            "how_given": "in writing",
            "note": "",
        },
    )
    assert response.status_code == 302
    made = ReferralConsent.objects.get(person=house.second)
    assert made.recipient_kind == "sponsor_group"
    withdraw = reverse(
        "travel-withdraw-referral-consent",
        kwargs={"case_id": house.case.pk, "consent_id": made.pk},
    )
    assert client.post(withdraw).status_code == 302
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    html = client.get(case_url(house.case)).content.decode()
    assert "Sentinel Harbourlight sponsors" in html
    assert withdraw not in html


def test_it_shows_an_incomplete_consent_form_again_with_its_errors(world):
    house = household(world)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(
        reverse("travel-record-referral-consent", kwargs={"case_id": house.case.pk}),
        {"person": house.main.pk, "recipient_kind": "unhcr", "how_given": "Sentinel-typed"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the recipient&#x27;s name." in html
    assert "Sentinel-typed" in html  # what was typed is kept
    assert ReferralConsent.objects.count() == 1


@pytest.mark.parametrize(
    ("fresh", "sent_to"),
    [
        ((), "/accounts/reauthenticate/"),
        (("mfa",), "/accounts/reauthenticate/"),
        (("password",), "/accounts/2fa/reauthenticate/"),
    ],
)
def test_it_asks_for_both_factors_again_before_the_package_page(world, fresh, sent_to):
    house = household(world)
    client = fresh_client(world, *fresh)
    for response in (client.get(package_url(house)), client.post(package_url(house), {})):
        assert response.status_code == 302
        assert sent_to in response["Location"]
        assert "next=" + package_url(house).replace("/", "%2F") in response["Location"]


def test_it_counts_a_factor_checked_too_long_ago_as_not_checked(world, settings):
    house = household(world)
    client = fresh_client(world, "password", "mfa")
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    response = client.get(package_url(house))
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]


def test_it_goes_through_allauths_own_pages_for_both_factors(world):
    house = household(world)
    client = staff_client_with_keys(world, "caseworker")
    first = client.get(package_url(house))
    assert "/accounts/reauthenticate/" in first["Location"]
    back = client.post(first["Location"], {"password": TEST_PASSWORD})
    assert back.status_code == 302
    assert back["Location"] == package_url(house)
    second = client.get(package_url(house))
    assert "/accounts/2fa/reauthenticate/" in second["Location"]
    code = current_totp(world.totp_secrets["caseworker"])
    cache.clear()  # the login spent this period's code: allauth refuses a code seen twice
    assert client.post(second["Location"], {"code": code})["Location"] == package_url(house)
    page = client.get(package_url(house))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Make the package" in html
    assert " checked" not in html  # nothing is chosen for the caseworker


def test_it_lists_what_can_go_in_without_choosing_any(world):
    house = household(world)
    html = fresh_client(world, "password", "mfa").get(package_url(house)).content.decode()
    for key in (f"person-{house.main.pk}-summary", f"person-{house.second.pk}-summary"):
        assert f'value="{key}"' in html
    assert EVIDENCE_DESCRIPTION in html  # to tell files apart
    assert SUMMARY not in html  # a person's details are named, not shown
    assert not re.search(r"\bchecked\b", html)


def test_it_answers_a_printable_page_with_exactly_the_chosen_pieces(world):
    house = household(world)
    client = fresh_client(world, "password", "mfa")
    evidence = EvidenceFile.objects.get(case=house.case)
    chosen = [f"person-{house.main.pk}-summary", f"evidence-{evidence.pk}"]
    response = client.post(package_url(house), {"pieces": chosen, "package_format": "print"})
    assert response.status_code == 200
    html = response.content.decode()
    parser = PieceParser()
    parser.feed(html)
    assert parser.pieces == chosen
    assert parser.files == [f"evidence-{evidence.pk}"]
    assert parser.scripts == 0
    assert escape(SUMMARY) in html
    assert RECIPIENT_NAME in html
    for left_out in (REGION, CONTACTS, SECOND_SITUATION):
        assert left_out not in html
    assert "no-store" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "img-src data:" in policy
    assert "script-src" not in policy
    assert "travel/referral_print" in html
    assert RECIPIENT_NAME not in html.split("</title>")[0]  # the tab names no one
    assert AuditEvent.objects.filter(event_type=EventType.REFERRAL_PACKAGE_MADE).count() == 1


def test_it_answers_an_encrypted_archive_as_an_attachment(world):
    house = household(world)
    client = fresh_client(world, "password", "mfa")
    chosen = [f"person-{house.main.pk}-summary", f"person-{house.main.pk}-region"]
    response = client.post(
        package_url(house),
        {
            "pieces": chosen,
            "package_format": "archive",
            "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE,
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-7z-compressed"
    assert response["Content-Disposition"].startswith('attachment; filename="referral-')
    assert "no-store" in response["Cache-Control"]
    text = opened_archive(response.content)["referral.txt"].decode()
    assert SUMMARY in text
    assert REGION in text
    assert CONTACTS not in text
    assert SECOND_SITUATION not in text


def test_it_shows_the_form_again_without_the_passphrase_when_it_is_refused(world):
    house = household(world)
    client = fresh_client(world, "password", "mfa")
    chosen = [f"person-{house.main.pk}-summary"]
    weak = "Sentinel-weak"
    for passphrase, again in ((weak, weak), (PASSPHRASE, PASSPHRASE + "!")):
        response = client.post(
            package_url(house),
            {
                "pieces": chosen,
                "package_format": "archive",
                "passphrase": passphrase,
                "passphrase_again": again,
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert passphrase not in html
        assert "Make the package" in html
    assert not AuditEvent.objects.filter(event_type=EventType.REFERRAL_PACKAGE_MADE).exists()


def test_it_refuses_another_household_members_details_on_the_form(world):
    house = household(world)
    client = fresh_client(world, "password", "mfa")
    response = client.post(
        package_url(house),
        {"pieces": [f"person-{house.second.pk}-summary"], "package_format": "print"},
    )
    assert response.status_code == 200
    assert "has not agreed to share with this recipient" in response.content.decode()
    assert SECOND_SITUATION not in response.content.decode()


def test_it_sends_a_withdrawn_consent_back_to_the_case(world):
    house = household(world)
    client = fresh_client(world, "password", "mfa")
    withdraw = reverse(
        "travel-withdraw-referral-consent",
        kwargs={"case_id": house.case.pk, "consent_id": house.consent.pk},
    )
    client.post(withdraw)
    for response in (
        client.get(package_url(house)),
        client.post(package_url(house), {"pieces": [], "package_format": "print"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == case_url(house.case)
    assert not AuditEvent.objects.filter(event_type=EventType.REFERRAL_PACKAGE_MADE).exists()


def test_it_keeps_nothing_of_a_post_that_comes_too_late(world):
    house = household(world)
    client = fresh_client(world, "password")
    response = client.post(
        package_url(house),
        {
            "pieces": [f"person-{house.main.pk}-summary"],
            "package_format": "archive",
            "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE,
        },
    )
    assert response.status_code == 302
    session = client.session
    assert PASSPHRASE not in repr(dict(session.items()))
    assert "summary" not in repr(dict(session.items()))
    assert not AuditEvent.objects.filter(event_type=EventType.REFERRAL_PACKAGE_MADE).exists()


def test_it_hides_the_package_of_another_cases_consent(world):
    house = household(world)
    other = household(world)
    client = fresh_client(world, "password", "mfa")
    url = reverse(
        "travel-make-referral-package",
        kwargs={"case_id": house.case.pk, "consent_id": other.consent.pk},
    )
    assert client.get(url).status_code == 404


def test_it_warns_of_a_consent_that_does_not_match_its_seal_and_offers_nothing_for_it(world):
    house = household(world)
    ReferralConsent.objects.filter(pk=house.consent.pk).update(recipient_kind="government")
    html = staff_client_with_keys(world, "caseworker").get(case_url(house.case)).content.decode()
    assert "1 consent does not match its seal" in html
    assert RECIPIENT_NAME not in html
    assert package_url(house) not in html
