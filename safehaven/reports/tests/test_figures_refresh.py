"""A case's figures row follows its committed changes (reports.figures.refresh and signals):
months counted in the organisation's reporting time zone, each stage from its own source, a
shredded row never recomputed, and the command rebuilding what a change around the receivers
left behind."""

from __future__ import annotations

import datetime
from contextlib import suppress

from django.core.management import call_command
from django.db import transaction

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.models import Case, CaseTransition
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import funnel_by_year
from safehaven.reports.figures.refresh import refresh_all_figures, refresh_case_figures
from safehaven.reports.models import CaseFigures
from safehaven.reports.tests.figures_helpers import (
    add_moves,
    add_pathway,
    add_people,
    approved_grant,
    bare_case,
    hour,
    month,
    set_zone,
)
from safehaven.travel.choices import PathwayKind, PathwayState

S = CaseState
NEW_YEAR_EVE = datetime.datetime(2016, 12, 31, 23, 0, tzinfo=datetime.UTC)


def _figures(case: Case) -> CaseFigures:
    refresh_case_figures(case.pk)
    return CaseFigures.objects.get(case_id=case.pk)


def _arrived_on_new_year_eve(world) -> Case:
    case = bare_case(world.organisation, received=month(2016, 10), state=S.ARRIVED)
    add_moves(
        case,
        (S.SCREENING, hour(2016, 10, 3)),
        (S.VERIFICATION, hour(2016, 10, 20)),
        (S.VERIFIED, hour(2016, 11, 2)),
        (S.PLANNING, hour(2016, 11, 30, 20)),
        (S.TRAVEL_BOOKED, hour(2016, 12, 10)),
        (S.IN_TRANSIT, hour(2016, 12, 30)),
        (S.ARRIVED, NEW_YEAR_EVE),
    )
    return case


def test_an_arrival_late_on_31_december_counts_in_the_zones_own_year(world):
    case = _arrived_on_new_year_eve(world)
    row = _figures(case)
    assert (row.arrived_month, row.verified_month) == (month(2016, 12), month(2016, 11))
    funnel = funnel_by_year([world.organisation], FigureFilters(), range(2016, 2018))
    assert [f.relocated for f in funnel] == [1, 0]

    set_zone(world.organisation, "Asia/Kolkata")  # UTC+5:30: already 1 January 2017
    row = _figures(case)
    assert row.arrived_month == month(2017, 1)
    # Planning at 20:00 UTC on 30 November is 1:30 on 1 December in Kolkata.
    assert row.supported_month == month(2016, 12)
    funnel = funnel_by_year([world.organisation], FigureFilters(), range(2016, 2018))
    assert [f.relocated for f in funnel] == [0, 1]


def test_a_zone_west_of_utc_never_counts_a_stage_before_the_request(world):
    set_zone(world.organisation, "America/Toronto")
    case = bare_case(world.organisation, received=month(2017, 1), state=S.ARRIVED)
    add_moves(case, (S.VERIFIED, hour(2017, 1, 1, 2)), (S.ARRIVED, hour(2017, 1, 1, 4)))
    row = _figures(case)  # 31 December in Toronto, but the request came in January
    assert (row.verified_month, row.arrived_month) == (month(2017, 1), month(2017, 1))


def test_an_unknown_zone_counts_in_utc(world):
    set_zone(world.organisation, "Mars/Olympus")
    assert _figures(_arrived_on_new_year_eve(world)).arrived_month == month(2016, 12)


def test_a_case_received_in_december_and_verified_in_january_counts_in_each_year(world):
    case = bare_case(world.organisation, received=month(2016, 12), state=S.VERIFIED)
    add_moves(case, (S.VERIFICATION, hour(2016, 12, 20)), (S.VERIFIED, hour(2017, 1, 9)))
    row = _figures(case)
    assert (row.received_month, row.verified_month, row.supported_month) == (
        month(2016, 12),
        month(2017, 1),
        None,
    )


