"""A partner organisation's API token pages: the list, making one (its secret shown once, on
the answer to the post, never again), and revoking one. A member sees and acts on only their
own organisation's tokens: another's is 404. Making a token asks for the password and the
second factor again first (``accounts.reauth``): a token is a credential that outlives the
session."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts.access import current_user
from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.partners.access import access_api_token, api_tokens_of, partner_organisation_of
from safehaven.partners.api.token_forms import CreateApiTokenForm
from safehaven.partners.api.tokens import (
    ApiTokenRefused,
    do_create_api_token,
    do_revoke_api_token,
)


@require_GET
def list_api_tokens(request: HttpRequest) -> HttpResponse:
    organisation = partner_organisation_of(request)
    return render(
        request,
        "partners/api_tokens_list.html",
        {"organisation": organisation, "tokens": api_tokens_of(request)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def create_api_token(request: HttpRequest) -> HttpResponse:
    organisation = partner_organisation_of(request)
    again = reauthentication_redirect(request, back_to=reverse("partners-create-api-token"))
    if again is not None:
        if request.method == "POST":  # dropped: asked again from the page (accounts/reauth.py)
            messages.info(request, _("Confirm who you are again, then make the token again."))
        return again
    form = CreateApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = do_create_api_token(
                organisation=organisation,
                label=form.cleaned_data["label"],
                valid_days=form.cleaned_data["valid_days"],
                actor=current_user(request),
            )
        except ApiTokenRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            # Shown on this answer only (no redirect to a page that could show it again).
            return render(
                request, "partners/api_token_created.html", {"token": token, "secret": secret}
            )
    return render(request, "partners/api_token_create.html", {"form": form})


@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = access_api_token(request, token_id)
    do_revoke_api_token(token, actor=current_user(request))
    messages.success(request, _("The token is revoked: calls with it are refused from now on."))
    return redirect("partners-list-api-tokens")
