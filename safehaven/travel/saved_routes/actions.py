"""Save a route to a case, allow one through a criminalising country (a supervisor), withdraw
one. Each is sealed in the case's travel compartment (``travel.compartment``) under the case
row's lock, and audited with ids only: never a place.

A posted route is never trusted: saving runs the planner again on the posted inputs and takes
the route of that key from its answer, so no rule can be skipped by a crafted post.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import User
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.cases.verification.checklist import is_approved
from safehaven.cases.workflow.actions import AFTER_VERIFICATION
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.bookings.queries import confirmed_bookings
from safehaven.travel.choices import RouteStatus
from safehaven.travel.compartment import open_or_make_travel, open_travel
from safehaven.travel.documents.queries import documents_for_planning
from safehaven.travel.models import SavedRoute
from safehaven.travel.planner.pages import PLANNING_STATES
from safehaven.travel.routes import planning
from safehaven.travel.routes.data import DataDates
from safehaven.travel.routes.plan import Route, Traveller
from safehaven.travel.saved_routes.queries import OpenedRoute, open_saved_route
from safehaven.travel.saved_routes.sealing import SealedRoute, route_to_json


def _refuse_unless_verified(case: Case, *, actor: User, private_key: bytes) -> None:
    if case.is_closed:
        raise CaseActionRefused(_("This case is closed: no route can be saved to it."))
    if case.state not in AFTER_VERIFICATION or not is_approved(
        case, open_casework(case, actor=actor, private_key=private_key)
    ):
        raise CaseActionRefused(
            _("A route can be saved only once a supervisor has approved the case's verification.")
        )


def _offered(traveller: Traveller, route_key: str) -> Route:
    for route in planning.plan_for(traveller).routes:
        if route.key == route_key:
            return route
    raise CaseActionRefused(
        _("This route is no longer offered for these papers: the data changed, plan again.")
    )


def _refuse_unrecorded_papers(case: Case, traveller: Traveller, opened: OpenedRecord) -> None:
    """Once the case has travel documents valid today, a route is saved only for passports and
    visas among them: the posted question is not trusted to name papers the person holds."""
    passports, visas = documents_for_planning(case, opened)
    if not passports and not visas:
        return
    if not set(traveller.passports) <= set(passports) or not set(traveller.visas) <= set(visas):
        raise CaseActionRefused(
            _(
                "This route was planned with a passport or visa that is not among the case's "
                "travel documents valid today: record the document first, or plan again with "
                "the papers recorded."
            )
        )


def do_save_route(
    case: Case, *, traveller: Traveller, route_key: str, actor: User, private_key: bytes
) -> SavedRoute:
    """Save the route of ``route_key`` that the planner offers ``traveller`` now. One through a
    criminalising country waits for a supervisor's override (it is not the case's route
    until then). Raises CaseActionRefused."""
    _refuse_unless_verified(case, actor=actor, private_key=private_key)
    route = _offered(traveller, route_key)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        _refuse_unless_verified(locked, actor=actor, private_key=private_key)
        opened = open_or_make_travel(locked, actor=actor, private_key=private_key)
        _refuse_unrecorded_papers(locked, traveller, opened)
        status = RouteStatus.NEEDS_OVERRIDE if route.flagged else RouteStatus.SAVED
        saved = SavedRoute(
            record_id=opened.record_id,
            case=locked,
            status=status,
            saved_by=actor,
            saved_at=this_hour(),
        )
        sealed = SealedRoute(route=route, traveller=traveller, dates=DataDates())
        saved.open_with(opened).seal("route", route_to_json(sealed))
        saved.save()
        waits = ", waits for a supervisor's override" if route.flagged else ""
        record_event(
            EventType.ROUTE_SAVED,
            actor=actor,
            organisation=locked.organisation,
            target=locked,
            detail=f"saved route #{saved.pk}{waits}",
        )
    return saved


def _locked_route(
    saved: SavedRoute, *, actor: User, private_key: bytes
) -> tuple[Case, SavedRoute, SealedRoute, str]:
    """Inside the caller's transaction: the case and the route locked, the travel compartment
    opened with the actor's key and the route's seal opened (refused otherwise)."""
    case = Case.objects.select_for_update().get(pk=saved.case_id)
    row = SavedRoute.objects.select_for_update().get(pk=saved.pk)
    opened = open_travel(case, actor=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_("Your key cannot open this case's travel records."))
    opened_route = open_saved_route(row, opened)
    content = opened_route.content
    if content is None:
        raise CaseActionRefused(
            _("This route does not match its seal: it cannot be trusted. Tell your administrators.")
        )
    return case, row, content, opened_route.override_reason


def may_override(case: Case, row: SavedRoute, user: User) -> bool:
    """A supervisor of the case's own organisation (a role held in another one, a partner's
    say, does not count), who did not save the route: the rule exists so that a second person
    looks at a route through a criminalising country."""
    return has_perm_in(user, Perm.OVERRIDE_ROUTES, case.organisation) and row.saved_by_id != user.pk


def refuse_unless_overrider(case: Case, row: SavedRoute, actor: User) -> None:
    if not has_perm_in(actor, Perm.OVERRIDE_ROUTES, case.organisation):
        raise CaseActionRefused(
            _(
                "Only a supervisor of this case's organisation can allow a route through a "
                "country that criminalises the person."
            )
        )
    if row.saved_by_id == actor.pk:
        raise CaseActionRefused(_("A second person must allow this route: you saved it yourself."))


def do_override_route(
    saved: SavedRoute, *, reason: str, actor: User, private_key: bytes
) -> SavedRoute:
    """A supervisor of the case's organisation, other than whoever saved it, allows a saved
    route through a criminalising country, with a reason (sealed). Raises CaseActionRefused."""
    if not reason.strip():
        raise CaseActionRefused(_("Give the reason for allowing this route."))
    with transaction.atomic():
        case, row, content, _reason = _locked_route(saved, actor=actor, private_key=private_key)
        refuse_unless_overrider(case, row, actor)
        if case.is_closed:
            raise CaseActionRefused(_("This case is closed: no route can be allowed on it."))
        if case.state not in PLANNING_STATES:
            raise CaseActionRefused(
                _("This case is no longer being planned: no route can be allowed on it.")
            )
        if row.status == RouteStatus.WITHDRAWN:
            raise CaseActionRefused(_("This route was withdrawn."))
        if row.status != RouteStatus.NEEDS_OVERRIDE:
            raise CaseActionRefused(_("This route needs no override."))
        row.status = RouteStatus.SAVED
        row.override_by = actor
        row.override_at = this_hour()
        # The binding names the status and the override: both seals are made again.
        row.seal("route", route_to_json(content))
        row.seal("override_reason", reason)
        row.save(update_fields=["status", "override_by", "override_at", "route", "override_reason"])
        record_event(
            EventType.ROUTE_OVERRIDDEN,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"saved route #{row.pk}",
        )
    return row


def _refuse_while_booked(case: Case, row: SavedRoute, *, actor: User, private_key: bytes) -> None:
    """A confirmed booking (whose seal opens) from this route keeps it: the case would stay
    travel booked on a route no longer trusted."""
    opened = open_travel(case, actor=actor, private_key=private_key)
    if opened is not None and any(
        booking.saved_route == row.pk for booking in confirmed_bookings(case, opened)
    ):
        raise CaseActionRefused(
            _("A confirmed booking comes from this route: cancel the booking first.")
        )


def do_withdraw_route(
    saved: SavedRoute, *, reason: str, actor: User, private_key: bytes
) -> SavedRoute:
    """Withdraw a saved route (it stays on the case, marked withdrawn, with the reason
    sealed in it). Raises CaseActionRefused."""
    if not reason.strip():
        raise CaseActionRefused(_("Give the reason for withdrawing this route."))
    with transaction.atomic():
        case, row, content, override_reason = _locked_route(
            saved, actor=actor, private_key=private_key
        )
        if case.is_closed:
            raise CaseActionRefused(_("This case is closed: its routes cannot be changed."))
        if row.status == RouteStatus.WITHDRAWN:
            raise CaseActionRefused(_("This route was withdrawn already."))
        _refuse_while_booked(case, row, actor=actor, private_key=private_key)
        row.status = RouteStatus.WITHDRAWN
        # The override reason is bound to the status too: sealed again with the route.
        withdrawn = SealedRoute(content.route, content.traveller, content.dates, reason.strip())
        row.seal("route", route_to_json(withdrawn))
        if row.override_reason is not None:
            row.seal("override_reason", override_reason)
        row.save(update_fields=["status", "route", "override_reason"])
        record_event(
            EventType.ROUTE_WITHDRAWN,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"saved route #{row.pk}",
        )
    return row


def do_open_saved_route_for_print(
    saved: SavedRoute, *, actor: User, private_key: bytes
) -> OpenedRoute | None:
    """The saved route opened for its printable summary (audited when it opens); None when
    the actor's key cannot open the case's travel records."""
    opened = open_travel(saved.case, actor=actor, private_key=private_key)
    if opened is None:
        return None
    opened_route = open_saved_route(saved, opened)
    if not opened_route.damaged:
        with transaction.atomic():
            record_event(
                EventType.ROUTE_PRINTED,
                actor=actor,
                organisation=saved.case.organisation,
                target=saved.case,
                detail=f"saved route #{saved.pk}",
            )
    return opened_route
