"""How the audit log names a help request (its number, linked to its trail) and words the
details of intake's events in the reader's language. Registered in ``IntakeConfig.ready``."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest


def request_labels(refs: set[str]) -> dict[str, tuple[str, str]]:
    record_ids = []
    for ref in refs:
        try:
            record_ids.append(uuid.UUID(ref))
        except ValueError:
            continue
    found = HelpRequest.objects.filter(record_id__in=record_ids).values_list("record_id", "pk")
    return {
        str(record_id): (
            _("Request #%(number)s") % {"number": pk},
            reverse("intake-show-request-trail", kwargs={"request_id": pk}),
        )
        for record_id, pk in found
    }


def status_change_wording(detail: str) -> str:
    old, new = detail.split(" -> ")
    return _("%(old)s → %(new)s") % {
        "old": RequestStatus(old).label,
        "new": RequestStatus(new).label,
    }
