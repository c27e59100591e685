"""Staff users, organisations, teams and the roles people hold in them.

Nothing here is sealed: names of staff and organisations are needed to route work, and the
people the organisation helps never appear in these tables.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TRIAGE = "triage", _("Triage")
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Case supervisor")
    FINANCE = "finance", _("Finance officer")
    ADVOCACY = "advocacy", _("Advocacy officer")
    INTERPRETER = "interpreter", _("Interpreter")
    ADMIN = "admin", _("Administrator")
    PARTNER = "partner", _("Partner organisation member")


class Scope(models.TextChoices):
    OWN = "own", _("Own records")
    TEAM = "team", _("Team records")
    ORGANISATION = "organisation", _("All records of the organisation")


class OrganisationKind(models.TextChoices):
    RELOCATING = "relocating", _("Relocating organisation")
    PARTNER = "partner", _("Partner organisation")


class TeamKind(models.TextChoices):
    TRIAGE = "triage", _("Triage team")
    CASEWORK = "casework", _("Caseworker team")
    PARTNER = "partner", _("Partner organisation team")
    # Holds the organisation's finance records and every case's payments (finance app).
    FINANCE = "finance", _("Finance team")
    OTHER = "other", _("Other team")


class SuspensionReason(models.TextChoices):
    """Why someone was suspended: a fixed list, so no free text about a person (or about
    the people we help) ends up in a column nobody seals."""

    LEFT = "left", _("Left the organisation")
    SECURITY_CONCERN = "security_concern", _("Security concern")
    LOST_DEVICE = "lost_device", _("Lost or stolen device")
    ON_LEAVE = "on_leave", _("On leave")
    OTHER = "other", _("Other")


class User(AbstractUser):
    """A staff or partner user. Every one must have a second factor before doing any work."""

    email = models.EmailField(_("e-mail address"), unique=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(
        max_length=20, choices=SuspensionReason.choices, blank=True
    )
    # After an administrator reset, the administrator knows the password: the person must
    # choose their own (and gets a fresh key pair) before doing anything else.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    def suspend(self, reason: SuspensionReason) -> None:
        self.suspended_at = timezone.now()
        self.suspension_reason = reason
        self.is_active = False


class Organisation(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=TeamKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.name}"


class Membership(models.Model):
    """One role a user holds in an organisation (and optionally a team), with its scope."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.OWN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "team", "role"],
                condition=models.Q(team__isnull=False),
                name="membership_unique_in_team",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(team__isnull=True),
                name="membership_unique_without_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class Invite(models.Model):
    """A single-use invitation for a new staff or partner user. Only a hash of the token is
    stored, so a database leak cannot be turned into an account."""

    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.OWN)
    token_hash = models.CharField(max_length=64, unique=True)
    # The e-mailed link alone is not enough (a mailbox may be read by an adversary): the
    # inviting administrator passes this code on by another channel.
    acceptance_code_hash = models.CharField(max_length=64, default="")
    failed_code_attempts = models.PositiveSmallIntegerField(default=0)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invite {self.pk} ({self.get_role_display()})"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and timezone.now() < self.expires_at
        )


class ApprovalKind(models.TextChoices):
    GRANT_ROLE = "grant_role", _("Grant a role in a team that holds keys")
    RESTORE_AFTER_DURESS = "restore_after_duress", _("Restore keys after a duress login")


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AdminApproval(models.Model):
    """A change one administrator asked for that a second administrator must approve from
    their own session (SECURITY.md, "Staff login"). Until then it changes nothing."""

    kind = models.CharField(max_length=30, choices=ApprovalKind.choices)
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # What a role grant grants; empty for other kinds.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    scope = models.CharField(max_length=20, choices=Scope.choices, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    state = models.CharField(
        max_length=20, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Approval {self.pk} ({self.get_kind_display()})"

    @property
    def is_open(self) -> bool:
        return self.state == ApprovalState.PENDING and timezone.now() < self.expires_at
