"""Public intake pages: the help request form and its receipt (the requester's status pages
are in ``status_page``, the staff pages in ``triage``).

These views are ``csrf_exempt`` on purpose, guarded instead by ``same_origin_posts_only`` (both
applied by ``core.public_forms.same_origin.public_form``). Why: SECURITY.md, "Cross-site
requests and ``Origin: null``".
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehaven.core.addresses import client_address
from safehaven.core.compression import compressed_when_read
from safehaven.core.page_shells import list_items, render_with_slot
from safehaven.core.public_forms.proof_of_work import Stamp, issue_challenge, required_bits
from safehaven.core.public_forms.rate_limits import RateLimited
from safehaven.core.public_forms.same_origin import public_form
from safehaven.intake.submission.actions import IntakeUnavailable, do_receive_help_request
from safehaven.intake.submission.forms import HelpRequestForm


def _render_form(request: HttpRequest, form: HelpRequestForm, status: int = 200) -> HttpResponse:
    # A fresh challenge on every page: a stamp is good once, and stamps are never re-shown.
    context = {
        "form": form,
        "public_page": True,
        "pow_challenge": issue_challenge(),
        "pow_bits": required_bits(),
    }
    return render(request, "intake/request_form.html", context, status=status)


@public_form("GET", "POST")
@compressed_when_read  # the empty form; never the receipt nor a form given back with input
def show_request_form(request: HttpRequest) -> HttpResponse:
    form = HelpRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = do_receive_help_request(
                form.to_draft(),
                stamp=Stamp.from_post(request.POST),
                client=client_address(request),
            )
        except RateLimited as refusal:
            form.add_error(None, refusal.message)
            return _render_form(request, form, status=429)
        except IntakeUnavailable as refusal:
            form.add_error(None, refusal.message)
            return _render_form(request, form, status=503)
        # Only now, after the request has committed, does the person see their codename.
        return render_with_slot(
            request,
            "intake/receipt.html",
            {"public_page": True},
            slot="codename_words",
            slot_html=list_items(receipt.words),
        )
    return _render_form(request, form)
