"""The person's "choose your codename" step, opened with a one-time status code on the
codename form (``status_page.views.open_status``). Public like the status pages: no CSRF
cookie, posts from another site refused (``public_form``), and no cookie but the step's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safehaven.core.database_failures import refused_when_the_database_fails
from safehaven.core.public_forms.same_origin import public_form
from safehaven.intake.codename import new_codename
from safehaven.intake.status_codes.actions import CodeNoLongerValid, do_choose_codename
from safehaven.intake.status_codes.forms import ChooseCodenameForm
from safehaven.intake.status_codes.pages import back_to_codename_form, render_choose_page
from safehaven.intake.status_codes.session import forget_choose_cookie, resume_choose_session
from safehaven.intake.status_page.actions import StatusUnavailable
from safehaven.intake.status_page.session import set_status_cookie

resume_live_choose_session = refused_when_the_database_fails(StatusUnavailable)(
    resume_choose_session
)


@public_form("GET", "POST")
def choose_codename(request: HttpRequest) -> HttpResponse:
    """GET: a fresh codename offered (each GET another). POST: keep the offered one, then the
    status page opens with it."""
    try:
        session = resume_live_choose_session(request)
    except StatusUnavailable:
        # The cookie stays: the step is likely still open once the database answers.
        return redirect("intake-open-status")
    if session is None:
        return back_to_codename_form(request)
    reference = session.row.session_hash
    if request.method != "POST":
        form = ChooseCodenameForm(step_reference=reference)
        return render_choose_page(request, form, new_codename())
    form = ChooseCodenameForm(request.POST, step_reference=reference)
    offered = form.offered_codename()
    status = 200
    if form.is_valid() and offered is not None:
        try:
            opening = do_choose_codename(session, offered)
        except CodeNoLongerValid:
            return back_to_codename_form(request)
        except StatusUnavailable as failure:
            form.add_error(None, failure.message)
            status = 503
        else:
            response = redirect("intake-show-status")
            if opening.cookie_value is not None:  # always: a chosen request is not withdrawn
                set_status_cookie(response, opening.cookie_value)
            forget_choose_cookie(response)
            return response
    # The same words while they are this step's (the person may have written them down).
    return render_choose_page(request, form, offered or new_codename(), status=status)
