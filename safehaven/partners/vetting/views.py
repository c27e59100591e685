"""Administrators' pages for partner organisations: the list with their vetting, the vetting
form, and the suspension (both factors again first: ``accounts.reauth``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.keys.login_key import is_duress_session
from safehaven.partners.vetting.access import (
    access_partner_organisation,
    require_partner_manager,
)
from safehaven.partners.vetting.actions import (
    VettingRefused,
    do_change_partner_vetting,
    do_suspend_partner,
)
from safehaven.partners.vetting.forms import SuspendPartnerForm, VettingForm
from safehaven.partners.vetting.queries import partner_rows, suspension_preview, vetting_of


@require_GET
def list_partners(request: HttpRequest) -> HttpResponse:
    require_partner_manager(request)
    # A coerced administrator's list is empty (SECURITY.md, T4).
    rows = [] if is_duress_session(request) else partner_rows()
    return render(request, "partners/vetting_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def change_vetting(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_partner_organisation(request, organisation_id)
    actor = require_partner_manager(request)
    vetting = vetting_of(organisation)
    form = VettingForm.for_vetting(vetting, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_partner_vetting(
                organisation,
                status=form.chosen_status(),
                notes=form.cleaned_data["notes"],
                review_on=form.review_date(),
                actor=actor,
            )
        except VettingRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Vetting saved."))
            return redirect("partners-list-partners")
    return render(
        request,
        "partners/vetting_change.html",
        {"organisation": organisation, "vetting": vetting, "form": form},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def suspend_partner(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_partner_organisation(request, organisation_id)
    actor = require_partner_manager(request)
    back_to = reverse("partners-suspend-partner", kwargs={"organisation_id": organisation.pk})
    again = reauthentication_redirect(request, back_to=back_to)
    if again is not None:
        if request.method == "POST":  # dropped: asked again from the page (accounts/reauth.py)
            messages.info(request, _("Confirm who you are again, then suspend again."))
        return again
    vetting = vetting_of(organisation)
    form = SuspendPartnerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = do_suspend_partner(organisation, actor=actor)
        except VettingRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is suspended. Revoked: %(tokens)d API tokens, %(codes)d referral "
                    "codes, %(invites)d invitations. Accounts suspended: %(members)d; sessions "
                    "ended: %(sessions)d. Key wraps deleted: %(wraps)d to members, %(records)d "
                    "to records."
                )
                % {
                    "name": organisation.name,
                    "tokens": summary.api_tokens,
                    "codes": summary.referral_codes,
                    "invites": summary.invites,
                    "members": summary.members_suspended,
                    "sessions": summary.sessions_ended,
                    "wraps": summary.team_key_wraps,
                    "records": summary.record_wraps,
                },
            )
            return redirect("partners-list-partners")
    return render(
        request,
        "partners/vetting_suspend.html",
        {
            "organisation": organisation,
            "vetting": vetting,
            "preview": suspension_preview(organisation),
            "form": form,
        },
    )
