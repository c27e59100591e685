"""Saving a route to a case, a supervisor's override, withdrawing (travel.saved_routes)."""

from typing import Any

import pytest

from safehaven.accounts.models import Membership, Role, User
from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.choices import RouteStatus
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import SavedRoute
from safehaven.travel.routes.plan import Traveller
from safehaven.travel.saved_routes.actions import (
    do_open_saved_route_for_print,
    do_override_route,
    do_save_route,
    do_withdraw_route,
)
from safehaven.travel.saved_routes.queries import OpenedRoute, open_saved_route
from safehaven.travel.tests.saved_route_helpers import (
    FLAGGED,
    ROUTE_WORDS,
    SAFE,
    TRAVELLER,
    use_plan,
    verified_case,
)

pytestmark = pytest.mark.django_db


def as_user(username: str) -> dict[str, Any]:
    return {"actor": User.objects.get(username=username), "private_key": private_key(username)}


def save(case, route=SAFE, username="caseworker") -> SavedRoute:
    return do_save_route(case, traveller=TRAVELLER, route_key=route.key, **as_user(username))


def opened(saved: SavedRoute, username: str = "caseworker") -> OpenedRoute:
    row = SavedRoute.objects.get(pk=saved.pk)
    travel = open_travel(
        row.case, actor=User.objects.get(username=username), private_key=private_key(username)
    )
    assert travel is not None
    return open_saved_route(row, travel)


def events(event_type: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type))


def test_it_saves_a_safe_route_sealed_in_the_travel_compartment(world, monkeypatch):
    asked = use_plan(monkeypatch, FLAGGED, SAFE)
    case = verified_case(world)
    saved = save(case)
    assert asked == [TRAVELLER]  # the planner ran again on the posted question
    assert saved.status == RouteStatus.SAVED
    assert saved.record_id == case.compartment_record_id(CompartmentKind.TRAVEL)
    content = opened(saved).content
    assert content is not None
    assert content.route == SAFE
    assert content.traveller == TRAVELLER
    assert content.dates.flights.year == 2014
    [event] = events(EventType.ROUTE_SAVED)
    assert event.detail == f"saved route #{saved.pk}"
    assert not any(word in event.detail for word in ROUTE_WORDS)


def test_it_saves_a_route_through_a_criminalising_country_waiting_for_an_override(
    world, monkeypatch
):
    use_plan(monkeypatch, SAFE, FLAGGED)
    saved = save(verified_case(world), FLAGGED)
    assert saved.status == RouteStatus.NEEDS_OVERRIDE
    assert saved.override_by is None
    [event] = events(EventType.ROUTE_SAVED)
    assert event.detail == f"saved route #{saved.pk}, waits for a supervisor's override"


def test_it_refuses_a_route_the_planner_no_longer_offers(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    with pytest.raises(CaseActionRefused, match="the data changed, plan again"):
        save(case, FLAGGED)
    assert not SavedRoute.objects.exists()
    assert events(EventType.ROUTE_SAVED) == []


def test_it_refuses_a_case_not_yet_verified(world, monkeypatch):
    from safehaven.cases.tests.verification_helpers import case_in_verification

    use_plan(monkeypatch, SAFE)
    case = case_in_verification(world)
    with pytest.raises(CaseActionRefused, match="approved the case's verification"):
        save(case)
    assert not SavedRoute.objects.exists()


def test_it_refuses_a_case_set_to_verified_in_the_database_without_an_approval(world, monkeypatch):
    from safehaven.cases.tests.verification_helpers import case_in_verification

    use_plan(monkeypatch, SAFE)
    case = case_in_verification(world)
    Case.objects.filter(pk=case.pk).update(state=CaseState.VERIFIED)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="approved the case's verification"):
        save(case)


def test_it_refuses_a_closed_case(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="closed"):
        save(case)


def test_it_lets_a_supervisor_allow_a_flagged_route_with_a_reason(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED)
    do_override_route(
        saved, reason="Every exit crosses one; a 2-hour transit.", **as_user("supervisor")
    )
    row = SavedRoute.objects.get(pk=saved.pk)
    assert row.status == RouteStatus.SAVED
    assert row.override_by == world.users["supervisor"]
    again = opened(row)
    assert again.content is not None
    assert again.content.route == FLAGGED
    assert again.override_reason == "Every exit crosses one; a 2-hour transit."
    [event] = events(EventType.ROUTE_OVERRIDDEN)
    assert event.detail == f"saved route #{row.pk}"


def test_it_refuses_an_override_by_a_caseworker(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED)
    with pytest.raises(CaseActionRefused, match="Only a supervisor"):
        do_override_route(saved, reason="Fine.", **as_user("caseworker"))
    assert SavedRoute.objects.get(pk=saved.pk).status == RouteStatus.NEEDS_OVERRIDE


def test_it_refuses_an_override_without_a_reason(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED)
    with pytest.raises(CaseActionRefused, match="Give the reason"):
        do_override_route(saved, reason="  ", **as_user("supervisor"))
    assert events(EventType.ROUTE_OVERRIDDEN) == []


