"""A crisis's inflow: new requests (the public form) and partners' referrals (one at a time or
a batch) from its places are tagged with it and counted per day (UTC), in the transaction that
stores them; requests from elsewhere, or after it ended, are neither."""

import datetime

import pytest
from django.utils import timezone

from safehaven.countries.crises import inflow
from safehaven.countries.crises.inflow import count_crisis_inflow, today_utc
from safehaven.countries.models import CrisisInflow
from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import latest_request, submit_request
from safehaven.intake.tests.test_request_place import record_crisis
from safehaven.partners.referrals import actions as referral_actions
from safehaven.partners.referrals.actions import do_import_referrals
from safehaven.partners.tests.referral_helpers import csv_text, refer, referral_data

pytestmark = pytest.mark.django_db


def inflow_of(crisis) -> dict[datetime.date, int]:
    return dict(
        CrisisInflow.objects.filter(crisis=crisis).values_list("day", "requests").order_by("day")
    )


def test_it_tags_and_counts_public_requests_from_the_crisis_places_only(world):
    chechnya = record_crisis(world, "RU", regions=["RU-CE"])
    submit_request(country="RU", place_region="RU-CE")
    assert latest_request().crisis == chechnya
    submit_request(country="RU", place_region="RU-CE")
    submit_request(country="RU")  # elsewhere in Russia
    submit_request(country="KZ")
    assert inflow_of(chechnya) == {today_utc(): 2}


def test_it_tags_and_counts_a_referral_from_a_crisis_country_and_not_one_from_elsewhere(world):
    crisis = record_crisis(world, "RU")
    tagged = refer(world, country="RU")
    untagged = refer(world, country="KZ")
    assert HelpRequest.objects.get(pk=tagged.pk).crisis == crisis
    assert HelpRequest.objects.get(pk=untagged.pk).crisis is None
    assert inflow_of(crisis) == {today_utc(): 1}


def test_it_counts_each_row_of_a_batch_in_its_crisis(world):
    russia = record_crisis(world, "RU")
    kyrgyzstan = record_crisis(world, "KG")
    rows = [
        referral_data(country="RU"),
        referral_data(country="RU"),
        referral_data(country="KG"),
        referral_data(country="KZ"),
    ]
    stored = do_import_referrals(
        csv_text(rows),
        organisation=world.partner_a,
        channel=RequestChannel.IMPORT,
        actor=world.users["partner_a"],
    )
    assert len(stored) == 4
    assert inflow_of(russia) == {today_utc(): 2}
    assert inflow_of(kyrgyzstan) == {today_utc(): 1}


@pytest.mark.parametrize(("starts", "ends"), [(-10, -1), (1, None)])
def test_it_tags_and_counts_nothing_outside_the_crisis_dates(world, starts, ends):
    crisis = record_crisis(world, "RU", starts=starts, ends=ends)
    submit_request(country="RU")
    refer(world, country="RU")
    assert not HelpRequest.objects.filter(crisis=crisis).exists()
    assert not CrisisInflow.objects.exists()


def test_it_counts_nothing_when_the_storing_transaction_fails(world, monkeypatch):
    crisis = record_crisis(world, "RU")

    def failing_audit(*args, **kwargs):
        raise RuntimeError("the audit log failed")

    monkeypatch.setattr(referral_actions, "record_event", failing_audit)
    with pytest.raises(RuntimeError):
        refer(world, country="RU")
    assert not HelpRequest.objects.exists()
    assert inflow_of(crisis) == {}


def test_it_adds_to_the_day_s_row_and_keeps_days_and_crises_apart(world):
    first, second = record_crisis(world, "RU"), record_crisis(world, "KG")
    monday, tuesday = datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)
    count_crisis_inflow([first.pk, None, first.pk, second.pk], day=monday)
    count_crisis_inflow([first.pk], day=monday)
    count_crisis_inflow([first.pk], day=tuesday)
    count_crisis_inflow([None], day=tuesday)
    assert inflow_of(first) == {monday: 3, tuesday: 1}
    assert inflow_of(second) == {monday: 1}
    # One row per crisis and day, holding a count and nothing that names a request.
    assert CrisisInflow.objects.count() == 3
    assert {field.name for field in CrisisInflow._meta.concrete_fields} == {
        "id",
        "crisis",
        "day",
        "requests",
    }


def test_it_counts_on_the_day_in_utc_whatever_the_time_zone(monkeypatch):
    late = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(inflow.timezone, "now", lambda: late)
    with timezone.override("Asia/Kabul"):  # already 2 March there
        assert today_utc() == datetime.date(2026, 3, 1)


def test_it_folds_days_older_than_60_into_their_month_and_keeps_recent_days(world):
    from safehaven.countries.crises.inflow import fold_old_inflow, old_inflow_rows

    crisis = record_crisis(world, "RU")
    other = record_crisis(world, "KG")
    today = datetime.date(2026, 6, 30)
    days = {
        datetime.date(2026, 3, 1): 1,  # a first of the month: its month's row already
        datetime.date(2026, 3, 9): 2,
        datetime.date(2026, 3, 21): 4,
        datetime.date(2026, 4, 30): 8,  # 61 days before: folded
        datetime.date(2026, 5, 1): 16,  # 60 days before: kept as a day
        datetime.date(2026, 6, 29): 32,
    }
    CrisisInflow.objects.bulk_create(
        CrisisInflow(crisis=crisis, day=day, requests=n) for day, n in days.items()
    )
    CrisisInflow.objects.create(crisis=other, day=datetime.date(2026, 3, 9), requests=64)
    assert old_inflow_rows(today) == 4

    assert fold_old_inflow(today) == 4

    assert inflow_of(crisis) == {
        datetime.date(2026, 3, 1): 7,
        datetime.date(2026, 4, 1): 8,
        datetime.date(2026, 5, 1): 16,
        datetime.date(2026, 6, 29): 32,
    }
    assert inflow_of(other) == {datetime.date(2026, 3, 1): 64}
    # Nothing is lost, and a second fold finds nothing.
    assert sum(CrisisInflow.objects.values_list("requests", flat=True)) == 127
    assert fold_old_inflow(today) == 0
    assert old_inflow_rows(today) == 0


def test_retention_folds_old_inflow_and_its_dry_run_only_counts(world):
    from safehaven.reports.retention.actions import do_apply_retention

    crisis = record_crisis(world, "RU")
    long_ago = today_utc() - datetime.timedelta(days=100)
    if long_ago.day == 1:
        long_ago += datetime.timedelta(days=1)
    CrisisInflow.objects.create(crisis=crisis, day=long_ago, requests=3)

    do_apply_retention(dry_run=True, actor=None)
    assert inflow_of(crisis) == {long_ago: 3}
    do_apply_retention(dry_run=False, actor=None)
    assert inflow_of(crisis) == {long_ago.replace(day=1): 3}
    from safehaven.core.event_types import EventType
    from safehaven.core.models import AuditEvent

    runs = AuditEvent.objects.filter(event_type=EventType.RETENTION_RUN).order_by("sequence")
    dry, real = runs.values_list("detail", flat=True)
    assert dry.endswith("; 1 crisis inflow days to fold")
    assert real.endswith("; 1 crisis inflow days folded")
