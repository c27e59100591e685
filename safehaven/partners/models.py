"""Partner organisations' own rows: vetting, API tokens and the messages about a referral.

A partner organisation itself is an ``accounts.Organisation`` of kind partner, with a partner
team whose key its referrals are wrapped to. Its members are ``accounts.User`` rows with a
partner membership: what is kept in clear about them, and why no more, is in SECURITY.md
("Partner organisations").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safehaven.accounts.models import Organisation, Team
from safehaven.core.coarse_time import this_hour
from safehaven.intake.models import HelpRequest
from safehaven.keys.fields import SealedField, SealedItemMixin, who_and_when
from safehaven.partners.choices import MessageDirection, VettingStatus


class PartnerVetting(models.Model):
    """Where the relocating organisation stands with one partner organisation.

    Nothing sealed. In clear: ``status``, ``review_on`` (the date it is looked at again),
    ``notes`` about the organisation and how it was checked (the form says never to name its
    members or the people it refers), ``changed_at`` (the hour) and who changed it last. A
    partner organisation without a row is pending.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="partner_vetting"
    )
    status = models.CharField(
        max_length=10, choices=VettingStatus.choices, default=VettingStatus.PENDING
    )
    notes = models.TextField(blank=True, max_length=2000)
    review_on = models.DateField(null=True, blank=True)
    changed_at = models.DateTimeField(default=this_hour)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suspended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"vetting of organisation #{self.organisation_id}"

    @property
    def is_suspended(self) -> bool:
        return self.status == VettingStatus.SUSPENDED


class ApiToken(models.Model):
    """A partner organisation's API token: shown once when made; only an HMAC of it is kept,
    under a key derived from SECRET_KEY (never in the database) and binding the token's
    organisation, team and expiry, so a database writer can neither plant a token nor move or
    extend one (``partners/api/tokens.py``). ``prefix`` (the first characters, not enough to
    use it) finds the row and lets people tell their tokens apart.

    Nothing sealed. In clear: the organisation and its partner team (whose key new referrals
    are wrapped to), ``label``, who made it, when, ``expires_at``, ``revoked_at`` and
    ``last_used_at`` (the hour).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"API token #{self.pk} of organisation #{self.organisation_id}"


class ReferralMessage(SealedItemMixin, models.Model):
    """A message between a referring partner and the organisation's staff about one referral,
    apart from the person's own thread (the person never reads it; nothing is wrapped to their
    codename).

    Sealed: ``body``, under the request's own data key, which both sides hold (the partner's
    team and triage): never the public inbox key, which anyone with the database could seal
    to. In clear: ``direction``, ``author`` and ``created_at`` (the hour), all bound into the
    seal with the item id.
    """

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="referral_messages"
    )
    direction = models.CharField(max_length=8, choices=MessageDirection.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=this_hour)
    body = SealedField(required=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"referral message {self.item_id}"

    def sealed_binding(self, name: str) -> str:
        written = who_and_when("author", self.author_id, self.created_at)
        return f"{super().sealed_binding(name)}|v1|{self.direction}|{written}"
