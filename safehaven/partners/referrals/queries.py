"""Reading a partner's referrals (no state changes here): which, and the status it may see."""

from __future__ import annotations

from django.db.models import QuerySet

from safehaven.accounts.models import Organisation
from safehaven.intake.models import HelpRequest
from safehaven.keys.fields import SealedField

# Never loaded by a list: not even as ciphertext in memory (like ``cases-list-referrals``).
_SEALED = tuple(
    field.name for field in HelpRequest._meta.concrete_fields if isinstance(field, SealedField)
)


def referrals_of(organisation: Organisation | int) -> QuerySet[HelpRequest]:
    """The organisation's referrals not erased (made by it, or sent with one of its referral
    codes), newest first. Nothing sealed is loaded until a caller opens a row."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return (
        HelpRequest.objects.filter(referred_by_id=organisation_id, shredded_at__isnull=True)
        .defer("codename_hash", *_SEALED)
        .order_by("-pk")
    )


def neutral_status(help_request: HelpRequest) -> str:
    """What a partner reads of where a referral stands: the same words its list of referrals
    (``cases-list-referrals``) shows, the status's label in the active language; never the
    case, a route, a place or a name."""
    return str(help_request.get_status_display())
