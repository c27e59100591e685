"""Security-key pages under duress: the person's real keys, and changes that are not made.

The login that opened a duress session may just have asked for one of this person's security
keys, so a decoy that lists none would give the decoy away. The decoys show the real keys
(names and dates are read, nothing else) and keep every "change" of this session (a key
added, renamed, removed) in the session only: the pages stay consistent for the coercer,
and the database is never written.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from allauth.mfa.webauthn.internal import auth as webauthn_auth
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_STATE_KEY = "_mfa_decoy_security_keys"
PAGE_METHODS = ("GET", "HEAD")
FORM_METHODS = ("GET", "HEAD", "POST", "PUT")


def _state(request: HttpRequest) -> dict[str, Any]:
    state = request.session.get(_STATE_KEY)
    return state if state else {"removed": [], "renamed": {}, "added": []}


def _remember(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[_STATE_KEY] = state


def _submitted(request: HttpRequest) -> bool:
    return request.method in ("POST", "PUT")


def decoy_security_keys(request: HttpRequest) -> list[Authenticator]:
    """The person's security keys as this session "changed" them. The objects are never
    saved: names are replaced in memory only, and added ones exist only in the session."""
    state = _state(request)
    removed = set(state["removed"])
    renamed: dict[str, str] = state["renamed"]
    keys = [
        key
        for key in Authenticator.objects.filter(
            user_id=request.user.pk, type=Authenticator.Type.WEBAUTHN
        ).order_by("pk")
        if key.pk not in removed
    ]
    for added in state["added"]:
        if added["pk"] in removed:
            continue
        keys.append(
            Authenticator(
                pk=added["pk"],
                user_id=request.user.pk,
                type=Authenticator.Type.WEBAUTHN,
                data={"name": added["name"], "credential": added["credential"]},
                created_at=parse_datetime(added["created_at"]),
            )
        )
    for key in keys:
        if str(key.pk) in renamed:
            key.data = {**key.data, "name": renamed[str(key.pk)]}
    return keys


def _decoy_key(request: HttpRequest, pk: int) -> Authenticator:
    for key in decoy_security_keys(request):
        if key.pk == pk:
            return key
    raise Http404


def decoy_list_webauthn(request: HttpRequest) -> HttpResponse:
    if request.method not in PAGE_METHODS:
        return HttpResponseNotAllowed(PAGE_METHODS)
    context = {"authenticators": decoy_security_keys(request)}
    return render(request, "mfa/webauthn/authenticator_list.html", context)


@reauthentication_required(app="allauth.mfa")
def decoy_add_webauthn(request: HttpRequest) -> HttpResponse:
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    # The key's answer is checked as allauth checks it (session state only); nothing is saved.
    form = AddWebAuthnForm(request.POST if _submitted(request) else None, user=request.user)
    if _submitted(request) and form.is_valid():
        state = _state(request)
        # The number the next real key would get, so the page links look as they would.
        last = Authenticator.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        passwordless = bool(form.cleaned_data.get("passwordless"))
        state["added"].append(
            {
                "pk": last + 1 + len(state["added"]),
                "name": form.cleaned_data["name"],
                "credential": {"clientExtensionResults": {"credProps": {"rk": passwordless}}},
                "created_at": timezone.now().isoformat(),
            }
        )
        _remember(request, state)
        get_account_adapter(request).add_message(
            request, messages.SUCCESS, "mfa/messages/webauthn_added.txt"
        )
        return redirect("mfa_index")
    creation_options = webauthn_auth.begin_registration(request.user, False)
    context = {"form": form, "js_data": {"creation_options": creation_options}}
    return render(request, "mfa/webauthn/add_form.html", context)


@reauthentication_required(app="allauth.mfa")
def decoy_edit_webauthn(request: HttpRequest, pk: int) -> HttpResponse:
    key = _decoy_key(request, pk)
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    form = EditWebAuthnForm(request.POST if _submitted(request) else None, instance=key)
    if _submitted(request) and form.is_valid():
        state = _state(request)
        state["renamed"][str(pk)] = form.cleaned_data["name"]
        _remember(request, state)
        return redirect("mfa_list_webauthn")
    return render(request, "mfa/webauthn/edit_form.html", {"form": form, "object": key})


@reauthentication_required(app="allauth.mfa")
def decoy_remove_webauthn(request: HttpRequest, pk: int) -> HttpResponse:
    key = _decoy_key(request, pk)
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if _submitted(request):
        state = _state(request)
        state["removed"].append(pk)
        _remember(request, state)
        get_account_adapter(request).add_message(
            request, messages.SUCCESS, "mfa/messages/webauthn_removed.txt"
        )
        return redirect("mfa_list_webauthn")
    context = {"authenticator": key, "object": key, "form": forms.Form()}
    return render(request, "mfa/webauthn/authenticator_confirm_delete.html", context)