def test_supported_is_the_earliest_of_planning_a_grant_and_support_in_place(world):
    planned = bare_case(world.organisation, received=month(2017, 1), state=S.PLANNING)
    add_moves(planned, (S.VERIFIED, hour(2017, 2, 1)), (S.PLANNING, hour(2017, 4, 1)))
    approved_grant(world, planned, hour(2017, 3, 5))
    assert _figures(planned).supported_month == month(2017, 3)

    in_place = bare_case(
        world.organisation,
        received=month(2017, 1),
        state=S.CLOSED,
        outcome=CaseOutcome.SUPPORTED_IN_PLACE,
    )
    add_moves(in_place, (S.VERIFIED, hour(2017, 2, 1)), (S.CLOSED, hour(2017, 6, 1)))
    row = _figures(in_place)
    assert (row.supported_month, row.closed_month) == (month(2017, 6), month(2017, 6))

    declined = bare_case(
        world.organisation, received=month(2017, 1), state=S.CLOSED, outcome="ineligible"
    )
    add_moves(declined, (S.DECLINED, hour(2017, 2, 1)), (S.CLOSED, hour(2017, 6, 1)))
    assert _figures(declined).supported_month is None


def test_a_household_counts_its_people_and_a_case_at_least_one(world):
    case = bare_case(world.organisation, received=month(2017, 1))
    assert _figures(case).people == 1
    add_people(case, 3)
    assert _figures(case).people == 3


def test_the_pathway_is_the_one_that_succeeded_else_the_one_pursued(world):
    case = bare_case(world.organisation, received=month(2017, 1))

    def pathway(kind, state, started):
        add_pathway(case, kind, state, started)

    assert _figures(case).pathway == ""
    pathway(PathwayKind.UNHCR_RESETTLEMENT, PathwayState.UNSUCCESSFUL, datetime.date(2017, 5, 1))
    assert _figures(case).pathway == PathwayKind.UNHCR_RESETTLEMENT
    pathway(PathwayKind.CANADA_GAR, PathwayState.ACTIVE, datetime.date(2017, 2, 1))
    assert _figures(case).pathway == PathwayKind.CANADA_GAR
    pathway(PathwayKind.EMERGENCY_VISA, PathwayState.SUCCEEDED, datetime.date(2017, 1, 1))
    assert _figures(case).pathway == PathwayKind.EMERGENCY_VISA


def test_it_copies_the_clear_columns_of_the_case(world):
    case = bare_case(
        world.organisation,
        received=month(2017, 1),
        country="TJ",
        arrived_in="DE",
        referred_by=world.partner_a,
        state=S.POST_ARRIVAL,
    )
    row = _figures(case)
    assert (row.country, row.destination, row.partner_id, row.state, row.outcome) == (
        "TJ",
        "DE",
        world.partner_a.pk,
        S.POST_ARRIVAL,
        "",
    )


def test_a_shredded_row_is_never_recomputed(world):
    case = _arrived_on_new_year_eve(world)
    row = _figures(case)
    CaseFigures.objects.filter(pk=row.pk).update(shredded_month=month(2020, 1), country="KZ")
    CaseTransition.objects.filter(case=case).delete()
    Case.objects.filter(pk=case.pk).update(country="UA", state=S.CLOSED)
    refresh_case_figures(case.pk)
    assert refresh_all_figures() == 0
    row = CaseFigures.objects.get(pk=row.pk)
    assert (row.country, row.arrived_month, row.state) == ("KZ", month(2016, 12), S.ARRIVED)


def test_the_command_rebuilds_what_a_change_around_the_receivers_left(world, capsys):
    case = _arrived_on_new_year_eve(world)
    refresh_case_figures(case.pk)
    # A raw UPDATE (as a data migration might do) bypasses the receivers.
    Case.objects.filter(pk=case.pk).update(arrived_in="CA")
    CaseFigures.objects.filter(pk=case.pk).update(verified_month=None)
    other = bare_case(world.organisation, received=month(2018, 3))
    call_command("refresh_report_figures")
    assert "Refreshed the figures of 2 cases." in capsys.readouterr().out
    row = CaseFigures.objects.get(pk=case.pk)
    assert (row.destination, row.verified_month) == ("CA", month(2016, 11))
    assert CaseFigures.objects.get(pk=other.pk).received_month == month(2018, 3)


def test_a_change_rolled_back_refreshes_nothing(world, django_capture_on_commit_callbacks):
    case = bare_case(world.organisation, received=month(2017, 1))

    def save_then_fail() -> None:
        with transaction.atomic():
            Case.objects.get(pk=case.pk).save()
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, suppress(RuntimeError):
        save_then_fail()
    assert callbacks == []
    assert not CaseFigures.objects.filter(pk=case.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.get(pk=case.pk).save()  # committed: this one refreshes
    assert CaseFigures.objects.filter(pk=case.pk).exists()
