"""The referrals panel's forms post here and come back to the case page; the package page asks
for the password and the second factor again, shows what can go in, and answers with the
package itself (a printable page or an encrypted archive), stored nowhere."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from safehaven.accounts.access import current_user, get_or_404
from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.cases.access import access_case
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.verification.pages import back_to_case, decide_and_go_back, post_or_show_form
from safehaven.keys.login_key import unlocked_private_key
from safehaven.travel.models import ReferralConsent
from safehaven.travel.referral_packages.actions import (
    do_make_referral_package,
    do_record_referral_consent,
    do_withdraw_referral_consent,
)
from safehaven.travel.referral_packages.archive import CONTENT_TYPE
from safehaven.travel.referral_packages.contents import offered_pieces
from safehaven.travel.referral_packages.forms import ConsentForm, PackageForm
from safehaven.travel.referral_packages.package import PackageFormat, ReferralPackage
from safehaven.travel.referral_packages.queries import open_consents

# The printable page loads its style sheet and shows its images inline: nothing else, no
# script, no form, no frame.
PRINT_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF],
    "img-src": ["data:"],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}


@require_http_methods(["GET", "POST"])
def record_referral_consent(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    form = ConsentForm(request.POST or None, case=case)

    def record(private_key: bytes, data: dict[str, Any]) -> str:
        do_record_referral_consent(
            case,
            person=data["person"],
            recipient_kind=data["recipient_kind"],
            recipient_name=data["recipient_name"],
            recipient_contact=data["recipient_contact"],
            how_given=data["how_given"],
            note=data["note"],
            government_country=data["government_country"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Consent recorded.")

    title = _("Record a consent to share")
    return post_or_show_form(request, case, form, title=title, act=record)


@require_POST
def withdraw_referral_consent(request: HttpRequest, case_id: int, consent_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    consent = get_or_404(
        ReferralConsent.objects.filter(case=case).select_related("case"), consent_id
    )

    def withdraw(private_key: bytes) -> str:
        do_withdraw_referral_consent(consent, actor=current_user(request), private_key=private_key)
        return _("Consent withdrawn: no package can be made with it any more.")

    return decide_and_go_back(request, case, withdraw)


def _package_response(request: HttpRequest, package: ReferralPackage) -> HttpResponse:
    if package.archive is not None:
        response = HttpResponse(package.archive, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{package.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
    else:
        response = render(request, "travel/referral_print.html", {"package": package})
        response._csp_config = PRINT_CSP  # type: ignore[attr-defined]  # read by the CSP middleware
    response["Cache-Control"] = "no-store, max-age=0"
    return response


@sensitive_post_parameters("passphrase", "passphrase_again")
@require_http_methods(["GET", "POST"])
def make_referral_package(request: HttpRequest, case_id: int, consent_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    consent = get_or_404(ReferralConsent.objects.filter(case=case), consent_id)
    again = reauthentication_redirect(request, back_to=request.path)
    if again is not None:
        if request.method == "POST":  # dropped whole: never kept for a replay (accounts/reauth.py)
            messages.info(request, _("Confirm who you are again, then choose again."))
        return again
    private_key = unlocked_private_key(request)
    if private_key is None:
        messages.error(request, _("Your key is not unlocked in this session. Log in again."))
        return back_to_case(case)
    user = current_user(request)
    try:
        opened = open_casework(case, actor=user, private_key=private_key)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
        return back_to_case(case)
    own = next((item for item in open_consents(case, opened) if item.pk == consent.pk), None)
    if own is None:
        messages.error(
            request,
            _("This consent is withdrawn or does not match its seal: no package can rely on it."),
        )
        return back_to_case(case)
    pieces = offered_pieces(case, casework=opened, actor=user, private_key=private_key)
    form = PackageForm(request.POST or None, pieces=pieces, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            package = do_make_referral_package(
                case,
                consent=consent,
                chosen=form.cleaned_data["pieces"],
                package_format=form.cleaned_data["package_format"],
                passphrase=form.cleaned_data["passphrase"],
                actor=user,
                private_key=private_key,
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _package_response(request, package)
    context = {"case": case, "consent": own, "form": form, "archive": PackageFormat.ARCHIVE}
    return render(request, "travel/referral_package_form.html", context)
