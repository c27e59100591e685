"""Properties of the ledger, in JPY (0 minor units), USD (2) and KWD (3): any sequence of
donations, grant requests, approvals, refusals, cancellations, payments (in the fund's currency
or another, at a recorded rate), confirmations and reversals leaves every entry balanced per
currency, no fund below zero unless it allows an overdraft, no grant paid beyond what it was
granted at the payments' recorded rates, and only grants that fit their fund's restriction.
The two-person rules are in the model too: a grant above the threshold (with the same
partner's standing grants) is not decided by its requester, a payment in another currency
blocks further payments on its grant until the second officer confirms it, and a confirmed
payment is not reversed by the officer who recorded it.

The test keeps its own model of the fund (available, each grant's state and what is left to
pay), computed without the app's money functions, and checks that each action succeeded
exactly when the model says it should, and the ledger against the model after every step.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.countries.models import Crisis
from safehaven.finance.choices import EntryKind, GrantCategory, GrantState
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.disbursements.actions import do_confirm_disbursement
from safehaven.finance.funds.actions import do_set_grant_threshold
from safehaven.finance.grants.actions import (
    do_approve_grant,
    do_cancel_grant,
    do_refuse_grant,
    do_request_grant,
)
from safehaven.finance.ledger.balances import fund_balance, grant_position
from safehaven.finance.ledger.verify import verify_ledger
from safehaven.finance.models import Disbursement, Grant, JournalEntry, JournalLine
from safehaven.finance.tests.helpers import (
    DAY,
    case_of,
    donate,
    finance_team,
    key_of,
    make_fund,
    officer,
    pay,
)

pytestmark = pytest.mark.django_db

CURRENCIES = {"JPY": 0, "USD": 2, "KWD": 3}
RATES = ("1", "0.5", "1.25", "3", "0.0075", "151.27", "0.305")
CATEGORIES = list(GrantCategory)
THRESHOLD_UNITS = 2000  # in minor units: grants above need the second officer
PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

units = st.integers(min_value=1, max_value=5000)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("donate"), units),
        st.tuples(
            st.just("request"),
            units,
            st.sampled_from(CATEGORIES),
            st.sampled_from(("case", "crisis case", "partner")),
        ),
        st.tuples(st.just("approve"), st.integers(0, 9), st.sampled_from(("finance", "finance2"))),
        st.tuples(st.just("refuse"), st.integers(0, 9), st.sampled_from(("finance", "finance2"))),
        st.tuples(st.just("cancel"), st.integers(0, 9)),
        st.tuples(st.just("pay"), st.integers(0, 9), units, st.booleans(), st.sampled_from(RATES)),
        st.tuples(st.just("confirm"), st.integers(0, 9)),
        st.tuples(st.just("reverse"), st.integers(0, 30)),
    ),
    min_size=1,
    max_size=14,
)
restrictions = st.fixed_dictionaries(
    {
        "allowed_categories": st.sets(st.sampled_from(CATEGORIES), max_size=4),
        "allows_partner_grants": st.booleans(),
        "with_crisis": st.booleans(),
        "allows_overdraft": st.booleans(),
    }
)


def money(count: int, code: str) -> Decimal:
    return Decimal(count).scaleb(-CURRENCIES[code])


def at_rate(amount: Decimal, rate: str, code: str) -> Decimal:
    """The model's own conversion: amount times rate, half to even at the minor unit."""
    return (amount * Decimal(rate)).quantize(Decimal(1).scaleb(-CURRENCIES[code]), ROUND_HALF_EVEN)


@dataclass
class Model:
    code: str
    overdraft: bool
    available: Decimal = Decimal(0)
    grants: list[Grant] = field(default_factory=list)
    state: dict[int, str] = field(default_factory=dict)
    amount: dict[int, Decimal] = field(default_factory=dict)
    left: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    paid: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    second: dict[int, bool] = field(default_factory=dict)
    to_partner: set[int] = field(default_factory=set)
    # Payments in another currency no second officer has confirmed yet, by grant.
    pending: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    confirmed: set[int] = field(default_factory=set)

    def may_spend(self, amount: Decimal) -> bool:
        return self.overdraft or self.available - amount >= 0


@dataclass
class World:
    world: object
    keys: dict[str, dict[str, object]]
    crisis: Crisis


@pytest.fixture
def setting(world):
    finance_team(world)
    keys = {
        name: {"actor": world.users[name], "private_key": key_of(name)}
        for name in ("finance", "finance2")
    }
    crisis = Crisis.objects.create(name="Purge", starts_on=DAY, created_by=world.users["admin"])
    return World(world, keys, crisis)


def fits(fund, restriction, category, target) -> bool:
    if restriction["allowed_categories"] and category not in restriction["allowed_categories"]:
        return False
    if target == "partner":
        return restriction["allows_partner_grants"]
    return not restriction["with_crisis"] or target == "crisis case"


