"""Public pages ask the browser not to keep what is typed into them (SECURITY.md, T7).

A browser's form history (Firefox's formhistory.sqlite, Chrome's autofill) outlives
Clear-Site-Data and quick exit: on a seized phone it would show a region, visas, a referral
code, the times it is safe to call. Every form of the requester's pages, and every box one
types into, says ``autocomplete="off"``.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client

from safehaven.intake.tests.helpers import (
    CONTACTS_URL,
    MESSAGE_URL,
    SHOW_STATUS_URL,
    STATUS_URL,
    WITHDRAW_URL,
    valid_post,
)

pytestmark = pytest.mark.django_db
HELP_URL = "/en/help/"
# Input types a browser never puts in its form history.
NOT_TYPED_INTO = frozenset({"hidden", "submit", "checkbox", "radio", "button", "image", "reset"})


class _Remembered(HTMLParser):
    """Collects the forms and typed-into boxes of a page that lack autocomplete="off"."""

    def __init__(self) -> None:
        super().__init__()
        self.forms = 0
        self.boxes = 0
        self.remembered: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms += 1
        elif tag == "textarea" or (
            tag == "input" and (attributes.get("type") or "text").lower() not in NOT_TYPED_INTO
        ):
            self.boxes += 1
        else:
            return
        if attributes.get("autocomplete") != "off":
            self.remembered.append(f"<{tag} {attributes}>")


def assert_nothing_remembered(response, *, forms: int, boxes: int) -> None:
    """Every form and box of the page has autocomplete="off"; ``forms`` and ``boxes`` say
    how many the page has (at least), so a page that lost its form cannot pass."""
    assert response.status_code == 200, response.content.decode()[:2000]
    parser = _Remembered()
    parser.feed(response.content.decode())
    parser.close()
    assert parser.remembered == []
    assert parser.forms >= forms
    assert parser.boxes >= boxes


@pytest.mark.parametrize("language", ["en", "ar", "fa", "ru"])
def test_it_asks_the_browser_to_forget_the_help_form(client: Client, language: str):
    response = client.get(f"/{language}/help/")
    # situation, region, language_other, six contact ways, contact_times, companions, visas,
    # referral_code, the two phrases.
    assert_nothing_remembered(response, forms=1, boxes=15)


def test_it_asks_the_browser_to_forget_the_help_form_shown_again_with_errors(client: Client):
    posted = valid_post(
        consent=None,
        region="Sentinel region",
        language_other="Sentinel language",
        companions="2",
        visas="Sentinel visa",
        referral_code="SENTINEL-1",
        contact_times="Sentinel evenings",
    )
    response = client.post(HELP_URL, posted)
    assert "Please tick this box to send your request." in response.content.decode()
    assert_nothing_remembered(response, forms=1, boxes=15)


def test_it_asks_the_browser_to_forget_the_codename_page(client: Client):
    assert_nothing_remembered(client.get(STATUS_URL), forms=1, boxes=2)


def test_it_asks_the_browser_to_forget_the_codename_page_shown_again(client: Client):
    response = client.post(STATUS_URL, {"codename": "too few words"})
    assert "A codename has seven words." in response.content.decode()
    assert_nothing_remembered(response, forms=1, boxes=2)


def test_it_asks_the_browser_to_forget_a_message_carried_through_the_codename_page(
    client: Client,
):
    # A message posted after the page closed comes back in the codename page.
    response = client.post(MESSAGE_URL, {"body": "Sentinel message"})
    assert "Sentinel message" in response.content.decode()
    assert_nothing_remembered(response, forms=1, boxes=3)


def test_it_asks_the_browser_to_forget_the_status_page(requester: Client):
    # The message form and the Leave button's form.
    assert_nothing_remembered(requester.get(SHOW_STATUS_URL), forms=2, boxes=1)


def test_it_asks_the_browser_to_forget_a_message_shown_again(requester: Client):
    response = requester.post(MESSAGE_URL, {"body": "bell\x07"})
    assert "invisible control characters" in response.content.decode()
    assert_nothing_remembered(response, forms=2, boxes=1)


def test_it_asks_the_browser_to_forget_the_contact_details_page(requester: Client):
    # Six contact ways and the times.
    assert_nothing_remembered(requester.get(CONTACTS_URL), forms=1, boxes=7)


def test_it_asks_the_browser_to_forget_contact_details_shown_again(requester: Client):
    response = requester.post(
        CONTACTS_URL, {"contact_times": "Sentinel evenings", "may_leave_message": "no"}
    )
    assert "Please give at least one safe way to reach you." in response.content.decode()
    assert_nothing_remembered(response, forms=1, boxes=7)


def test_it_asks_the_browser_to_forget_the_withdraw_page(requester: Client):
    assert_nothing_remembered(requester.get(WITHDRAW_URL), forms=1, boxes=0)
