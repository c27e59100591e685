"""A case's risk term by term: the terms add up to the stored score plus the waiting term, the
case carries its request's crisis tag, and the panel shows the terms only to a key holder."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from safehaven.accounts.models import Role
from safehaven.cases.models import Case
from safehaven.cases.panels import case_panels
from safehaven.cases.risk import panels as risk_panels
from safehaven.cases.risk.explain import explain_case_risk
from safehaven.cases.risk.waiting import waiting_points
from safehaven.cases.tests.helpers import open_case, primary_request, staff_member
from safehaven.countries.models import Country, Crisis, Region
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import opened_request, private_key, staff_client_with_keys

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


def chechnya_case(world, **fields) -> Case:
    values = {
        "country": "RU",
        "place_region": "RU-CE",
        "risk_indicators": ["detained", "outed"],
        "companions": "3",
    } | fields
    return open_case(world, **values)


def test_it_explains_a_score_in_terms_that_add_up_to_the_total(world):
    case = chechnya_case(world)
    Case.objects.filter(pk=case.pk).update(received_month=datetime.date(2026, 9, 1))
    case.refresh_from_db()
    explained = explain_case_risk(case, [opened_request(primary_request(case))], TODAY)
    assert explained.explained
    assert [term.points for term in explained.terms] == [40, 20, 15, 10, 15]
    assert [term.kind for term in explained.terms] == [
        "place",
        "indicator",
        "indicator",
        "companions",
        "waiting",
    ]
    assert "Chechnya" in explained.terms[0].label
    assert "OSCE" in explained.terms[0].source
    assert explained.waiting == waiting_points(case.received_month, TODAY) == 15
    assert sum(term.points for term in explained.terms) == explained.total == 85 + 15
    assert case.risk_score == 85


def test_it_shows_the_emergency_floor_and_the_cap_as_terms_of_their_own(world):
    floored = open_case(world, country="DE", risk_indicators=["detained", "in_hiding"])
    capped = open_case(
        world, country="IR", risk_indicators=["threats_state", "violence", "detained", "outed"]
    )
    for case, kind in ((floored, "floor"), (capped, "cap")):
        explained = explain_case_risk(case, [opened_request(primary_request(case))], TODAY)
        assert kind in [term.kind for term in explained.terms]
        assert sum(term.points for term in explained.terms) == explained.total
    assert (floored.risk_score, capped.risk_score) == (75, 100)


def test_it_accounts_for_a_score_stored_under_earlier_rules(world):
    case = chechnya_case(world)
    HelpRequest.objects.filter(pk=primary_request(case).pk).update(risk_score=45)
    Case.objects.filter(pk=case.pk).update(risk_score=45)
    case.refresh_from_db()
    explained = explain_case_risk(case, [opened_request(primary_request(case))], TODAY)
    assert explained.terms[-2].kind == "earlier_rules"
    assert sum(term.points for term in explained.terms) == explained.total


def test_it_gives_only_the_total_without_the_request_opened(world):
    case = chechnya_case(world)
    explained = explain_case_risk(case, [], TODAY)
    assert not explained.explained
    assert sum(term.points for term in explained.terms) == explained.total


def test_it_copies_the_request_crisis_tag_to_the_case(world):
    crisis = Crisis.objects.create(
        name="Chechnya", starts_on=datetime.date(2017, 1, 1), created_by=world.users["admin"]
    )
    crisis.countries.add(Country.objects.get(pk="RU"))
    crisis.regions.add(Region.objects.get(pk="RU-CE"))
    assert chechnya_case(world).crisis == crisis
    assert open_case(world, country="RU").crisis is None


def panel_html(world, case: Case, user, key: bytes | None, monkeypatch) -> str:
    monkeypatch.setattr(risk_panels, "unlocked_private_key", lambda request: key)
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    context = risk_panels.risk_panel(request, case)
    assert context is not None
    return render_to_string("cases/panel_risk.html", context | {"case": case}, request=request)


def test_it_shows_the_terms_to_a_key_holder_and_only_the_total_to_others(world, monkeypatch):
    case = chechnya_case(world)
    assert "risk" in [panel.name for panel in case_panels()]
    holder = panel_html(world, case, world.users["triage"], private_key("triage"), monkeypatch)
    assert "Chechnya" in holder
    assert 'href="/en/staff/countries/RU/"' in holder
    assert '<td class="risk-total">85</td>' in holder
    supervisor = staff_member(world, "keyless", Role.SUPERVISOR)
    other = panel_html(world, case, supervisor, private_key("keyless"), monkeypatch)
    assert '<span class="risk-total">85</span>' in other
    assert "Chechnya" not in other
    assert "detained" not in other.lower()


def test_it_shows_no_panel_to_a_caseworker_not_given_the_case(world, monkeypatch):
    case = chechnya_case(world)
    monkeypatch.setattr(risk_panels, "unlocked_private_key", lambda request: None)
    request = RequestFactory().get("/")
    request.user = world.users["caseworker"]
    request.session = {}  # type: ignore[assignment]
    assert risk_panels.risk_panel(request, case) is None


def test_it_shows_the_terms_on_the_case_page_of_a_key_holder(world):
    case = chechnya_case(world)
    page = staff_client_with_keys(world, "triage").get(f"/en/staff/cases/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="risk"' in html
    assert "Chechnya: State-run persecution" in html
