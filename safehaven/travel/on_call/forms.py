"""The rota's forms: a shift, its times entered as wall-clock times in a chosen time zone; and
the time zone the rota page shows times in."""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation, User
from safehaven.travel.on_call.actions import LAST_POSITION

UTC_NAME = "UTC"


@functools.cache
def zone_names() -> tuple[str, ...]:
    """UTC first, then every IANA zone of the form Area/Place the system knows."""
    places = sorted(name for name in zoneinfo.available_timezones() if "/" in name)
    return (UTC_NAME, *(name for name in places if not name.startswith(("Etc/", "SystemV/"))))


def zone_named(name: str) -> datetime.tzinfo | None:
    """The time zone called ``name``, or None for a name not offered."""
    if name == UTC_NAME:
        return datetime.UTC
    if name not in zone_names():
        return None
    return zoneinfo.ZoneInfo(name)


def in_zone(wall_time: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    """``wall_time`` (naive) as read on a clock in ``zone``; a time the clocks skip is refused
    rather than moved by an hour (an ambiguous one is taken the first time it occurs)."""
    aware = wall_time.replace(tzinfo=zone)
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != wall_time:
        raise ValidationError(
            _("This time does not exist in that time zone (the clocks go forward then).")
        )
    return aware


class ZoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(name, name) for name in zone_names()], **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def wall_clock_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Give the time as YYYY-MM-DD HH:MM.")},
    )


class AddShiftForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    user = StaffChoiceField(label=_("Who is on call"), queryset=User.objects.none())
    starts = wall_clock_field(_("Starts"))
    ends = wall_clock_field(_("Ends"))
    time_zone = ZoneField(
        label=_("Time zone of these times"),
        initial=UTC_NAME,
        help_text=_("Starts and ends are read on a clock in this time zone."),
    )
    position = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        max_value=LAST_POSITION,
        initial=1,
        help_text=_(
            "1 is called first; an alert not acknowledged within 30 minutes goes to the next."
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        staff: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["user"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = zone_named(data.get("time_zone", ""))
        if zone is None:
            return data
        for name in ("starts", "ends"):
            value = data.get(name)
            if value is None:
                continue
            try:
                # The field read the digits in the server's zone: take them back as typed.
                data[f"{name}_at"] = in_zone(timezone.make_naive(value), zone)
            except ValidationError as error:
                self.add_error(name, error)
        return data


class ShowInZoneForm(forms.Form):
    tz = ZoneField(label=_("Show times in"), required=False)
