"""A partner refers people itself: one at a time (portal, API) or a crisis batch (a file).

A referral is sealed exactly like a public request with that partner's referral code
(``intake.submission.actions.seal_new_request``): wrapped to the relocating organisation's
triage team key(s), the partner's own team key and escrow, never to a codename (a partner's
laptop or API client must never hold one: when the person should get a status page, a
caseworker sends them a one-time code and they choose their codename themselves). It is stored
the way a public request is (``store_sealed_requests``: a team key rotated meanwhile means
wrapping again). What is sealed and why: /work/helpers/docs-referrals.md, SECURITY.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Team,
    TeamKind,
    User,
)
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission.actions import (
    KeysKeptChanging,
    PlaceLookups,
    SealedRequest,
    seal_new_request,
    store_sealed_requests,
)
from safehaven.intake.submission.recipients import (
    PartnerTeam,
    Recipients,
    has_team_key,
    recipients,
)
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.partners.models import ApiToken
from safehaven.partners.referrals.batch_csv import BatchRefused, RowProblem, read_batch
from safehaven.partners.referrals.forms import ReferralDraft
from safehaven.partners.vetting.queries import is_suspended

logger = logging.getLogger(__name__)

__all__ = [
    "BatchRefused",
    "ReferralRefused",
    "RowProblem",
    "do_import_referrals",
    "do_refer_person",
]


class ReferralRefused(Exception):
    """The referral cannot be made; nothing was stored. ``message`` says why, to the partner."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


NOT_A_PARTNER = _("Only a partner organisation can refer people here.")
NOT_YOURS = _("You can refer people only for your own partner organisation.")
SUSPENDED = _(
    "Your organisation's partnership is suspended, so it cannot refer anyone. Please contact "
    "the organisation you work with."
)
NO_TEAM_KEY = _(
    "Your organisation has no team key yet, so a referral could not be sealed for you. Please "
    "ask the organisation you work with to set it up."
)
KEYS_NOT_READY = _(
    "Referrals cannot be stored just now: the organisation's keys are not ready. Nothing was "
    "saved; please try again later."
)


def _referring_team(
    organisation: Organisation, *, actor: User | None, token: ApiToken | None
) -> PartnerTeam:
    """The partner team the referral is wrapped to: the token's, or the organisation's own
    partner team with an active key (the first made, when it has several)."""
    if organisation.kind != OrganisationKind.PARTNER:
        raise ReferralRefused(NOT_A_PARTNER)
    if actor is None and token is None:
        raise TypeError("a referral is made by a partner member or with an API token")
    if actor is not None and not _is_member(actor, organisation):
        raise ReferralRefused(NOT_YOURS)
    if token is not None and token.organisation_id != organisation.pk:
        raise ReferralRefused(NOT_YOURS)
    if is_suspended(organisation):
        raise ReferralRefused(SUSPENDED)
    teams = Team.objects.filter(organisation=organisation, kind=TeamKind.PARTNER)
    if token is not None:
        teams = teams.filter(pk=token.team_id)
    for team_id in teams.order_by("pk").values_list("pk", flat=True):
        if has_team_key(team_id):
            return PartnerTeam(team_id=team_id, organisation_id=organisation.pk)
    raise ReferralRefused(NO_TEAM_KEY)


def _is_member(actor: User, organisation: Organisation) -> bool:
    """The caller's access helper has checked the session; this is the action's own check
    that the organisation is the actor's, and that the actor was not suspended meanwhile."""
    if not actor.is_active or actor.is_suspended:
        return False
    return Membership.objects.filter(
        user=actor, organisation=organisation, role=Role.PARTNER
    ).exists()


def _keys_of(team: PartnerTeam, to: Recipients) -> list[int]:
    return [key.pk for key in to.team_keys if key.team_id == team.team_id]


def _recipients_for(team: PartnerTeam) -> Recipients:
    """The readers of a new referral; refused when the partner's team has no active key (a
    public request would go to triage alone: a partner must not refer someone it then cannot
    follow, nor believe it can)."""
    to = recipients(team)
    if not _keys_of(team, to):
        raise ReferralRefused(NO_TEAM_KEY)
    return to


