"""Travel rows of a case: the pathways it pursues and their steps, the travel documents its
people hold, and the routes saved for it.

Pathways and their steps are sealed under the case's casework key (their kind, state, dates and
owners stay in clear: the case page lists them and reports count them by kind). Travel
documents and saved routes are sealed under the case's **travel** compartment (a route is the
most dangerous thing to leak); in clear only what a reminder or an override queue needs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehaven.cases.models import Case, CasePerson
from safehaven.core.coarse_time import this_hour
from safehaven.keys.fields import SealedField, SealedItemMixin, who_and_when
from safehaven.travel.choices import (
    BookingStatus,
    FollowUpOutcome,
    PathwayKind,
    PathwayState,
    RouteStatus,
    StepOutcome,
    TravelDocumentKind,
)


class CasePathway(SealedItemMixin, models.Model):
    """A pathway a case pursues. Sealed, under the casework key: ``notes`` (always a value, ""
    when none was given, so a row inserted around the application is forged). In clear: the
    kind, state, owner and the days it started and ended; the state and end day are bound into
    the notes' seal, so a pathway ended (or revived) in the database no longer opens."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pathways")
    kind = models.CharField(max_length=24, choices=PathwayKind.choices)
    state = models.CharField(
        max_length=14, choices=PathwayState.choices, default=PathwayState.ACTIVE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    notes = SealedField(required=True)

    class Meta:
        ordering = ["started_on", "pk"]
        indexes = [models.Index(fields=["kind", "state"], name="travel_pathway_kind")]

    def __str__(self) -> str:
        return f"pathway {self.kind} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        ended = self.ended_on.isoformat() if self.ended_on else "-"
        return (
            f"{super().sealed_binding(name)}|v1|kind={self.kind}|state={self.state}|ended={ended}"
        )


class PathwayStep(SealedItemMixin, models.Model):
    """One step of a case's pathway (a step of the catalogue). Sealed, under the casework key:
    ``note`` (always a value, "" when none was given). In clear: due and done days, owner and
    outcome, so a caseworker's own page lists what is due without opening anything; the
    outcome and done day are bound into the note's seal."""

    pathway = models.ForeignKey(CasePathway, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    due_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(
        max_length=8, choices=StepOutcome.choices, default=StepOutcome.PENDING, blank=True
    )
    done_on = models.DateField(null=True, blank=True)
    note = SealedField(required=True)

    class Meta:
        ordering = ["pathway", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "step"], name="travel_pathway_step_unique")
        ]
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                condition=Q(outcome=""),
                name="travel_step_open",
            ),
        ]

    def __str__(self) -> str:
        return f"step {self.step} of pathway #{self.pathway_id}"

    def sealed_binding(self, name: str) -> str:
        done = self.done_on.isoformat() if self.done_on else "-"
        return (
            f"{super().sealed_binding(name)}|v1|pathway={self.pathway_id}|step={self.step}"
            f"|outcome={self.outcome}|done={done}"
        )


