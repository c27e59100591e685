"""Every change to staff accounts, organisations, teams and roles. Each runs in one
transaction and writes one audit event."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable

from allauth.usersessions.models import UserSession
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.approvals.checks import check_grant_approved, team_holds_keys
from safehaven.accounts.models import (
    AdminApproval,
    Invite,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Scope,
    SuspensionReason,
    Team,
    TeamKind,
    User,
)
from safehaven.core.audit import record_event
from safehaven.core.crypto import derive_key
from safehaven.core.event_types import EventType
from safehaven.keys.actions.escrow import release_escrow_holder
from safehaven.keys.actions.teams import do_create_team_key, do_rotate_team_key
from safehaven.keys.actions.users import do_create_user_keys, do_replace_user_keys
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import TeamKey, UserKeyPair
from safehaven.keys.records import current_escrow


class ActionRefused(Exception):
    """The action cannot be done; the message says why in words a user understands."""


INVITE_HASH_LABEL = "safehaven invitation hash v1"


@functools.lru_cache(maxsize=4)
def _invite_hash_key(secret: str) -> bytes:
    return derive_key(secret.encode(), INVITE_HASH_LABEL)


def _invite_hmac(purpose: str, value: str) -> str:
    # Keyed under a key derived from SECRET_KEY, which is not in the database: whoever can
    # write the database cannot store the hash of a token and code they chose, and so cannot
    # make an invitation they can accept (an account and a membership, nobody asked).
    key = _invite_hash_key(settings.SECRET_KEY)
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def invite_token_hash(token: str) -> str:
    return _invite_hmac("token", token)


def acceptance_code_hash(
    code: str, *, email: str, organisation_id: int, team_id: int | None, role: str, scope: str
) -> str:
    """Also binds what the invitation grants: a pending invitation changed in the database
    (another team, another role) no longer accepts its code."""
    granted = f"{email}\x00{organisation_id}\x00{team_id or ''}\x00{role}\x00{scope}"
    return _invite_hmac("acceptance-code", f"{normalise_acceptance_code(code)}\x00{granted}")


def invite_acceptance_code_hash(invite: Invite, code: str) -> str:
    return acceptance_code_hash(
        code,
        email=invite.email,
        organisation_id=invite.organisation_id,
        team_id=invite.team_id,
        role=invite.role,
        scope=invite.scope,
    )


def check_role_fits(*, organisation: Organisation, role: Role, team: Team | None) -> None:
    """Partner organisations hold only the partner role, and staff roles belong to the
    relocating organisation: a partner can never become an administrator or triager."""
    if team is not None and team.organisation_id != organisation.pk:
        raise ActionRefused(_("The team belongs to another organisation."))
    if team is not None:
        check_team_fits(organisation=organisation, kind=TeamKind(team.kind))
    if role == Role.FINANCE and (team is None or team.kind != TeamKind.FINANCE):
        # Finance officers decide on money with the finance team's key: the role held outside
        # that team would need no second administrator (a team without keys) and hold no key.
        raise ActionRefused(
            _("The finance role is held only in the organisation's finance team: choose it.")
        )
    if role == Role.PARTNER and organisation.kind != OrganisationKind.PARTNER:
        raise ActionRefused(_("The partner role is only for members of partner organisations."))
    if role != Role.PARTNER and organisation.kind == OrganisationKind.PARTNER:
        raise ActionRefused(_("Members of partner organisations can only hold the partner role."))


RELOCATING_TEAM_KINDS = frozenset({TeamKind.TRIAGE, TeamKind.CASEWORK})


def check_team_fits(*, organisation: Organisation, kind: TeamKind) -> None:
    """New requests are wrapped to every triage team's key: such a team in a partner
    organisation would receive them all, and a partner team belongs to a partner."""
    kind = TeamKind(kind)
    if kind in RELOCATING_TEAM_KINDS and organisation.kind != OrganisationKind.RELOCATING:
        raise ActionRefused(
            _("Triage and caseworker teams belong only to the relocating organisation.")
        )
    if kind == TeamKind.PARTNER and organisation.kind != OrganisationKind.PARTNER:
        raise ActionRefused(_("Partner teams belong only to partner organisations."))


def do_create_organisation(
    *, name: str, kind: OrganisationKind, country: str = "", actor: User | None
) -> Organisation:
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, kind=kind, country=country)
        record_event(
            EventType.ORGANISATION_CREATED,
            actor=actor,
            organisation=organisation,
            target=organisation,
        )
    return organisation


def do_create_team(
    *, organisation: Organisation, name: str, kind: TeamKind, actor: User | None
) -> Team:
    check_team_fits(organisation=organisation, kind=kind)
    with transaction.atomic():
        team = Team.objects.create(organisation=organisation, name=name, kind=kind)
        record_event(EventType.TEAM_CREATED, actor=actor, organisation=organisation, target=team)
        # Records can be granted to the team only once it has a key (which needs escrow).
        if current_escrow() is not None:
            do_create_team_key(team, actor=actor)
    return team


def do_add_membership(
    *,
    user: User,
    organisation: Organisation,
    role: Role,
    scope: Scope = Scope.OWN,
    team: Team | None = None,
    actor: User | None,
    approval: AdminApproval | None = None,
) -> Membership:
    """Give ``user`` a role. The administrator role, and a role in a team that holds keys,
    only with ``approval``: a grant asked for by another administrator and approved by
    ``actor`` (``accounts.approvals``). Only the terminal bootstrap of the first
    administrators (``create_administrator``, no actor) makes an administrator directly."""
    check_role_fits(organisation=organisation, role=role, team=team)
    with transaction.atomic():
        # An administrator approves two-person changes: one who could mint another alone
        # would approve their own requests through that account.
        if (role == Role.ADMIN and actor is not None) or team_holds_keys(team):
            check_grant_approved(
                approval, user=user, organisation=organisation, team=team, role=role, actor=actor
            )
        membership, created = Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            team=team,
            role=role,
            defaults={"scope": scope},
        )
        if not created:
            raise ActionRefused(_("This person already holds that role."))
        record_event(
            EventType.MEMBERSHIP_ADDED,
            actor=actor,
            organisation=organisation,
            target=user,
            detail=f"role={role}",
        )
    return membership


def do_remove_membership(*, membership: Membership, actor: User) -> None:
    with transaction.atomic():
        if membership.role == Role.ADMIN:
            require_two_other_admins(membership.user)
            still_admin = (
                Membership.objects.filter(user_id=membership.user_id, role=Role.ADMIN)
                .exclude(pk=membership.pk)
                .exists()
            )
            if not still_admin:
                try:
                    release_escrow_holder(membership.user)
                except KeyActionRefused as refusal:
                    raise ActionRefused(str(refusal)) from refusal
        record_event(
            EventType.MEMBERSHIP_REMOVED,
            actor=actor,
            organisation=membership.organisation,
            target=membership.user,
            detail=f"role={membership.role}",
        )
        team = membership.team
        membership.delete()
        # Whoever leaves a team must not open what the team is granted from now on.
        left_team = not Membership.objects.filter(user=membership.user, team=team).exists()
        # A retired key (a suspended partner's team) has nothing left to rotate.
        if (
            team is not None
            and left_team
            and TeamKey.objects.filter(team=team, active=True).exists()
        ):
            do_rotate_team_key(team, membership.user, actor=actor)


def do_invite_staff(
    *,
    email: str,
    organisation: Organisation,
    role: Role,
    scope: Scope = Scope.OWN,
    team: Team | None = None,
    actor: User,
    accept_url_for: Callable[[str], str],
) -> tuple[Invite, str]:
    """Create a single-use invitation and mail its link. ``accept_url_for(token)`` builds the
    absolute link; the token itself is never stored. Returns the invitation and the
    acceptance code the administrator must pass on by another channel (shown once)."""
    email = email.strip().lower()
    if role == Role.FINANCE:
        raise ActionRefused(
            _(
                "Invite them with another working role. The finance role is held only in the "
                "finance team, and is granted afterwards, on their page, with a second "
                "administrator's approval."
            )
        )
    check_role_fits(organisation=organisation, role=role, team=team)
    # The administrator role and a role in a team that holds keys need a second
    # administrator's approval, which an invitation (accepted without any administrator
    # present, with a code the inviter holds) cannot carry.
    if role == Role.ADMIN:
        raise ActionRefused(
            _(
                "Invite them with their working role. The administrator role is granted "
                "afterwards, on their page, with a second administrator's approval."
            )
        )
    if team is not None and TeamKey.objects.filter(team=team).exists():
        raise ActionRefused(
            _(
                "Invite them without a team. A role in a team that holds keys is granted "
                "afterwards, on their page, with a second administrator's approval."
            )
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ActionRefused(_("Someone with this e-mail address already has an account."))
    token = secrets.token_urlsafe(32)
    acceptance_code = new_acceptance_code()
    now = timezone.now()
    with transaction.atomic():
        invite = Invite.objects.create(
            email=email,
            organisation=organisation,
            team=team,
            role=role,
            scope=scope,
            token_hash=invite_token_hash(token),
            acceptance_code_hash=acceptance_code_hash(
                acceptance_code,
                email=email,
                organisation_id=organisation.pk,
                team_id=team.pk if team is not None else None,
                role=role,
                scope=scope,
            ),
            invited_by=actor,
            created_at=now,
            expires_at=now + settings.INVITE_VALID_FOR,
        )
        record_event(
            EventType.INVITE_SENT,
            actor=actor,
            organisation=organisation,
            target=invite,
            detail=f"role={role}",
        )
        link = accept_url_for(token)
        transaction.on_commit(
            lambda: send_mail(
                subject=_("Your workspace invitation"),
                message=_(
                    "You have been invited to a shared workspace. Open this link within 72 "
                    "hours to choose your password and set up a second factor:\n\n%(link)s\n\n"
                    "You will also need the acceptance code that the person who invited you "
                    "gives you in person or over a safe channel. It is never sent by e-mail.\n\n"
                    "If you did not expect this, ignore this message."
                )
                % {"link": link},
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[email],
            )
        )
    return invite, acceptance_code


def new_acceptance_code() -> str:
    # Ten digits in two groups: easy to read out over a call, and an invitation is withdrawn
    # after MAX_CODE_ATTEMPTS wrong tries, so guessing has about a 1 in 10^9 chance.
    digits = f"{secrets.randbelow(10**10):010d}"
    return f"{digits[:5]}-{digits[5:]}"


def normalise_acceptance_code(code: str) -> str:
    digits = "".join(character for character in code if character.isdigit())
    return f"{digits[:5]}-{digits[5:]}"


MAX_CODE_ATTEMPTS = 5


def find_usable_invite(token: str) -> Invite | None:
    invite = Invite.objects.filter(token_hash=invite_token_hash(token)).first()
    if invite is None or not invite.is_usable:
        return None
    return invite


def do_accept_invite(*, token: str, code: str, username: str, password: str) -> User:
    """The invited person chooses a username and password; their key pair is made now."""
    with transaction.atomic():
        invite = (
            Invite.objects.select_for_update().filter(token_hash=invite_token_hash(token)).first()
        )
        if invite is None or not invite.is_usable:
            raise ActionRefused(
                _("This invitation has expired or was already used. Ask for a new one.")
            )
        code_hash = invite_acceptance_code_hash(invite, code)
        if not hmac.compare_digest(code_hash, invite.acceptance_code_hash):
            raise WrongAcceptanceCode(invite.pk)
        if team_holds_keys(invite.team):
            # Checked when it was sent too; but an invitation carries no second
            # administrator's approval, and its team may have got a key since (or the row
            # was written by someone else).
            raise ActionRefused(
                _(
                    "This invitation names a team that holds keys, which an invitation cannot "
                    "grant. Ask for a new one without a team."
                )
            )
        if User.objects.filter(username__iexact=username).exists():
            raise ActionRefused(_("That username is taken. Choose another."))
        user = User(username=username, email=invite.email)
        validate_password(password, user)
        user.set_password(password)
        user.save()
        # The key pair is made now, protected by the password only this person knows.
        do_create_user_keys(user, password, actor=user)
        invite.accepted_at = timezone.now()
        invite.accepted_user = user
        invite.save(update_fields=["accepted_at", "accepted_user"])
        Membership.objects.create(
            user=user,
            organisation=invite.organisation,
            team=invite.team,
            role=invite.role,
            scope=invite.scope,
        )
        record_event(
            EventType.INVITE_ACCEPTED,
            actor=user,
            organisation=invite.organisation,
            target=user,
            detail=f"role={invite.role}",
        )
    return user


class WrongAcceptanceCode(ActionRefused):
    def __init__(self, invite_id: int) -> None:
        super().__init__(
            _("The acceptance code is not right. Check it with the person who invited you.")
        )
        self.invite_id = invite_id


def do_count_wrong_acceptance_code(*, invite_id: int) -> None:
    """Count a wrong code (outside the refused transaction); withdraw the invitation after
    MAX_CODE_ATTEMPTS, since someone other than the invitee may hold the link."""
    with transaction.atomic():
        invite = Invite.objects.select_for_update().get(pk=invite_id)
        invite.failed_code_attempts += 1
        fields = ["failed_code_attempts"]
        if invite.failed_code_attempts >= MAX_CODE_ATTEMPTS and invite.revoked_at is None:
            invite.revoked_at = timezone.now()
            fields.append("revoked_at")
        invite.save(update_fields=fields)
        record_event(
            EventType.INVITE_REVOKED if "revoked_at" in fields else EventType.LOGIN_FAILED,
            organisation=invite.organisation,
            target=invite,
            detail=f"wrong acceptance code ({invite.failed_code_attempts})",
        )


def do_revoke_invite(*, invite: Invite, actor: User) -> None:
    with transaction.atomic():
        if invite.accepted_at is not None:
            raise ActionRefused(_("This invitation was already accepted."))
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
        record_event(
            EventType.INVITE_REVOKED, actor=actor, organisation=invite.organisation, target=invite
        )


def end_all_sessions(user: User) -> int:
    """Delete every server-side session of ``user``; their cookies then open nothing."""
    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    UserSession.objects.filter(user=user).delete()
    deleted, _details = Session.objects.filter(session_key__in=session_keys).delete()
    return deleted


def require_two_other_admins(user: User) -> None:
    """Two administrators hold the escrow key together: never leave fewer than two."""
    if not Membership.objects.filter(user=user, role=Role.ADMIN).exists():
        return
    other_admins = (
        Membership.objects.select_for_update()
        .filter(role=Role.ADMIN, user__is_active=True)
        .exclude(user_id=user.pk)
        .values("user_id")
        .distinct()
        .count()
    )
    if other_admins < 2:
        raise ActionRefused(_("At least two administrators must remain: they hold the escrow key."))


def do_suspend_user(*, user: User, reason: SuspensionReason, actor: User) -> None:
    if user.pk == actor.pk:
        raise ActionRefused(_("You cannot suspend yourself."))
    with transaction.atomic():
        require_two_other_admins(user)
        user.suspend(reason)
        user.save(update_fields=["suspended_at", "suspension_reason", "is_active"])
        end_all_sessions(user)
        record_event(EventType.USER_SUSPENDED, actor=actor, target=user, detail=f"{reason}")
        # A suspected insider's wraps must not open what their teams are granted from now on;
        # on reinstatement a teammate passes the new key on.
        for team in Team.objects.filter(memberships__user=user, keys__active=True).distinct():
            do_rotate_team_key(team, user, actor=actor)


def do_reinstate_user(*, user: User, actor: User) -> None:
    with transaction.atomic():
        user.suspended_at = None
        user.suspension_reason = ""
        user.is_active = True
        user.save(update_fields=["suspended_at", "suspension_reason", "is_active"])
        record_event(EventType.USER_REINSTATED, actor=actor, target=user)


def do_reset_password(*, user: User, actor: User) -> str:
    """Give ``user`` a new random password (shown once to the administrator) and end their
    sessions. Their old key pair becomes useless: cases must be granted to them again."""
    if user.pk == actor.pk:
        raise ActionRefused(_("Change your own password on your account page instead."))
    password = "-".join(secrets.token_urlsafe(6) for _part in range(4))
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        end_all_sessions(user)
        record_event(EventType.PASSWORD_RESET_BY_ADMIN, actor=actor, target=user)
        try:
            if UserKeyPair.objects.filter(user=user).exists():
                do_replace_user_keys(user, password, actor=actor)
            else:
                do_create_user_keys(user, password, actor=actor)
        except KeyActionRefused as refusal:
            raise ActionRefused(str(refusal)) from refusal
    return password


def do_unlock_user(*, user: User, actor: User) -> int:
    with transaction.atomic():
        cleared = reset_lockout(username=user.email.lower())
        record_event(EventType.LOCKOUT_CLEARED, actor=actor, target=user, detail=f"{cleared}")
    return int(cleared)


def do_record_audit_view(*, viewer: User, filtered_username: str, detail: str) -> None:
    """Reading the audit log is itself audited: who looked, which page, which filters."""
    filtered_actor = (
        User.objects.filter(username=filtered_username).first() if filtered_username else None
    )
    admin_membership = (
        Membership.objects.filter(user=viewer, role=Role.ADMIN)
        .select_related("organisation")
        .first()
    )
    with transaction.atomic():
        record_event(
            EventType.AUDIT_VIEWED,
            actor=viewer,
            organisation=admin_membership.organisation if admin_membership else None,
            target=filtered_actor,
            detail=detail,
        )
