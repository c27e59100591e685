"""The day published figures stop at: the end of the last finished quarter, counted in the
reporting time zone of the (first) relocating organisation, as the staff dashboard counts its
years (``ReportingSettings``). The public page and the figures files use it both, so that all
three agree on which day it is: late on 31 March in Toronto the quarter is not over yet, though
UTC has moved on, and in Auckland it is over some hours before UTC says so."""

from __future__ import annotations

import datetime

from safehaven.reports.figures.zones import reporting_today

__all__ = ["quarter_end_before", "reporting_today"]


def quarter_end_before(today: datetime.date) -> datetime.date:
    """The last day of the quarter before the one ``today`` is in."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    return datetime.date(today.year, first_month, 1) - datetime.timedelta(days=1)
