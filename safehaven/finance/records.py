"""Where finance seals what identifies people, and who opens it (docs/finance.md, "Sealed").

Two kinds of record, both wrapped only to the organisation's finance team(s)
(``TeamKind.FINANCE``: their members are its finance officers; a newcomer gets the team key
from a holder, a removal rotates it, ``keys.actions.teams``) and to escrow:

- the organisation's **finance records** (``FinanceRecords``): donor names, and payee details
  of grants to partner organisations;
- each case's **payments** compartment (``CompartmentKind.PAYMENTS``): payee details and
  references of the case's disbursements. Caseworkers and triage never hold it: assigning a
  case wraps only what the assigner can open, and they cannot open this.

Each is made the first time something is sealed in it, inside the action that seals it (whose
audit event covers the making), with the row it belongs to locked so that two first saves
make one.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import Membership, Organisation, Role, Team, TeamKind, User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import make_compartment, open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.crypto import public_key_from_private
from safehaven.finance.models import FinanceRecords, Grant
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.keyring import UserHolder
from safehaven.keys.models import TeamKey
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.public_key_tags import tag_matches
from safehaven.keys.records import new_record_key, open_record


def finance_teams(organisation: Organisation) -> list[Team]:
    """The organisation's finance team(s): the only readers of its finance records and of its
    cases' payments, with escrow."""
    return list(
        Team.objects.filter(organisation=organisation, kind=TeamKind.FINANCE).order_by("pk")
    )


def holds_finance_key(organisation: Organisation, *, actor: User, private_key: bytes) -> bool:
    """Whether ``actor``, a member of one of the organisation's finance teams, opens that
    team's current key with ``private_key``, and the key opened is the team's (its public key,
    carrying its tag, is the one the opened private key makes): a wrap written into the
    database by someone who does not know the team key proves nothing."""
    try:
        holder = UserHolder(actor, private_key)
    except RecordUnavailable:
        return False
    for team in finance_teams(organisation):
        if not Membership.objects.filter(user=actor, team=team, role=Role.FINANCE).exists():
            continue
        team_key = TeamKey.objects.filter(team=team, active=True).select_related("team").first()
        if team_key is None or not tag_matches(team_key):
            continue
        team_private = holder.team_private(team_key.pk)
        if team_private is not None and (
            public_key_from_private(team_private) == team_key.stored_public_key()
        ):
            return True
    return False


def refuse_unless_finance_key_holder(
    organisation: Organisation, *, actor: User, private_key: bytes | None
) -> None:
    """Deciding on a grant, recording, confirming or reversing money: only a finance officer
    who holds the finance team's key, which only a second administrator's approval gives
    (``accounts.actions.do_add_membership``). A role granted around that holds no key."""
    if private_key is None or not holds_finance_key(
        organisation, actor=actor, private_key=private_key
    ):
        raise CaseActionRefused(
            _(
                "Only a finance officer who holds the finance team's key can do this: an "
                "administrator adds you to the finance team, with a second administrator's "
                "approval, and a member of the team passes its key on to you."
            )
        )


def _readers(organisation: Organisation) -> list[Team]:
    teams = finance_teams(organisation)
    if not teams:
        raise CaseActionRefused(
            _(
                "The organisation has no finance team yet: an administrator must create one "
                "(with its key) before anything can be sealed for finance."
            )
        )
    return teams


def _opened(record_id: uuid.UUID, *, actor: User, private_key: bytes) -> OpenedRecord | None:
    try:
        return open_record(record_id, user=actor, private_key=private_key)
    except RecordUnavailable:
        return None


def open_finance_records(
    organisation: Organisation, *, actor: User, private_key: bytes
) -> OpenedRecord | None:
    """The organisation's finance records opened with the actor's key; None if they do not
    exist yet or the actor holds no wrap of them."""
    records = FinanceRecords.objects.filter(organisation=organisation).first()
    if records is None:
        return None
    return _opened(records.record_id, actor=actor, private_key=private_key)


def open_or_make_finance_records(
    organisation: Organisation, *, actor: User, private_key: bytes
) -> OpenedRecord:
    """The organisation's finance records, made now if there are none (call inside the
    action's transaction). Raises CaseActionRefused if the actor's key cannot open them."""
    Organisation.objects.select_for_update(no_key=True).filter(pk=organisation.pk).first()
    records = FinanceRecords.objects.filter(organisation=organisation).first()
    if records is None:
        readers = _readers(organisation)
        try:
            with transaction.atomic():
                records = FinanceRecords.objects.create(
                    organisation=organisation, record_id=uuid.uuid4()
                )
                new_record_key(records.record_id, readers=readers)
        except (IntegrityError, KeyActionRefused):
            raise CaseActionRefused(
                _("The finance records could not be made: try again, or ask an administrator.")
            ) from None
    opened = _opened(records.record_id, actor=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_("Your key cannot open the organisation's finance records."))
    return opened


def open_payments(case: Case, *, actor: User, private_key: bytes) -> OpenedRecord | None:
    """The case's payments compartment opened with the actor's key; None if it does not exist
    yet or the actor holds no wrap of it."""
    return open_compartment(case, CompartmentKind.PAYMENTS, user=actor, private_key=private_key)


def open_or_make_payments(case: Case, *, actor: User, private_key: bytes) -> OpenedRecord:
    """The case's payments compartment, made now if it has none (inside the action's
    transaction). Raises CaseActionRefused if the actor's key cannot open it."""
    Case.objects.select_for_update(no_key=True).filter(pk=case.pk).first()
    if case.compartment_record_id(CompartmentKind.PAYMENTS) is None:
        readers = _readers(case.organisation)
        try:
            make_compartment(case, CompartmentKind.PAYMENTS, readers)
        except KeyActionRefused:
            raise CaseActionRefused(
                _("The case's payments could not be sealed: ask an administrator.")
            ) from None
    opened = open_payments(case, actor=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_("Your key cannot open this case's payments."))
    return opened


def open_grant_payments(grant: Grant, *, actor: User, private_key: bytes) -> OpenedRecord | None:
    """Where the grant's disbursements are sealed, opened with the actor's key: the case's
    payments for a case grant, the finance records for a partner grant (None if missing or not
    the actor's to open)."""
    if grant.case is not None:
        return open_payments(grant.case, actor=actor, private_key=private_key)
    return open_finance_records(grant.fund.organisation, actor=actor, private_key=private_key)


def open_or_make_grant_payments(grant: Grant, *, actor: User, private_key: bytes) -> OpenedRecord:
    if grant.case is not None:
        return open_or_make_payments(grant.case, actor=actor, private_key=private_key)
    return open_or_make_finance_records(
        grant.fund.organisation, actor=actor, private_key=private_key
    )
