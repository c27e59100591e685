"""What the audit log shows for each event: request numbers and staff names instead of ids,
and details in the reader's language. Higher apps register how to name their records and word
their events' details (in their ``AppConfig.ready``): accounts imports none of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from safehaven.accounts.models import Role, Team, User
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent

# Given the refs (record ids) of many events, the label and the link of those it knows.
RecordLabels = Callable[[set[str]], dict[str, tuple[str, str]]]
DetailWording = Callable[[str], str]

_record_labels: list[RecordLabels] = []
_detail_wordings: dict[str, DetailWording] = {}

_USER_REF = re.compile(r"\buser #(\d+)")
_TEAM_REF = re.compile(r"\bteam #(\d+)")


def register_record_labels(labels: RecordLabels) -> None:
    _record_labels.append(labels)


def register_detail_wording(event_type: EventType, wording: DetailWording) -> None:
    if event_type.value in _detail_wordings:
        raise ValueError(f"A wording for {event_type.value} is registered already.")
    _detail_wordings[event_type.value] = wording


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    actor_name: str
    object_label: str
    object_url: str
    detail: str


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    events = list(events)
    user_ids = _ids(events, "user", _USER_REF)
    team_ids = _ids(events, "team", _TEAM_REF)
    users = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))
    teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    records: dict[str, tuple[str, str]] = {}
    refs = {event.target_ref for event in events if event.target_type not in ("user", "team")}
    for labels in _record_labels:
        records |= labels({ref for ref in refs if ref})
    return [_row(event, users, teams, records) for event in events]


def _ids(events: list[AuditEvent], target_type: str, pattern: re.Pattern[str]) -> set[int]:
    ids = {int(found) for event in events for found in pattern.findall(event.detail)}
    ids |= {
        int(event.target_ref)
        for event in events
        if event.target_type == target_type and event.target_ref.isdigit()
    }
    if target_type == "user":
        ids |= {event.actor_id for event in events if event.actor_id is not None}
    return ids


def _row(
    event: AuditEvent,
    users: dict[int, str],
    teams: dict[int, str],
    records: dict[str, tuple[str, str]],
) -> AuditRow:
    label, url = records.get(event.target_ref, ("", ""))
    if event.target_type == "user" and event.target_ref.isdigit():
        label = users.get(int(event.target_ref), event.target_ref)
    elif event.target_type == "team" and event.target_ref.isdigit():
        label = teams.get(int(event.target_ref), event.target_ref)
    elif event.target_type and not label:
        label = f"{event.target_type} {event.target_ref}"
    detail = word_detail(event)
    detail = _USER_REF.sub(lambda found: users.get(int(found[1]), found[0]), detail)
    detail = _TEAM_REF.sub(lambda found: teams.get(int(found[1]), found[0]), detail)
    actor = users.get(event.actor_id, "") if event.actor_id is not None else ""
    return AuditRow(event, actor, label, url, detail)


def word_detail(event: AuditEvent) -> str:
    """The detail in the reader's language where a wording is known; else as recorded."""
    wording = _detail_wordings.get(event.event_type) or _WORDINGS.get(event.event_type)
    if wording is None or not event.detail:
        return event.detail
    try:
        return wording(event.detail)
    except (ValueError, KeyError, IndexError):
        return event.detail


def _role(detail: str) -> str:
    value = detail.removeprefix("role=")
    return _("Role: %(role)s") % {"role": Role(value).label}


def _granted(detail: str) -> str:
    return _("to %(whom)s") % {"whom": detail.removeprefix("to ")}


def _revoked(detail: str) -> str:
    return _("from %(whom)s") % {"whom": detail.removeprefix("from ")}


def _audit_viewed(detail: str) -> str:
    parts = detail.split("; ")
    page = parts[0].removeprefix("page ")
    if not page.isdigit():
        return detail
    return "; ".join([_("page %(number)s") % {"number": page}, *parts[1:]])


_WORDINGS: dict[str, DetailWording] = {
    EventType.MEMBERSHIP_ADDED.value: _role,
    EventType.MEMBERSHIP_REMOVED.value: _role,
    EventType.INVITE_SENT.value: _role,
    EventType.RECORD_GRANTED.value: _granted,
    EventType.RECORD_REVOKED.value: _revoked,
    EventType.AUDIT_VIEWED.value: _audit_viewed,
}
