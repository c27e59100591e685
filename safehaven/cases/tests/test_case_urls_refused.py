"""Every case URL refuses a caseworker the case is not assigned to (404, as if it did not
exist), and an interpreter given the case everything but its messages page.

A view the role may never use refuses with 403 before looking anything up (``access_case``):
that answer is the same for a case that does not exist, which the tests check too."""

import re
import uuid
from collections.abc import Iterator

import pytest
from django.urls import reverse

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.tests.helpers import open_case
from safehaven.core.tests.urlwalk import Route, iter_routes
from safehaven.intake.tests.helpers import private_key

pytestmark = pytest.mark.django_db

SENTINEL = "SENTINEL-urls-4hv they are hiding at their aunt's"
MESSAGES_PAGE = "cases-show-case-messages"


def case_routes() -> Iterator[Route]:
    for route in iter_routes():
        if route.name.startswith("cases-") and "case_id" in route.converters:
            yield route


ROUTES = sorted({route.name: route for route in case_routes()}.values(), key=lambda r: r.name)


NO_CASE = 999999
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def url_of(route: Route, case_id: int, world) -> str:
    """The route for a case; any other argument names something real where it can (a user
    of the case), else an id that exists nowhere (the case is looked up first)."""
    kwargs: dict[str, object] = {}
    for match in CONVERTER.finditer(route.pattern):
        name, kind = match["name"], match["kind"] or "str"
        if name == "case_id":
            kwargs[name] = case_id
        elif name == "user_id":
            kwargs[name] = world.users["caseworker"].pk
        elif kind == "uuid":
            kwargs[name] = uuid.uuid4()
        elif kind == "int":
            kwargs[name] = NO_CASE
        else:
            kwargs[name] = "x"
    return reverse(route.name, kwargs=kwargs)


def answers(client, route: Route, case_id: int, world) -> list[int]:
    statuses = []
    for method in ("get", "post"):
        response = getattr(client, method)(url_of(route, case_id, world))
        assert SENTINEL not in response.content.decode(errors="replace")
        statuses.append(response.status_code)
    return statuses


def test_it_finds_the_case_urls():
    names = {route.name for route in ROUTES}
    assert {"cases-regrant-case", "cases-rekey-case"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_it_hides_every_case_url_from_an_unassigned_caseworker(world, staff_client, route):
    case = open_case(world, reason=SENTINEL, situation=SENTINEL)
    client = staff_client("caseworker")
    statuses = answers(client, route, case.pk, world)
    # A method the view does not take is refused before anything is looked up (405).
    assert set(statuses) <= {403, 404, 405}, statuses
    assert statuses == answers(client, route, NO_CASE, world)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_it_shows_an_interpreter_of_the_case_only_its_messages(world, staff_client, route):
    case = open_case(world, reason=SENTINEL, situation=SENTINEL)
    do_assign_case(
        case,
        user=world.users["interpreter"],
        role=AssignmentRole.INTERPRETER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    client = staff_client("interpreter")
    statuses = answers(client, route, case.pk, world)
    if route.name == MESSAGES_PAGE:
        assert statuses[0] == 200
    else:
        assert set(statuses) <= {403, 404, 405}, statuses
        assert statuses == answers(client, route, NO_CASE, world)


def test_it_hides_the_case_page_itself_with_a_404(world, staff_client):
    case = open_case(world)
    url = f"/en/staff/cases/{case.pk}/"
    assert staff_client("caseworker").get(url).status_code == 404
    assert staff_client("triage").get(url).status_code == 200
