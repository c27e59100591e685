"""The filter form of the audit log page."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent


class AuditFilterForm(forms.Form):
    event_type = forms.ChoiceField(
        label=_("Event"), choices=[("", _("Any event")), *EventType.choices], required=False
    )
    actor = forms.CharField(
        label=_("Staff name"),
        help_text=_("A part of the username is enough."),
        max_length=150,
        required=False,
        validators=[UnicodeUsernameValidator()],
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_actor(self) -> str:
        return str(self.cleaned_data["actor"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data
        if data["event_type"]:
            events = events.filter(event_type=data["event_type"])
        if data["actor"]:
            events = events.filter(actor__username__icontains=data["actor"])
        # Ranges on the column itself (not __date) so the created_at index is used.
        if data["date_from"]:
            events = events.filter(created_at__gte=_start_of(data["date_from"]))
        if data["date_to"] and data["date_to"] < date.max:
            events = events.filter(created_at__lt=_start_of(data["date_to"] + timedelta(days=1)))
        return events

    def describe(self) -> str:
        """The filters in use, for the AUDIT_VIEWED event: types and dates, never a name."""
        data = self.cleaned_data
        parts = []
        if data["event_type"]:
            parts.append(f"type={data['event_type']}")
        if data["actor"]:
            parts.append("actor=filtered")
        if data["date_from"]:
            parts.append(f"from={data['date_from'].isoformat()}")
        if data["date_to"]:
            parts.append(f"to={data['date_to'].isoformat()}")
        return "; ".join(parts)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
