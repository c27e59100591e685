"""The page on clearing this site from a browser: public, in every language, neutral."""

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_it_shows_the_clearing_help_to_anyone_without_a_cookie(db, language):
    response = Client().get(f"/{language}/clear/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.cookies == {}
    assert 'id="clear-android"' in html
    assert 'id="clear-private"' in html
    assert 'href="/exit"' in html


def test_it_links_the_clearing_help_from_every_public_footer(db):
    html = Client().get("/fa/").content.decode()
    assert 'href="/fa/clear/"' in html
    assert "<noscript><p>" in html
