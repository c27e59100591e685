"""The payment pages of a grant (finance officers only): record a payment, confirm one at
reconciliation, and open the payees and references, sealed for finance (each opening audited,
and only with the password and the second factor re-checked a moment ago:
``accounts/reauth.py``). Over-payment, a missing rate and any other refusal are shown on the
form, with what was typed kept; nothing typed is kept anywhere else."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts.access import current_user
from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.access import access_disbursement, access_grant
from safehaven.finance.disbursements.actions import (
    Payment,
    do_confirm_disbursement,
    do_record_disbursement,
)
from safehaven.finance.disbursements.forms import SEALED_FIELDS, DisbursementForm
from safehaven.finance.disbursements.payees import do_open_payee_details
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.grants.pages import money_text
from safehaven.finance.grants.views import back_to_grant
from safehaven.keys.login_key import unlocked_private_key


def _not_unlocked() -> str:
    return _("Your key is not unlocked in this session. Log out and log in again.")


@sensitive_post_parameters(*SEALED_FIELDS)
@require_http_methods(["GET", "POST"])
def record_disbursement(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = access_grant(request, grant_id)
    form = DisbursementForm(request.POST or None, grant=grant)
    if request.method == "POST" and form.is_valid():
        private_key = unlocked_private_key(request)
        data = form.cleaned_data
        if private_key is None:
            form.add_error(None, _not_unlocked())
        else:
            try:
                do_record_disbursement(
                    grant,
                    method=data["method"],
                    paid_on=data["paid_on"],
                    payment=Payment(
                        data["amount"],
                        data["currency"],
                        data["rate"] or None,
                        data["rate_on"] if data["rate"] else None,
                    ),
                    payee=PayeeDetails(
                        name=data["payee_name"],
                        account=data["payee_account"],
                        service=data["payee_service"],
                        note=data["payee_note"],
                    ),
                    reference=data["reference"],
                    actor=current_user(request),
                    private_key=private_key,
                )
            except CaseActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Disbursement recorded and posted to the ledger."))
                return back_to_grant(grant)
    context = {"grant": grant, "form": form, "amount": money_text(grant.amount, grant.currency)}
    return render(request, "finance/disbursement_form.html", context)


@require_POST
def confirm_disbursement(request: HttpRequest, disbursement_id: int) -> HttpResponse:
    disbursement = access_disbursement(request, disbursement_id)
    try:
        do_confirm_disbursement(
            disbursement,
            actor=current_user(request),
            private_key=unlocked_private_key(request),
        )
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Disbursement confirmed."))
    return back_to_grant(disbursement.grant)


@never_cache
@require_GET
def show_payees(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = access_grant(request, grant_id)
    again = reauthentication_redirect(request, back_to=request.path)
    if again is not None:
        return again
    private_key = unlocked_private_key(request)
    problem, payees = "", None
    if private_key is None:
        problem = "no_key"
    else:
        try:
            payees = do_open_payee_details(
                grant, actor=current_user(request), private_key=private_key
            )
        except CaseActionRefused as refusal:
            problem = str(refusal)
        else:
            problem = "cannot_open" if payees is None else ""
    rows = [
        (payee, money_text(payee.row.amount_paid, payee.row.currency_paid))
        for payee in payees or []
    ]
    context = {"grant": grant, "problem": problem, "rows": rows}
    return render(request, "finance/disbursement_payees.html", context)
