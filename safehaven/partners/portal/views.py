"""The partner portal's pages: the organisation's referrals with a neutral status, referring
someone, one referral (its messages with the organisation and the evidence added), a batch
import. Partner members only, through ``partners.access``: staff get 403, another
organisation's referral is 404, and a duress session finds nothing."""

from __future__ import annotations

import math

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts.access import current_user
from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import unlocked_private_key
from safehaven.partners.access import access_referral, partner_organisation_of
from safehaven.partners.api.rate_limits import organisation_hit
from safehaven.partners.choices import MessageDirection
from safehaven.partners.portal.actions import do_add_partner_evidence, partner_evidence
from safehaven.partners.portal.evidence import EvidenceFileRefused
from safehaven.partners.portal.forms import EvidenceForm, ImportForm, PortalReferralForm
from safehaven.partners.referral_messages.actions import (
    ReferralMessageRefused,
    do_open_referral_messages,
    do_send_referral_message,
    forged_count,
)
from safehaven.partners.referral_messages.forms import ReferralMessageForm
from safehaven.partners.referrals.actions import (
    BatchRefused,
    ReferralRefused,
    do_import_referrals,
    do_refer_person,
)
from safehaven.partners.referrals.batch_csv import known_in_order
from safehaven.partners.referrals.queries import neutral_status, referrals_of

PAGE_SIZE = 50
NO_KEY = gettext_lazy("Your key is not unlocked in this session. Log out and log in again.")


@require_GET
def list_referrals(request: HttpRequest) -> HttpResponse:
    organisation = partner_organisation_of(request)
    # Never a sealed column, not even as ciphertext in memory.
    referrals = referrals_of(organisation).defer(*HelpRequest.sealed_field_names())
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(item, neutral_status(item)) for item in page.object_list]
    context = {"organisation": organisation, "page": page, "rows": rows}
    return render(request, "partners/portal_list.html", context)


def _minutes(retry_after: int) -> int:
    """Whole minutes until a budget's window ends, rounded up, at least one."""
    return max(1, math.ceil(retry_after / 60))


def _busy_referring(retry_after: int) -> str:
    minutes = _minutes(retry_after)
    return ngettext(
        "Your organisation has referred many people in a short time, so this person was not "
        "referred yet. What you typed is still here: please wait about %(minutes)d minute, "
        "then press “Refer the person” again.",
        "Your organisation has referred many people in a short time, so this person was not "
        "referred yet. What you typed is still here: please wait about %(minutes)d minutes, "
        "then press “Refer the person” again.",
        minutes,
    ) % {"minutes": minutes}


@require_http_methods(["GET", "POST"])
def refer_person(request: HttpRequest) -> HttpResponse:
    organisation = partner_organisation_of(request)
    form = PortalReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        budget = organisation_hit("portal_referrals", organisation.pk)
        if not budget.allowed:
            # The form is shown again with all that was typed in it.
            form.add_error(None, _busy_referring(budget.retry_after))
            return render(request, "partners/portal_refer.html", {"form": form})
        try:
            help_request = do_refer_person(
                form.draft(),
                organisation=organisation,
                channel=RequestChannel.PORTAL,
                actor=current_user(request),
            )
        except ReferralRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(
                request,
                _("The person is referred. The organisation's triage team will read it soon."),
            )
            return redirect("partners-show-referral", request_id=help_request.pk)
    return render(request, "partners/portal_refer.html", {"form": form})


def _referral_page(
    request: HttpRequest,
    help_request: HelpRequest,
    *,
    message_form: ReferralMessageForm | None = None,
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    context: dict[str, object] = {
        "help_request": help_request,
        "status": neutral_status(help_request),
        "evidence": partner_evidence(help_request),
        "message_form": message_form or ReferralMessageForm(),
        "evidence_form": evidence_form or EvidenceForm(),
        "problem": "",
    }
    private_key = unlocked_private_key(request)
    if private_key is None:
        context["problem"] = NO_KEY
        return render(request, "partners/portal_referral.html", context)
    try:
        shown = do_open_referral_messages(
            help_request, actor=current_user(request), private_key=private_key, for_partner=True
        )
    except RecordUnavailable:
        context["problem"] = _(
            "Your key cannot open this referral, so its messages stay sealed. Ask a colleague "
            "who holds your organisation's team key to pass it on to you."
        )
    else:
        context |= {"thread": shown, "forged": forged_count(shown)}
    return render(request, "partners/portal_referral.html", context)


@require_GET
def show_referral(request: HttpRequest, request_id: int) -> HttpResponse:
    return _referral_page(request, access_referral(request, request_id))


@require_POST
def send_referral_message(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_referral(request, request_id)
    form = ReferralMessageForm(request.POST)
    if form.is_valid():
        private_key = unlocked_private_key(request)
        try:
            if private_key is None:
                raise ReferralMessageRefused(str(NO_KEY))
            do_send_referral_message(
                help_request,
                direction=MessageDirection.FROM_PARTNER,
                text=form.cleaned_data["body"],
                actor=current_user(request),
                private_key=private_key,
            )
        except ReferralMessageRefused as refusal:
            form.add_error(None, refusal.message)
        except RecordUnavailable:
            form.add_error(None, _("Your key cannot open this referral, so you cannot write."))
        else:
            messages.success(request, _("Your message was sent to the organisation."))
            return redirect("partners-show-referral", request_id=help_request.pk)
    return _referral_page(request, help_request, message_form=form)


@require_POST
def add_referral_evidence(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_referral(request, request_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            do_add_partner_evidence(
                help_request,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                actor=current_user(request),
                private_key=unlocked_private_key(request),
            )
        except (EvidenceFileRefused, ReferralMessageRefused) as refusal:
            form.add_error(None, refusal.message)
        except RecordUnavailable:
            form.add_error(
                None, _("Your key cannot open this referral, so the evidence cannot be sealed.")
            )
        else:
            messages.success(request, _("The evidence was added and sealed."))
            return redirect("partners-show-referral", request_id=help_request.pk)
    return _referral_page(request, help_request, evidence_form=form)


def _busy_importing(retry_after: int) -> str:
    minutes = _minutes(retry_after)
    return ngettext(
        "Your organisation has imported many files in a short time, so this one was not read "
        "yet. Nothing was saved: please wait about %(minutes)d minute, then choose the file "
        "again and press “Check and refer”.",
        "Your organisation has imported many files in a short time, so this one was not read "
        "yet. Nothing was saved: please wait about %(minutes)d minutes, then choose the file "
        "again and press “Check and refer”.",
        minutes,
    ) % {"minutes": minutes}


@require_http_methods(["GET", "POST"])
def import_referrals(request: HttpRequest) -> HttpResponse:
    organisation = partner_organisation_of(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        budget = organisation_hit("portal_imports", organisation.pk)
        if not budget.allowed:
            form.add_error(None, _busy_importing(budget.retry_after))
        else:
            try:
                referred = do_import_referrals(
                    form.cleaned_data["file"],
                    organisation=organisation,
                    channel=RequestChannel.IMPORT,
                    actor=current_user(request),
                )
            except BatchRefused as refusal:
                problems = refusal.problems
                form.add_error(None, str(refusal.message))
            except ReferralRefused as refusal:
                form.add_error(None, str(refusal.message))
            else:
                count = len(referred)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d person was referred from the file.",
                        "%(count)d people were referred from the file.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("partners-list-referrals")
    context = {"form": form, "problems": problems, "header": ",".join(known_in_order())}
    return render(request, "partners/portal_import.html", context)
