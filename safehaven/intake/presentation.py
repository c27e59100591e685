"""Turning opened requests and threads into what a page shows, with labels in the page's
language. Nothing here reads a key or writes anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safehaven.intake import places
from safehaven.intake.choices import (
    REQUESTER_THREAD_KINDS,
    ContactMethod,
    MessageKind,
    Notice,
    PassportStatus,
    RequestStatus,
    RiskIndicator,
)
from safehaven.intake.message_checks import CheckedMessage, Voucher, check_thread
from safehaven.intake.models import HelpRequest
from safehaven.intake.sealing import RequestDetails
from safehaven.keys.opened import OpenedRecord

# What the person reads about their request: neutral, never a route, a place or a name.
REQUESTER_STATUS_TEXT: dict[str, Promise] = {
    RequestStatus.RECEIVED: _("We have received your request."),
    RequestStatus.REVIEWING: _("Someone is reading your request."),
    RequestStatus.WILL_CONTACT: _("We will contact you in one of the safe ways you gave us."),
    RequestStatus.CLOSED: _("Your request is closed."),
    RequestStatus.WITHDRAWN: _("You withdrew your request."),
}


@dataclass(frozen=True, repr=False)
class ThreadEntry:
    kind: str
    text: str | Promise
    created_at: datetime
    author: str = ""
    is_danger: bool = False
    # Only the public inbox key vouches for it: anyone with write access to the database
    # could have written it (staff pages say so).
    inbox_only: bool = False
    # A reply sealed before the author was bound into the seal: the name is not verified.
    author_unbound: bool = False

    def __repr__(self) -> str:
        return f"ThreadEntry({self.kind})"

    @property
    def from_requester(self) -> bool:
        return self.kind == MessageKind.FROM_REQUESTER

    @property
    def is_notice(self) -> bool:
        return self.kind == MessageKind.NOTICE


@dataclass(frozen=True, repr=False)
class StaffThread:
    """A request's thread for a staff page: the entries shown, and the ids of forged rows
    (never shown)."""

    entries: list[ThreadEntry]
    forged_ids: list[int]

    def __repr__(self) -> str:
        return f"StaffThread({len(self.entries)} entries, {len(self.forged_ids)} forged)"


def requester_status_text(help_request: HelpRequest) -> str | Promise:
    return REQUESTER_STATUS_TEXT[help_request.status]


def _author(checked: CheckedMessage) -> str:
    author = checked.message.author
    return author.username if author is not None else ""


def _staff_entry(checked: CheckedMessage, with_authors: bool) -> ThreadEntry:
    message = checked.message
    notice = checked.notice
    return ThreadEntry(
        message.kind,
        checked.body if notice is None else notice.label,
        message.created_at,
        author=_author(checked) if with_authors else "",
        is_danger=notice is Notice.DANGER,
        inbox_only=checked.voucher is Voucher.INBOX,
        author_unbound=checked.voucher is Voucher.DATA_KEY_AUTHOR_UNBOUND,
    )


def thread_for_staff(
    help_request: HelpRequest, opened: OpenedRecord, *, with_authors: bool = True
) -> StaffThread:
    """Every message and notice of the request that passes its check, oldest first;
    ``with_authors``: with the username of the staff member who wrote each reply (else left
    empty)."""
    thread = check_thread(help_request, opened)
    entries = [_staff_entry(checked, with_authors) for checked in thread.messages]
    return StaffThread(entries, [message.pk for message in thread.forged])


def thread_for_requester(help_request: HelpRequest, opened: OpenedRecord) -> list[ThreadEntry]:
    """The messages the person and staff wrote, without notices and without staff names (a
    danger check-in must leave nothing on the person's screen). A forged row is left
    out without a trace: an alarm written here would tell whoever forged it when the person
    looked (the staff page raises it)."""
    thread = check_thread(help_request, opened, kinds=REQUESTER_THREAD_KINDS)
    return [
        ThreadEntry(checked.message.kind, checked.body, checked.message.created_at)
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

    def __repr__(self) -> str:
        return "DetailsView(<redacted>)"


def details_view(help_request: HelpRequest, details: RequestDetails) -> DetailsView:
    countries = dict(places.country_choices())
    languages = dict(places.language_choices())
    citizenship_names = dict(places.citizenship_choices())
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
    )
