"""The case page's advocacy panel and its forms, with the caseworker's real login: counting
the case, naming a consenting person, taking the case out (advocacy.inclusions and
advocacy.namings views)."""

import pytest
from django.urls import reverse

from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyNaming
from safehaven.advocacy.tests.helpers import case_url, draft, government_consent, include, url
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.tests.helpers import assigned_case, primary_person

pytestmark = pytest.mark.django_db
NAME = "Sentinel-Name Zaur Pelmarsh"


def case_page(client, case) -> str:
    response = client.get(reverse("cases-show-case", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_it_counts_names_and_takes_out_a_case_from_its_page(world):
    advocacy_request = draft(world)
    case = assigned_case(world)
    government_consent(world, case)
    client = staff_client_with_keys(world, "caseworker")
    html = case_page(client, case)
    assert 'id="advocacy"' in html
    assert "Urgent protection programme" in html
    response = client.post(
        case_url("advocacy-include-case", case), {"advocacy_request": advocacy_request.pk}
    )
    assert response.status_code == 302
    inclusion = AdvocacyInclusion.objects.get(case=case)
    name_url = case_url("advocacy-name-person", case, inclusion_id=inclusion.pk)
    form = client.get(name_url).content.decode()
    assert "Main person" in form
    person = primary_person(case)
    posted = {"person": person.pk, "name": NAME, "born_on": "1991-05-06", "nationality": "RU"}
    assert client.post(name_url, posted).status_code == 302
    naming = AdvocacyNaming.objects.get()
    assert naming.named_by == world.users["caseworker"]
    html = case_page(client, case)
    assert NAME in html
    assert url("advocacy-print-named-letter", advocacy_request) in html
    printed = client.get(url("advocacy-print-named-letter", advocacy_request)).content.decode()
    assert NAME in printed
    assert "Russia" in printed
    assert "1991-05-06" in printed
    remove_url = case_url("advocacy-remove-case", case, inclusion_id=inclusion.pk)
    assert client.post(remove_url).status_code == 302
    inclusion.refresh_from_db()
    assert inclusion.is_removed
    assert NAME not in case_page(client, case)


def test_it_says_when_nobody_consented_and_refuses_an_unknown_person(world):
    advocacy_request = draft(world)
    case = assigned_case(world)
    inclusion = include(case, advocacy_request)
    client = staff_client_with_keys(world, "caseworker")
    name_url = case_url("advocacy-name-person", case, inclusion_id=inclusion.pk)
    page = client.get(name_url).content.decode()
    assert "No one in this case has consented" in page
    assert "<form" not in page.split("<main")[1]
    posted = {"person": primary_person(case).pk, "name": NAME}
    response = client.post(name_url, posted)
    assert response.status_code == 200
    assert not AdvocacyNaming.objects.exists()


def test_it_shows_the_include_form_again_with_what_was_wrong(world):
    draft(world)
    case = assigned_case(world)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(case_url("advocacy-include-case", case), {"advocacy_request": "999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AdvocacyInclusion.objects.exists()


def test_it_shows_no_panel_without_a_request_to_offer(world):
    case = assigned_case(world)
    client = staff_client_with_keys(world, "caseworker")
    assert 'id="advocacy"' not in case_page(client, case)


def test_it_lets_a_supervisor_take_a_case_out_and_refuses_the_advocacy_role(world):
    case = assigned_case(world)
    inclusion = include(case, draft(world))
    supervisor = staff_client_with_keys(world, "supervisor")
    remove_url = case_url("advocacy-remove-case", case, inclusion_id=inclusion.pk)
    assert supervisor.post(remove_url).status_code == 302
    inclusion.refresh_from_db()
    assert inclusion.removed_by == world.users["supervisor"]
    officer = staff_client_with_keys(world, "advocacy")
    again = include(case, draft(world))
    for name in ("advocacy-remove-case", "advocacy-name-person"):
        target = case_url(name, case, inclusion_id=again.pk)
        assert officer.post(target).status_code == 403, name
    assert officer.get(case_url("advocacy-include-case", case)).status_code == 403
    assert officer.get(reverse("cases-show-case", kwargs={"case_id": case.pk})).status_code == 403
