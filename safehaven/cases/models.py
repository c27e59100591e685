"""Cases: a person, or a household, the organisation works with after triage.

A case holds nothing sealed of its own: what staff add is sealed in the case's compartments
(``CaseCompartment``, one record key each, wrapped only to those who need it); the request as
received and its messages stay the request's own records in ``intake``. Each model's docstring
lists its sealed and in-clear fields. What is in clear is what the queue sorts and filters by
and what reporting counts, none of it naming a person (SECURITY.md, "What is sealed and what is
in clear").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehaven.accounts.models import Organisation, Team
from safehaven.cases.choices import (
    ApprovalDecision,
    AssignmentRole,
    CaseOrigin,
    CaseOutcome,
    CaseState,
    CompartmentKind,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)

# Imported so that Django registers them with this app (a feature's models, gathered here).
from safehaven.cases.contact_log.models import (  # noqa: F401
    CaseNote,
    ContactAttempt,
    SupportSession,
)
from safehaven.cases.duplicates.models import DistinctCasePair  # noqa: F401
from safehaven.core.coarse_time import this_hour
from safehaven.core.indexes import index_where_set
from safehaven.countries.models import Crisis
from safehaven.intake.choices import RiskBand
from safehaven.intake.models import HelpRequest
from safehaven.keys.fields import SealedField, SealedItemMixin, SealedRecordMixin, who_and_when


class Case(models.Model):
    """One case: a person, or a household joined from several requests.

    Nothing sealed. In clear: ``organisation`` (the relocating organisation that owns it),
    ``origin``, ``state`` and ``outcome``, ``country`` and ``languages`` (copied from the primary
    request, or typed after a call), ``risk_score`` (place and indicators only, in steps of 5:
    the waiting term is added when the queue is read, never stored) and ``risk_band``,
    ``received_month`` (the first day of the month the earliest request arrived),
    ``referred_by`` and ``team`` (for the queue's filters), ``crisis`` (copied from the primary
    request: the crisis its place fell in on arrival), ``state_changed_at`` (the hour),
    ``merged_into`` (the case this one was merged into), ``arrived_in`` (the country the person
    arrived in, recorded with the safe arrival for reports: a country, never a city or address).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(max_length=12, choices=CaseOrigin.choices)
    state = models.CharField(max_length=16, choices=CaseState.choices)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    country = models.CharField(max_length=2)
    languages = models.JSONField(default=list)
    risk_score = models.PositiveSmallIntegerField(default=0)
    risk_band = models.CharField(max_length=10, choices=RiskBand.choices)
    received_month = models.DateField(
        help_text="First day of the month the case's first request arrived."
    )
    referred_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    crisis = models.ForeignKey(
        Crisis, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    state_changed_at = models.DateTimeField(default=this_hour)
    # Set when this case was merged into another (closed, outcome "merged"): links follow it.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    arrived_in = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["-risk_score", "pk"]
        indexes = [
            models.Index(fields=["organisation", "state", "-risk_score", "id"], name="cases_queue"),
            models.Index(fields=["country", "-risk_score", "id"], name="cases_queue_country"),
            # The queue counts cases per stored score and month, then fetches the few scores
            # a page spans (cases/queue/pages.py): both read these in index order.
            models.Index(
                fields=["organisation", "risk_score", "received_month"], name="cases_queue_levels"
            ),
            models.Index(
                fields=["country", "organisation", "risk_score", "received_month"],
                name="cases_queue_country_levels",
            ),
            index_where_set("referred_by", name="cases_referred_by"),
            index_where_set("team", name="cases_team"),
            index_where_set("crisis", name="cases_crisis"),
        ]

    def __str__(self) -> str:
        return f"case #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.state == CaseState.CLOSED

    def compartment_record_id(self, kind: CompartmentKind) -> uuid.UUID | None:
        compartment = self.compartments.filter(kind=kind).first()
        return None if compartment is None else compartment.record_id


class CaseCompartment(models.Model):
    """One compartment of a case: the id of its record key (``keys.RecordKey``), so the key and
    its wraps say who can open it. Nothing sealed; the record id is a random UUID."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="compartments")
    kind = models.CharField(max_length=12, choices=CompartmentKind.choices)
    record_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="case_compartment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} compartment of case #{self.case_id}"


class CasePerson(SealedItemMixin, models.Model):
    """One person of a case's household: their request, or what staff typed after a call.

    Sealed, under the case's casework key: ``summary``, ``region``, ``citizenships`` and
    ``contacts`` (only for a person without a request: a request keeps its own, under its own
    key). In clear: ``help_request`` (the link, so each person keeps reading their own thread
    with their own codename; joining a household wraps nothing to another request's codename)
    and ``is_primary``.

    ``link`` is sealed by whoever adds the person, bound to the case id and the request id: a
    row a database writer inserts or re-points has no link that opens, so nothing follows it
    to a request (keys are granted, statuses changed, messages sent only through
    ``cases.links.linked_people``). A row without a link counts as not linked.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    help_request = models.OneToOneField(
        HelpRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="case_person"
    )
    is_primary = models.BooleanField(default=False)
    summary = SealedField()
    region = SealedField()
    citizenships = SealedField()
    contacts = SealedField()
    link = SealedField()

    class Meta:
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(is_primary=True), name="case_one_primary_person"
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        binding = super().sealed_binding(name)
        if name == "link":
            request = self.help_request_id if self.help_request_id is not None else "-"
            binding = f"{binding}|v1|case={self.case_id}|request={request}"
        return binding


class CaseAssignment(SealedRecordMixin, models.Model):
    """Who is given a case: a caseworker (the casework compartment is wrapped to them) or an
    interpreter (the messages of the case's requests are).

    Sealed, under the case's casework key (``record_id``): ``marker``, bound to the case id,
    the user id and the role. Granting again and re-keying honour only an assignment whose
    marker opens: a row a database writer inserts (or one made before markers) opens nothing
    of the case for anyone. In clear: everything else (the queue and the scope need it).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_assignments"
    )
    role = models.CharField(max_length=12, choices=AssignmentRole.choices)
    assigned_at = models.DateTimeField(default=this_hour)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    record_id = models.UUIDField(null=True, db_index=True, editable=False)  # type: ignore[assignment]
    marker = SealedField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "role"], name="case_assignment_unique"),
        ]
        indexes = [models.Index(fields=["user", "role"], name="case_assignment_user")]

    def __str__(self) -> str:
        return f"{self.role} #{self.user_id} on case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|case={self.case_id}|user={self.user_id}"
            f"|role={self.role}"
        )


class CaseTransition(SealedItemMixin, models.Model):
    """One move of a case between states, with its reason.

    Sealed, under the casework key: ``reason`` (free text). In clear: the states, the outcome,
    ``actor`` and the hour, all bound into the reason's seal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=CaseState.choices)
    outcome = models.CharField(max_length=20, choices=CaseOutcome.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=this_hour)
    reason = SealedField(required=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"case #{self.case_id}: {self.from_state or '-'} -> {self.to_state}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|{self.from_state}>{self.to_state}"
            f"|{self.outcome}|{who_and_when('actor', self.actor_id, self.at)}"
        )


class CaseTask(SealedItemMixin, models.Model):
    """A task on a case with a due date.

    Sealed, under the casework key: ``title``. In clear: ``due_on``, ``assignee``,
    ``created_by``, ``done_at`` (the hour): the caseworker's own page lists what is due without
    opening anything. ``done_at`` is bound into the title's seal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = SealedField(required=True)
    due_on = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["assignee", "due_on"],
                condition=Q(done_at__isnull=True),
                name="case_task_open",
            ),
        ]

    def __str__(self) -> str:
        return f"task {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        # Marking a task done re-seals its title with the hour: a row marked done (or undone)
        # in the database no longer opens.
        done = int(self.done_at.timestamp()) if self.done_at is not None else "-"
        return f"{super().sealed_binding(name)}|v1|done={done}"


class VerificationItem(SealedItemMixin, models.Model):
    """One check of a case's verification checklist, as recorded; the newest row of each
    ``item`` is where the checklist stands (older rows are its history).

    Sealed, under the casework key: ``note``. In clear: ``item``, ``status``, ``method``,
    ``partner`` (the partner organisation that attested, never a person), ``actor`` and the
    hour, all bound into the note's seal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verification_items")
    item = models.CharField(max_length=16, choices=VerificationItemKind.choices)
    status = models.CharField(max_length=12, choices=VerificationStatus.choices)
    method = models.CharField(max_length=16, choices=VerificationMethod.choices, blank=True)
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=this_hour)
    note = SealedField(required=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item} check of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        partner = self.partner_id if self.partner_id is not None else "-"
        return (
            f"{super().sealed_binding(name)}|v1|{self.item}|{self.status}|{self.method}"
            f"|partner={partner}|{who_and_when('actor', self.actor_id, self.at)}"
        )


class EvidenceFile(SealedItemMixin, models.Model):
    """A file kept as evidence for a case's verification: re-encoded without metadata before
    sealing (``core.uploads``); its original name is never stored.

    Sealed, under the casework key: ``content``, ``content_type`` and ``description``. In
    clear: ``size_bucket`` (whole megabytes, rounded up: the ciphertext's length says as
    much), ``added_by`` and the hour, bound into the seals with the item id; ``source_request``,
    for a copy of a photo the person sent (the case already links its requests), so that the
    copy goes when that request is erased (``cases.evidence.erasure``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence_files")
    source_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    content = SealedField(required=True)
    content_type = SealedField(required=True)
    description = SealedField(required=True)
    size_bucket = models.PositiveSmallIntegerField(help_text="Megabytes, rounded up.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=this_hour)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"evidence {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        return (
            f"{super().sealed_binding(name)}|v1|{who_and_when('actor', self.added_by_id, self.at)}"
        )


class VerificationApproval(SealedItemMixin, models.Model):
    """A request that a case be approved as verified, and a second person's decision on it
    (never the person who asked). One pending per case.

    Sealed, under the casework key: ``note`` ("" while pending, sealed by the asker; then the
    decider's). In clear: who asked and when (the hour), who decided, the decision and when,
    bound into the note's seal: a row written or changed in the database does not open, and is
    neither decided on nor trusted as an approval."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verification_approvals")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=this_hour)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(
        max_length=10, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING
    )
    note = SealedField(required=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decision="pending"),
                name="case_one_pending_verification",
            ),
        ]

    def __str__(self) -> str:
        return f"verification approval {self.item_id} of case #{self.case_id}"

    def sealed_binding(self, name: str) -> str:
        asked = who_and_when("actor", self.requested_by_id, self.requested_at)
        decided = who_and_when("actor", self.decided_by_id, self.decided_at)
        return f"{super().sealed_binding(name)}|v1|asked:{asked}|{self.decision}:{decided}"
