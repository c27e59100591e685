"""Advocacy requests to governments, the cases counted in them and the people named in them.

A request and its inclusions hold nothing about a person: a request is the organisation's
letter to a government office (public addresses, the officer's own text, counts), and an
inclusion says that a case is counted in it with so many people (the case id is staff-side
metadata, never shown to the advocacy role). Who a person is stays sealed under the case's
casework key, in ``AdvocacyNaming`` (docs/advocacy.md; SECURITY.md, "What is sealed and what
is in clear").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehaven.accounts.models import Organisation
from safehaven.advocacy.choices import AdvocacyKind, AdvocacyStatus
from safehaven.cases.models import Case, CasePerson
from safehaven.core.coarse_time import this_hour
from safehaven.countries.models import Crisis
from safehaven.keys.fields import SealedField, SealedItemMixin, who_and_when
from safehaven.travel.models import ReferralConsent


class AdvocacyRequest(models.Model):
    """An emergency-visa or protection request to a government, for a case or a crisis batch.

    Nothing sealed, and nothing about a person: ``government`` (ISO 3166-1 alpha-2), the
    ``programme`` and the ``contact`` (a government office), ``crisis`` (a batch for a crisis),
    ``status`` and its dates, ``outcome`` (the officer's summary of the decision) and the
    numbers of people granted or refused (for reports), ``letter_text`` (the officer's text,
    counts only: names go in the caseworkers' sealed annex), who drafted it and when.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=AdvocacyKind.choices)
    government = models.CharField(max_length=2)
    programme = models.CharField(max_length=200)
    contact = models.CharField(max_length=300)
    crisis = models.ForeignKey(
        Crisis, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=14, choices=AdvocacyStatus.choices, default=AdvocacyStatus.DRAFTED
    )
    sent_on = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    people_granted = models.PositiveIntegerField(null=True, blank=True)
    people_refused = models.PositiveIntegerField(null=True, blank=True)
    letter_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="advocacy_request_status")]

    def __str__(self) -> str:
        return f"advocacy request #{self.pk}"


class AdvocacyInclusion(models.Model):
    """A case counted in a request, with its number of people (the household's rows when it
    was counted). Nothing sealed; a removed inclusion stays, marked, so a crisis batch never
    counts again a case its caseworker took out. At most one counted row per case and request.
    """

    advocacy_request = models.ForeignKey(
        AdvocacyRequest, on_delete=models.CASCADE, related_name="inclusions"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    people = models.PositiveSmallIntegerField()
    included_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    included_at = models.DateTimeField(default=this_hour)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["included_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["advocacy_request", "case"],
                condition=Q(removed_at__isnull=True),
                name="advocacy_case_counted_once",
            ),
        ]
        indexes = [models.Index(fields=["case"], name="advocacy_inclusion_case")]

    def __str__(self) -> str:
        return f"case #{self.case_id} in advocacy request #{self.advocacy_request_id}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class AdvocacyNaming(SealedItemMixin, models.Model):
    """A person of an included case named in the request's annex by a holder of the case's
    casework key, relying on the person's consent to share with a government.

    Sealed, under the case's casework key: ``details`` (JSON: the name as on their documents,
    date of birth, nationality, document number; always a value). In clear: the request, the
    inclusion, the case, the person, the consent relied on, who named them and the hour, and
    ``withdrawn_at``, all bound into the seal: a naming moved to another request, case, person
    or consent, or revived in the database, no longer opens and is never printed."""

    advocacy_request = models.ForeignKey(
        AdvocacyRequest, on_delete=models.CASCADE, related_name="+"
    )
    inclusion = models.ForeignKey(
        AdvocacyInclusion, on_delete=models.CASCADE, related_name="namings"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="+")
    consent = models.ForeignKey(ReferralConsent, on_delete=models.CASCADE, related_name="+")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    named_at = models.DateTimeField(default=this_hour)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    details = SealedField(required=True)

    class Meta:
        ordering = ["named_at", "pk"]

    def __str__(self) -> str:
        return f"naming {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        withdrawn = int(self.withdrawn_at.timestamp()) if self.withdrawn_at else "-"
        return (
            f"{super().sealed_binding(name)}|v1|request={self.advocacy_request_id}"
            f"|inclusion={self.inclusion_id}|case={self.case_id}|person={self.person_id}"
            f"|consent={self.consent_id}|withdrawn={withdrawn}"
            f"|{who_and_when('named_by', self.named_by_id, self.named_at)}"
        )
