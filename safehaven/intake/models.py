"""Help requests, their message threads, referral codes and requesters' status sessions.

What is in clear is only what triage and reporting need and what cannot identify a person on
its own; everything a person typed is sealed under the request's data key (docs/keys.md). Each
model's docstring lists its sealed and in-clear fields; why: SECURITY.md, "What is sealed and
what is in clear".
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehaven.accounts.models import Organisation, Team
from safehaven.core.coarse_time import this_hour
from safehaven.core.indexes import index_where_set
from safehaven.countries.models import Crisis
from safehaven.intake.choices import (
    INBOX_KINDS,
    AttachmentKind,
    MessageKind,
    RequestChannel,
    RequestStatus,
    RiskBand,
)
from safehaven.keys.fields import SealedField, SealedItemMixin, SealedRecordMixin, who_and_when


class HelpRequest(SealedRecordMixin, models.Model):
    """One request for help, as received from the public form.

    Sealed: ``situation``, ``region`` (free text), ``place_region`` (the code of the coarse
    region chosen from the form's list, or ""), ``citizenships``, ``language_other``, ``contacts``,
    ``contact_times``, ``may_leave_message``, ``risk_indicators``, ``companions``,
    ``passport``, ``visas``, ``referral_code`` as typed, and the HMAC digests of the check-in
    and danger phrases (``checkin_phrase_digest``, ``duress_phrase_digest``; a random stand-in
    of the same length when there is no danger phrase), ``known_as`` (a name a referring
    partner gave).

    In clear: ``country``, ``languages`` (curated codes), ``page_language``, ``risk_score``
    and ``risk_band`` (the place's term included), ``crisis`` (the crisis its place fell in
    on arrival), ``status``, ``received_month``, ``referred_by``,
    ``has_checkin_phrase``, ``check_in_unacknowledged``, ``consented_on``, ``unread_since``,
    the withdrawal and erasure times (to the hour), ``codename_hash`` (a peppered HMAC,
    lookup only; NULL for a partner's referral until the person has a status page),
    ``status_code_expires_at``, ``channel`` (form, portal, API or import) and
    ``thread_record_id`` (the id of the thread's own record key). Why each
    is sealed or in clear, and what an erasure leaves: SECURITY.md, "What is sealed and what
    is in clear".
    """

    # NULL once erased: many erased rows must not collide on "" under the unique constraint.
    codename_hash = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    country = models.CharField(max_length=2)
    languages = models.JSONField(default=list)
    page_language = models.CharField(max_length=10, blank=True)
    risk_score = models.PositiveSmallIntegerField(default=0)
    risk_band = models.CharField(max_length=10, choices=RiskBand.choices)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_month = models.DateField(help_text="First day of the month the request arrived.")
    # Indexed only where set (Meta.indexes): a request without a referral touches no page of it.
    referred_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Indexed only where set (Meta.indexes), for the queue's crisis filter.
    crisis = models.ForeignKey(
        Crisis, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    has_checkin_phrase = models.BooleanField(default=False)
    consented_on = models.DateField()
    channel = models.CharField(
        max_length=8, choices=RequestChannel.choices, default=RequestChannel.FORM
    )
    # Set while ``codename_hash`` is the hash of a one-time status code a key holder sent the
    # person (a partner's referral has no codename): the code opens only the page where the
    # person chooses their own codename, and nothing at all after this time.
    status_code_expires_at = models.DateTimeField(null=True, blank=True)
    # Set by requester activity (a message, a check-in, new contact details); cleared when
    # triage opens the request. The sealed notice says which, so a danger check-in looks like
    # any other activity here.
    unread_since = models.DateTimeField(null=True, blank=True)
    # Set by every check-in, ordinary or danger, until a key holder acknowledges it (opening
    # the request is not enough); while set on a withdrawn request, its erasure is held.
    check_in_unacknowledged = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    shred_due_at = models.DateTimeField(null=True, blank=True)
    shredded_at = models.DateTimeField(null=True, blank=True)
    # The record of the request's thread (messages, notices, check-ins, acknowledgements):
    # a key of its own, so that an interpreter can be given the messages without the story.
    # NULL for requests made before: their thread is sealed under the request's own key.
    thread_record_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    situation = SealedField()
    region = SealedField()
    place_region = SealedField()
    citizenships = SealedField()
    language_other = SealedField()
    contacts = SealedField()
    contact_times = SealedField()
    may_leave_message = SealedField()
    risk_indicators = SealedField()
    companions = SealedField()
    passport = SealedField()
    visas = SealedField()
    referral_code = SealedField()
    checkin_phrase_digest = SealedField()
    duress_phrase_digest = SealedField()
    # The name the person uses, as a referring partner gave it (the public form asks none).
    known_as = SealedField()

    class Meta:
        ordering = ["-risk_score", "pk"]
        indexes = [
            models.Index(fields=["status", "-risk_score"], name="intake_request_triage"),
            models.Index(fields=["received_month", "country"], name="intake_request_figures"),
            models.Index(
                fields=["shred_due_at"],
                condition=Q(shredded_at__isnull=True, shred_due_at__isnull=False),
                name="intake_request_shred_due",
            ),
            index_where_set("referred_by", name="intake_request_referred_by"),
            index_where_set("crisis", name="intake_request_crisis"),
        ]

    def __str__(self) -> str:
        return f"request #{self.pk}"

    @property
    def message_record_id(self) -> uuid.UUID:
        """The record the thread is sealed under: its own, or the request's for a request made
        before threads had a key of their own."""
        return self.thread_record_id if self.thread_record_id is not None else self.record_id

    @property
    def record_ids(self) -> list[uuid.UUID]:
        """Every record of the request: the request's own and, when it has one, its thread's."""
        return [self.record_id] + ([self.thread_record_id] if self.thread_record_id else [])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_shredded(self) -> bool:
        return self.shredded_at is not None

    @property
    def planned_erasure(self) -> datetime | None:
        """When a withdrawn request is erased if no check-in holds it."""
        if self.withdrawn_at is None:
            return None
        # withdrawn_at keeps only the hour (SECURITY.md, "Coarse times"): the grace counts
        # from the end of that hour, so it is never shorter than promised.
        return self.withdrawn_at + timedelta(hours=1) + settings.INTAKE_WITHDRAWAL_GRACE

    @property
    def latest_erasure(self) -> datetime | None:
        """The latest a withdrawn request can be erased: a check-in holds the erasure at most
        ``CHECK_IN_ERASURE_HOLD`` past the plan. What the person is told, whatever they typed."""
        planned = self.planned_erasure
        return None if planned is None else planned + CHECK_IN_ERASURE_HOLD


# How long an unacknowledged check-in on a withdrawn request holds its erasure, at most.
CHECK_IN_ERASURE_HOLD = timedelta(days=7)


def author_and_hour(row: RequestMessage | InternalNote) -> str:
    """The part of a message's or note's binding that says who wrote it and in which hour."""
    return who_and_when("author", row.author_id, row.created_at)


class RequestMessage(SealedItemMixin, models.Model):
    """One message of a request's thread, sealed under the thread's record key
    (``HelpRequest.message_record_id``: the request's own key for requests made before threads
    had one); ``record_id`` is that record's id.

    Sealed: ``body`` (a message, a notice, or an acknowledgement of a check-in); the person's
    messages and notices to the request's inbox key, staff replies and acknowledgements under
    its data key, never the inbox key. In clear: ``kind``, ``author`` and ``created_at`` (the
    hour), all three bound into the body's seal (``sealed_binding``, checked by
    ``intake.thread.message_checks``). Why: SECURITY.md, "Outside review of the key layer and
    the status page", finding 3.
    """

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The hour only: most messages are a requester's action (core.coarse_time).
    created_at = models.DateTimeField(default=this_hour)
    body = SealedField(accepts_inbox=True, required=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.item_id}"

    def sealed_binding(self, name: str) -> str:
        # The kind and the author decide how a body is shown ("We wrote", a name), and the
        # hour where: an old reply ("meet at ...") re-dated would otherwise show as the newest.
        return f"{self.legacy_binding(name)}|v3|kind={self.kind}|{author_and_hour(self)}"

    def undated_binding(self, name: str) -> str:
        """The binding of bodies sealed before the hour was bound in: kind and author only.
        Such rows still open, under the rules of ``intake.thread.message_checks``."""
        author = self.author_id if self.author_id is not None else "-"
        return f"{self.legacy_binding(name)}|v2|kind={self.kind}|author={author}"

    def legacy_binding(self, name: str) -> str:
        """The binding of bodies sealed before kind and author were bound in: the item id
        only. Such rows still open, under the rules of ``intake.thread.message_checks``."""
        return super().sealed_binding(name)

    def seal_for_inbox(self, name: str, value: str | bytes) -> None:
        if self.kind not in INBOX_KINDS:
            raise ValueError(f"A message of kind {self.kind!r} is never sealed to the inbox key.")
        super().seal_for_inbox(name, value)


class InternalNote(SealedItemMixin, models.Model):
    """A note staff keep on a request, apart from the person's thread: the person never reads
    it, and neither do partners.

    Sealed: ``body``, under the request's data key (never the inbox key: only a key holder
    writes a note). In clear: ``author`` and ``created_at`` (the hour), both bound into the
    body's seal with the item id (``sealed_binding``), so a row written or moved around the
    application does not open. It shares the request's ``record_id``: shredding the request
    blanks it.
    """

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=this_hour)
    body = SealedField(required=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"internal note {self.item_id}"

    def sealed_binding(self, name: str) -> str:
        # Who wrote it and when: a note moved to another author or hour must not open.
        return f"{super().sealed_binding(name)}|v1|{author_and_hour(self)}"


class RequestAttachment(SealedItemMixin, models.Model):
    """A file the person sent from their status page (a photo of a document), re-encoded
    without metadata before sealing (``core.uploads``); its original name is never kept.

    Sealed to the request's inbox key, like the person's messages (they arrive with nobody's
    key present): ``content`` and ``content_type``. In clear: ``kind`` and ``created_at`` (the
    hour), both bound into the seal with the item id (``sealed_binding``), so a row moved to
    another request, kind or hour does not open. The size of the ciphertext is in clear, as
    for any sealed value. It shares the request's ``record_id``: shredding the request blanks
    it (and the erasure deletes it).
    """

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(
        max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.DOCUMENT_PHOTO
    )
    # The hour only: it is a requester's action (core.coarse_time).
    created_at = models.DateTimeField(default=this_hour)
    content = SealedField(accepts_inbox=True, required=True)
    content_type = SealedField(accepts_inbox=True, required=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"attachment {self.item_id}"

    def sealed_binding(self, name: str) -> str:
        at = int(self.created_at.timestamp())
        return f"{super().sealed_binding(name)}|v1|kind={self.kind}|at={at}"


class ContactHint(models.Model):
    """A truncated blind index of one contact detail (core.crypto_blind_index): a hint that
    two requests may come from the same person, to be confirmed by reading both. Nothing is
    sealed; 18 bits cannot be turned back into a number or a handle."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="contact_hints"
    )
    kind = models.CharField(max_length=10)
    index = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "index"], name="intake_contact_hint")]

    def __str__(self) -> str:
        return f"{self.kind} hint of request #{self.help_request_id}"


class ReferralCode(models.Model):
    """A code a partner organisation gives the people it refers, so their requests are also
    wrapped to the partner's team. Only an HMAC of the code is stored (its own pepper, derived
    from the codename pepper), so a database leak does not hand out working codes. Nothing is
    sealed: a code names an organisation, never a person."""

    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"referral code #{self.pk} of {self.organisation}"


class StatusSession(models.Model):
    """A requester's short status session (15 minutes idle), opened with their codename.

    Sealed: ``sealed_data_key``, the request's data key, and ``sealed_thread_key``, its
    thread's (NULL for a request made before threads had a key of their own), each under a
    random key that lives only in the requester's cookie; the row alone opens nothing, and
    neither does the cookie alone.
    ``session_hash`` is a SHA-256 of the random session id in the cookie.
    """

    session_hash = models.CharField(max_length=64, unique=True, editable=False)
    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="status_sessions"
    )
    sealed_data_key = models.BinaryField()
    sealed_thread_key = models.BinaryField(null=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"status session of request #{self.help_request_id}"
