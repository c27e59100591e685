"""The public page of an open crisis: its name, its places in the page's language, the
landing page's safety advice and the request form in the same language; no login, no cookie;
404 for a crisis unknown, ended or not begun; the administrators' list gives its addresses."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from safehaven.core.tests.test_public_pages import assert_protective_headers
from safehaven.countries.models import Country
from safehaven.intake.tests.test_request_place import record_crisis

pytestmark = pytest.mark.django_db


def page_url(crisis_id: int, language: str = "en") -> str:
    with override(language):
        return reverse("countries-show-crisis-page", kwargs={"crisis_id": crisis_id})


def test_it_points_the_people_of_the_crisis_to_the_request_form_without_a_cookie(world):
    crisis = record_crisis(world, "RU", regions=["RU-CE"])
    response = Client().get(page_url(crisis.pk))
    assert response.status_code == 200
    assert_protective_headers(response)
    assert not response.cookies
    page = response.content.decode()
    assert "<h1>Crisis in RU</h1>" in page
    assert "People in or from Chechnya (Russia) who are in danger" in page
    assert 'href="/en/help/" id="crisis-ask"' in page
    assert "How to ask for help safely" in page
    assert "press Quick exit" in page
    # Its own address in every other public language, to pass on.
    for language in ("ru", "ar", "fr", "es", "fa"):
        assert f'href="/{language}/crisis/{crisis.pk}/"' in page
    # The tab and the history keep the site's neutral title.
    assert "<title>Information</title>" in page


def test_it_names_the_places_and_links_the_form_in_the_page_s_language(world):
    chechnya = record_crisis(world, "RU", regions=["RU-CE"])
    page = Client().get(page_url(chechnya.pk, "ru")).content.decode()
    assert 'lang="ru"' in page
    assert "Россия" in page
    assert 'href="/ru/help/" id="crisis-ask"' in page
    assert f'href="/fa/crisis/{chechnya.pk}/"' in page
    afghanistan = record_crisis(world, "AF")
    page = Client().get(page_url(afghanistan.pk, "fa")).content.decode()
    assert 'dir="rtl"' in page
    assert "افغانستان" in page
    assert 'href="/fa/help/" id="crisis-ask"' in page


def test_it_names_several_countries_as_the_language_lists_them(world):
    crisis = record_crisis(world, "TJ")
    crisis.countries.add(Country.objects.get(pk="AF"), Country.objects.get(pk="IR"))
    page = Client().get(page_url(crisis.pk)).content.decode()
    assert "People in or from Afghanistan, Iran, and Tajikistan who" in page
    page = Client().get(page_url(crisis.pk, "ru")).content.decode()
    assert "Афганистан, Иран и Таджикистан" in page


@pytest.mark.parametrize(("starts", "ends"), [(-10, -1), (1, None)])
def test_it_answers_404_for_a_crisis_ended_or_not_begun(world, starts, ends):
    crisis = record_crisis(world, "RU", starts=starts, ends=ends)
    assert Client().get(page_url(crisis.pk)).status_code == 404


@pytest.mark.parametrize("crisis_id", [999999, 0, 10**30])
def test_it_answers_404_for_an_unknown_crisis(db, crisis_id):
    response = Client().get(f"/en/crisis/{crisis_id}/")
    assert response.status_code == 404
    assert not response.cookies


def test_it_shows_the_last_day_and_refuses_posts(world):
    crisis = record_crisis(world, "RU", starts=-10, ends=0)
    client = Client()
    assert client.get(page_url(crisis.pk)).status_code == 200
    assert client.head(page_url(crisis.pk)).status_code == 200
    assert client.post(page_url(crisis.pk)).status_code == 405
    assert client.put(page_url(crisis.pk)).status_code == 405


def test_it_escapes_the_name_an_administrator_typed(world):
    crisis = record_crisis(world, "RU")
    crisis.name = '<script>alert("x")</script>'
    crisis.save()
    page = Client().get(page_url(crisis.pk)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_it_lists_the_public_addresses_of_open_crises_only(world, staff_client):
    open_crisis = record_crisis(world, "RU")
    ended = record_crisis(world, "KG", starts=-10, ends=-1)
    page = staff_client("admin").get(reverse("countries-list-crises")).content.decode()
    for language in ("en", "ru", "fa"):
        assert f"http://testserver/{language}/crisis/{open_crisis.pk}/" in page
    assert f"/crisis/{ended.pk}/" not in page
