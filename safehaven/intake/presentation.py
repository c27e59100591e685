"""Turning opened requests and threads into what a page shows, with labels in the page's
language. Nothing here reads a key or writes anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safehaven.intake import places
from safehaven.intake.choices import (
    ContactMethod,
    MessageKind,
    Notice,
    PassportStatus,
    RequestStatus,
    RiskIndicator,
    notice_from,
)
from safehaven.intake.models import HelpRequest, RequestMessage
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

    def __repr__(self) -> str:
        return f"ThreadEntry({self.kind})"

    @property
    def from_requester(self) -> bool:
        return self.kind == MessageKind.FROM_REQUESTER

    @property
    def is_notice(self) -> bool:
        return self.kind == MessageKind.NOTICE


def requester_status_text(help_request: HelpRequest) -> str | Promise:
    return REQUESTER_STATUS_TEXT[help_request.status]


def _body(message: RequestMessage, opened: OpenedRecord) -> str:
    return message.open_with(opened).sealed("body") or ""


def thread_for_staff(
    help_request: HelpRequest, opened: OpenedRecord, *, with_authors: bool = True
) -> list[ThreadEntry]:
    """Every message and notice of the request, opened, oldest first; ``with_authors``: with
    the username of the staff member who wrote each reply (else left empty)."""
    entries = []
    for message in help_request.messages.select_related("author"):
        body = _body(message, opened)
        author = message.author.username if with_authors and message.author is not None else ""
        notice = notice_from(body) if message.kind == MessageKind.NOTICE else None
        if notice is not None:
            entries.append(
                ThreadEntry(
                    message.kind,
                    notice.label,
                    message.created_at,
                    author,
                    is_danger=notice is Notice.DANGER,
                )
            )
        else:
            entries.append(ThreadEntry(message.kind, body, message.created_at, author))
    return entries


def thread_for_requester(help_request: HelpRequest, opened: OpenedRecord) -> list[ThreadEntry]:
    """The messages the person and staff wrote, without notices and without staff names:
    a danger check-in must leave nothing on the person's screen."""
    messages = help_request.messages.exclude(kind=MessageKind.NOTICE)
    return [
        ThreadEntry(message.kind, _body(message, opened), message.created_at)
        for message in messages
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
