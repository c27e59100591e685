"""What a case cost, and the cost per person relocated (docs/finance.md, "Figures").

Totals only: no donor and no payee detail is read here, so the case page may show them to the
case's caseworkers. Amounts are summed per currency; a figure in one reporting currency uses
only rates someone recorded (a payment's own, or rates entered for the report), never fetched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from safehaven.accounts.models import Organisation
from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.models import Case, CasePerson
from safehaven.finance.choices import EntryKind, GrantState
from safehaven.finance.models import Disbursement, Grant
from safehaven.finance.money import Money, converted, currency


def _totals(pairs: Iterable[tuple[str, Decimal]]) -> list[Money]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for code, amount in pairs:
        sums[code] += amount
    return [Money(code, sums[code]) for code in sorted(sums)]


def paid_disbursements(**filters: object) -> Iterable[Disbursement]:
    """Payments whose entry no reversal undid (``confirmed=True``: confirmed ones only)."""
    confirmed = filters.pop("confirmed", False)
    rows = Disbursement.objects.filter(
        entries__kind=EntryKind.DISBURSEMENT, entries__reversed_by__isnull=True, **filters
    )
    if confirmed:
        rows = rows.filter(confirmed_at__isnull=False)
    return rows.select_related("grant").distinct()


@dataclass(frozen=True)
class CaseCosts:
    """A case's money, per currency: grants approved (net of what cancellations released is
    not subtracted: ``approved`` is what was granted), paid (payments not reversed, in the
    grants' currencies) and confirmed (of those, reconciled)."""

    requested: list[Money]
    approved: list[Money]
    paid: list[Money]
    confirmed: list[Money]


def case_costs(case: Case) -> CaseCosts:
    grants = Grant.objects.filter(case=case)
    payments = list(paid_disbursements(grant__case=case))
    return CaseCosts(
        requested=_totals(
            grants.filter(state=GrantState.REQUESTED).values_list("currency", "amount")
        ),
        approved=_totals(
            grants.filter(state__in=[GrantState.APPROVED, GrantState.CANCELLED])
            .filter(entries__kind=EntryKind.GRANT_APPROVAL, entries__reversed_by__isnull=True)
            .values_list("currency", "amount")
        ),
        paid=_totals((row.grant.currency, row.amount) for row in payments),
        confirmed=_totals(
            (row.grant.currency, row.amount) for row in payments if row.confirmed_at is not None
        ),
    )


@dataclass(frozen=True)
class CostPerPerson:
    """``total`` of the confirmed payments of the counted cases, in the reporting currency;
    ``people`` in those cases; ``per_person`` = total / people (None without people);
    ``unconverted``: confirmed payments no recorded rate brings into the reporting currency
    (left out of the total, shown beside it)."""

    total: Money
    cases: int
    people: int
    per_person: Money | None
    unconverted: list[Money]


def relocated_cases(
    organisation: Organisation, *, closed_from: date | None = None, closed_to: date | None = None
) -> list[Case]:
    """Cases of the organisation closed with the outcome "relocated" (closed, by the day their
    state last changed, within the dates given)."""
    cases = Case.objects.filter(
        organisation=organisation, state=CaseState.CLOSED, outcome=CaseOutcome.RELOCATED
    )
    if closed_from is not None:
        cases = cases.filter(state_changed_at__date__gte=closed_from)
    if closed_to is not None:
        cases = cases.filter(state_changed_at__date__lte=closed_to)
    return list(cases.order_by("pk"))


def cost_per_person_relocated(
    organisation: Organisation,
    reporting_currency: str,
    *,
    closed_from: date | None = None,
    closed_to: date | None = None,
    rates: Mapping[str, Decimal] | None = None,
) -> CostPerPerson:
    """Confirmed payments to the organisation's relocated cases, in ``reporting_currency``,
    divided by the people of those cases (a household counts each person).

    A payment counts in the reporting currency at its recorded amounts: the amount paid when it
    was paid in that currency, its amount in the grant's currency when the grant is in it,
    otherwise at ``rates[<grant currency>]`` (units of the reporting currency per unit, entered
    for the report). Anything else is listed in ``unconverted``."""
    code = currency(reporting_currency).code
    cases = relocated_cases(organisation, closed_from=closed_from, closed_to=closed_to)
    people = CasePerson.objects.filter(case__in=cases).count()
    total = Decimal(0)
    left_out: list[tuple[str, Decimal]] = []
    for payment in paid_disbursements(grant__case__in=cases, confirmed=True):
        if payment.currency_paid == code:
            total += payment.amount_paid
        elif payment.grant.currency == code:
            total += payment.amount
        elif rates and payment.grant.currency in rates:
            total += converted(payment.amount, rates[payment.grant.currency], code)
        else:
            left_out.append((payment.grant.currency, payment.amount))
    money = Money(code, total.quantize(currency(code).quantum))
    per_person = None
    if people:
        per_person = Money(code, (total / people).quantize(currency(code).quantum))
    return CostPerPerson(
        total=money,
        cases=len(cases),
        people=people,
        per_person=per_person,
        unconverted=_totals(left_out),
    )
