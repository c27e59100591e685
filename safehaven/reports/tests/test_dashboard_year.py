"""The dashboard's current year is the organisation's: late on 31 December in Toronto it is
still the old year, though UTC has moved on."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest

from safehaven.reports.dashboard.views import reporting_today
from safehaven.reports.models import ReportingSettings

pytestmark = pytest.mark.django_db

NEW_YEAR_IN_UTC = datetime.datetime(2024, 1, 1, 3, 30, tzinfo=datetime.UTC)


def test_it_counts_the_current_year_in_the_organisations_time_zone(world: Any) -> None:
    ReportingSettings.objects.create(organisation=world.organisation, time_zone="America/Toronto")
    with mock.patch("django.utils.timezone.now", return_value=NEW_YEAR_IN_UTC):
        assert reporting_today([world.organisation]) == datetime.date(2023, 12, 31)


def test_it_counts_in_utc_without_settings_or_organisation(world: Any) -> None:
    with mock.patch("django.utils.timezone.now", return_value=NEW_YEAR_IN_UTC):
        assert reporting_today([world.organisation]) == datetime.date(2024, 1, 1)
        assert reporting_today([]) == datetime.date(2024, 1, 1)
