"""The rows of a case's contact and support log and its casework notes (registered with the
``cases`` app by ``cases.models``).

Every sealed value is sealed under the case's casework compartment (``record_id`` is the
compartment's record id, shared by all rows of the case) and bound to the row's item id and
to what the row says in clear, like ``CaseTransition``: a row written or changed around the
application does not open. The person never reads any of it; partners never open casework.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehaven.cases.contact_log.choices import (
    ConsentKind,
    ContactChannel,
    ContactOutcome,
    SupportKind,
)
from safehaven.core.coarse_time import this_hour
from safehaven.keys.fields import SealedField, SealedItemMixin, who_and_when


class ContactAttempt(SealedItemMixin, models.Model):
    """One attempt to reach the person, successful or not (DOMAIN.md: every attempt is logged).

    Sealed, under casework: ``note``. In clear: ``channel``, ``outcome``, ``actor``, ``at``
    (the hour), all bound into the note's seal, and ``next_try_on`` (not bound: the caseworker's
    own page lists the tries due without opening anything, and a later attempt supersedes it).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="contact_attempts"
    )
    channel = models.CharField(max_length=12, choices=ContactChannel.choices)
    outcome = models.CharField(max_length=14, choices=ContactOutcome.choices)
    next_try_on = models.DateField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=this_hour)
    note = SealedField(required=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["case", "-at", "-id"], name="case_contact_latest"),
            models.Index(
                fields=["next_try_on"],
                condition=Q(next_try_on__isnull=False),
                name="case_contact_next_try",
            ),
        ]

    def __str__(self) -> str:
        return f"contact attempt {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|{self.channel}|{self.outcome}"
            f"|{who_and_when('actor', self.actor_id, self.at)}"
        )


class SupportSession(SealedItemMixin, models.Model):
    """An emotional support session, legal advice, or a counselling or medical referral.

    Sealed, under casework: ``note``. In clear: ``kind``, ``consent_recorded`` and
    ``consent_kind`` (a referral is never logged without the person's agreement to it),
    ``held_on``, ``actor`` and ``at`` (the hour), all bound into the note's seal."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="support_sessions"
    )
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    consent_recorded = models.BooleanField(default=False)
    consent_kind = models.CharField(max_length=10, choices=ConsentKind.choices, blank=True)
    held_on = models.DateField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=this_hour)
    note = SealedField(required=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"support session {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        consent = self.consent_kind if self.consent_recorded else "-"
        return (
            f"{super().sealed_binding(name)}|v1|{self.kind}|consent={consent}"
            f"|held={self.held_on.isoformat()}|{who_and_when('actor', self.actor_id, self.at)}"
        )


class CaseNote(SealedItemMixin, models.Model):
    """A casework note: for those who open the case's casework only. The person never reads
    it; partners never open casework.

    Sealed, under casework: ``body``. In clear: ``author`` and ``at`` (the hour), bound into
    the body's seal."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="casework_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=this_hour)
    body = SealedField(required=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"note {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        return f"{super().sealed_binding(name)}|v1|{who_and_when('actor', self.author_id, self.at)}"
