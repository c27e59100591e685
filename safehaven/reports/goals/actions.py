"""Setting a yearly goal, recording and removing a historical total, and choosing the time zone
an organisation's reports count months and years in. Each writes one audit event with ids and
numbers only: a total's source text never goes into the audit log."""

from __future__ import annotations

import datetime
import zoneinfo
from functools import cache

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.models import Organisation, User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.models import HelpRequest
from safehaven.reports.choices import Measure
from safehaven.reports.figures.months import first_of_month
from safehaven.reports.figures.refresh import refresh_all_figures
from safehaven.reports.figures.zones import reporting_today
from safehaven.reports.models import CaseFigures, HistoricalTotal, ReportingSettings, YearlyGoal

FIRST_GOAL_YEAR = 2000
MOST_RELOCATIONS = 1_000_000
MOST_PEOPLE = 1_000_000

# The month column of ``CaseFigures`` in which a case counts for each measure.
MONTH_OF_MEASURE = {
    Measure.REQUESTS: "received_month",
    Measure.VERIFIED: "verified_month",
    Measure.SUPPORTED: "supported_month",
    Measure.RELOCATED: "arrived_month",
}


def do_set_yearly_goal(
    organisation: Organisation, year: int, relocations: int, *, actor: User
) -> YearlyGoal:
    """Make or change the organisation's goal for ``year``."""
    last_year = reporting_today([organisation]).year + 1
    if not FIRST_GOAL_YEAR <= year <= last_year:
        raise ActionRefused(
            _("A goal's year must be between %(first)s and %(last)s.")
            % {"first": FIRST_GOAL_YEAR, "last": last_year}
        )
    if not 1 <= relocations <= MOST_RELOCATIONS:
        raise ActionRefused(
            _("A goal must be between 1 and %(most)s people.") % {"most": f"{MOST_RELOCATIONS:,}"}
        )
    with transaction.atomic():
        goal, _created = YearlyGoal.objects.update_or_create(
            organisation=organisation,
            year=year,
            defaults={"relocations": relocations, "set_by": actor},
        )
        record_event(
            EventType.YEARLY_GOAL_SET,
            actor=actor,
            organisation=organisation,
            target=goal,
            detail=f"year={year} relocations={relocations}",
        )
    return goal


