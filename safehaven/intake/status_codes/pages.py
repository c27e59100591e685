"""Rendering the "choose your codename" step, and where a code leads from the codename form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safehaven.intake.status_codes.forms import ChooseCodenameForm, offer_tag
from safehaven.intake.status_codes.opening import ChooseOpening
from safehaven.intake.status_codes.session import (
    forget_choose_cookie,
    has_choose_cookie,
    set_choose_cookie,
)
from safehaven.intake.status_page.pages import render_page

CHOOSE_TEMPLATE = "intake/status_codes_choose.html"


def page_after_code(opening: ChooseOpening) -> HttpResponse:
    """A code that opened its step: to the step, with the step's cookie (and no status
    cookie: the code opens no status page)."""
    response = redirect("intake-choose-codename")
    set_choose_cookie(response, opening.cookie_value)
    return response


def back_to_codename_form(request: HttpRequest) -> HttpResponse:
    """No live step (none opened, expired, or its code used or replaced): the codename form."""
    response = redirect("intake-open-status")
    if has_choose_cookie(request):
        forget_choose_cookie(response)
    return response


def render_choose_page(
    request: HttpRequest,
    form: ChooseCodenameForm,
    codename: str,
    *,
    status: int = 200,
) -> HttpResponse:
    """The step's page offering ``codename`` (its words, and its tag in the form)."""
    context = {
        "form": form,
        "codename": codename,
        "words": codename.split(),
        "offer": offer_tag(form.step_reference, codename),
    }
    return render_page(request, CHOOSE_TEMPLATE, context, status=status)
