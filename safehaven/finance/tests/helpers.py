"""Helpers for finance tests: the seeded world with a finance team (the seeded finance officer
and a second one, ``finance2``, both holding its key; a third, ``finance3``, on demand), funds,
cases and quick actions. Deciding, paying, confirming and reversing take the officer's private
key (``officer()``): only a holder of the finance team's key does them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from safehaven.accounts.models import Membership, Role, Team, TeamKind, User
from safehaven.cases.models import Case
from safehaven.cases.tests.helpers import bare_case, staff_member
from safehaven.finance.choices import DisbursementMethod, GrantCategory
from safehaven.finance.disbursements.actions import Payment, do_record_disbursement
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.donations.actions import do_record_donation
from safehaven.finance.funds.actions import do_create_fund
from safehaven.finance.grants.actions import do_approve_grant, do_request_grant
from safehaven.finance.models import Disbursement, Donation, Fund, Grant
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.actions.teams import do_add_team_member_key, do_create_team_key
from safehaven.keys.models import UserKeyPair

DAY = datetime.date(2027, 3, 15)
OFFICERS = ("finance", "finance2")


def finance_team(world: Any) -> Team:
    """A finance team in the organisation with its key held by ``finance`` and ``finance2``
    (made here; the seeded world has no finance team)."""
    existing = Team.objects.filter(organisation=world.organisation, kind=TeamKind.FINANCE).first()
    if existing is not None:
        return existing
    team = Team.objects.create(
        organisation=world.organisation, name="Finance", kind=TeamKind.FINANCE
    )
    world.users["finance2"] = staff_member(world, "finance2", Role.FINANCE)
    for name in OFFICERS:
        Membership.objects.create(
            user=world.users[name], organisation=world.organisation, team=team, role=Role.FINANCE
        )
    do_create_team_key(team, actor=None)
    return team


_KEYS: dict[tuple[str, bytes], bytes] = {}


def key_of(username: str) -> bytes:
    """The user's private key, kept by the protected key it comes from (Argon2 once per key
    pair, not once per call)."""
    protected = bytes(UserKeyPair.objects.get(user__username=username).protected_private_key)
    if (username, protected) not in _KEYS:
        _KEYS[(username, protected)] = private_key(username)
    return _KEYS[(username, protected)]


def third_officer(world: Any, username: str = "finance3") -> User:
    """Another finance officer in the finance team, given its key by ``finance``."""
    team = finance_team(world)
    if username not in world.users:
        world.users[username] = staff_member(world, username, Role.FINANCE)
        Membership.objects.create(
            user=world.users[username],
            organisation=world.organisation,
            team=team,
            role=Role.FINANCE,
        )
        do_add_team_member_key(
            team, world.users[username], key_of("finance"), actor=world.users["finance"]
        )
    return world.users[username]


def officer(username: str = "finance") -> dict[str, Any]:
    """``actor`` and ``private_key`` of a user, for actions that seal."""
    return {"actor": User.objects.get(username=username), "private_key": key_of(username)}


def make_fund(world: Any, currency_code: str = "USD", **fields: Any) -> Fund:
    values: dict[str, Any] = {
        "name": f"Fund {Fund.objects.count() + 1}",
        "currency_code": currency_code,
        "starts_on": DAY,
        "actor": world.users["finance"],
    } | fields
    return do_create_fund(world.organisation, **values)


def donate(fund: Fund, amount: Decimal | str, *, donor: str = "", keys: dict[str, Any]) -> Donation:
    return do_record_donation(fund, received_on=DAY, amount=amount, donor_name=donor, **keys)


def case_of(world: Any, **fields: Any) -> Case:
    return bare_case(world, **fields)


def approved_grant(
    world: Any,
    fund: Fund,
    amount: Decimal | str,
    *,
    case: Case | None = None,
    category: GrantCategory = GrantCategory.AIRFARE,
) -> Grant:
    """A case grant asked for by the caseworker's supervisor and approved by ``finance``."""
    grant = do_request_grant(
        fund,
        category=category,
        amount=amount,
        case=case or case_of(world),
        actor=world.users["supervisor"],
    )
    return do_approve_grant(grant, **officer())


def pay(
    grant: Grant,
    amount: Decimal | str,
    *,
    currency_code: str | None = None,
    rate: Decimal | str | None = None,
    payee: PayeeDetails | None = None,
    reference: str = "",
    keys: dict[str, Any],
) -> Disbursement:
    return do_record_disbursement(
        grant,
        method=DisbursementMethod.BANK_TRANSFER,
        paid_on=DAY,
        payment=Payment(amount, currency_code or grant.currency, rate, DAY if rate else None),
        payee=payee or PayeeDetails(name="A payee"),
        reference=reference,
        **keys,
    )