def _months_counted_by_the_system(
    organisation: Organisation, measure: Measure, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """The months between ``start`` and ``end`` in which cases (or, for requests, help
    requests) already count for ``measure``. Figures are kept to the month, so a period that
    touches such a month at all would count some of its people twice."""
    column = MONTH_OF_MEASURE[Measure(measure)]
    in_period = {f"{column}__gte": first_of_month(start), f"{column}__lte": end}
    months = set(
        CaseFigures.objects.filter(organisation=organisation, **in_period)
        .values_list(column, flat=True)
        .distinct()
    )
    if measure == Measure.REQUESTS:
        # Help requests belong to the one relocating organisation that runs the system; one
        # not yet turned into a case is counted from its own month.
        months |= set(
            HelpRequest.objects.filter(
                received_month__gte=first_of_month(start), received_month__lte=end
            )
            .values_list("received_month", flat=True)
            .distinct()
        )
    return sorted(months)


def _check_total(
    organisation: Organisation,
    *,
    measure: str,
    people: int,
    period_start: datetime.date,
    period_end: datetime.date,
    country: str,
) -> None:
    if measure not in Measure.values:
        raise ActionRefused(_("Choose what the total counts."))
    if not 1 <= people <= MOST_PEOPLE:
        raise ActionRefused(
            _("A total must be between 1 and %(most)s people.") % {"most": f"{MOST_PEOPLE:,}"}
        )
    if period_end < period_start:
        raise ActionRefused(_("The period cannot end before it starts."))
    today = reporting_today([organisation])
    if period_end > today:
        raise ActionRefused(
            _(
                "The period cannot end in the future. A historical total counts what already "
                "happened; end it today (%(today)s) at the latest."
            )
            % {"today": today.isoformat()}
        )
    if period_start.year < FIRST_GOAL_YEAR:
        raise ActionRefused(
            _("The period must start in %(first)s or later.") % {"first": FIRST_GOAL_YEAR}
        )
    months = _months_counted_by_the_system(organisation, Measure(measure), period_start, period_end)
    if months:
        raise ActionRefused(
            _(
                "The system already holds figures of “%(measure)s” for %(month)s, inside this "
                "period: a historical total there would count those people twice. End the "
                "period before the first month the system counts, or start it after the last."
            )
            % {
                "measure": Measure(measure).label,
                "month": date_format(months[0], "YEAR_MONTH_FORMAT"),
            }
        )
    overlapping = HistoricalTotal.objects.filter(
        Q(period_start__lte=period_end) & Q(period_end__gte=period_start),
        organisation=organisation,
        measure=measure,
        country=country,
        removed_at__isnull=True,
    ).first()
    if overlapping is not None:
        raise ActionRefused(
            _(
                "Another historical total of the same measure and country covers part of this "
                "period (%(start)s to %(end)s): both would be counted. Remove it first if it "
                "is wrong."
            )
            % {
                "start": overlapping.period_start.isoformat(),
                "end": overlapping.period_end.isoformat(),
            }
        )


def do_record_historical_total(
    organisation: Organisation,
    *,
    measure: str,
    people: int,
    period_start: datetime.date,
    period_end: datetime.date,
    country: str = "",
    source: str = "",
    actor: User,
) -> HistoricalTotal:
    """Record a dated total for a time the system does not count itself. Refused when the
    period is backwards or in the future, or would count people twice (months the system
    already counts for that measure, or another total of the same measure and country)."""
    country = country.upper()
    with transaction.atomic():
        # Under a lock on the organisation's row, so that two administrators entering the
        # same total at once cannot both pass the overlap check.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        _check_total(
            organisation,
            measure=measure,
            people=people,
            period_start=period_start,
            period_end=period_end,
            country=country,
        )
        total = HistoricalTotal.objects.create(
            organisation=organisation,
            measure=measure,
            people=people,
            period_start=period_start,
            period_end=period_end,
            country=country,
            source=source.strip(),
            entered_by=actor,
        )
        record_event(
            EventType.HISTORICAL_TOTAL_RECORDED,
            actor=actor,
            organisation=organisation,
            target=total,
            detail=f"people={people}",
        )
    return total


def do_remove_historical_total(total: HistoricalTotal, *, actor: User) -> HistoricalTotal:
    """Stop counting a total (it stays in the table, marked removed)."""
    with transaction.atomic():
        locked = HistoricalTotal.objects.select_for_update().get(pk=total.pk)
        if locked.removed_at is not None:
            raise ActionRefused(_("This total was already removed."))
        locked.removed_at = timezone.now()
        locked.removed_by = actor
        locked.save(update_fields=["removed_at", "removed_by"])
        record_event(
            EventType.HISTORICAL_TOTAL_REMOVED,
            actor=actor,
            organisation=locked.organisation,
            target=locked,
            detail=f"people={locked.people}",
        )
    return locked


@cache
def reporting_zone_names() -> tuple[str, ...]:
    """The time zones the settings offer: UTC and every region/city name the system knows
    (not the "posix/" and "right/" copies some systems list)."""
    named = (
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("posix/", "right/"))
    )
    return ("UTC", *sorted(named))


def is_reporting_zone(name: str) -> bool:
    return name in reporting_zone_names()


def do_change_reporting_settings(
    organisation: Organisation, *, time_zone: str, actor: User
) -> ReportingSettings:
    """Choose the time zone the organisation's months and years are counted in. The figures
    of every case are recomputed, since a case may fall in another month in the new zone."""
    if not is_reporting_zone(time_zone):
        raise ActionRefused(_("Choose a time zone from the list."))
    with transaction.atomic():
        row, _created = ReportingSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        changed = row.time_zone != time_zone
        row.time_zone = time_zone
        row.save(update_fields=["time_zone"])
        record_event(
            EventType.REPORTING_SETTINGS_CHANGED,
            actor=actor,
            organisation=organisation,
            target=row,
        )
        if changed:
            refresh_all_figures()
    return row
