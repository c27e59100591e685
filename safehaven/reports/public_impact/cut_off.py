"""The day published figures stop at: the end of the last finished quarter, counted in the
reporting time zone of the (first) relocating organisation, as the staff dashboard counts its
years (``ReportingSettings``). The public page and the figures files use it both, so that all
three agree on which day it is: late on 31 March in Toronto the quarter is not over yet, though
UTC has moved on, and in Auckland it is over some hours before UTC says so."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from safehaven.accounts.models import Organisation
from safehaven.reports.figures.queries import relocating_organisations
from safehaven.reports.figures.zones import UTC, reporting_zones


def reporting_today(organisations: Sequence[Organisation] = ()) -> datetime.date:
    """Today in the reporting zone of the first of ``organisations``, or, when none is given
    (the public page; a duress session's empty export), of the first relocating organisation:
    the zone is no secret, and an empty export must fall on the same day as a real one."""
    first = organisations[0] if organisations else relocating_organisations().first()
    zone = reporting_zones([first.pk])[first.pk] if first is not None else UTC
    return timezone.now().astimezone(zone).date()


def quarter_end_before(today: datetime.date) -> datetime.date:
    """The last day of the quarter before the one ``today`` is in."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    return datetime.date(today.year, first_month, 1) - datetime.timedelta(days=1)
