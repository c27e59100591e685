"""Demo money for `make demo`, through the real actions with the demo users' own keys: a
finance team (the demo finance officer holds its key), a general fund in USD and a
"Chechnya response" appeal in EUR restricted to the demo crisis, donations (some anonymous,
one file imported with a gift in pounds, one gift in Canadian dollars), thresholds, budget
lines, and grants to the demo cases in every state (requested, approved and partly paid in
roubles, approved and paid and confirmed, refused, cancelled, and a partner grant waiting
for a second finance officer).

Registered by ``FinanceConfig.ready``, after the cases and travel steps and before advocacy's,
whose crisis this step records first (advocacy finds it by its name). Everything here is
invented: the donors, payees and references are not real.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from safehaven.accounts.models import Membership, Organisation, Role, Scope, Team, TeamKind
from safehaven.cases.choices import CaseState
from safehaven.cases.demo.steps import _key, _user
from safehaven.cases.models import Case
from safehaven.core import demo
from safehaven.countries.crises.actions import CrisisDetails, do_record_crisis
from safehaven.countries.models import Country, Crisis
from safehaven.finance.choices import DisbursementMethod, GrantCategory, GrantState
from safehaven.finance.disbursements.actions import (
    Payment,
    do_confirm_disbursement,
    do_record_disbursement,
)
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.donations.actions import Conversion, do_record_donation
from safehaven.finance.donations.csv_import import read_donations
from safehaven.finance.donations.import_actions import do_import_donations
from safehaven.finance.funds.actions import (
    do_create_fund,
    do_set_budget_line,
    do_set_grant_threshold,
)
from safehaven.finance.grants.actions import (
    do_approve_grant,
    do_cancel_grant,
    do_refuse_grant,
    do_request_grant,
)
from safehaven.finance.models import Disbursement, Donation, Fund, Grant
from safehaven.finance.records import finance_teams
from safehaven.keys.actions.teams import do_create_team_key

S = CaseState
C = GrantCategory
DAY = datetime.timedelta(days=1)
# The name advocacy's demo gives its crisis: whichever step runs first records it.
CRISIS = "Purge in the North Caucasus (demo)"
OFFICER = "finance"


def _keys() -> dict[str, Any]:
    """``actor`` and ``private_key`` of the demo finance officer, for actions that seal."""
    return {"actor": _user(OFFICER), "private_key": _key(OFFICER)}


def _case(state: CaseState) -> Case:
    return Case.objects.filter(state=state).select_related("organisation").earliest("pk")


def _finance_team(organisation: Organisation) -> None:
    """The organisation's finance team, its key held by the demo finance officer (made as the
    seed makes teams: members first, then the key wrapped to them and to escrow)."""
    if finance_teams(organisation):
        return
    team = Team.objects.create(organisation=organisation, name="Finance", kind=TeamKind.FINANCE)
    Membership.objects.create(
        user=_user(OFFICER),
        organisation=organisation,
        team=team,
        role=Role.FINANCE,
        scope=Scope.ORGANISATION,
    )
    do_create_team_key(team, actor=None)


def _crisis() -> Crisis:
    crisis = Crisis.objects.filter(name=CRISIS).first()
    if crisis is None:
        details = CrisisDetails(
            CRISIS, Country.objects.filter(iso2="RU"), [], datetime.date(2017, 2, 1)
        )
        crisis = do_record_crisis(details, actor=_user("admin"))
    return crisis


def _funds(organisation: Organisation, today: datetime.date) -> tuple[Fund, Fund]:
    officer = _user(OFFICER)
    general = do_create_fund(
        organisation,
        name="General fund",
        currency_code="USD",
        starts_on=today - 365 * DAY,
        actor=officer,
    )
    appeal = do_create_fund(
        organisation,
        name="Chechnya response",
        currency_code="EUR",
        target="25000",
        starts_on=today - 90 * DAY,
        ends_on=today + 275 * DAY,
        is_appeal=True,
        crisis=_crisis(),
        allowed_categories=[C.AIRFARE, C.PRE_TRAVEL, C.POST_ARRIVAL, C.SHELTER],
        actor=officer,
    )
    for code, amount in (("USD", "1000"), ("EUR", "800")):
        do_set_grant_threshold(organisation, currency_code=code, amount=amount, actor=officer)
    for month, category, code, amount in (
        (None, C.AIRFARE, "USD", "20000"),
        (None, C.PRE_TRAVEL, "USD", "5000"),
        (None, C.AIRFARE, "EUR", "8000"),
        (today.month, C.SHELTER, "EUR", "1500"),
    ):
        do_set_budget_line(
            organisation,
            year=today.year,
            month=month,
            category=category,
            currency_code=code,
            amount=amount,
            actor=officer,
        )
    return general, appeal


def _donations(general: Fund, appeal: Fund, today: datetime.date) -> None:
    keys = _keys()
    for fund, days_ago, amount, donor in (
        (general, 60, "5000.00", "Ana Demo-Donor"),
        (general, 30, "250.00", ""),
        (general, 20, "1200.00", "Friends of Safe Haven (demo)"),
        (appeal, 45, "3000.00", "Solidarity Circle (demo)"),
        (appeal, 12, "500.00", ""),
    ):
        do_record_donation(
            fund, received_on=today - days_ago * DAY, amount=amount, donor_name=donor, **keys
        )
    do_record_donation(
        appeal,
        received_on=today - 8 * DAY,
        conversion=Conversion("200.00", "CAD", "0.68", today - 8 * DAY),
        donor_name="",
        **keys,
    )
    # A bank's file of gifts, imported whole: one came in pounds.
    day = (today - 5 * DAY).isoformat()
    data = (
        "received_on,amount,currency,rate,rate_on,donor_name\n"
        f"{day},100.00,GBP,1.27,{day},\n"
        f"{day},75.00,,,,Sam Demo-Giver\n"
    ).encode()
    do_import_donations(general, read_donations(general, data, today=today), **keys)


def _grants(general: Fund, appeal: Fund, today: datetime.date) -> None:
    officer, keys = _user(OFFICER), _keys()
    # Asked for by the caseworker, waiting for a decision.
    do_request_grant(
        general, category=C.AIRFARE, amount="850", case=_case(S.PLANNING), actor=_user("caseworker")
    )
    # Approved, partly paid in roubles at the rate of the day.
    visas = do_request_grant(
        general,
        category=C.PRE_TRAVEL,
        amount="300",
        case=_case(S.VERIFIED),
        actor=_user("caseworker"),
    )
    do_approve_grant(visas, **keys)
    do_record_disbursement(
        visas,
        method=DisbursementMethod.MONEY_TRANSFER,
        paid_on=today - 2 * DAY,
        payment=Payment("27500.00", "RUB", "0.0109", today - 2 * DAY),
        payee=PayeeDetails(name="Demo Payee", account="+7 900 000-00-00", service="Demo Wire"),
        reference="DEMO-WIRE-0001",
        **keys,
    )
    # The appeal's airfare for the crisis case: booked by staff, paid and confirmed.
    crisis_case = _case(S.TRAVEL_BOOKED)
    Case.objects.filter(pk=crisis_case.pk).update(crisis=appeal.crisis)
    crisis_case.refresh_from_db()
    airfare = do_request_grant(
        appeal, category=C.AIRFARE, amount="620", case=crisis_case, actor=_user("supervisor")
    )
    do_approve_grant(airfare, **keys, posted_on=today - 6 * DAY)
    paid = do_record_disbursement(
        airfare,
        method=DisbursementMethod.DIRECT_BOOKING,
        paid_on=today - 6 * DAY,
        payment=Payment("620.00", "EUR"),
        payee=PayeeDetails(name="Demo Airline booking desk"),
        reference="DEMO-PNR-0001",
        **keys,
    )
    do_confirm_disbursement(paid, **keys)
    # Refused, cancelled, and a partner grant above the threshold waiting for a second
    # finance officer (the demo has one).
    shelter = do_request_grant(
        general, category=C.SHELTER, amount="2400", case=_case(S.ARRIVED), actor=_user("supervisor")
    )
    do_refuse_grant(shelter, **keys)
    support = do_request_grant(
        general,
        category=C.EMOTIONAL_SUPPORT,
        amount="200",
        case=_case(S.POST_ARRIVAL),
        actor=_user("supervisor"),
    )
    do_cancel_grant(support, actor=_user("supervisor"))
    do_request_grant(
        general,
        category=C.SHELTER,
        amount="1500",
        partner=Organisation.objects.get(name="Rainbow Network East"),
        actor=officer,
    )


def _create_demo_finance() -> None:
    today = timezone.localdate()
    organisation = _case(S.PLANNING).organisation
    _finance_team(organisation)
    general, appeal = _funds(organisation, today)
    _donations(general, appeal, today)
    _grants(general, appeal, today)


@demo.register
def describe_demo_finance(base_url: str) -> list[str]:
    if not Fund.objects.exists() and Case.objects.filter(state=S.TRAVEL_BOOKED).exists():
        _create_demo_finance()
    grants = Grant.objects.all()
    states = ", ".join(
        f"{label.lower()} {grants.filter(state=state).count()}"
        for state, label in GrantState.choices
    )
    confirmed = Disbursement.objects.filter(confirmed_at__isnull=False).count()
    return [
        "",
        f"Finance: funds {Fund.objects.filter(is_appeal=False).count()}, appeals "
        f"{Fund.objects.filter(is_appeal=True).count()}, donations {Donation.objects.count()}, "
        f"grants {grants.count()} ({states}), payments {Disbursement.objects.count()} "
        f"(confirmed: {confirmed}).",
        f"  Log in as `{OFFICER}` (the finance officer; its team holds the key to donors' names "
        f"and payees): {base_url}/en/staff/finance/funds/",
        f"  Grants to decide: {base_url}/en/staff/finance/grants/ · budget: "
        f"{base_url}/en/staff/finance/budget/ · exports ask for the password and a TOTP code "
        "again.",
        "  Caseworkers ask for grants from a case page and see its cost totals, never a donor "
        "or a payee.",
    ]
