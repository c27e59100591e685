"""The posts of saved routes (save from the planner's results, a supervisor's override, a
withdrawal: each one action, then back to the case page) and the printable summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safehaven.accounts.access import Perm, current_user
from safehaven.cases.access import access_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.keys.login_key import unlocked_private_key
from safehaven.travel.choices import RouteStatus
from safehaven.travel.saved_routes.access import access_saved_route
from safehaven.travel.saved_routes.actions import (
    do_open_saved_route_for_print,
    do_override_route,
    do_save_route,
    do_withdraw_route,
)
from safehaven.travel.saved_routes.forms import RouteReasonForm, SaveRouteForm
from safehaven.travel.saved_routes.pages import route_view

Act = Callable[[bytes, Any], str]


def _post(request: HttpRequest, case: Case, form: forms.Form, act: Act) -> HttpResponse:
    """With a valid form and the viewer's unlocked key, ``act(private_key, form)`` runs the
    action and says what was done; a refusal is shown on a page of its own."""
    private_key = unlocked_private_key(request)
    if private_key is None:
        form.is_valid()
        form.add_error(None, _("Unlock your keys (log in again) to work on this case's routes."))
    elif form.is_valid():
        try:
            done = act(private_key, form)
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            return redirect(reverse("cases-show-case", kwargs={"case_id": case.pk}) + "#routes")
    retry = isinstance(form, RouteReasonForm)  # a reason can be typed again; a save cannot
    context = {"case": case, "form": form, "action": request.path, "retry": retry}
    return render(request, "travel/saved_route_form.html", context)


@require_POST
def save_route(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)

    def act(private_key: bytes, form: SaveRouteForm) -> str:
        saved = do_save_route(
            case,
            traveller=form.traveller(),
            route_key=form.cleaned_data["route_key"],
            actor=current_user(request),
            private_key=private_key,
        )
        if saved.status == RouteStatus.NEEDS_OVERRIDE:
            return _(
                "Route saved. It crosses a country that criminalises the person: it is not "
                "the case's route until a supervisor allows it."
            )
        return _("Route saved to the case.")

    return _post(request, case, SaveRouteForm(request.POST), act)


@require_POST
def override_route(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    saved = access_saved_route(request, case_id, route_id, need=Perm.OVERRIDE_ROUTES)

    def act(private_key: bytes, form: RouteReasonForm) -> str:
        do_override_route(
            saved,
            reason=form.cleaned_data["reason"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Route allowed.")

    return _post(request, saved.case, RouteReasonForm(request.POST), act)


@require_POST
def withdraw_route(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    saved = access_saved_route(request, case_id, route_id)

    def act(private_key: bytes, form: RouteReasonForm) -> str:
        do_withdraw_route(
            saved,
            reason=form.cleaned_data["reason"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Route withdrawn.")

    return _post(request, saved.case, RouteReasonForm(request.POST), act)


@require_GET
def print_route(request: HttpRequest, case_id: int, route_id: int) -> HttpResponse:
    saved = access_saved_route(request, case_id, route_id)
    private_key = unlocked_private_key(request)
    opened = None
    if private_key is not None:
        opened = do_open_saved_route_for_print(
            saved, actor=current_user(request), private_key=private_key
        )
    context = {
        "case": saved.case,
        "saved": saved,
        "locked": private_key is None,
        "no_key": private_key is not None and opened is None,
        "view": None if opened is None else route_view(opened),
        "damaged": opened is not None and opened.damaged,
    }
    return render(request, "travel/saved_route_print.html", context)
