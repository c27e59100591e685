"""Historical totals: recorded for a time the system does not count itself, refused where they
would count people twice or lie in the future, removed (never deleted) through the page; one
audit event each, which never holds the source's words."""

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.actions import ActionRefused
from safehaven.core.event_types import EventType
from safehaven.intake.models import HelpRequest
from safehaven.reports.choices import Measure
from safehaven.reports.goals.actions import do_record_historical_total, do_remove_historical_total
from safehaven.reports.models import HistoricalTotal
from safehaven.reports.tests.goals_helpers import counted_case, events

pytestmark = pytest.mark.django_db

D = datetime.date
SOURCE = "Board report, April 2017"


def record(world, **overrides):
    values = {
        "measure": Measure.RELOCATED,
        "people": 42,
        "period_start": D(2017, 1, 1),
        "period_end": D(2017, 4, 21),
        "source": SOURCE,
        "actor": world.users["admin"],
    }
    values.update(overrides)
    return do_record_historical_total(world.organisation, **values)


def test_it_records_a_total_with_an_event_that_holds_no_source_text(world):
    total = record(world, country="ru")
    assert (total.people, total.country, total.source) == (42, "RU", SOURCE)
    assert total.entered_by == world.users["admin"]
    (event,) = events(EventType.HISTORICAL_TOTAL_RECORDED)
    assert event.detail == "people=42"
    assert "Board" not in event.detail
    assert event.target_ref == str(total.pk)


def test_it_refuses_a_period_that_ends_before_it_starts(world):
    with pytest.raises(ActionRefused, match="cannot end before it starts"):
        record(world, period_start=D(2017, 4, 1), period_end=D(2017, 3, 31))
    assert not HistoricalTotal.objects.exists()


def test_it_refuses_a_period_in_the_future(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ActionRefused, match="cannot end in the future"):
        record(world, period_start=D(2017, 1, 1), period_end=tomorrow)
    assert not events(EventType.HISTORICAL_TOTAL_RECORDED)


def test_it_refuses_months_the_system_already_counts_for_that_measure(world):
    # A case that arrived in April 2017: a total up to 21 April would count it twice.
    counted_case(world, D(2017, 2, 1), arrived_month=D(2017, 4, 1))
    with pytest.raises(ActionRefused, match="figures of “Relocated” for April 2017"):
        record(world)
    # Up to the end of March is fine, and so is another measure over the same months (the
    # case was received in February, not verified or supported in the system).
    record(world, period_end=D(2017, 3, 31))
    record(world, measure=Measure.VERIFIED, people=50)
    with pytest.raises(ActionRefused, match="February 2017"):
        record(world, measure=Measure.REQUESTS, people=900)


def test_it_refuses_requests_in_months_of_help_requests_not_yet_in_a_case(world):
    HelpRequest.objects.create(
        country="RU",
        risk_band="low",
        received_month=D(2017, 3, 1),
        consented_on=D(2017, 3, 1),
    )
    with pytest.raises(ActionRefused, match="March 2017"):
        record(world, measure=Measure.REQUESTS, people=900)
    record(world, measure=Measure.REQUESTS, people=900, period_end=D(2017, 2, 28))


def test_it_ignores_another_organisations_cases(world):
    figures = counted_case(world, D(2017, 2, 1), arrived_month=D(2017, 4, 1))
    type(figures).objects.filter(pk=figures.pk).update(organisation=world.partner_a)
    record(world)
    assert HistoricalTotal.objects.count() == 1


def test_it_refuses_a_second_total_of_the_same_measure_and_country_over_the_same_time(world):
    record(world, period_start=D(2016, 1, 1), period_end=D(2016, 12, 31), people=81)
    with pytest.raises(ActionRefused, match="2016-01-01 to 2016-12-31"):
        record(world, period_start=D(2016, 12, 31), period_end=D(2017, 2, 1))
    # A total for one country is a part, added to the others: it may share the period.
    record(world, period_start=D(2016, 1, 1), period_end=D(2016, 12, 31), people=9, country="UG")
    assert HistoricalTotal.objects.count() == 2


def test_a_removed_total_no_longer_blocks_a_corrected_one(world):
    wrong = record(world, people=24)
    removed = do_remove_historical_total(wrong, actor=world.users["admin2"])
    assert removed.removed_at is not None
    assert removed.removed_by == world.users["admin2"]
    with pytest.raises(ActionRefused, match="already removed"):
        do_remove_historical_total(removed, actor=world.users["admin"])
    record(world, people=42)
    assert sorted(HistoricalTotal.objects.values_list("people", flat=True)) == [24, 42]
    (event,) = events(EventType.HISTORICAL_TOTAL_REMOVED)
    assert event.detail == "people=24"


@pytest.mark.parametrize("people", [0, -1, 1_000_001])
def test_it_refuses_counts_out_of_range(world, people):
    with pytest.raises(ActionRefused):
        record(world, people=people)


def test_it_refuses_an_unknown_measure(world):
    with pytest.raises(ActionRefused):
        record(world, measure="donations")
