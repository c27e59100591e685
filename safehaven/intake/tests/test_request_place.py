"""The place of a new request: the coarse region chosen on the public form (sealed, checked
against the country), the place's term in the stored score, and the crisis tag."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from safehaven.core.audit import AuditEvent
from safehaven.countries.models import Country, Crisis, Region
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission.region_names import REGION_NAMES
from safehaven.intake.tests.helpers import (
    latest_request,
    opened_request,
    staff_client_with_keys,
    stamp_fields,
    submit_request,
    valid_post,
)

pytestmark = pytest.mark.django_db

MORE_BOXES = ["outed", "threats_family", "threats_community"]


def stored_score(**fields: str | list[str]) -> int:
    submit_request(None, **fields)
    return latest_request().risk_score


def test_it_ranks_chechnya_with_detention_above_kyrgyzstan_with_more_boxes_ticked(world):
    chechnya = stored_score(country="RU", place_region="RU-CE", risk_indicators=["detained"])
    kyrgyzstan = stored_score(country="KG", risk_indicators=MORE_BOXES)
    moscow = stored_score(country="RU", region="Moscow", risk_indicators=["detained"])
    assert chechnya > kyrgyzstan
    assert chechnya > moscow
    assert (chechnya, moscow) == (60, 20)


def test_it_ranks_a_death_penalty_country_above_a_non_criminalising_one(world):
    iran = stored_score(country="IR", risk_indicators=["outed"])
    germany = stored_score(country="DE", risk_indicators=["outed"])
    assert iran > germany
    assert iran - germany == 40


def test_it_stores_place_and_indicators_in_steps_of_five_and_caps_them(world):
    everything = ["threats_state", "violence", "detained", "in_hiding", "outed"]
    assert stored_score(country="NG", place_region="NG-KN", risk_indicators=everything) == 100
    for country, region in (("ID", "ID-AC"), ("PS", "PS-GZA"), ("RU", ""), ("SA", "")):
        score = stored_score(country=country, place_region=region, companions="1")
        assert score % 5 == 0


def test_it_refuses_a_region_of_another_country(world):
    post = valid_post(country="KG", place_region="RU-CE") | stamp_fields()
    response = Client().post("/en/help/", post)
    assert response.status_code == 200
    assert "The region you chose is not in the country you chose." in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_it_offers_the_regions_with_facts_grouped_by_country_not_listed_first(world):
    page = Client().get("/en/help/").content.decode()
    select = page.split('name="place_region"')[1].split("</select>")[0]
    first_option = select.split("<option")[1]
    assert 'value=""' in first_option
    assert "Not listed, or somewhere else" in first_option
    assert '<optgroup label="Russia">' in select
    assert '<option value="RU-CE">Chechnya</option>' in select
    assert '<option value="NG-NI">Niger State</option>' in select


def test_it_names_every_offered_region_for_translation(world):
    offered = set(
        Region.objects.filter(offered_on_public_form=True, facts__isnull=False).values_list(
            "code", flat=True
        )
    )
    assert offered <= set(REGION_NAMES)


def test_it_seals_the_chosen_region_and_keeps_it_out_of_every_clear_column(world):
    submit_request(country="RU", place_region="RU-CE")
    stored = latest_request()
    columns = [str(field.column) for field in HelpRequest._meta.concrete_fields]
    with connection.cursor() as cursor:
        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        cursor.execute(f"SELECT {quoted} FROM intake_helprequest WHERE id = %s", [stored.pk])  # noqa: S608
        row = cursor.fetchone()
    for column, value in zip(columns, row, strict=True):
        raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        assert b"RU-CE" not in raw, column
    details = " ".join(AuditEvent.objects.values_list("detail", flat=True))
    assert "RU-CE" not in details
    assert opened_request(stored).sealed("place_region") == "RU-CE"


def record_crisis(world, country: str, *, regions=(), starts=-1, ends=None) -> Crisis:
    today = timezone.now().date()
    crisis = Crisis.objects.create(
        name=f"Crisis in {country}",
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=None if ends is None else today + datetime.timedelta(days=ends),
        created_by=world.users["admin"],
    )
    crisis.countries.add(Country.objects.get(pk=country))
    crisis.regions.add(*Region.objects.filter(code__in=regions))
    return crisis


def test_it_tags_a_request_with_the_crisis_its_region_is_in(world):
    chechnya = record_crisis(world, "RU", regions=["RU-CE"])
    submit_request(country="RU", place_region="RU-CE")
    assert latest_request().crisis == chechnya
    submit_request(country="RU")  # elsewhere in Russia: not in a crisis named for Chechnya
    assert latest_request().crisis is None


def test_it_tags_a_request_from_anywhere_in_a_country_wide_crisis(world):
    kyrgyzstan = record_crisis(world, "KG")
    submit_request(country="KG")
    assert latest_request().crisis == kyrgyzstan
    submit_request(country="KZ")
    assert latest_request().crisis is None


@pytest.mark.parametrize(
    ("starts", "ends", "tagged"),
    [(0, None, True), (-10, 0, True), (1, None, False), (-10, -1, False)],
)
def test_it_tags_only_while_the_crisis_is_on(world, starts, ends, tagged):
    crisis = record_crisis(world, "KG", starts=starts, ends=ends)
    submit_request(country="KG")
    assert (latest_request().crisis == crisis) is tagged


def test_it_shows_the_chosen_region_on_the_request_page_to_a_key_holder(world):
    submit_request(country="RU", place_region="RU-CE")
    page = staff_client_with_keys(world, "triage").get(f"/en/staff/requests/{latest_request().pk}/")
    assert '<dd id="chosen-region">Chechnya</dd>' in page.content.decode()