def _store(
    drafts: Sequence[ReferralDraft],
    *,
    team: PartnerTeam,
    organisation: Organisation,
    channel: str,
    actor: User | None,
    token: ApiToken | None,
    audit: EventType,
) -> list[HelpRequest]:

    def seal() -> list[SealedRequest]:
        to = _recipients_for(team)  # once: every row of a batch is wrapped to one key set
        places = PlaceLookups()
        return [
            seal_new_request(
                draft.request,
                to=to,
                codename=None,
                referred_by=organisation,
                channel=channel,
                known_as=draft.known_as,
                places=places,
            )
            for draft in drafts
        ]

    def still_a_partner() -> None:
        # Read again in the storing transaction: a suspension that committed since the check
        # above must not let this referral through.
        if is_suspended(organisation):
            raise ReferralRefused(SUSPENDED)

    def record(sealed: Sequence[SealedRequest]) -> list[HelpRequest]:
        stored = [one.help_request for one in sealed]
        if audit is EventType.PARTNER_REFERRAL_MADE:
            (help_request,) = stored
            record_event(
                audit,
                actor=actor,
                organisation=organisation,
                target=help_request,
                detail=_by_token(token),
            )
        else:
            ids = [help_request.pk for help_request in stored]
            detail = f"{len(ids)} referrals, requests #{min(ids)} to #{max(ids)}"
            record_event(
                audit,
                actor=actor,
                organisation=organisation,
                target_type=HelpRequest._meta.model_name or "",
                detail=" ".join(filter(None, [detail, _by_token(token)])),
            )
        return stored

    try:
        # Not durable: the API may hold a transaction of its own around this (the token's
        # use); the request is committed when that commits.
        return store_sealed_requests(seal, before=still_a_partner, after=record, durable=False)
    except KeyActionRefused as refusal:
        # The key layer's messages are fixed text (no values), safe for the log.
        logger.error("referral of organisation #%s not stored: %s", organisation.pk, refusal)
        raise ReferralRefused(KEYS_NOT_READY) from None
    except KeysKeptChanging:
        logger.error(
            "referral of organisation #%s not stored: the keys kept changing", organisation.pk
        )
        raise ReferralRefused(KEYS_NOT_READY) from None


def _by_token(token: ApiToken | None) -> str:
    return f"token #{token.pk}" if token is not None else ""


def do_refer_person(
    draft: ReferralDraft,
    *,
    organisation: Organisation,
    channel: str,
    actor: User | None = None,
    token: ApiToken | None = None,
) -> HelpRequest:
    """Seal and store one referral of ``organisation``, made by ``actor`` (a partner member
    of it) or, through the API, with ``token`` (and no actor). Audited as
    PARTNER_REFERRAL_MADE (ids only). Raises ReferralRefused (nothing stored): not a partner,
    not the actor's or token's organisation, suspended, no partner team key, keys not ready.
    The returned request has no codename: there is none."""
    (help_request,) = _store(
        [draft],
        team=_referring_team(organisation, actor=actor, token=token),
        organisation=organisation,
        channel=RequestChannel(channel),
        actor=actor,
        token=token,
        audit=EventType.PARTNER_REFERRAL_MADE,
    )
    return help_request


def do_import_referrals(
    csv_text: str | bytes,
    *,
    organisation: Organisation,
    channel: str,
    actor: User | None = None,
    token: ApiToken | None = None,
) -> list[HelpRequest]:
    """Check every row of a batch file (``batch_csv``), then store them all in one transaction,
    audited once as PARTNER_REFERRALS_IMPORTED (the count and the range of request ids).
    Raises BatchRefused (every problem, by line) or ReferralRefused; either way nothing is
    stored. ``csv_text`` may be the uploaded bytes: they must be UTF-8."""
    # Who may refer is checked before the file is read: a refused partner learns nothing of it.
    team = _referring_team(organisation, actor=actor, token=token)
    drafts = read_batch(csv_text)
    return _store(
        drafts,
        team=team,
        organisation=organisation,
        channel=RequestChannel(channel),
        actor=actor,
        token=token,
        audit=EventType.PARTNER_REFERRALS_IMPORTED,
    )
