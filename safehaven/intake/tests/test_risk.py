"""The first risk score of a request: bands, emergencies, households."""

import pytest

from safehaven.intake.choices import RiskBand, RiskIndicator
from safehaven.intake.submission.risk import assess_risk, band_for


def test_it_scores_nothing_ticked_as_low():
    assert assess_risk([]) == assess_risk([], companions=0)
    assert assess_risk([]).score == 0
    assert assess_risk([]).band == RiskBand.LOW


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "low"), (24, "low"), (25, "medium"), (49, "medium"), (50, "high"), (75, "critical")],
)
def test_it_bands_scores(score, band):
    assert band_for(score) == band


def test_it_weighs_state_persecution_above_community_threats():
    state = assess_risk([RiskIndicator.THREATS_STATE])
    community = assess_risk([RiskIndicator.THREATS_COMMUNITY])
    assert state.score > community.score


def test_it_treats_state_threats_with_violence_or_hiding_as_critical():
    for second in (RiskIndicator.VIOLENCE, RiskIndicator.IN_HIDING):
        assert assess_risk([RiskIndicator.THREATS_STATE, second]).band == RiskBand.CRITICAL


def test_it_caps_the_score_at_100():
    everything = assess_risk(RiskIndicator.values, companions=20)
    assert everything.score == 100
    assert everything.band == RiskBand.CRITICAL


def test_it_adds_a_little_for_a_household():
    alone = assess_risk([RiskIndicator.OUTED])
    with_one = assess_risk([RiskIndicator.OUTED], companions=1)
    with_five = assess_risk([RiskIndicator.OUTED], companions=5)
    assert alone.score < with_one.score < with_five.score <= alone.score + 10


def test_it_ignores_unknown_indicators():
    assert assess_risk(["made_up", RiskIndicator.OUTED]) == assess_risk([RiskIndicator.OUTED])


def test_it_keeps_every_score_a_multiple_of_five():
    # The score is in clear: a finer step would give away the sealed household size.
    for companions in range(0, 21):
        for indicators in ([], [RiskIndicator.OUTED], [RiskIndicator.HEALTH]):
            assert assess_risk(indicators, companions=companions).score % 5 == 0


def test_it_gives_two_and_three_companions_the_few_and_many_steps():
    base = assess_risk([RiskIndicator.OUTED]).score
    assert assess_risk([RiskIndicator.OUTED], companions=1).score == base + 5
    assert assess_risk([RiskIndicator.OUTED], companions=2).score == base + 5
    assert assess_risk([RiskIndicator.OUTED], companions=3).score == base + 10
    assert assess_risk([RiskIndicator.OUTED], companions=20).score == base + 10


@pytest.mark.django_db
def test_it_moves_stored_scores_onto_the_new_scale(world):
    from importlib import import_module

    from django.apps import apps

    from safehaven.intake.models import HelpRequest
    from safehaven.intake.tests.helpers import submit_request

    migration = import_module("safehaven.intake.migrations.0005_risk_scores_in_steps_of_five")
    # (old score, its companions) -> the new score and band. 60 had none: left as it is.
    old_scores = [7, 49, 74, 52, 60]
    for old in old_scores:
        submit_request()
        newest = HelpRequest.objects.order_by("-pk")[0]
        HelpRequest.objects.filter(pk=newest.pk).update(risk_score=old, risk_band="low")
    migration.to_steps_of_five(apps, None)
    moved = list(HelpRequest.objects.order_by("pk").values_list("risk_score", "risk_band"))
    assert moved == [(5, "low"), (50, "high"), (75, "critical"), (50, "high"), (60, "low")]
