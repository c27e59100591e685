"""Add a shift to an organisation's on-call rota, or remove one: only its supervisors and
administrators (``Perm.MANAGE_ON_CALL`` held in that organisation), each change audited with
ids only."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import Organisation, User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.travel.models import OnCallShift
from safehaven.travel.on_call.queries import eligible_members

LONGEST_SHIFT = datetime.timedelta(days=31)
LAST_POSITION = 20


def refuse_unless_rota_keeper(actor: User, organisation: Organisation) -> None:
    if not has_perm_in(actor, Perm.MANAGE_ON_CALL, organisation):
        raise CaseActionRefused(
            _("Only a supervisor or an administrator of this organisation can change its rota.")
        )


def refuse_unless_sensible_shift(
    *, starts_at: datetime.datetime, ends_at: datetime.datetime, position: int
) -> None:
    """Raises CaseActionRefused for a shift's times or position that make no sense (also what
    a duress session is told, where nothing is added)."""
    if ends_at <= starts_at:
        raise CaseActionRefused(_("A shift must end after it starts."))
    if ends_at <= timezone.now():
        raise CaseActionRefused(_("This shift is over already."))
    if ends_at - starts_at > LONGEST_SHIFT:
        raise CaseActionRefused(_("A shift can last 31 days at most."))
    if not 1 <= position <= LAST_POSITION:
        raise CaseActionRefused(_("The position must be between 1 and 20."))


def do_add_on_call_shift(
    organisation: Organisation,
    *,
    user: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    position: int,
    actor: User,
) -> OnCallShift:
    """Put ``user`` on call for ``organisation`` from ``starts_at`` to ``ends_at``, called in
    ``position`` (1 first). Raises CaseActionRefused."""
    refuse_unless_rota_keeper(actor, organisation)
    if not eligible_members(organisation).filter(pk=user.pk).exists():
        raise CaseActionRefused(
            _(
                "Only an active triage officer, caseworker, supervisor or administrator of "
                "this organisation can be on call."
            )
        )
    refuse_unless_sensible_shift(starts_at=starts_at, ends_at=ends_at, position=position)
    with transaction.atomic():
        shift = OnCallShift.objects.create(
            organisation=organisation,
            user=user,
            starts_at=starts_at,
            ends_at=ends_at,
            position=position,
            added_by=actor,
        )
        record_event(
            EventType.ON_CALL_SHIFT_ADDED,
            actor=actor,
            organisation=organisation,
            target=shift,
            detail=f"shift #{shift.pk} user #{user.pk} position {position}",
        )
    return shift


def do_remove_on_call_shift(shift: OnCallShift, *, actor: User) -> None:
    """Take ``shift`` off the rota (the audit log keeps who was on call when)."""
    refuse_unless_rota_keeper(actor, shift.organisation)
    with transaction.atomic():
        record_event(
            EventType.ON_CALL_SHIFT_REMOVED,
            actor=actor,
            organisation=shift.organisation,
            target=shift,
            detail=f"shift #{shift.pk} user #{shift.user_id} position {shift.position}",
        )
        deleted, _rows = OnCallShift.objects.filter(pk=shift.pk).delete()
        if not deleted:
            raise CaseActionRefused(_("This shift was removed already."))
