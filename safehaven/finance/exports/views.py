"""The export page for the accountant: grants or disbursements as CSV (clear facts only). It
asks for the password and the second factor again first (``accounts.reauth``), on every
export; a post that comes too late is dropped and the page asked for again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import Perm, require_perm
from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.uploads.served import CSV_TYPE, served_file_response
from safehaven.finance.exports.actions import do_export_finance
from safehaven.finance.exports.forms import ExportForm
from safehaven.finance.funds.views import kept_organisations


@never_cache
@require_http_methods(["GET", "POST"])
def export_finance(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.MANAGE_FINANCE)
    again = reauthentication_redirect(request, back_to=reverse("finance-export-finance"))
    if again is not None:
        if request.method == "POST":  # dropped: asked again from the page (accounts/reauth.py)
            messages.info(request, _("Confirm who you are again, then export again."))
        return again
    organisations = kept_organisations(request)
    form = ExportForm(request.POST or None, initial={"kind": "grants"})
    if request.method == "POST" and form.is_valid():
        kind = form.export_kind()
        try:
            content = do_export_finance(kind, organisations, form.period(), actor=user)
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return served_file_response(
                content, CSV_TYPE, f"{kind.key}-{timezone.localdate().isoformat()}.csv"
            )
    return render(request, "finance/export_form.html", {"form": form})
