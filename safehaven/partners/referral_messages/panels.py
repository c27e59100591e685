"""The case page's "Messages with partners" panel: for each of the case's requests a partner
referred, whether the partner wrote and when, with a link to the messages. Clear columns only:
nothing is opened here (the messages page opens and checks each one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q
from django.http import HttpRequest

from safehaven.cases.models import Case
from safehaven.cases.panels import casework_viewer
from safehaven.intake.access import requests_visible_to
from safehaven.intake.models import HelpRequest
from safehaven.partners.choices import MessageDirection


@dataclass(frozen=True)
class ReferralMessagesRow:
    help_request: HelpRequest
    from_partner: int
    last_from_partner: datetime | None
    last_from_staff: datetime | None

    @property
    def awaits_answer(self) -> bool:
        """The partner wrote last (in the hour the messages keep)."""
        if self.last_from_partner is None:
            return False
        return self.last_from_staff is None or self.last_from_partner > self.last_from_staff


def referral_messages_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    from_partner = Q(referral_messages__direction=MessageDirection.FROM_PARTNER)
    from_staff = Q(referral_messages__direction=MessageDirection.FROM_STAFF)
    referred = (
        requests_visible_to(viewer.user)
        .filter(pk__in=case.people.values("help_request_id"), referred_by__isnull=False)
        .select_related("referred_by")
        .annotate(
            from_partner=Count("referral_messages", filter=from_partner),
            last_from_partner=Max("referral_messages__created_at", filter=from_partner),
            last_from_staff=Max("referral_messages__created_at", filter=from_staff),
        )
        .order_by("pk")
    )
    rows = [
        ReferralMessagesRow(item, item.from_partner, item.last_from_partner, item.last_from_staff)
        for item in referred
    ]
    if not rows:
        return None
    return {"partner_messages": {"case": case, "rows": rows}}
