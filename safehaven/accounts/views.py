"""Staff home and invitation acceptance."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts.access import (
    Perm,
    access_own_team,
    current_user,
    has_perm,
    roles_of,
)
from safehaven.accounts.actions import (
    ActionRefused,
    WrongAcceptanceCode,
    do_accept_invite,
    do_count_wrong_acceptance_code,
    find_usable_invite,
)
from safehaven.accounts.forms import AcceptInviteForm
from safehaven.accounts.forms_keys import DuressPasswordForm
from safehaven.accounts.home import next_steps_for, teammates_awaiting_key
from safehaven.accounts.home_sections import render_home_sections
from safehaven.accounts.models import Membership
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.keys.actions.teams import do_add_team_member_key
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.login_key import is_duress_session, unlocked_private_key
from safehaven.keys.teams import members_awaiting_team_key


@require_GET
def show_home(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    memberships = Membership.objects.filter(user=user).select_related("organisation", "team")
    waiting = [] if is_duress_session(request) else teammates_awaiting_key(user)
    return render(
        request,
        "accounts/home.html",
        {
            "memberships": memberships,
            "teammates_awaiting_key": waiting,
            "steps": next_steps_for(user, roles_of(user)),
            "can_manage_staff": has_perm(user, Perm.MANAGE_STAFF),
            # Higher apps' sections (travel's journey alerts); none in a duress session.
            "home_sections": render_home_sections(request, user),
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
                code=form.cleaned_data["acceptance_code"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except WrongAcceptanceCode as refusal:
            do_count_wrong_acceptance_code(invite_id=refusal.invite_id)
            form.add_error("acceptance_code", str(refusal))
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
    if request.method == "POST" and form.is_valid() and is_duress_session(request):
        # Looks saved; changes nothing (the coercer must not learn anything).
        messages.success(request, _("Your duress password is set."))
        return redirect("accounts-show-home")
    if request.method == "POST" and form.is_valid():
        try:
            do_set_duress_password(user, form.cleaned_data["duress_password"], actor=user)
        except KeyActionRefused as refusal:
            form.add_error("duress_password", str(refusal))
        else:
            messages.success(request, _("Your duress password is set."))
            return redirect("accounts-show-home")
    return render(request, "accounts/duress_password.html", {"form": form})


@require_POST
def share_team_key(request: HttpRequest, team_id: int, user_id: int) -> HttpResponse:
    """Pass the team key to a new teammate, so they can open what the team is granted."""
    team = access_own_team(request, team_id)
    actor = current_user(request)
    newcomer = next((user for user in members_awaiting_team_key(team) if user.pk == user_id), None)
    if newcomer is None:
        raise Http404
    private_key = unlocked_private_key(request)
    if private_key is None:
        messages.error(request, _("Your key is not open in this session. Log out and in again."))
        return redirect("accounts-show-home")
    try:
        do_add_team_member_key(team, newcomer, private_key, actor=actor)
    except KeyActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("%(name)s can now open the team's records.") % {"name": newcomer.username}
        )
    return redirect("accounts-show-home")
