"""The case page's "Costs" panel: what the case's grants add up to, per currency (asked for,
approved, paid, confirmed at reconciliation), for anyone who may open the case; totals only,
never a donor, a payee or a reference (``ledger.costs`` reads none). Caseworkers and
supervisors who may ask for a grant for this case get the form, with the funds it would fit.
Nothing in a duress session."""

from __future__ import annotations

from django.http import HttpRequest

from safehaven.accounts.access import Perm, has_perm, has_perm_in
from safehaven.accounts.models import User
from safehaven.cases.access import cases_visible_to
from safehaven.cases.models import Case
from safehaven.finance.grants.forms import GrantRequestForm, funds_for_case
from safehaven.finance.grants.pages import money_texts
from safehaven.finance.ledger.costs import case_costs
from safehaven.keys.login_key import is_duress_session


def may_request_for(user: User, case: Case) -> bool:
    """Whether ``user`` may ask for a grant for ``case`` (the request view's own scope)."""
    return (
        has_perm_in(user, Perm.REQUEST_GRANTS, case.organisation)
        and not case.is_closed
        and cases_visible_to(user, Perm.REQUEST_GRANTS).filter(pk=case.pk).exists()
    )


def case_costs_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = request.user
    if not isinstance(user, User) or is_duress_session(request):
        return None
    if not has_perm(user, Perm.OPEN_CASES):
        return None
    costs = case_costs(case)
    figures = [
        ("requested", money_texts(costs.requested)),
        ("approved", money_texts(costs.approved)),
        ("paid", money_texts(costs.paid)),
        ("confirmed", money_texts(costs.confirmed)),
    ]
    context: dict[str, object] = {
        "case": case,
        "figures": figures,
        "any": any(amounts for _name, amounts in figures),
        "may_request": False,
    }
    if may_request_for(user, case):
        funds = funds_for_case(case)
        context |= {
            "may_request": True,
            "no_funds": not funds,
            "form": GrantRequestForm(funds=funds, auto_id="grant-%s"),
        }
    return {"case_costs": context}
