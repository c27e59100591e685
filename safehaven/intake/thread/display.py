"""Turning opened requests and threads into what a page shows, with labels in the page's
language. Nothing here reads a key or writes anything."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from babel import Locale
from babel.dates import format_timedelta
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from safehaven.intake.choices import (
    REQUESTER_THREAD_KINDS,
    ContactMethod,
    MessageKind,
    Notice,
    PassportStatus,
    RequestStatus,
    RiskIndicator,
)
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission import place_names
from safehaven.intake.submission.region_names import region_name
from safehaven.intake.submission.sealing import RequestDetails
from safehaven.intake.thread.message_checks import (
    CheckedMessage,
    CheckedThread,
    Voucher,
    acknowledgement_of,
    check_thread,
)
from safehaven.keys.opened import OpenedRecord

# What the person reads about their request: neutral, never a route, a place or a name.
REQUESTER_STATUS_TEXT: dict[str, Promise] = {
    RequestStatus.RECEIVED: _("We have received your request."),
    RequestStatus.REVIEWING: _("Someone is reading your request."),
    RequestStatus.WILL_CONTACT: _("We will contact you in one of the safe ways you gave us."),
    RequestStatus.CLOSED: _("Your request is closed."),
    RequestStatus.WITHDRAWN: _("You withdrew your request."),
    RequestStatus.IN_PROGRESS: _("We are working on your case."),
    RequestStatus.WAITING: _("Your request is waiting. We will contact you when we can."),
    RequestStatus.CONTACT_LOST: _("We could not reach you. Write to us here when it is safe."),
}


@dataclass(frozen=True, repr=False)
class ThreadEntry:
    kind: str
    text: str | Promise
    created_at: datetime
    author: str = ""
    is_danger: bool = False
    item_id: str = ""
    is_check_in: bool = False
    # Only the public inbox key vouches for it: anyone with write access to the database
    # could have written it (staff pages say so).
    inbox_only: bool = False
    # A reply sealed before the author was bound into the seal: the name is not verified.
    author_unbound: bool = False
    acknowledged_by: str = ""
    acknowledgement_note: str = ""
    # For the person's page: how long ago, in their language and digits (requester_time_text).
    when_text: str = ""

    def __repr__(self) -> str:
        return f"ThreadEntry({self.kind})"

    @property
    def from_requester(self) -> bool:
        return self.kind == MessageKind.FROM_REQUESTER

    @property
    def is_notice(self) -> bool:
        return self.kind == MessageKind.NOTICE

    @property
    def is_acknowledgement(self) -> bool:
        return self.kind == MessageKind.ACKNOWLEDGEMENT

    @property
    def is_acknowledged(self) -> bool:
        return bool(self.acknowledged_by)


@dataclass(frozen=True, repr=False)
class StaffThread:
    """A request's thread for a staff page: the entries shown, the check-ins that wait for an
    acknowledgement (danger first), and the ids of forged rows (never shown)."""

    entries: list[ThreadEntry]
    unacknowledged: list[ThreadEntry]
    forged_ids: list[int]

    def __repr__(self) -> str:
        return f"StaffThread({len(self.entries)} entries, {len(self.forged_ids)} forged)"


def requester_status_text(help_request: HelpRequest) -> str | Promise:
    return REQUESTER_STATUS_TEXT[help_request.status]


def _author(checked: CheckedMessage) -> str:
    author = checked.message.author
    return author.username if author is not None else ""


def _staff_entry(checked: CheckedMessage, thread: CheckedThread, with_authors: bool) -> ThreadEntry:
    message = checked.message
    entry = ThreadEntry(
        message.kind,
        checked.body,
        message.created_at,
        author=_author(checked) if with_authors else "",
        item_id=str(message.item_id),
        inbox_only=checked.voucher is Voucher.INBOX,
        author_unbound=checked.voucher is Voucher.DATA_KEY_AUTHOR_UNBOUND,
    )
    if message.kind == MessageKind.ACKNOWLEDGEMENT:
        acknowledged = acknowledgement_of(checked)
        return replace(entry, text=acknowledged[1] if acknowledged else "")
    notice = checked.notice
    if notice is None:
        return entry
    entry = replace(
        entry,
        text=notice.label,
        is_danger=notice is Notice.DANGER,
        is_check_in=checked.is_check_in,
    )
    acknowledgement = thread.acknowledgements.get(message.item_id)
    if acknowledgement is None:
        return entry
    by, note = acknowledgement
    return replace(entry, acknowledged_by=_author(by) or "?", acknowledgement_note=note)


def thread_for_staff(
    help_request: HelpRequest, opened: OpenedRecord, *, for_partner: bool = False
) -> StaffThread:
    """Every message, notice and acknowledgement of the request that passes its check, oldest
    first. A partner's page (``for_partner``) shows no notice (a danger check-in is for triage
    to act on; so is, then, every check-in) and no names of the triage staff."""
    kinds = REQUESTER_THREAD_KINDS if for_partner else None
    thread = check_thread(help_request, opened, kinds=kinds)
    entries = [_staff_entry(checked, thread, not for_partner) for checked in thread.messages]
    waiting = {str(checked.message.item_id) for checked in thread.unacknowledged_check_ins()}
    unacknowledged = [entry for entry in entries if entry.item_id in waiting]
    # The danger ones first: whoever opens the request must see them at once.
    unacknowledged.sort(key=lambda entry: not entry.is_danger)
    return StaffThread(entries, unacknowledged, [message.pk for message in thread.forged])


# A time kept to the hour is at most an hour old when "now" is still in that hour: "1 hour ago".
_ONE_HOUR_FLOOR = timedelta(hours=1)

# The digits of the numbering systems CLDR makes a language's default, where not 0-9.
NATIVE_DIGITS = {
    "arabext": "۰۱۲۳۴۵۶۷۸۹",  # Persian
    "arab": "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
}


def requester_time_text(when: datetime, *, now: datetime, language: str) -> str:
    """How long ago ("2 hours ago", "3 days ago"), in the language's words and digits.

    Relative, because a clock time in UTC reads as local time to a person elsewhere, and a
    relative time needs no calendar (Babel converts none: no Solar Hijri date is shown).
    Times are kept to the hour (SECURITY.md, "Coarse times"): nothing finer is said."""
    locale = Locale.parse(to_locale(language))
    text = format_timedelta(
        min(when - now, -_ONE_HOUR_FLOOR), granularity="hour", add_direction=True, locale=locale
    )
    digits = NATIVE_DIGITS.get(locale.default_numbering_system)
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


def thread_for_requester(help_request: HelpRequest, opened: OpenedRecord) -> list[ThreadEntry]:
    """The messages the person and staff wrote, without notices, acknowledgements or staff
    names (a danger check-in must leave nothing on the person's screen). A forged row is left
    out without a trace: an alarm written here would tell whoever forged it when the person
    looked (the staff page raises it)."""
    thread = check_thread(help_request, opened, kinds=REQUESTER_THREAD_KINDS)
    now, language = timezone.now(), get_language()
    return [
        ThreadEntry(
            checked.message.kind,
            checked.body,
            checked.message.created_at,
            when_text=requester_time_text(checked.message.created_at, now=now, language=language),
        )
        for checked in thread.messages
    ]


def _label(choices: type[ContactMethod | PassportStatus | RiskIndicator], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


@dataclass(frozen=True, repr=False)
class DetailsView:
    """Opened details with names and labels for the staff page."""

    details: RequestDetails
    country: str
    citizenships: list[str]
    languages: list[str]
    contacts: list[tuple[str, str]]
    risk_indicators: list[str]
    passport: str
    # The coarse region chosen from the form's list, named; "" for "not listed".
    chosen_region: str = ""

    def __repr__(self) -> str:
        return "DetailsView(<redacted>)"


def details_view(help_request: HelpRequest, details: RequestDetails) -> DetailsView:
    countries = dict(place_names.country_choices())
    languages = dict(place_names.language_choices())
    citizenship_names = dict(place_names.citizenship_choices())
    return DetailsView(
        details=details,
        country=countries.get(help_request.country, help_request.country),
        citizenships=[citizenship_names.get(code, code) for code in details.citizenships],
        languages=[languages.get(code, code) for code in help_request.languages],
        contacts=[
            (_label(ContactMethod, method), value) for method, value in details.contacts.items()
        ],
        risk_indicators=[_label(RiskIndicator, value) for value in details.risk_indicators],
        passport=_label(PassportStatus, details.passport) if details.passport else "",
        chosen_region=region_name(details.region_code, details.region_code)
        if details.region_code
        else "",
    )
