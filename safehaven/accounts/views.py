"""Staff home and invitation acceptance."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.access import Perm, current_user, has_perm, roles_of
from safehaven.accounts.actions import ActionRefused, do_accept_invite, find_usable_invite
from safehaven.accounts.forms import AcceptInviteForm
from safehaven.accounts.forms_keys import DuressPasswordForm
from safehaven.accounts.home import next_steps_for
from safehaven.accounts.models import Membership
from safehaven.keys.actions import do_set_duress_password
from safehaven.keys.exceptions import KeyActionRefused


@require_GET
def show_home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    memberships = Membership.objects.filter(user=user).select_related("organisation", "team")
    return render(
        request,
        "accounts/home.html",
        {
            "memberships": memberships,
            "steps": next_steps_for(user, roles_of(user)),
            "can_manage_staff": has_perm(user, Perm.MANAGE_STAFF),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    invite = find_usable_invite(token)
    if invite is None:
        return render(request, "accounts/invite_unusable.html", status=404)
    form = AcceptInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = do_accept_invite(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error("password", error)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            # Through the configured backends, so this login also unlocks the new key pair.
            authenticated = authenticate(
                request, email=user.email, password=form.cleaned_data["password"]
            )
            login(request, authenticated)
            messages.success(request, _("Welcome. Now add a second factor to your account."))
            return redirect("mfa_activate_totp")
    return render(request, "accounts/accept_invite.html", {"form": form, "invite": invite})


@require_http_methods(["GET", "POST"])
def set_duress_password(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = DuressPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_duress_password(user, form.cleaned_data["duress_password"], actor=user)
        except KeyActionRefused as refusal:
            form.add_error("duress_password", str(refusal))
        else:
            messages.success(request, _("Your duress password is set."))
            return redirect("accounts-show-home")
    return render(request, "accounts/duress_password.html", {"form": form})
