"""The model of referral consents (gathered by ``travel.models``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safehaven.cases.models import Case, CasePerson
from safehaven.core.coarse_time import this_hour
from safehaven.keys.fields import SealedField, SealedItemMixin, who_and_when
from safehaven.travel.choices import ReferralRecipient


class ReferralConsent(SealedItemMixin, models.Model):
    """A person's consent to share their information with one recipient (UNHCR, a government,
    a sponsor group), recorded before any package for that recipient is made.

    Sealed, under the case's casework key: ``details`` (JSON: the recipient's name and
    contact, how and when the person agreed, a note; always a value). In clear: the case, the
    person, the kind of recipient, who recorded it and the hour, and ``withdrawn_at``, all
    bound into the seal (a consent withdrawn, or revived, in the database no longer opens)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referral_consents")
    person = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="+")
    recipient_kind = models.CharField(max_length=14, choices=ReferralRecipient.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=this_hour)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    details = SealedField(required=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"referral consent {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        withdrawn = int(self.withdrawn_at.timestamp()) if self.withdrawn_at else "-"
        return (
            f"{super().sealed_binding(name)}|v1|case={self.case_id}|person={self.person_id}"
            f"|recipient={self.recipient_kind}|withdrawn={withdrawn}"
            f"|{who_and_when('recorded_by', self.recorded_by_id, self.recorded_at)}"
        )
