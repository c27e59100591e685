"""The naming page, reached from the case page's advocacy panel: the case's key holder names
a consenting person of the case in a request's annex, then goes back to the case."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import current_user
from safehaven.advocacy.access import access_inclusion
from safehaven.advocacy.inclusions.forms import request_label
from safehaven.advocacy.namings.actions import do_name_person
from safehaven.advocacy.namings.forms import NamingForm
from safehaven.advocacy.namings.queries import consenting_people, person_label
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.verification.pages import back_to_case
from safehaven.intake.submission.place_names import country_choices
from safehaven.keys.login_key import unlocked_private_key


@require_http_methods(["GET", "POST"])
def name_person(request: HttpRequest, case_id: int, inclusion_id: int) -> HttpResponse:
    inclusion = access_inclusion(request, case_id, inclusion_id)
    case, user = inclusion.case, current_user(request)
    private_key = unlocked_private_key(request)
    casework = None
    if private_key is not None:
        casework = open_compartment(
            case, CompartmentKind.CASEWORK, user=user, private_key=private_key
        )
    government = inclusion.advocacy_request.government
    people = [] if casework is None else consenting_people(case, casework, government)
    form = NamingForm(
        request.POST or None, people=[(person.pk, person_label(person)) for person in people]
    )
    problem = ""
    if private_key is None:
        problem = _("Your key is not unlocked in this session. Log out and log in again.")
    elif casework is None:
        problem = _("Your key cannot open this case's casework.")
    elif request.method == "POST" and form.is_valid():
        chosen = {person.pk: person for person in people}[form.cleaned_data["person"]]
        try:
            do_name_person(
                inclusion,
                person=chosen,
                details=form.details(),
                actor=user,
                private_key=private_key,
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Person named in the request's confidential annex."))
            return back_to_case(case)
    names = dict(country_choices())
    context = {
        "case": case,
        "form": form,
        "problem": problem,
        "has_people": bool(people),
        "government": names.get(government, government),
        "request_label": request_label(inclusion.advocacy_request, names),
    }
    return render(request, "advocacy/naming_form.html", context)
