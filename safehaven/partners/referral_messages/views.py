"""The staff side of a referral's messages with its partner: read them and answer.

Those who may open the request on the staff side (triage, supervisors, a caseworker it was
shared with or whose case it joined) through ``intake.access``; partners are refused (403):
they use their portal. A request no partner referred has no such messages (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import Perm, current_user, has_perm, require_perm
from safehaven.intake.access import access_help_request
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import unlocked_private_key
from safehaven.partners.choices import MessageDirection
from safehaven.partners.referral_messages.actions import (
    ReferralMessageRefused,
    do_open_referral_messages,
    do_send_referral_message,
    forged_count,
)
from safehaven.partners.referral_messages.forms import ReferralMessageForm


def access_staff_referral(request: HttpRequest, request_id: int) -> HelpRequest:
    user = require_perm(request, Perm.READ_REQUESTS)
    if not (has_perm(user, Perm.TRIAGE_REQUESTS) or has_perm(user, Perm.VIEW_SHARED_REQUESTS)):
        raise PermissionDenied  # a partner member: their portal shows these messages
    help_request = access_help_request(request, request_id, need=Perm.READ_REQUESTS)
    if help_request.referred_by_id is None:
        raise Http404
    return help_request


@require_http_methods(["GET", "POST"])
def show_referral_messages(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_staff_referral(request, request_id)
    user = current_user(request)
    form = ReferralMessageForm(request.POST or None)
    private_key = unlocked_private_key(request)
    context: dict[str, object] = {"help_request": help_request, "form": form, "problem": ""}
    if private_key is None:
        context["problem"] = _(
            "Your key is not unlocked in this session. Log out and log in again."
        )
        return render(request, "partners/referral_messages_show.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            do_send_referral_message(
                help_request,
                direction=MessageDirection.FROM_STAFF,
                text=form.cleaned_data["body"],
                actor=user,
                private_key=private_key,
            )
        except ReferralMessageRefused as refusal:
            form.add_error("body", refusal.message)
        except RecordUnavailable:
            form.add_error(None, _("Your key cannot open this request, so you cannot answer."))
        else:
            messages.success(request, _("Your message was sent to the partner."))
            return redirect("partners-show-referral-messages", request_id=help_request.pk)
    try:
        shown = do_open_referral_messages(
            help_request, actor=user, private_key=private_key, for_partner=False
        )
    except RecordUnavailable:
        context["problem"] = _("Your key cannot open this request, so its messages stay sealed.")
        return render(request, "partners/referral_messages_show.html", context)
    context |= {"thread": shown, "forged": forged_count(shown)}
    return render(request, "partners/referral_messages_show.html", context)
