"""The historical total pages: an administrator records a total (its refusals explained on
the form), sees it listed and removes it; another organisation's total is 404; other roles
403; a coerced administrator is told it was done and nothing changes."""

import datetime

import pytest
from django.utils import timezone

from safehaven.core.models import AuditEvent
from safehaven.keys.models import UserKeyPair
from safehaven.reports.choices import Measure
from safehaven.reports.goals.actions import do_record_historical_total
from safehaven.reports.models import HistoricalTotal
from safehaven.reports.tests.goals_helpers import GOALS_URL, NEW_TOTAL_URL, counted_case, remove_url

pytestmark = pytest.mark.django_db

D = datetime.date


def form_data(**overrides):
    data = {
        "measure": "relocated",
        "people": "81",
        "period_start": "2016-01-01",
        "period_end": "2016-12-31",
        "country": "",
        "source": "Annual report 2016",
    }
    data.update(overrides)
    return data


def a_total(world, organisation=None, **overrides):
    values = {
        "measure": Measure.RELOCATED,
        "people": 81,
        "period_start": D(2016, 1, 1),
        "period_end": D(2016, 12, 31),
        "source": "Annual report 2016",
        "actor": world.users["admin"],
    }
    values.update(overrides)
    return do_record_historical_total(organisation or world.organisation, **values)


def test_it_records_a_total_and_lists_it(world, staff_client):
    client = staff_client("admin")
    page = client.get(NEW_TOTAL_URL).content.decode()
    assert "must never name or describe a person" in page
    response = client.post(NEW_TOTAL_URL, form_data(country="RU"), follow=True)
    assert "Historical total recorded." in response.content.decode()
    total = HistoricalTotal.objects.get()
    assert (total.people, total.country, total.organisation) == (81, "RU", world.organisation)
    listed = client.get(GOALS_URL).content.decode()
    assert f'id="historical-total-{total.pk}"' in listed
    assert "Annual report 2016" in listed


def test_it_explains_each_refusal_on_the_form(world, staff_client):
    counted_case(world, D(2016, 3, 1), arrived_month=D(2016, 11, 1))
    client = staff_client("admin")
    in_two_days = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    for data, words in (
        (form_data(period_end="2015-12-31"), "cannot end before it starts"),
        (form_data(period_start="2020-01-01", period_end=in_two_days), "cannot end in the future"),
        (form_data(), "count those people twice"),
    ):
        response = client.post(NEW_TOTAL_URL, data)
        assert response.status_code == 200
        assert words in response.content.decode()
    for bad in (form_data(people="0"), form_data(measure="money"), form_data(source="")):
        assert client.post(NEW_TOTAL_URL, bad).context["form"].errors
    assert not HistoricalTotal.objects.exists()


def test_it_removes_a_total_without_deleting_it(world, staff_client):
    total = a_total(world)
    response = staff_client("admin").post(remove_url(total.pk), follow=True)
    assert "Historical total removed." in response.content.decode()
    total.refresh_from_db()
    assert total.removed_at is not None
    assert total.removed_by == world.users["admin"]
    assert f'id="historical-total-{total.pk}"' not in response.content.decode()
    # Removed already: it is no longer there to remove.
    assert staff_client("admin").post(remove_url(total.pk)).status_code == 404


def test_another_organisations_total_is_not_found(world, staff_client):
    other = a_total(world, organisation=world.partner_a)
    client = staff_client("admin")
    assert client.post(remove_url(other.pk)).status_code == 404
    assert client.post(remove_url(999999)).status_code == 404
    assert f'id="historical-total-{other.pk}"' not in client.get(GOALS_URL).content.decode()
    other.refresh_from_db()
    assert other.removed_at is None


@pytest.mark.parametrize("role", ["triage", "supervisor", "advocacy", "caseworker", "partner_a"])
def test_other_roles_may_not_record_or_remove(world, staff_client, role):
    total = a_total(world)
    client = staff_client(role)
    assert client.get(NEW_TOTAL_URL).status_code == 403
    assert client.post(NEW_TOTAL_URL, form_data(period_start="2015-01-01")).status_code == 403
    assert client.post(remove_url(total.pk)).status_code == 403
    assert HistoricalTotal.objects.filter(removed_at__isnull=True).count() == 1


def test_removing_needs_a_post(world, staff_client):
    total = a_total(world)
    assert staff_client("admin").get(remove_url(total.pk)).status_code == 405


def test_a_coerced_administrator_records_and_removes_nothing(world, staff_client):
    total = a_total(world)
    UserKeyPair.objects.filter(user=world.users["admin"]).update(suspended_at=timezone.now())
    client = staff_client("admin")
    before = AuditEvent.objects.count()
    response = client.post(
        NEW_TOTAL_URL, form_data(period_start="2015-01-01", period_end="2015-12-31"), follow=True
    )
    assert "Historical total recorded." in response.content.decode()
    response = client.post(remove_url(total.pk), follow=True)
    assert "Historical total removed." in response.content.decode()
    assert list(HistoricalTotal.objects.values_list("pk", "removed_at")) == [(total.pk, None)]
    assert AuditEvent.objects.count() == before
