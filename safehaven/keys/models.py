"""Key material of the sealed-data layer (docs/keys.md).

Nothing in these tables is plaintext identifying data, and no row holds a usable secret on its
own: private keys are protected with a password, wrapped (HPKE) to a public key, or sealed with
a record's data key. Public keys and ids are in clear because the server needs them to seal
and wrap with nobody present. Losing every row of these tables (a shred) makes the matching
sealed fields unreadable for good; that is the point of crypto-shredding.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation, Team
from safehaven.core.coarse_time import this_hour
from safehaven.core.indexes import index_where_set
from safehaven.keys.public_key_tags import PublicKeyKind, ReplaceablePublicKey, TaggedPublicKey


class UserKeyPair(ReplaceablePublicKey):
    """A staff user's X25519 key pair.

    Sealed: ``protected_private_key`` (Argon2id from the user's password, so the database and
    the server's secrets together still cannot open it). In clear: ``public_key``, so anyone may
    grant the user access without the user being present. ``suspended_at`` is set by a duress
    login: while set, nothing is opened through this user's wraps.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="key_pair"
    )
    public_key = models.BinaryField(max_length=32)
    protected_private_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    suspended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"key pair of user #{self.user_id}"

    def public_key_owner(self) -> tuple[PublicKeyKind, Sequence[object]]:
        return PublicKeyKind.USER, (self.user_id,)


class DuressPassword(models.Model):
    """A second password that logs in to an empty workspace and silently suspends the keys.

    Only a Django password hash is stored (the same hasher as the real password, so both cost
    the same to check); nothing is sealed with it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duress_password"
    )
    password_hash = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"duress password of user #{self.user_id}"


class EscrowKey(TaggedPublicKey):
    """The organisation's escrow key pair: it can open every team key and record key.

    Sealed: the private key, only inside :class:`EscrowShare` rows (two administrators are
    needed to open it) and on the printed recovery sheet. One escrow key per deployment.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="escrow_key"
    )
    public_key = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    sheet_printed_at = models.DateTimeField(null=True, blank=True)
    sheet_print_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"escrow key #{self.pk}"

    def public_key_owner(self) -> tuple[PublicKeyKind, Sequence[object]]:
        return PublicKeyKind.ESCROW, (self.organisation_id,)