def attempt(action, expected: bool) -> Any:
    """Run ``action``; it must succeed exactly when ``expected``."""
    refused = None
    try:
        result = action()
    except CaseActionRefused as refusal:
        refused, result = str(refusal), None
    assert (refused is None) == expected, refused or "worked but should have been refused"
    return result


def apply(setting, fund, restriction, model: Model, step) -> None:
    kind, *args = step
    world, code = setting.world, model.code
    finance = setting.keys["finance"]
    grant = (
        model.grants[args[0] % len(model.grants)]
        if model.grants and kind in ("approve", "refuse", "cancel", "pay", "confirm")
        else None
    )
    if kind == "donate":
        attempt(lambda: donate(fund, money(args[0], code), keys=finance), True)
        model.available += money(args[0], code)
    elif kind == "request":
        count, category, target = args
        case = partner = None
        if target == "partner":
            partner = world.partner_a
        else:
            case = case_of(world, crisis=setting.crisis if target == "crisis case" else None)
        made = attempt(
            lambda: do_request_grant(
                fund,
                category=category,
                amount=money(count, code),
                case=case,
                partner=partner,
                actor=world.users["finance"],
            ),
            fits(fund, restriction, category, target),
        )
        if made is not None:
            amount = money(count, code)
            standing = (GrantState.REQUESTED, GrantState.APPROVED)
            # Grants to the same partner asked for lately count together (a case is new each
            # time here): split in two, a large grant still needs the second officer.
            together = sum(
                (
                    model.amount[pk]
                    for pk in model.to_partner
                    if partner is not None and model.state[pk] in standing
                ),
                amount,
            )
            model.grants.append(made)
            model.state[made.pk] = GrantState.REQUESTED
            model.amount[made.pk] = amount
            model.second[made.pk] = together > money(THRESHOLD_UNITS, code)
            if partner is not None:
                model.to_partner.add(made.pk)
    elif kind in ("approve", "refuse") and grant is not None:
        amount = model.amount[grant.pk]
        second = model.second[grant.pk]
        assert Grant.objects.get(pk=grant.pk).needs_second_officer == second
        allowed = model.state[grant.pk] == GrantState.REQUESTED and not (
            second and args[1] == "finance"
        )
        if kind == "approve":
            if attempt(
                lambda: do_approve_grant(grant, **officer(args[1])),
                allowed and model.may_spend(amount),
            ):
                model.state[grant.pk] = GrantState.APPROVED
                model.left[grant.pk] = amount
                model.available -= amount
        elif attempt(lambda: do_refuse_grant(grant, **officer(args[1])), allowed):
            model.state[grant.pk] = GrantState.REFUSED
    elif kind == "cancel" and grant is not None:
        state = model.state[grant.pk]
        fully_paid = model.left[grant.pk] == 0 and model.paid[grant.pk] > 0
        expected = state == GrantState.REQUESTED or (
            state == GrantState.APPROVED and not fully_paid
        )
        if attempt(lambda: do_cancel_grant(grant, **officer("finance")), expected):
            model.available += model.left[grant.pk]
            model.left[grant.pk] = Decimal(0)
            model.state[grant.pk] = GrantState.CANCELLED
    elif kind == "pay" and grant is not None:
        count, other, rate = args[1:]
        paid_in = next(c for c in CURRENCIES if c != code) if other else code
        rate = rate if other else "1"
        amount = money(count, paid_in)
        counted = at_rate(amount, rate, code)
        expected = (
            model.state[grant.pk] == GrantState.APPROVED
            and 0 < counted <= model.left[grant.pk]
            and not model.pending[grant.pk]
        )
        payment = attempt(
            lambda: pay(
                grant, amount, currency_code=paid_in, rate=rate if other else None, keys=finance
            ),
            expected,
        )
        if payment is not None:
            assert payment.amount == counted  # judged and recorded at the rate entered
            model.left[grant.pk] -= counted
            model.paid[grant.pk] += counted
            if other:
                model.pending[grant.pk].add(payment.pk)
    elif kind == "confirm":
        payments = list(Disbursement.objects.filter(grant__fund=fund).order_by("pk"))
        if payments:
            payment = payments[args[0] % len(payments)]
            live = not JournalEntry.objects.filter(
                disbursement=payment, kind=EntryKind.REVERSAL
            ).exists()
            if attempt(
                lambda: do_confirm_disbursement(payment, **officer("finance2")),
                live and payment.pk not in model.confirmed,
            ):
                model.confirmed.add(payment.pk)
                model.pending[payment.grant_id].discard(payment.pk)
    elif kind == "reverse":
        reverse(world, fund, model, args[0])


