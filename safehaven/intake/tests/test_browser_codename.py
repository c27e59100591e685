"""On a 360x740 phone, in Persian and Russian: the receipt never shows a codename word that
would be evidence on a paper, and a codename drawn before such words were taken out still opens
the status page.

The draw is steered towards dangerous words: with them in the list (before issue 16) the receipt
showed them; now they cannot be drawn.
"""

from types import SimpleNamespace
from unittest import mock

import pytest

from safehaven.core.tests.test_browser_landing import refuse_other_origins
from safehaven.intake.codename_words import read_removals
from safehaven.intake.tests.helpers import submit_request
from safehaven.intake.tests.test_browser_status import open_the_status_page, send_a_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PHONE_LANGUAGES = pytest.mark.parametrize("language", ["fa", "ru"])
DANGEROUS = ("islamist", "unwomanly", "safehouse", "passport", "police", "husband", "prison")


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def steered_towards_danger() -> SimpleNamespace:
    """A stand-in for ``secrets`` whose ``choice`` takes a dangerous word whenever the pool
    holds one, and the pool's first word otherwise."""
    left = list(DANGEROUS)

    def choice(pool):
        for word in left:
            if word in pool:
                left.remove(word)
                return word
        return pool[0]

    return SimpleNamespace(choice=choice)


@PHONE_LANGUAGES
def test_it_never_puts_a_dangerous_word_on_the_receipt(phone, live_server, world, language):
    refuse_other_origins(phone, live_server.url)
    page = phone.new_page()
    with mock.patch("safehaven.intake.codename.secrets", steered_towards_danger()):
        codename = send_a_request(page, live_server.url, language)
    words = codename.split()
    assert len(words) == 7
    assert not set(words) & set(read_removals()), codename
    open_the_status_page(page, live_server.url, language, codename)


@PHONE_LANGUAGES
def test_it_opens_a_codename_drawn_before_its_words_were_taken_out(
    phone, live_server, world, language
):
    old = " ".join(DANGEROUS)
    with mock.patch("safehaven.intake.submission.actions.new_codename", return_value=old):
        submit_request()
    refuse_other_origins(phone, live_server.url)
    page = phone.new_page()
    open_the_status_page(page, live_server.url, language, old.upper())
