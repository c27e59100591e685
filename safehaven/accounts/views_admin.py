"""Administrator pages: staff, invitations, roles, organisations and teams."""

from collections.abc import Callable
from functools import wraps

from allauth.account.decorators import reauthentication_required
from axes.models import AccessAttempt
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts import actions
from safehaven.accounts.access import (
    Perm,
    access_invite,
    access_membership,
    access_user,
    require_perm,
)
from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.approvals.actions import (
    do_request_restore_after_duress,
    do_request_role_grant,
)
from safehaven.accounts.approvals.checks import grant_needs_approval
from safehaven.accounts.forms import (
    InviteStaffForm,
    MembershipForm,
    OrganisationForm,
    SuspendForm,
    TeamForm,
)
from safehaven.accounts.models import (
    AdminApproval,
    ApprovalState,
    Invite,
    Organisation,
    Role,
    Scope,
    SuspensionReason,
    User,
)
from safehaven.keys.login_key import is_duress_session
from safehaven.keys.models import UserKeyPair


def decoy_under_duress(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A coerced administrator's session must neither reveal nor change anything, and must
    look ordinary: changes answer with an ordinary success, pages about one person are not
    found, and lists are empty (the views hide their rows themselves)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        require_perm(request, Perm.MANAGE_STAFF)
        if is_duress_session(request):
            if request.method == "POST":
                messages.success(request, _("Saved."))
                return redirect("accounts-list-staff")
            if kwargs:
                raise Http404
        return view(request, *args, **kwargs)

    return guarded


def hide_choices(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            field.queryset = field.queryset.none()


# Granting or changing access (invitations, roles, passwords, restored keys, reinstating,
# unlocking) needs the password again within the last few minutes: a stolen administrator
# session alone cannot do it.
sensitive = reauthentication_required(allow_get=True)

WAITING_FOR_SECOND_ADMIN = gettext_lazy(
    "Asked. A second administrator must approve this on the Approvals page, "
    "logged in as themselves."
)


@require_GET
@decoy_under_duress
def list_staff(request: HttpRequest) -> HttpResponse:
    require_perm(request, Perm.MANAGE_STAFF)
    users = User.objects.prefetch_related("memberships__organisation", "memberships__team")
    if is_duress_session(request):
        users = users.none()
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    pending = Invite.objects.filter(accepted_at=None, revoked_at=None).select_related(
        "organisation"
    )
    if is_duress_session(request):
        pending = pending.none()
    return render(request, "accounts/staff_list.html", {"page": page, "pending_invites": pending})


@require_http_methods(["GET", "POST"])
@decoy_under_duress
# The password again before the form, not in the middle of it: what was typed is never
# interrupted (a POST that outlasts the window is still replayed by allauth after the check).
@reauthentication_required
def invite_staff(request: HttpRequest) -> HttpResponse:
    actor = require_perm(request, Perm.MANAGE_STAFF)
    form = InviteStaffForm(request.POST or None)
    if is_duress_session(request):
        hide_choices(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invite, acceptance_code = actions.do_invite_staff(
                email=data["email"],
                organisation=data["organisation"],
                team=data["team"],
                role=Role(data["role"]),
                scope=Scope(data["scope"]),
                actor=actor,
                accept_url_for=lambda token: request.build_absolute_uri(
                    reverse("accounts-accept-invite", args=[token])
                ),
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            # Shown once: the administrator passes it on by another channel than e-mail.
            return render(
                request,
                "accounts/invite_sent.html",
                {"invite": invite, "acceptance_code": acceptance_code},
            )
    return render(request, "accounts/invite_staff.html", {"form": form})


@require_POST
@decoy_under_duress
def revoke_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = access_invite(request, invite_id)
    try:
        actions.do_revoke_invite(invite=invite, actor=require_perm(request, Perm.MANAGE_STAFF))
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Invitation revoked."))
    return redirect("accounts-list-staff")


@require_GET
@decoy_under_duress
@sensitive
def show_user(request: HttpRequest, user_id: int) -> HttpResponse:
    member = access_user(request, user_id)
    require_perm(request, Perm.MANAGE_STAFF)
    return _render_user_page(request, member, MembershipForm())


@require_POST
@decoy_under_duress
@sensitive
def grant_role(request: HttpRequest, user_id: int) -> HttpResponse:
    member = access_user(request, user_id)
    actor = require_perm(request, Perm.MANAGE_STAFF)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        return _render_user_page(request, member, form)
    data = form.cleaned_data
    # A role in a team that holds keys can be handed what the team is granted, and an
    # administrator approves two-person changes: a second administrator approves either
    # from their own session (SECURITY.md, "Staff login").
    needs_approval = grant_needs_approval(role=Role(data["role"]), team=data["team"])
    grant = do_request_role_grant if needs_approval else actions.do_add_membership
    try:
        grant(
            user=member,
            organisation=data["organisation"],
            team=data["team"],
            role=Role(data["role"]),
            scope=Scope(data["scope"]),
            actor=actor,
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _render_user_page(request, member, form)
    if needs_approval:
        messages.success(request, WAITING_FOR_SECOND_ADMIN)
    else:
        messages.success(request, _("Role granted."))
    return redirect("accounts-show-user", user_id=member.pk)


def _render_user_page(request: HttpRequest, member: User, form: MembershipForm) -> HttpResponse:
    return render(
        request,
        "accounts/user_show.html",
        {
            "member": member,
            "memberships": member.memberships.select_related("organisation", "team"),
            "form": form,
            "suspend_form": SuspendForm(),
            "has_failed_logins": AccessAttempt.objects.filter(
                username__iexact=member.email
            ).exists(),
            "keys_suspended": UserKeyPair.objects.filter(
                user=member, suspended_at__isnull=False
            ).exists(),
            "pending_approvals": AdminApproval.objects.filter(
                subject=member, state=ApprovalState.PENDING
            ).select_related("requested_by", "team"),
        },
    )


@require_POST
@decoy_under_duress
@sensitive
def remove_membership(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = access_membership(request, membership_id)
    try:
        actions.do_remove_membership(
            membership=membership, actor=require_perm(request, Perm.MANAGE_STAFF)
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts-show-user", user_id=membership.user_id)


@require_POST
@decoy_under_duress
def suspend_user(request: HttpRequest, user_id: int) -> HttpResponse:
    member = access_user(request, user_id)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason for the suspension."))
        return redirect("accounts-show-user", user_id=member.pk)
    try:
        actions.do_suspend_user(
            user=member,
            reason=SuspensionReason(form.cleaned_data["reason"]),
            actor=require_perm(request, Perm.MANAGE_STAFF),
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Suspended. All of their sessions have ended."))
    return redirect("accounts-show-user", user_id=member.pk)


@require_POST
@decoy_under_duress
@sensitive
def reinstate_user(request: HttpRequest, user_id: int) -> HttpResponse:
    member = access_user(request, user_id)
    actions.do_reinstate_user(user=member, actor=require_perm(request, Perm.MANAGE_STAFF))
    messages.success(request, _("Reinstated."))
    return redirect("accounts-show-user", user_id=member.pk)


@require_POST
@decoy_under_duress
@sensitive
def reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    member = access_user(request, user_id)
    try:
        password = actions.do_reset_password(
            user=member, actor=require_perm(request, Perm.MANAGE_STAFF)
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts-show-user", user_id=member.pk)
    return render(
        request, "accounts/password_reset_done.html", {"member": member, "password": password}
    )


@require_POST
@decoy_under_duress
@sensitive
def unlock_user(request: HttpRequest, user_id: int) -> HttpResponse:
    member = access_user(request, user_id)
    cleared = actions.do_unlock_user(user=member, actor=require_perm(request, Perm.MANAGE_STAFF))
    messages.success(
        request, _("Unlocked (%(count)d failed attempts cleared).") % {"count": cleared}
    )
    return redirect("accounts-show-user", user_id=member.pk)


@require_GET
@decoy_under_duress
def list_organisations(request: HttpRequest) -> HttpResponse:
    require_perm(request, Perm.MANAGE_STAFF)
    return _render_organisations(request, OrganisationForm(), TeamForm(prefix="team"))


@require_POST
@decoy_under_duress
def add_organisation(request: HttpRequest) -> HttpResponse:
    actor = require_perm(request, Perm.MANAGE_STAFF)
    form = OrganisationForm(request.POST)
    if not form.is_valid():
        return _render_organisations(request, form, TeamForm(prefix="team"))
    data = form.cleaned_data
    actions.do_create_organisation(
        name=data["name"], kind=data["kind"], country=data["country"].upper(), actor=actor
    )
    messages.success(request, _("Organisation added."))
    return redirect("accounts-list-organisations")


@require_POST
@decoy_under_duress
def add_team(request: HttpRequest) -> HttpResponse:
    actor = require_perm(request, Perm.MANAGE_STAFF)
    form = TeamForm(request.POST, prefix="team")
    if not form.is_valid():
        return _render_organisations(request, OrganisationForm(), form)
    data = form.cleaned_data
    try:
        actions.do_create_team(
            organisation=data["organisation"], name=data["name"], kind=data["kind"], actor=actor
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _render_organisations(request, OrganisationForm(), form)
    messages.success(request, _("Team added."))
    return redirect("accounts-list-organisations")


def _render_organisations(
    request: HttpRequest, organisation_form: OrganisationForm, team_form: TeamForm
) -> HttpResponse:
    organisations = Organisation.objects.prefetch_related("teams")
    if is_duress_session(request):
        organisations = organisations.none()
        hide_choices(team_form)
    return render(
        request,
        "accounts/organisations.html",
        {
            "organisations": organisations,
            "organisation_form": organisation_form,
            "team_form": team_form,
        },
    )


@require_POST
@decoy_under_duress
@sensitive
def restore_after_duress(request: HttpRequest, user_id: int) -> HttpResponse:
    """Ask for a coerced colleague's keys back; a second administrator approves it from
    their own session (no page asks for another person's password)."""
    member = access_user(request, user_id)
    try:
        do_request_restore_after_duress(user=member, actor=require_perm(request, Perm.MANAGE_STAFF))
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, WAITING_FOR_SECOND_ADMIN)
    return redirect("accounts-show-user", user_id=member.pk)
