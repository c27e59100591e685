"""A case's expected check-ins opened with its travel compartment. A row whose details do not
open (inserted or changed outside the application: its window, booking, position or
cancellation moved) is forged; so is a check-in whose report does not open, a report without
a check-in, a check-in "logged by staff" whose report was sealed to the inbox key, which
anyone who can write to the database can use, and a row whose clear columns do not carry the
server's tag (``tags.py``: a check-in "from the status page" whose report a database writer
sealed to the inbox key). SECURITY.md, "Check-ins during a journey"."""

from __future__ import annotations

from dataclasses import dataclass

from safehaven.cases.models import Case
from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.wrapping import is_inbox_blob
from safehaven.travel.check_ins.sealing import (
    CheckInDetails,
    CheckInReport,
    details_from_json,
    report_from_json,
)
from safehaven.travel.check_ins.tags import check_in_tag_matches
from safehaven.travel.choices import CheckInVia
from safehaven.travel.models import ExpectedCheckIn


@dataclass(frozen=True, repr=False)
class OpenedCheckIn:
    row: ExpectedCheckIn
    details: CheckInDetails | None  # None: the details do not open (forged)
    report: CheckInReport | None  # None: not checked in, or forged (``report_forged``)
    report_forged: bool = False
    tagged: bool = True  # False: its clear columns do not carry the server's tag

    @property
    def forged(self) -> bool:
        return self.details is None or self.report_forged or not self.tagged

    @property
    def checked_in(self) -> bool:
        return not self.forged and self.report is not None

    def __repr__(self) -> str:
        return f"OpenedCheckIn(#{self.row.pk}, forged={self.forged})"


def _details(row: ExpectedCheckIn) -> CheckInDetails | None:
    try:
        return details_from_json(row.sealed("details") or "")
    except (SealError, SealedValueUnavailable, ValueError):
        return None


def _report(row: ExpectedCheckIn) -> tuple[CheckInReport | None, bool]:
    """The report and whether it is forged."""
    if row.checked_in_at is None:
        return None, row.report is not None or row.checked_in_via != CheckInVia.NONE
    if row.report is None or row.checked_in_via not in (CheckInVia.STATUS_PAGE, CheckInVia.CALL):
        return None, True
    if row.checked_in_via == CheckInVia.CALL and (
        row.checked_in_by_id is None or is_inbox_blob(bytes(row.report))
    ):
        return None, True
    try:
        return report_from_json(row.sealed("report") or ""), False
    except (SealError, SealedValueUnavailable, ValueError):
        return None, True


def open_check_in(row: ExpectedCheckIn, opened: OpenedRecord) -> OpenedCheckIn:
    tagged = check_in_tag_matches(row)
    try:
        row.open_with(opened)
    except SealedValueUnavailable:
        return OpenedCheckIn(row, None, None, True, tagged)
    details = _details(row)
    report, report_forged = _report(row)
    return OpenedCheckIn(row, details, report, report_forged, tagged)


def open_check_ins(case: Case, opened: OpenedRecord) -> list[OpenedCheckIn]:
    """Every expected check-in of the case, by its window."""
    rows = (
        ExpectedCheckIn.objects.filter(case=case)
        .select_related("checked_in_by")
        .order_by("opens_at", "due_by", "position", "pk")
    )
    return [open_check_in(row, opened) for row in rows]
