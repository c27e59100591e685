"""Second-factor pages under duress: believable, and they show and change nothing real.

Every allauth MFA URL is wrapped (:func:`guarded_mfa_urlpatterns`): in a duress session the
management pages are answered by the decoys below, with allauth's own templates; the code step
and re-authentication stay real, and an MFA URL without a decoy is a 404. What the decoys show,
and why: docs/keys.md, "Duress password (T4)".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required
from allauth.mfa import app_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver
from django.views.decorators.cache import never_cache

from safehaven.accounts.mfa_decoy_keys import (
    decoy_add_webauthn,
    decoy_edit_webauthn,
    decoy_list_webauthn,
    decoy_remove_webauthn,
    decoy_security_keys,
)
from safehaven.keys.login_key import is_duress_session

# Checking a factor changes nothing that a coercer could use later, and the login's code step
# must behave exactly as for a real login.
REAL_UNDER_DURESS = frozenset(
    {"mfa_authenticate", "mfa_reauthenticate", "mfa_reauthenticate_webauthn"}
)
_GENERATION_KEY = "_mfa_decoy_generation"
View = Callable[..., HttpResponse]


class DecoyRecoveryCodes:
    """Looks like allauth's RecoveryCodes to the templates. The codes are an HMAC of the
    session key and a counter: the same on every page of one session, new after "Generate",
    stored nowhere."""

    def __init__(self, request: HttpRequest) -> None:
        generation = int(request.session.get(_GENERATION_KEY, 0))
        self.seed = f"{request.session.session_key}:{generation}".encode()

    def generate_codes(self) -> list[str]:
        key = hashlib.sha256(b"safehaven decoy recovery codes " + settings.SECRET_KEY.encode())
        digits = app_settings.RECOVERY_CODE_DIGITS
        codes = []
        for index in range(app_settings.RECOVERY_CODE_COUNT):
            digest = hmac.new(key.digest(), self.seed + b":%d" % index, hashlib.sha256).digest()
            codes.append(str(int.from_bytes(digest[:8], "big") % 10**digits).zfill(digits))
        return codes

    def get_unused_codes(self) -> list[str]:
        return self.generate_codes()


def _has_real(request: HttpRequest, kind: str) -> bool:
    # Which kinds of factor exist is no secret (the login asked for one); their content is.
    return Authenticator.objects.filter(user_id=request.user.pk, type=kind).exists()


def _say(request: HttpRequest, template: str) -> None:
    get_account_adapter(request).add_message(request, messages.SUCCESS, template)


# The methods allauth's class-based views answer (a form view takes PUT as POST); the order of
# the checks below (re-authentication, existence, method) is theirs too, so each decoy gives
# the same status codes as the real page would.
PAGE_METHODS = ("GET", "HEAD")
FORM_METHODS = ("GET", "HEAD", "POST", "PUT")


def _refused(request: HttpRequest, methods: tuple[str, ...]) -> HttpResponse | None:
    return HttpResponseNotAllowed(methods) if request.method not in methods else None


def _submitted(request: HttpRequest) -> bool:
    return request.method in ("POST", "PUT")


def decoy_index(request: HttpRequest) -> HttpResponse:
    if refusal := _refused(request, PAGE_METHODS):
        return refusal
    authenticators: dict[str, Any] = {"webauthn": decoy_security_keys(request)}
    if _has_real(request, Authenticator.Type.RECOVERY_CODES):
        authenticators["recovery_codes"] = DecoyRecoveryCodes(request)
    if _has_real(request, Authenticator.Type.TOTP):
        authenticators["totp"] = True
    context = {
        "authenticators": authenticators,
        "MFA_SUPPORTED_TYPES": app_settings.SUPPORTED_TYPES,
        "MFA_RECOVERY_CODES_SHOW_ONCE": app_settings.RECOVERY_CODES_SHOW_ONCE,
        "is_mfa_enabled": True,
    }
    return render(request, "mfa/index.html", context)


def decoy_view_recovery_codes(request: HttpRequest) -> HttpResponse:
    if refusal := _refused(request, PAGE_METHODS):
        return refusal
    if not _has_real(request, Authenticator.Type.RECOVERY_CODES):
        raise Http404
    raise_if_reauthentication_required(request, app="allauth.mfa")
    context = {
        "unused_codes": DecoyRecoveryCodes(request).get_unused_codes(),
        "can_view_codes": True,
        "can_download_codes": not app_settings.RECOVERY_CODES_SHOW_ONCE,
        "total_count": app_settings.RECOVERY_CODE_COUNT,
        "MFA_RECOVERY_CODES_SHOW_ONCE": app_settings.RECOVERY_CODES_SHOW_ONCE,
        "can_generate_codes": True,
    }
    return render(request, "mfa/recovery_codes/index.html", context)


@reauthentication_required(app="allauth.mfa")
def decoy_generate_recovery_codes(request: HttpRequest) -> HttpResponse:
    if refusal := _refused(request, FORM_METHODS):
        return refusal
    if _submitted(request):
        request.session[_GENERATION_KEY] = int(request.session.get(_GENERATION_KEY, 0)) + 1
        _say(request, "mfa/messages/recovery_codes_generated.txt")
        return redirect("mfa_view_recovery_codes")
    unused = app_settings.RECOVERY_CODE_COUNT
    if not _has_real(request, Authenticator.Type.RECOVERY_CODES):
        unused = 0
    context = {"form": forms.Form(), "unused_code_count": unused}
    return render(request, "mfa/recovery_codes/generate.html", context)


def decoy_download_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not _has_real(request, Authenticator.Type.RECOVERY_CODES):
        raise Http404
    raise_if_reauthentication_required(request, app="allauth.mfa")
    if refusal := _refused(request, PAGE_METHODS):
        return refusal
    codes = DecoyRecoveryCodes(request).get_unused_codes()
    response = render(
        request,
        "mfa/recovery_codes/download.txt",
        {"unused_codes": codes},
        content_type="text/plain",
    )
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    return response


@reauthentication_required(app="allauth.mfa")
def decoy_activate_totp(request: HttpRequest) -> HttpResponse:
    if _has_real(request, Authenticator.Type.TOTP):
        return redirect("mfa_deactivate_totp")
    if refusal := _refused(request, FORM_METHODS):
        return refusal
    # A fresh secret, kept only in the session as allauth keeps it while activating; a code
    # for it is checked as usual, and then nothing is saved.
    form = ActivateTOTPForm(request.POST if _submitted(request) else None, user=request.user)
    if _submitted(request) and form.is_valid():
        _say(request, "mfa/messages/totp_activated.txt")
        return redirect("mfa_index")
    adapter = get_mfa_adapter()
    totp_url = adapter.build_totp_url(request.user, form.secret)
    totp_svg = adapter.build_totp_svg(totp_url)
    context = {
        "form": form,
        "totp_svg": totp_svg,
        "totp_svg_data_uri": "data:image/svg+xml;base64,"
        + base64.b64encode(totp_svg.encode()).decode(),
        "totp_url": totp_url,
    }
    return render(request, "mfa/totp/activate_form.html", context)


@reauthentication_required(app="allauth.mfa")
def decoy_deactivate_totp(request: HttpRequest) -> HttpResponse:
    if not _has_real(request, Authenticator.Type.TOTP):
        return redirect("mfa_activate_totp")
    if refusal := _refused(request, FORM_METHODS):
        return refusal
    if _submitted(request):
        _say(request, "mfa/messages/totp_deactivated.txt")
        return redirect("mfa_index")
    return render(request, "mfa/totp/deactivate_form.html", {"form": forms.Form()})


DECOYS: dict[str, View] = {
    "mfa_index": decoy_index,
    "mfa_view_recovery_codes": decoy_view_recovery_codes,
    "mfa_generate_recovery_codes": decoy_generate_recovery_codes,
    "mfa_download_recovery_codes": decoy_download_recovery_codes,
    "mfa_activate_totp": decoy_activate_totp,
    "mfa_deactivate_totp": decoy_deactivate_totp,
    "mfa_list_webauthn": decoy_list_webauthn,
    "mfa_add_webauthn": decoy_add_webauthn,
    "mfa_remove_webauthn": decoy_remove_webauthn,
    "mfa_edit_webauthn": decoy_edit_webauthn,
}


def guard_under_duress(view: View, url_name: str | None) -> View:
    """``view`` as it is, except in a duress session: then its decoy (or 404 if it has none)."""
    decoy = DECOYS.get(url_name or "")
    decoy = never_cache(login_required(decoy)) if decoy is not None else None

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if url_name in REAL_UNDER_DURESS or not is_duress_session(request):
            return view(request, *args, **kwargs)
        if decoy is None:
            raise Http404
        return decoy(request, *args, **kwargs)

    return guarded


def guarded_mfa_urlpatterns(patterns: list[URLPattern | URLResolver]) -> list[Any]:
    """A copy of allauth's MFA URL patterns (same routes, same names), every view guarded."""
    guarded: list[Any] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            copy = URLResolver(
                entry.pattern,
                guarded_mfa_urlpatterns(list(entry.url_patterns)),
                entry.default_kwargs,
                entry.app_name,
                entry.namespace,
            )
            guarded.append(copy)
        else:
            guarded.append(
                URLPattern(
                    entry.pattern,
                    guard_under_duress(entry.callback, entry.name),
                    entry.default_args,
                    entry.name,
                )
            )
    return guarded
