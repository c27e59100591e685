import pytest
from django.urls import reverse
from django.utils import timezone

from safehaven.core.models import AuditEvent
from safehaven.countries.tests.helpers import current_fact
from safehaven.keys.models import UserKeyPair

STAFF = ["admin", "triage", "caseworker", "supervisor", "finance", "advocacy", "interpreter"]


@pytest.mark.parametrize("role", [*STAFF, "partner_a"])
def test_it_shows_the_country_pages_to_anyone_with_a_role(staff_client, role):
    client = staff_client(role)
    assert client.get(reverse("countries-list-countries")).status_code == 200
    page = client.get(reverse("countries-show-country", args=["RU"]))
    assert page.status_code == 200
    assert "Chechnya" in page.content.decode()


def test_it_asks_for_a_login(client, world):
    response = client.get(reverse("countries-list-countries"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_filters_the_criminalising_countries(staff_client):
    client = staff_client("triage")
    page = client.get(reverse("countries-list-countries"), {"criminalising": "on"}).content
    assert b"Iran" in page
    assert b"Germany" not in page
    assert b"Germany" in client.get(reverse("countries-list-countries")).content


def test_it_shows_a_countrys_history(staff_client):
    page = staff_client("caseworker").get(reverse("countries-show-country", args=["bt"]))
    text = page.content.decode()
    assert "2021-02-16" in text
    assert "2021-02-17" in text


def test_it_answers_404_for_an_unknown_country(staff_client):
    response = staff_client("triage").get(reverse("countries-show-country", args=["QQ"]))
    assert response.status_code == 404


def test_it_shows_the_figures_of_a_chosen_year(staff_client):
    client = staff_client("advocacy")
    text = client.get(reverse("countries-show-figures"), {"year": "2020"}).content.decode()
    assert '<dd id="figure-criminalising">69</dd>' in text
    assert '<dd id="figure-death-in-force">6</dd>' in text
    text = client.get(reverse("countries-show-figures"), {"year": "2024"}).content.decode()
    assert '<dd id="figure-criminalising">62</dd>' in text


def test_it_refuses_a_year_in_the_future_with_a_message(staff_client):
    response = staff_client("triage").get(reverse("countries-show-figures"), {"year": "3000"})
    assert "Choose this year or an earlier one." in response.content.decode()


@pytest.mark.parametrize("role", ["triage", "caseworker", "supervisor", "partner_a"])
def test_it_refuses_a_fact_change_to_anyone_but_an_administrator(staff_client, role):
    url = reverse("countries-change-fact", args=[current_fact("GH").pk])
    client = staff_client(role)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_it_lets_an_administrator_change_a_fact(staff_client):
    fact = current_fact("GH")
    response = staff_client("admin").post(
        reverse("countries-change-fact", args=[fact.pk]),
        {
            "value": "legal",
            "summary": "Struck down.",
            "source": "A court",
            "source_year": "2026",
            "valid_from": "2026-03-01",
        },
    )
    assert response.status_code == 302
    assert current_fact("GH").value == "legal"


def test_it_explains_a_refused_change(staff_client):
    fact = current_fact("GH")
    url = reverse("countries-change-fact", args=[fact.pk])
    data = {"value": "legal", "summary": "s", "source": "s", "source_year": "2020"}
    text = staff_client("admin").post(url, {**data, "valid_from": "2019-01-01"}).content.decode()
    assert "The change must start after the current fact" in text
    penalty = current_fact("GH", "max_penalty")
    url = reverse("countries-change-fact", args=[penalty.pk])
    text = (
        staff_client("admin")
        .post(url, {**data, "value": "prison", "valid_from": "2026-01-01"})
        .content.decode()
    )
    assert "Give the prison term in years." in text


def test_it_pretends_to_change_a_fact_in_a_duress_session_and_changes_nothing(world, staff_client):
    fact = current_fact("GH")
    # A duress login suspends the key pair; every later session of the user is a duress one.
    UserKeyPair.objects.filter(user=world.users["admin"]).update(suspended_at=timezone.now())
    client = staff_client("admin")
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("countries-change-fact", args=[fact.pk]),
        {
            "value": "legal",
            "summary": "Struck down.",
            "source": "A court",
            "source_year": "2026",
            "valid_from": "2026-03-01",
        },
        follow=True,
    )
    assert "Fact changed; the previous one is kept in the history." in response.content.decode()
    assert current_fact("GH").pk == fact.pk
    assert current_fact("GH").value == fact.value
    assert AuditEvent.objects.count() == events
