"""The shipped file, loaded by the data migration, against ILGA's published counts."""

import datetime

import pytest

from safehaven.countries.choices import FactKind, FactValue
from safehaven.countries.models import Country, Region, RiskFact
from safehaven.countries.queries import facts_on, figures_for

pytestmark = pytest.mark.django_db


def test_it_holds_every_un_member_state_with_a_criminalisation_fact():
    assert Country.objects.filter(un_member=True).count() == 193
    on = datetime.date(2020, 12, 31)
    for country in Country.objects.filter(un_member=True):
        kinds = {fact.kind for fact in facts_on(country.iso2, on=on)}
        assert FactKind.CRIMINALISATION in kinds, country.iso2


def test_it_counts_69_criminalising_states_with_6_and_5_death_penalties_in_december_2020():
    figures = figures_for(datetime.date(2020, 12, 31))
    assert figures.criminalising == 69
    assert figures.death_in_force == 6
    assert figures.death_possible == 5
    assert all(fact.source for fact in figures.facts)


def test_it_counts_62_criminalising_states_at_the_end_of_2024():
    figures = figures_for(datetime.date(2024, 12, 31))
    assert figures.criminalising == 62
    # Uganda's Anti-Homosexuality Act 2023 adds a death penalty in force (SOURCE.md).
    assert figures.death_in_force == 7
    assert figures.death_possible == 5


def test_it_records_brunei_and_nigeria_as_death_penalty_in_force():
    for iso2 in ("BN", "NG"):
        penalty = RiskFact.objects.get(
            country_id=iso2, kind=FactKind.MAX_PENALTY, region__isnull=True
        )
        assert penalty.value == FactValue.DEATH_IN_FORCE


def test_it_keeps_the_closed_fact_when_a_country_decriminalised():
    bhutan = RiskFact.objects.filter(country_id="BT", kind=FactKind.CRIMINALISATION).order_by(
        "valid_from"
    )
    assert [(f.value, f.valid_to) for f in bhutan] == [
        (FactValue.CRIMINALISED, datetime.date(2021, 2, 16)),
        (FactValue.LEGAL, None),
    ]


def test_it_ships_the_regional_facts():
    assert Region.objects.filter(country_id="NG").count() == 12
    chechnya = facts_on("RU", "RU-CE", on=datetime.date(2024, 1, 1))
    assert any(f.value == FactValue.STATE_PERSECUTION for f in chechnya)
    assert Region.objects.filter(code="ID-AC").exists()
    assert Region.objects.filter(country_id="PS").count() == 5
