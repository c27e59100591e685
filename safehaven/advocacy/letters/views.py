"""The letter: the officer edits it (from a generated draft) and prints it with its counts;
a key holder prints it with the annex of the people named in the cases their key opens."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.access import current_user
from safehaven.advocacy.access import access_advocacy_request, access_request_for_key_holder
from safehaven.advocacy.choices import AdvocacyStatus
from safehaven.advocacy.letters.actions import (
    Annex,
    do_edit_advocacy_letter,
    do_open_named_letter,
)
from safehaven.advocacy.letters.drafting import generated_letter, government_name
from safehaven.advocacy.letters.forms import LetterForm
from safehaven.advocacy.models import AdvocacyRequest
from safehaven.advocacy.requests.counts import request_counts
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.intake.submission.place_names import country_choices
from safehaven.keys.login_key import unlocked_private_key


@dataclass(frozen=True, repr=False)
class AnnexLine:
    """One named person as the annex prints them."""

    name: str
    born_on: str
    nationality: str
    document: str


def _annex_households(annex: Annex) -> list[tuple[int, list[AnnexLine]]]:
    names = dict(country_choices())
    return [
        (
            household.number,
            [
                AnnexLine(
                    item.details.name,
                    item.details.born_on,
                    names.get(item.details.nationality, item.details.nationality),
                    item.details.document,
                )
                for item in household.people
                if item.details is not None
            ],
        )
        for household in annex.households
    ]


def _letter_context(advocacy_request: AdvocacyRequest) -> dict[str, object]:
    counts = request_counts(advocacy_request)
    return {
        "advocacy_request": advocacy_request,
        "government": government_name(advocacy_request),
        "counts": counts,
        "text": advocacy_request.letter_text or generated_letter(advocacy_request, counts),
    }


@require_http_methods(["GET", "POST"])
def edit_letter(request: HttpRequest, advocacy_request_id: int) -> HttpResponse:
    advocacy_request = access_advocacy_request(request, advocacy_request_id)
    counts = request_counts(advocacy_request)
    fresh = request.GET.get("draft") == "fresh"
    initial_text = (
        generated_letter(advocacy_request, counts)
        if fresh or not advocacy_request.letter_text
        else advocacy_request.letter_text
    )
    form = LetterForm(request.POST or None, initial={"text": initial_text})
    if request.method == "POST" and form.is_valid():
        try:
            do_edit_advocacy_letter(
                advocacy_request, text=form.cleaned_data["text"], actor=current_user(request)
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Letter saved."))
            return redirect("advocacy-show-request", advocacy_request_id=advocacy_request.pk)
    context = {
        "advocacy_request": advocacy_request,
        "government": government_name(advocacy_request),
        "counts": counts,
        "form": form,
        "editable": advocacy_request.status == AdvocacyStatus.DRAFTED,
    }
    return render(request, "advocacy/letter_form.html", context)


@require_GET
def print_letter(request: HttpRequest, advocacy_request_id: int) -> HttpResponse:
    advocacy_request = access_advocacy_request(request, advocacy_request_id)
    return render(request, "advocacy/letter_print.html", _letter_context(advocacy_request))


@require_GET
def print_named_letter(request: HttpRequest, advocacy_request_id: int) -> HttpResponse:
    advocacy_request = access_request_for_key_holder(request, advocacy_request_id)
    private_key = unlocked_private_key(request)
    annex = None
    if private_key is not None:
        annex = do_open_named_letter(
            advocacy_request, actor=current_user(request), private_key=private_key
        )
    context = {
        **_letter_context(advocacy_request),
        "locked": private_key is None,
        "annex": annex,
        "households": [] if annex is None else _annex_households(annex),
    }
    return render(request, "advocacy/letter_print_named.html", context)