class EscrowShare(models.Model):
    """The escrow private key for one pair of administrators.

    Sealed: ``sealed_private`` is the escrow private key under a random key K; K is the XOR of
    two random shares, ``share_a`` wrapped to ``admin_a``'s public key and ``share_b`` to
    ``admin_b``'s. Either share alone is uniformly random, so one administrator (or a thief of
    one administrator's password) learns nothing about K.
    """

    escrow = models.ForeignKey(EscrowKey, on_delete=models.CASCADE, related_name="shares")
    # PROTECT: deleting a user must go through the holder check, never silently drop shares.
    admin_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    admin_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    share_a = models.BinaryField()
    share_b = models.BinaryField()
    sealed_private = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["escrow", "admin_a", "admin_b"], name="escrow_share_pair_unique"
            ),
            models.CheckConstraint(
                condition=Q(admin_a__lt=F("admin_b")), name="escrow_share_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"escrow share of users #{self.admin_a_id} + #{self.admin_b_id}"


class TeamKey(TaggedPublicKey):
    """One version of a team's key pair (triage, a caseworker team, a partner organisation).

    Sealed: the private key, only inside :class:`TeamKeyWrap` rows. Members keep wraps of every
    version, because records granted before a rotation are layered under the newer versions
    (docs/keys.md, "Teams and rotation with nobody's key present").
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="keys")
    version = models.PositiveIntegerField()
    public_key = models.BinaryField(max_length=32)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "version"]
        constraints = [
            models.UniqueConstraint(fields=["team", "version"], name="team_key_version_unique"),
            models.UniqueConstraint(
                fields=["team"], condition=Q(active=True), name="team_key_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"team #{self.team_id} key v{self.version}"

    def public_key_owner(self) -> tuple[PublicKeyKind, Sequence[object]]:
        """The team, the version, and the team's kind and organisation: a team row turned
        into a triage team, or moved into the relocating organisation, by a database write
        fails its key's tag, so intake never wraps a new request to a partner's key.

        Nothing in the app changes a team's kind or organisation today; whatever ever does
        must tag each of the team's key versions again in the same transaction."""
        team = self.team
        return PublicKeyKind.TEAM, (self.team_id, self.version, team.kind, team.organisation_id)


class TeamKeyWrap(models.Model):
    """A team private key (one version) wrapped to a member's public key or to escrow.

    Sealed: ``wrapped`` (HPKE to the recipient, bound to this team key and recipient).
    ``tag`` is an HMAC over the team key, the recipient and ``wrapped`` under a server secret.
    """

    team_key = models.ForeignKey(TeamKey, on_delete=models.CASCADE, related_name="wraps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_key_wraps",
    )
    escrow = models.ForeignKey(
        EscrowKey, on_delete=models.PROTECT, null=True, blank=True, related_name="team_key_wraps"
    )
    wrapped = models.BinaryField()
    # Proves the server made this wrap (keys/wrap_tags.py): a row someone wrote into the
    # database does not make its user a holder whom the next rotation hands the key to.
    tag = models.BinaryField(max_length=32, default=b"", editable=False)
    suspended = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, escrow__isnull=True)
                | Q(user__isnull=True, escrow__isnull=False),
                name="team_key_wrap_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["team_key", "user"],
                condition=Q(user__isnull=False),
                name="team_key_wrap_user_unique",
            ),
            models.UniqueConstraint(
                fields=["team_key", "escrow"],
                condition=Q(escrow__isnull=False),
                name="team_key_wrap_escrow_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"wrap of team key #{self.team_key_id}"


class RecordKey(TaggedPublicKey):
    """The key of one sealed record (a case, a referral, a thread, an evidence file).

    The data key (DEK) itself is never stored: only its wraps in :class:`RecordKeyWrap`.
    Sealed: ``sealed_inbox_private_key`` (the inbox private key, under the DEK). In clear:
    ``inbox_public_key``, so the server can seal arriving data to the record with nobody
    present, and ``record_id``, which is a random UUID and identifies no one.
    """

    PUBLIC_KEY_FIELD = "inbox_public_key"

    record_id = models.UUIDField(unique=True)
    key_id = models.CharField(max_length=64, default="k1")
    inbox_public_key = models.BinaryField(max_length=32)
    sealed_inbox_private_key = models.BinaryField()
    # The hour only: a request's key is made when the person sends it (core.coarse_time).
    created_at = models.DateTimeField(default=this_hour)

    def __str__(self) -> str:
        return f"record key {self.record_id}"

    def public_key_owner(self) -> tuple[PublicKeyKind, Sequence[object]]:
        return PublicKeyKind.RECORD_INBOX, (self.record_id, self.key_id)


class RecordWrapKind(models.TextChoices):
    USER = "user", _("Staff user")
    TEAM = "team", _("Team")
    ESCROW = "escrow", _("Escrow")
    CODENAME = "codename", _("Requester codename")


class RecordKeyWrap(models.Model):
    """A record's DEK wrapped to one reader: a user, a team (by key version), escrow, or the
    key derived from the requester's codename.

    Sealed: ``wrapped``. A team wrap may be layered: after a rotation the background task wraps
    the old envelope again under the new team key (``team_key`` names the outermost layer), so
    a removed member's copy of the old team key no longer opens it.
    """

    record_key = models.ForeignKey(RecordKey, on_delete=models.CASCADE, related_name="wraps")
    kind = models.CharField(max_length=10, choices=RecordWrapKind.choices)
    # The keys to readers are indexed only where set (Meta.indexes): each wrap has one kind of
    # reader, every index an insert touches is a page in its commit, and the empty entries
    # of a full index would be one more page each (they sort first, apart from the new ones).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="record_key_wraps",
        db_index=False,
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record_key_wraps",
        db_index=False,
    )
    team_key = models.ForeignKey(
        TeamKey,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record_key_wraps",
        db_index=False,
    )
    escrow = models.ForeignKey(
        EscrowKey,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record_key_wraps",
        db_index=False,
    )
    wrapped = models.BinaryField()
    suspended = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=this_hour)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=RecordWrapKind.USER, user__isnull=False)
                    | Q(kind=RecordWrapKind.TEAM, team__isnull=False, team_key__isnull=False)
                    | Q(kind=RecordWrapKind.ESCROW, escrow__isnull=False)
                    | Q(kind=RecordWrapKind.CODENAME)
                ),
                name="record_key_wrap_kind_matches",
            ),
            models.UniqueConstraint(
                fields=["record_key", "user"],
                condition=Q(kind=RecordWrapKind.USER),
                name="record_key_wrap_user_unique",
            ),
            models.UniqueConstraint(
                fields=["record_key", "team"],
                condition=Q(kind=RecordWrapKind.TEAM),
                name="record_key_wrap_team_unique",
            ),
            models.UniqueConstraint(
                fields=["record_key", "kind"],
                condition=Q(kind__in=[RecordWrapKind.ESCROW, RecordWrapKind.CODENAME]),
                name="record_key_wrap_single_unique",
            ),
        ]
        indexes = [
            index_where_set(field, name=index)
            for field, index in [
                ("user", "record_key_wrap_user"),
                ("team", "record_key_wrap_team"),
                ("team_key", "record_key_wrap_team_key"),
                ("escrow", "record_key_wrap_escrow"),
            ]
        ]

    def __str__(self) -> str:
        return f"{self.kind} wrap of record key #{self.record_key_id}"


class ShredReason(models.TextChoices):
    # A fixed list, so that nobody types a requester's name or story into a reason.
    RETENTION = "retention", _("Retention period ended")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    ERASURE_REQUEST = "erasure_request", _("Erasure requested")
    DUPLICATE = "duplicate", _("Duplicate record")
    MERGED = "merged", _("Merged into another record")
    REAPPLIED = "reapplied", _("Shred re-applied after a restore")
    REKEYED = "rekeyed", _("Replaced by a new key (re-keyed)")


class ShreddedRecord(models.Model):
    """A record whose keys were destroyed. Kept (and appended to a file outside the database)
    so that ``reapply_shreds`` can destroy them again after a restore from an older backup.
    Nothing sealed: the record id is a random UUID."""

    record_id = models.UUIDField(unique=True)
    reason = models.CharField(max_length=20, choices=ShredReason.choices)
    # The hour only: it falls due a fixed grace after a requester's withdrawal.
    shredded_at = models.DateTimeField(default=this_hour)

    def __str__(self) -> str:
        return f"shredded record {self.record_id}"
