"""Staff session rules: a second factor before anything else, then a forced password change
or a renewal after a duress restore; Clear-Site-Data on logout."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safehaven.accounts.adapters import has_second_factor
from safehaven.core.middleware import clear_site_data
from safehaven.keys.actions.duress import pending_renewal
from safehaven.keys.login_key import forget_login_key

# What a logged-in user without a second factor may still open: the set-up pages themselves.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_list_webauthn",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_reauthenticate_webauthn",
        "account_logout",
    }
)


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is None:
            return response
        if match.url_name == "account_logout" and request.method == "POST":
            forget_login_key(request, response)
            clear_site_data(response)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: object,
        view_kwargs: object,
    ) -> HttpResponse | None:
        user = request.user
        match = request.resolver_match
        if not user.is_authenticated or match is None:
            return None
        is_public = getattr(view_func, "login_required", True) is False
        if is_public or match.url_name in MFA_SETUP_URL_NAMES:
            return None
        if not has_second_factor(user):
            return redirect("mfa_activate_totp")
        if getattr(user, "must_change_password", False) and match.url_name not in {
            "account_change_password",
            "account_reauthenticate",
        }:
            return redirect("account_change_password")
        return _renewal_redirect(user, match.url_name)


def _renewal_redirect(user: Any, url_name: str | None) -> HttpResponse | None:
    """After a duress restore: a new password first, then a new duress password, before
    anything else (the coercer knows both old ones)."""
    renewal = pending_renewal(user)
    if renewal is None or url_name == "account_reauthenticate":
        return None
    if not renewal.password_renewed:
        return (
            None if url_name == "account_change_password" else redirect("account_change_password")
        )
    if url_name == "accounts-set-duress-password":
        return None
    return redirect("accounts-set-duress-password")
