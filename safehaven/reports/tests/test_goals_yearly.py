"""Yearly goals: an administrator sets or changes the organisation's goal for a year, within
the years and sizes allowed; one audit event each; a coerced administrator changes nothing."""

import pytest
from django.utils import timezone

from safehaven.accounts.actions import ActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import UserKeyPair
from safehaven.reports.goals.actions import do_set_yearly_goal
from safehaven.reports.models import YearlyGoal
from safehaven.reports.tests.goals_helpers import GOALS_URL, events

pytestmark = pytest.mark.django_db


def test_it_creates_then_changes_a_years_goal_with_one_event_each(world):
    admin = world.users["admin"]
    do_set_yearly_goal(world.organisation, 2017, 100, actor=admin)
    goal = do_set_yearly_goal(world.organisation, 2017, 120, actor=world.users["admin2"])
    assert list(YearlyGoal.objects.values_list("year", "relocations")) == [(2017, 120)]
    assert goal.set_by == world.users["admin2"]
    recorded = events(EventType.YEARLY_GOAL_SET)
    assert [event.detail for event in recorded] == [
        "year=2017 relocations=100",
        "year=2017 relocations=120",
    ]
    assert recorded[0].organisation_id == world.organisation.pk


@pytest.mark.parametrize(
    ("year", "relocations"),
    [(1999, 10), (None, 10), (2017, 0), (2017, 1_000_001)],
)
def test_it_refuses_years_and_sizes_out_of_range(world, year, relocations):
    next_year = timezone.localdate().year + 1
    year = next_year + 1 if year is None else year
    with pytest.raises(ActionRefused):
        do_set_yearly_goal(world.organisation, year, relocations, actor=world.users["admin"])
    assert not YearlyGoal.objects.exists()
    assert not events(EventType.YEARLY_GOAL_SET)


def test_it_accepts_next_year_and_the_edges(world):
    next_year = timezone.localdate().year + 1
    do_set_yearly_goal(world.organisation, next_year, 1_000_000, actor=world.users["admin"])
    do_set_yearly_goal(world.organisation, 2000, 1, actor=world.users["admin"])
    assert YearlyGoal.objects.count() == 2


def test_the_page_lists_goals_and_sets_one(world, staff_client):
    client = staff_client("admin")
    response = client.post(GOALS_URL, {"year": "2017", "relocations": "100"}, follow=True)
    assert "Goal saved." in response.content.decode()
    assert YearlyGoal.objects.get(organisation=world.organisation, year=2017).relocations == 100
    page = client.get(GOALS_URL).content.decode()
    assert 'id="goal-2017"' in page


def test_the_page_shows_field_errors_for_bad_input(world, staff_client):
    client = staff_client("admin")
    next_year = timezone.localdate().year + 1
    for data in (
        {"year": str(next_year + 1), "relocations": "5"},
        {"year": "2017", "relocations": "-3"},
        {"year": "soon", "relocations": "many"},
    ):
        response = client.post(GOALS_URL, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not YearlyGoal.objects.exists()


@pytest.mark.parametrize("role", ["triage", "supervisor", "advocacy", "finance", "partner_a"])
def test_other_roles_may_not_set_goals(world, staff_client, role):
    client = staff_client(role)
    assert client.post(GOALS_URL, {"year": "2017", "relocations": "100"}).status_code == 403
    assert not YearlyGoal.objects.exists()


def test_a_coerced_administrator_is_told_it_is_saved_and_nothing_changes(world, staff_client):
    # A duress login suspends the key pair; every later session of the user is a duress one.
    UserKeyPair.objects.filter(user=world.users["admin"]).update(suspended_at=timezone.now())
    client = staff_client("admin")
    before = AuditEvent.objects.count()
    response = client.post(GOALS_URL, {"year": "2017", "relocations": "100"}, follow=True)
    assert "Goal saved." in response.content.decode()
    assert not YearlyGoal.objects.exists()
    assert AuditEvent.objects.count() == before
