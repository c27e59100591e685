"""The help form asks first what triage needs to act; the rest is folded, clearly optional,
and comes back open with everything typed when the page is shown again (issue 16)."""

import re

import pytest
from django.test import Client

from safehaven.intake.tests.helpers import valid_post

pytestmark = pytest.mark.django_db
URL = "/en/help/"
FOLDED = ("citizenships", "languages", "language_other", "companions", "passport", "visas")


def parts(html: str) -> tuple[str, str, str]:
    """The page before the folded part, the folded part, and the phrases' folded part."""
    before, rest = html.split('<details class="optional-part"', 1)
    optional, rest = rest.split("</details>", 1)
    phrases = rest.split('<details class="phrases-part"', 1)[1].split("</details>", 1)[0]
    return before, optional, phrases


def is_open(part: str) -> bool:
    return part.split(">", 1)[0].strip() == "open"


def test_it_asks_first_only_what_triage_needs():
    before, optional, phrases = parts(Client().get(URL).content.decode())
    for name in ("situation", "country", "region", "contact_signal", "may_leave_message"):
        assert f'name="{name}"' in before
    for name in FOLDED:
        assert f'name="{name}"' in optional
        assert f'name="{name}"' not in before
    assert 'name="checkin_phrase"' in phrases
    assert "Optional: you can add this now or later on your status page" in optional
    assert not is_open(optional)
    assert not is_open(phrases)


def test_it_asks_for_citizenships_without_ctrl_or_a_multiple_select():
    html = Client().get(URL).content.decode()
    assert "Ctrl" not in html
    assert "⌘" not in html
    assert re.search(r"<select[^>]*\bmultiple\b", html) is None
    assert html.count('<select name="citizenships"') == 2


def test_it_opens_the_folded_part_again_with_what_was_typed():
    typed = valid_post(consent=None, citizenships=["IR", "AF"], visas="Türkiye until May")
    html = Client().post(URL, typed).content.decode()
    _before, optional, phrases = parts(html)
    assert is_open(optional)
    assert not is_open(phrases)
    assert '<option value="IR" selected>' in optional
    assert '<option value="AF" selected>' in optional
    assert "Türkiye until May" in optional


def test_it_opens_the_folded_part_that_holds_a_problem():
    posted = valid_post(duress_phrase="quiet stone", citizenships=None, languages=None)
    html = Client().post(URL, posted).content.decode()
    _before, optional, phrases = parts(html)
    assert is_open(phrases)
    assert 'href="#id_checkin_phrase"' in html.split("data-error-summary")[1]
    assert not is_open(optional)