class TravelDocument(SealedItemMixin, models.Model):
    """A passport, visa or other travel document a person of the case holds. Sealed, under the
    travel key: ``details`` (JSON: issuing country, the country a visa is for, number, valid
    until). In clear: the kind and ``remind_on``, the Monday of the week a reminder falls due
    before it expires (a week, not the expiry day), so reminders need no key. ``remind_on``
    and ``removed_at`` are bound into the seal: removing re-seals, so a removed document a
    database writer restores (or one whose reminder week is moved) no longer opens."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="travel_documents")
    person = models.ForeignKey(
        CasePerson, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=18, choices=TravelDocumentKind.choices)
    remind_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=this_hour)
    removed_at = models.DateTimeField(null=True, blank=True)
    details = SealedField(required=True)

    class Meta:
        ordering = ["added_at", "pk"]
        indexes = [
            models.Index(
                fields=["remind_on"],
                condition=Q(removed_at__isnull=True, remind_on__isnull=False),
                name="travel_document_reminder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|kind={self.kind}|person={self.person_id or '-'}"
            f"|{who_and_when('added_by', self.added_by_id, self.added_at)}"
            f"|remind={self.remind_on.isoformat() if self.remind_on else '-'}"
            f"|removed={int(self.removed_at.timestamp()) if self.removed_at else '-'}"
        )


class SavedRoute(SealedItemMixin, models.Model):
    """A route chosen for a case. Sealed, under the travel key: ``route`` (JSON: legs, places,
    visa notes, the inputs and data dates behind it) and ``override_reason``. In clear: the
    status, who saved it and when (the hour), who allowed it and when. The status and override
    are bound into the route's seal: a row switched to "saved" in the database without a
    supervisor's override no longer opens."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="saved_routes")
    status = models.CharField(max_length=16, choices=RouteStatus.choices)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=this_hour)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    route = SealedField(required=True)
    override_reason = SealedField()

    class Meta:
        ordering = ["-saved_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status"],
                condition=Q(status=RouteStatus.NEEDS_OVERRIDE),
                name="travel_route_needs_override",
            ),
        ]

    def __str__(self) -> str:
        return f"route {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|status={self.status}"
            f"|{who_and_when('saved_by', self.saved_by_id, self.saved_at)}"
            f"|{who_and_when('override_by', self.override_by_id, self.override_at)}"
        )


class FollowUp(SealedItemMixin, models.Model):
    """A follow-up after the case's people arrived, about 1, 3, 6 or 12 months after arrival.
    Sealed, under the casework key: ``notes`` (JSON: a note per topic, housing, legal status,
    health and emotional support; always a value, so a row inserted around the application is
    forged). In clear: the months after arrival, the due day (a date, as tasks), the owner, the
    outcome and the day it was logged, so a caseworker's own page lists what is due without
    opening anything; the months, due day, owner, outcome and logged day are bound into the
    seal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(
        max_length=12, choices=FollowUpOutcome.choices, default=FollowUpOutcome.PENDING, blank=True
    )
    logged_on = models.DateField(null=True, blank=True)
    notes = SealedField(required=True)

    class Meta:
        ordering = ["case", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "months"], name="travel_follow_up_unique")
        ]
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                condition=Q(outcome__in=["", "unreachable"]),
                name="travel_follow_up_open",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up at {self.months} months of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        logged = self.logged_on.isoformat() if self.logged_on else "-"
        return (
            f"{super().sealed_binding(name)}|v2|case={self.case_id}|months={self.months}"
            f"|due={self.due_on.isoformat()}|owner={self.owner_id or '-'}"
            f"|outcome={self.outcome}|logged={logged}"
        )

    @property
    def is_open(self) -> bool:
        """Still to be logged (pending, or logged as "could not reach")."""
        return self.outcome in (FollowUpOutcome.PENDING, FollowUpOutcome.UNREACHABLE)


class Booking(SealedItemMixin, models.Model):
    """A booking of a case's journey. Sealed, under the travel key: ``details`` (JSON: the
    saved route it came from, the travellers, each segment's places, times, carrier and booking
    reference, each traveller's ticked checklist, a cancellation's reason). In clear only the
    case, the status, who made it and the hour. The status is bound into the seal: a row
    switched to "confirmed" in the database no longer opens, and a tick is sealed, so no
    database writer can tick a document."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=this_hour)
    details = SealedField(required=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"booking {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|status={self.status}"
            f"|{who_and_when('created_by', self.created_by_id, self.created_at)}"
        )


# Each feature's own models, gathered here so that Django registers them with this app.
from safehaven.travel.alarms.models import JourneyAlert  # noqa: E402
from safehaven.travel.check_ins.models import ExpectedCheckIn  # noqa: E402
from safehaven.travel.on_call.models import OnCallShift  # noqa: E402
from safehaven.travel.referral_packages.models import ReferralConsent  # noqa: E402
from safehaven.travel.tickets.models import TicketFile  # noqa: E402

__all__ = [
    "Booking",
    "CasePathway",
    "ExpectedCheckIn",
    "FollowUp",
    "JourneyAlert",
    "OnCallShift",
    "PathwayStep",
    "ReferralConsent",
    "SavedRoute",
    "TicketFile",
    "TravelDocument",
]
