"""Reading partner organisations' vetting, and what a suspension would cut (no state changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.usersessions.models import UserSession
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from safehaven.accounts.models import (
    Invite,
    Membership,
    Organisation,
    OrganisationKind,
    Team,
    User,
)
from safehaven.intake.models import ReferralCode
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, TeamKeyWrap
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import ApiToken, PartnerVetting


def is_suspended(organisation: Organisation | int) -> bool:
    """Whether the partner organisation is suspended: it refers nobody and opens nothing."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return PartnerVetting.objects.filter(
        organisation_id=organisation_id, status=VettingStatus.SUSPENDED
    ).exists()


def partner_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.PARTNER)


def vetting_of(organisation: Organisation) -> PartnerVetting:
    """The organisation's vetting row, or an unsaved pending one (no row means pending)."""
    found = PartnerVetting.objects.filter(organisation=organisation).first()
    return found if found is not None else PartnerVetting(organisation=organisation)


@dataclass(frozen=True)
class PartnerRow:
    organisation: Organisation
    vetting: PartnerVetting
    overdue: bool
    members: int
    api_tokens: int
    referral_codes: int


def _counts(rows: QuerySet[Any], count: str) -> dict[int, int]:
    # order_by() drops the models' default ordering, which would split the groups.
    grouped = rows.order_by().values("organisation_id").annotate(n=Count(count, distinct=True))
    return {int(row["organisation_id"]): int(row["n"]) for row in grouped}


def partner_rows(today: date | None = None) -> list[PartnerRow]:
    """Every partner organisation with its vetting, whether its review is overdue, and how many
    members, usable API tokens and live referral codes it has (four queries in all)."""
    today = today or timezone.localdate()
    organisations = list(partner_organisations().order_by("name"))
    vettings = {
        row.organisation_id: row
        for row in PartnerVetting.objects.filter(organisation__in=organisations)
    }
    members = _counts(Membership.objects.filter(organisation__in=organisations), "user")
    tokens = _counts(
        ApiToken.objects.filter(
            organisation__in=organisations,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ),
        "pk",
    )
    codes = _counts(
        ReferralCode.objects.filter(organisation__in=organisations, revoked_at__isnull=True),
        "pk",
    )
    rows = []
    for organisation in organisations:
        vetting = vettings.get(organisation.pk) or PartnerVetting(organisation=organisation)
        overdue = (
            not vetting.is_suspended and vetting.review_on is not None and vetting.review_on < today
        )
        rows.append(
            PartnerRow(
                organisation=organisation,
                vetting=vetting,
                overdue=overdue,
                members=members.get(organisation.pk, 0),
                api_tokens=tokens.get(organisation.pk, 0),
                referral_codes=codes.get(organisation.pk, 0),
            )
        )
    return rows


def member_ids(organisation: Organisation) -> list[int]:
    """Everyone with a membership in the organisation."""
    return list(
        Membership.objects.filter(organisation=organisation)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )


def members_only_there(organisation: Organisation) -> QuerySet[User]:
    """Members whose every membership is in this organisation: a suspension suspends their
    accounts. Someone who also belongs elsewhere keeps the account; the memberships here grant
    nothing any more (``accounts.access.granting_memberships``)."""
    return (
        User.objects.filter(pk__in=member_ids(organisation))
        .exclude(
            Exists(
                Membership.objects.filter(user=OuterRef("pk")).exclude(organisation=organisation)
            )
        )
        .order_by("pk")
    )


@dataclass(frozen=True)
class SuspensionSummary:
    """What a suspension cuts (or, before it, would cut): counts only."""

    api_tokens: int
    referral_codes: int
    invites: int
    members_suspended: int
    sessions_ended: int
    team_key_wraps: int
    record_wraps: int

    def as_detail(self) -> str:
        """For the audit event: counts, never a name."""
        return (
            f"tokens={self.api_tokens}, codes={self.referral_codes}, invites={self.invites}, "
            f"members={self.members_suspended}, sessions={self.sessions_ended}, "
            f"team_key_wraps={self.team_key_wraps}, record_wraps={self.record_wraps}"
        )


def suspension_preview(organisation: Organisation) -> SuspensionSummary:
    """What suspending the organisation now would cut, for its confirmation page."""
    teams = Team.objects.filter(organisation=organisation)
    return SuspensionSummary(
        api_tokens=ApiToken.objects.filter(
            organisation=organisation, revoked_at__isnull=True
        ).count(),
        referral_codes=ReferralCode.objects.filter(
            organisation=organisation, revoked_at__isnull=True
        ).count(),
        invites=pending_invites(organisation).count(),
        members_suspended=members_only_there(organisation)
        .filter(suspended_at__isnull=True)
        .count(),
        sessions_ended=UserSession.objects.filter(user_id__in=member_ids(organisation)).count(),
        team_key_wraps=TeamKeyWrap.objects.filter(
            team_key__team__in=teams, user__isnull=False
        ).count(),
        record_wraps=RecordKeyWrap.objects.filter(kind=RecordWrapKind.TEAM, team__in=teams).count(),
    )


def pending_invites(organisation: Organisation) -> QuerySet[Invite]:
    return Invite.objects.filter(organisation=organisation, accepted_at=None, revoked_at=None)
