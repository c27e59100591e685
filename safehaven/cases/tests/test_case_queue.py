"""The case queue: who sees which cases, the order by today's score, filters and pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import CaseAssignment
from safehaven.cases.queue.pages import PAGE_SIZE
from safehaven.cases.risk.waiting import waiting_points
from safehaven.cases.tests.helpers import bare_case

pytestmark = pytest.mark.django_db

URL = "/en/staff/cases/"


def listed(response) -> list[int]:
    return [case.pk for case in response.context["page"].object_list]


def test_it_adds_five_points_a_full_month_waiting_up_to_twenty():
    today = datetime.date(2026, 12, 7)
    assert waiting_points(datetime.date(2026, 12, 1), today) == 0
    assert waiting_points(datetime.date(2026, 11, 1), today) == 5
    assert waiting_points(datetime.date(2026, 9, 1), today) == 15
    assert waiting_points(datetime.date(2025, 1, 1), today) == 20
    assert waiting_points(datetime.date(2027, 1, 1), today) == 0


def test_it_sorts_by_the_stored_score_plus_the_waiting_term(world, staff_client):
    fresh_high = bare_case(world, risk_score=40)
    old_low = bare_case(world, risk_score=30, received_month=3)  # 30 + 15
    fresh_low = bare_case(world, risk_score=30)
    response = staff_client("triage").get(URL)
    assert response.status_code == 200
    assert listed(response) == [old_low.pk, fresh_high.pk, fresh_low.pk]
    assert "30 + 15 waiting" in response.content.decode()
    # Never stored: the row keeps the score it had.
    old_low.refresh_from_db()
    assert old_low.risk_score == 30


def test_it_filters_by_country_language_state_team_and_partner(world, staff_client):
    client = staff_client("supervisor")
    kg = bare_case(world, country="KG", languages=["ky", "ru"])
    ru = bare_case(world, country="RU", languages=["ru"])
    declined = bare_case(world, state=CaseState.DECLINED, languages=["en"])
    teamed = bare_case(world, team=world.teams["casework"])
    referred = bare_case(world, referred_by=world.partner_a)
    assert listed(client.get(URL, {"country": "KG"})) == [kg.pk]
    assert set(listed(client.get(URL, {"language": "ru"}))) >= {kg.pk, ru.pk}
    assert declined.pk not in listed(client.get(URL, {"language": "ru"}))
    assert listed(client.get(URL, {"state": CaseState.DECLINED})) == [declined.pk]
    assert listed(client.get(URL, {"team": world.teams["casework"].pk})) == [teamed.pk]
    assert listed(client.get(URL, {"partner": world.partner_a.pk})) == [referred.pk]


def test_it_pages_with_the_filters_kept_and_constant_queries(world, staff_client):
    client = staff_client("triage")
    for _number in range(PAGE_SIZE + 5):
        bare_case(world, country="KG")
    with CaptureQueriesContext(connection) as first:
        response = client.get(URL, {"country": "KG"})
    assert len(listed(response)) == PAGE_SIZE
    assert "country=KG&amp;page=2" in response.content.decode()
    for _number in range(3 * PAGE_SIZE):
        bare_case(world, country="KG")
    with CaptureQueriesContext(connection) as later:
        response = client.get(URL, {"country": "KG", "page": 3})
    assert len(listed(response)) == PAGE_SIZE
    assert len(later.captured_queries) == len(first.captured_queries)


def test_it_shows_a_caseworker_only_their_assigned_cases_without_bulk_actions(world, staff_client):
    mine = bare_case(world)
    bare_case(world)
    CaseAssignment.objects.create(
        case=mine, user=world.users["caseworker"], role=AssignmentRole.CASEWORKER
    )
    response = staff_client("caseworker").get(URL)
    assert response.status_code == 200
    assert listed(response) == [mine.pk]
    assert response.context["bulk_form"] is None
    assert 'name="case"' not in response.content.decode()


@pytest.mark.parametrize("role", ["partner_a", "finance", "advocacy", "admin", "interpreter"])
def test_it_refuses_the_queue_to_roles_without_cases(world, staff_client, role):
    assert staff_client(role).get(URL).status_code == 403


def test_it_refuses_bulk_actions_to_a_caseworker(world, staff_client):
    case = bare_case(world)
    response = staff_client("caseworker").post(
        URL, {"case": [case.pk], "action": "decline", "reason": "No."}
    )
    assert response.status_code == 403


def test_it_filters_by_crisis(world, staff_client):
    from safehaven.countries.models import Crisis

    crisis = Crisis.objects.create(
        name="Sentinel crackdown",
        starts_on=datetime.date(2026, 1, 1),
        created_by=world.users["admin"],
    )
    tagged = bare_case(world, crisis=crisis)
    bare_case(world)
    response = staff_client("triage").get(URL, {"crisis": crisis.pk})
    assert listed(response) == [tagged.pk]


def test_it_pages_in_the_same_order_as_sorting_every_case(world, staff_client):
    import random

    from safehaven.cases.models import Case
    from safehaven.cases.queue.pages import with_score_today
    from safehaven.core.coarse_time import this_hour

    rng = random.Random(3)
    for _number in range(2 * PAGE_SIZE + 17):
        bare_case(world, risk_score=5 * rng.randint(0, 20), received_month=rng.randint(0, 6))
    client = staff_client("triage")
    paged = []
    for number in (1, 2, 3):
        paged += listed(client.get(URL, {"page": number}))
    everything = with_score_today(Case.objects.all(), this_hour().date())
    assert paged == list(everything.values_list("pk", flat=True))
