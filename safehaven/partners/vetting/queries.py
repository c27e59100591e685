"""Reading a partner organisation's vetting (no state changes here)."""

from __future__ import annotations

from safehaven.accounts.models import Organisation
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import PartnerVetting


def is_suspended(organisation: Organisation | int) -> bool:
    """Whether the partner organisation is suspended: it refers nobody and opens nothing."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return PartnerVetting.objects.filter(
        organisation_id=organisation_id, status=VettingStatus.SUSPENDED
    ).exists()
