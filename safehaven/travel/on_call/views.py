"""The on-call rota pages: who is on call now and the shifts to come (any staff member of the
organisation), adding and removing a shift (its supervisors and administrators). In a duress
session the rota looks empty, the form offers the user alone, and adding a shift says it was
added and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts.access import Perm, get_or_404, has_perm, require_perm, require_role
from safehaven.accounts.models import Organisation, User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.ids import is_plain_id
from safehaven.keys.login_key import is_duress_session
from safehaven.travel.models import OnCallShift
from safehaven.travel.on_call.actions import (
    do_add_on_call_shift,
    do_remove_on_call_shift,
    refuse_unless_sensible_shift,
)
from safehaven.travel.on_call.forms import UTC_NAME, AddShiftForm, ShowInZoneForm, zone_named
from safehaven.travel.on_call.queries import (
    ON_CALL_ROLES,
    eligible_in,
    rota_kept_by,
    rotas_for,
)


def _zone_name(request: HttpRequest) -> str:
    name = request.GET.get("tz", "")
    return name if zone_named(name) is not None else UTC_NAME


def _rota_url(zone_name: str) -> str:
    url = reverse("travel-show-on-call")
    return url if zone_name == UTC_NAME else f"{url}?{urlencode({'tz': zone_name})}"


@require_GET
def show_on_call(request: HttpRequest) -> HttpResponse:
    user = require_role(request, *ON_CALL_ROLES)
    zone_name = _zone_name(request)
    duress = is_duress_session(request)
    return render(
        request,
        "travel/on_call_rota.html",
        {
            "rotas": [] if duress else rotas_for(user, timezone.now()),
            "zone": zone_named(zone_name),
            "zone_name": zone_name,
            "zone_form": ShowInZoneForm(initial={"tz": zone_name}),
            "can_add": has_perm(user, Perm.MANAGE_ON_CALL),
        },
    )


def _offered_staff(
    user: User, organisations: QuerySet[Organisation], duress: bool
) -> QuerySet[User]:
    # In a duress session no colleague is named (staff lists are empty there): the form offers
    # the user alone, and looks as it always does.
    return User.objects.filter(pk=user.pk) if duress else eligible_in(organisations)


@require_http_methods(["GET", "POST"])
def add_on_call_shift(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.MANAGE_ON_CALL)
    duress = is_duress_session(request)
    organisations = rota_kept_by(user).order_by("name")
    form = AddShiftForm(
        request.POST or None,
        organisations=organisations,
        staff=_offered_staff(user, organisations, duress),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if duress:
                # A coerced rota keeper is told the shift is on the rota (after the same
                # checks of its times), and nothing is (SECURITY.md T4): the rota they land on
                # is empty, as in every duress session.
                refuse_unless_sensible_shift(
                    starts_at=data["starts_at"], ends_at=data["ends_at"], position=data["position"]
                )
            else:
                do_add_on_call_shift(
                    data["organisation"],
                    user=data["user"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    position=data["position"],
                    actor=user,
                )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The shift is on the rota."))
            return redirect(_rota_url(data["time_zone"]))
    return render(request, "travel/on_call_add.html", {"form": form})


@require_POST
def remove_on_call_shift(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.MANAGE_ON_CALL)
    shift_id = request.POST.get("shift", "")
    if is_duress_session(request) or not is_plain_id(shift_id):
        raise Http404
    shifts = OnCallShift.objects.filter(organisation__in=rota_kept_by(user))
    shift = get_or_404(shifts.select_related("organisation"), int(shift_id))
    try:
        do_remove_on_call_shift(shift, actor=user)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The shift is off the rota."))
    return redirect(_rota_url(_zone_name_posted(request)))


def _zone_name_posted(request: HttpRequest) -> str:
    name = request.POST.get("tz", "")
    return name if zone_named(name) is not None else UTC_NAME