def test_it_refuses_an_override_of_a_route_that_needs_none(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    saved = save(verified_case(world))
    with pytest.raises(CaseActionRefused, match="needs no override"):
        do_override_route(saved, reason="Why not.", **as_user("supervisor"))


def test_it_refuses_an_override_of_a_withdrawn_route(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED)
    do_withdraw_route(saved, reason="Too dangerous.", **as_user("caseworker"))
    with pytest.raises(CaseActionRefused, match="withdrawn"):
        do_override_route(saved, reason="Allow.", **as_user("supervisor"))


def test_it_withdraws_a_route_keeping_the_override_readable(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED)
    do_override_route(saved, reason="Short transit.", **as_user("supervisor"))
    do_withdraw_route(saved, reason="The person chose another way.", **as_user("caseworker"))
    row = SavedRoute.objects.get(pk=saved.pk)
    assert row.status == RouteStatus.WITHDRAWN
    again = opened(row)
    assert again.content is not None
    assert again.content.withdrawn_reason == "The person chose another way."
    assert again.override_reason == "Short transit."
    assert len(events(EventType.ROUTE_WITHDRAWN)) == 1
    with pytest.raises(CaseActionRefused, match="withdrawn already"):
        do_withdraw_route(row, reason="Again.", **as_user("caseworker"))


def test_it_refuses_a_withdrawal_without_a_reason(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    saved = save(verified_case(world))
    with pytest.raises(CaseActionRefused, match="Give the reason"):
        do_withdraw_route(saved, reason="", **as_user("caseworker"))


def test_a_route_switched_to_saved_in_the_database_does_not_open(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED)
    SavedRoute.objects.filter(pk=saved.pk).update(status=RouteStatus.SAVED)
    assert opened(saved).damaged
    # Nothing trusts it: it cannot be withdrawn (nor allowed) either.
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        do_withdraw_route(
            SavedRoute.objects.get(pk=saved.pk), reason="Gone.", **as_user("caseworker")
        )


def test_a_route_given_an_override_in_the_database_does_not_open(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED)
    SavedRoute.objects.filter(pk=saved.pk).update(
        status=RouteStatus.SAVED, override_by=world.users["supervisor"], override_at=saved.saved_at
    )
    assert opened(saved).damaged


def test_it_audits_the_printable_summary_only_when_it_opens(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    saved = save(verified_case(world))
    shown = do_open_saved_route_for_print(saved, **as_user("caseworker"))
    assert shown is not None
    assert shown.content is not None
    assert len(events(EventType.ROUTE_PRINTED)) == 1
    SavedRoute.objects.filter(pk=saved.pk).update(status=RouteStatus.WITHDRAWN)
    forged = do_open_saved_route_for_print(
        SavedRoute.objects.get(pk=saved.pk), **as_user("caseworker")
    )
    assert forged is not None
    assert forged.damaged
    assert len(events(EventType.ROUTE_PRINTED)) == 1


def supervise_elsewhere(world, username: str) -> None:
    """``username`` becomes a supervisor of a partner organisation (not the case's)."""
    Membership.objects.create(
        user=world.users[username], organisation=world.partner_a, role=Role.SUPERVISOR
    )


def test_it_refuses_an_override_by_a_supervisor_of_another_organisation(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED, username="triage")
    supervise_elsewhere(world, "caseworker")
    with pytest.raises(CaseActionRefused, match="supervisor of this case's organisation"):
        do_override_route(saved, reason="I say so.", **as_user("caseworker"))
    assert SavedRoute.objects.get(pk=saved.pk).status == RouteStatus.NEEDS_OVERRIDE
    assert events(EventType.ROUTE_OVERRIDDEN) == []


def test_it_refuses_an_override_by_the_supervisor_who_saved_the_route(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    saved = save(verified_case(world), FLAGGED, username="supervisor")
    with pytest.raises(CaseActionRefused, match="you saved it yourself"):
        do_override_route(saved, reason="Mine.", **as_user("supervisor"))
    assert SavedRoute.objects.get(pk=saved.pk).status == RouteStatus.NEEDS_OVERRIDE


def record_papers(world, case) -> None:
    """A passport of Russia and a visa for Germany recorded on the case, valid today."""
    import datetime

    from django.utils import timezone

    from safehaven.travel.documents.actions import do_add_travel_document

    until = timezone.localdate() + datetime.timedelta(days=400)
    for kind, issuer, for_country in (("passport", "RU", ""), ("visa", "DE", "DE")):
        do_add_travel_document(
            case,
            person=None,
            kind=kind,
            issuing_country=issuer,
            for_country=for_country,
            number="N1",
            valid_until=until,
            **as_user("caseworker"),
        )


def test_it_refuses_papers_not_among_the_case_s_travel_documents(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    record_papers(world, case)
    for passports, visas in ((("AM",), ()), (("RU",), ("FR",))):
        traveller = Traveller("RU", "RU-CE", passports=passports, visas=visas)
        with pytest.raises(CaseActionRefused, match="not among the case's travel documents"):
            do_save_route(case, traveller=traveller, route_key=SAFE.key, **as_user("caseworker"))
    assert not SavedRoute.objects.filter(case=case).exists()
    recorded = Traveller("RU", "RU-CE", passports=("RU",), visas=("DE",))
    do_save_route(case, traveller=recorded, route_key=SAFE.key, **as_user("caseworker"))
    assert SavedRoute.objects.filter(case=case).count() == 1


def test_it_refuses_a_withdrawal_on_a_closed_case(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    saved = save(case)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    with pytest.raises(CaseActionRefused, match="closed"):
        do_withdraw_route(saved, reason="Gone.", **as_user("caseworker"))
    assert SavedRoute.objects.get(pk=saved.pk).status == RouteStatus.SAVED


def test_it_refuses_an_override_once_the_case_is_no_longer_being_planned(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    case = verified_case(world)
    saved = save(case, FLAGGED)
    Case.objects.filter(pk=case.pk).update(state=CaseState.WAITLISTED)
    with pytest.raises(CaseActionRefused, match="no longer being planned"):
        do_override_route(saved, reason="Allow.", **as_user("supervisor"))
    assert SavedRoute.objects.get(pk=saved.pk).status == RouteStatus.NEEDS_OVERRIDE
