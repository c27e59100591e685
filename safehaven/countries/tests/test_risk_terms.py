import datetime

import pytest

from safehaven.countries.risk import place_risk_terms, regions_for_public_form

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 6, 1)


def points(country: str, region: str | None = None) -> int:
    return sum(term.points for term in place_risk_terms(country, region, ON))


def test_it_ranks_chechnya_above_moscow():
    assert points("RU", "RU-CE") > points("RU", "RU-MOW")
    assert points("RU", "RU-MOW") == 0


def test_it_ranks_a_death_penalty_country_above_a_non_criminalising_one():
    assert points("IR") == 40
    assert points("IR") > points("DE") == 0


def test_it_replaces_the_national_term_with_a_heavier_regional_one_never_adding_both():
    terms = place_risk_terms("NG", "NG-KN", ON)
    assert len(terms) == 1
    assert terms[0].points == 40
    # Indonesia does not criminalise; Aceh does (caning): the regional term replaces nothing.
    assert points("ID", "ID-AC") == 25
    assert points("ID") == 0


def test_it_names_the_source_of_each_term():
    (term,) = place_risk_terms("RU", "RU-CE", ON)
    assert "Novaya Gazeta" in term.source


def test_it_scores_a_country_without_facts_as_nothing():
    assert points("ZZ") == 0


def test_it_offers_the_regions_with_facts_on_the_public_form():
    assert regions_for_public_form("RU") == [("RU-CE", "Chechnya")]
    assert regions_for_public_form("DE") == []
    assert len(regions_for_public_form("NG")) == 12