def reverse(world, fund, model: Model, index: int) -> None:
    entries = list(JournalEntry.objects.filter(fund=fund).order_by("sequence"))
    if not entries:
        return
    entry = entries[index % len(entries)]
    lines = list(entry.lines.all())
    amount = sum((line.amount for line in lines if line.amount > 0), Decimal(0))
    already = JournalEntry.objects.filter(reverses=entry).exists()
    expected = not already and entry.kind not in (EntryKind.REVERSAL, EntryKind.GRANT_RELEASE)
    grant_id = entry.grant_id or 0  # set for every grant entry
    if entry.kind == EntryKind.DONATION:
        expected = expected and model.may_spend(amount)
    elif grant_id is not None:
        expected = expected and model.state[grant_id] == GrantState.APPROVED
        if entry.kind == EntryKind.GRANT_APPROVAL:
            expected = expected and model.paid[grant_id] == 0
        # Confirmed: not reversed by ``finance``, who recorded it.
        expected = expected and entry.disbursement_id not in model.confirmed
    if attempt(lambda: do_reverse_entry(entry, **officer("finance")), expected) is None:
        return
    if entry.kind == EntryKind.DONATION:
        model.available -= amount
    elif entry.kind == EntryKind.GRANT_APPROVAL:
        model.available += amount
        model.left[grant_id] = Decimal(0)
        model.state[grant_id] = GrantState.CANCELLED
    elif entry.kind == EntryKind.DISBURSEMENT:
        model.left[grant_id] += amount
        model.paid[grant_id] -= amount
        model.pending[grant_id].discard(entry.disbursement_id or 0)


def check(fund, model: Model) -> None:
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for entry_id, code, amount in JournalLine.objects.values_list("entry_id", "currency", "amount"):
        totals[(entry_id, code)] += amount
    assert all(total == 0 for total in totals.values()), "an entry does not balance"
    balance = fund_balance(fund)
    assert balance.available == model.available
    assert balance.available >= 0 or model.overdraft, "below zero without an overdraft"
    assert balance.cash == balance.available + balance.committed
    for grant in model.grants:
        position = grant_position(grant)
        assert 0 <= position.paid <= position.approved
        assert position.remaining == model.left[grant.pk]
        assert Grant.objects.get(pk=grant.pk).state == model.state[grant.pk]


@pytest.mark.parametrize("code", list(CURRENCIES))
@PROPERTY
@given(restriction=restrictions, changes=steps)
def test_it_keeps_the_ledger_balanced_and_funds_above_zero(setting, code, restriction, changes):
    world = setting.world
    with transaction.atomic():
        fund = make_fund(
            world,
            code,
            crisis=setting.crisis if restriction["with_crisis"] else None,
            allowed_categories=restriction["allowed_categories"],
            allows_partner_grants=restriction["allows_partner_grants"],
            allows_overdraft=restriction["allows_overdraft"],
        )
        do_set_grant_threshold(
            world.organisation,
            currency_code=code,
            amount=money(THRESHOLD_UNITS, code),
            actor=world.users["finance2"],  # not the requester: see rules.second_officer_needed
        )
        model = Model(code, restriction["allows_overdraft"])
        for change in changes:
            apply(setting, fund, restriction, model, change)
            check(fund, model)
        assert verify_ledger() == []
        transaction.set_rollback(True)


@pytest.mark.parametrize("code", list(CURRENCIES))
@PROPERTY
@given(
    granted=units,
    payments=st.lists(
        st.tuples(units, st.sampled_from(list(CURRENCIES)), st.sampled_from(RATES)),
        min_size=1,
        max_size=6,
    ),
)
def test_it_judges_over_payment_at_the_recorded_rate(setting, code, granted, payments):
    world, keys = setting.world, setting.keys["finance"]
    with transaction.atomic():
        fund = make_fund(world, code)
        donate(fund, money(granted, code), keys=keys)
        grant = do_request_grant(
            fund,
            category=GrantCategory.AIRFARE,
            amount=money(granted, code),
            case=case_of(world),
            actor=world.users["finance"],
        )
        do_approve_grant(grant, **officer("finance2"))
        left = money(granted, code)
        for count, paid_in, rate in payments:
            rate = rate if paid_in != code else "1"
            amount = money(count, paid_in)
            counted = at_rate(amount, rate, code)
            payment = attempt(
                lambda amount=amount, paid_in=paid_in, rate=rate: pay(
                    grant,
                    amount,
                    currency_code=paid_in,
                    rate=None if paid_in == code else rate,
                    keys=keys,
                ),
                0 < counted <= left,
            )
            if payment is not None:
                left -= counted
                if paid_in != code:  # the second officer checks the rate before the next
                    do_confirm_disbursement(payment, **officer("finance2"))
            assert grant_position(grant).remaining == left
        assert verify_ledger() == []
        transaction.set_rollback(True)
