"""Small-cell suppression of a list of counts with its total (1-D): every count under 5 hidden,
zeros too, and more until the hidden ones number two or more and sum to 5 or more; an attacker
who knows the rule and the total cannot work out any hidden count."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehaven.reports.suppression import SMALL_CELL, published_total, suppress_counts

KEYS = ("AF", "IR", "RU", "UG", "KG")


def recovered(counts: dict[str, int], shown: dict[str, int | None]) -> list[str]:
    """The hidden keys whose count the published total and shown counts pin down: with the
    total published the blanks sum to its rest, each anywhere from 0 to that rest."""
    total = published_total(counts.values())
    hidden = [key for key, value in shown.items() if value is None]
    if total is None or not hidden:
        return []
    rest = total - sum(value or 0 for value in shown.values())
    if len(hidden) == 1 or rest == 0:
        return hidden
    return []


def test_it_hides_small_counts_and_the_next_smallest():
    assert suppress_counts({"RU": 3, "IR": 6, "UG": 10}) == {"RU": None, "IR": None, "UG": 10}


def test_it_keeps_hiding_until_the_hidden_sum_is_five():
    # 1 + 2 hidden sum to 3: a reader could bound both under 5; 7 goes too.
    shown = suppress_counts({"RU": 1, "IR": 2, "UG": 7, "KG": 30})
    assert shown == {"RU": None, "IR": None, "UG": None, "KG": 30}


def test_it_hides_a_large_count_beside_small_ones_only():
    # 3 and 4 sum to 7, but a reader replaying the rules would know both are under 5.
    shown = suppress_counts({"RU": 3, "IR": 4, "UG": 100, "KG": 200})
    assert shown == {"RU": None, "IR": None, "UG": None, "KG": 200}


def test_it_hides_every_count_tied_at_the_smallest():
    # Hiding one of two equal counts would tell which one by the order of the keys.
    shown = suppress_counts({"RU": 5, "IR": 5, "UG": 4, "KG": 50})
    assert shown == {"RU": None, "IR": None, "UG": None, "KG": 50}


def test_it_hides_zeros_like_small_counts():
    assert suppress_counts({"RU": 0, "IR": 12, "UG": 9}) == {"RU": None, "IR": 12, "UG": None}
    # Two zeros beside a total: the blanks sum to 0, so both would be known; hide on.
    shown = suppress_counts({"RU": 0, "IR": 0, "UG": 10})
    assert shown == {"RU": None, "IR": None, "UG": None}


def test_it_shows_counts_of_five_or_more_untouched():
    counts = {"RU": 5, "IR": 6, "UG": 120}
    assert suppress_counts(counts) == counts


def test_it_hides_a_total_under_five():
    assert published_total([1, 2, 1]) is None
    assert published_total([0, 0]) is None
    assert published_total([2, 3]) == 5
    assert published_total([]) is None


def test_it_hides_every_count_of_an_all_zero_or_all_small_list():
    assert suppress_counts({"RU": 0, "IR": 0}) == {"RU": None, "IR": None}
    assert suppress_counts({"RU": 4}) == {"RU": None}
    assert suppress_counts({}) == {}


def test_it_shows_a_single_large_count():
    assert suppress_counts({"RU": 9}) == {"RU": 9}


def test_it_adds_no_secondary_cell_without_a_published_total():
    shown = suppress_counts({"RU": 3, "IR": 6, "UG": 10}, total_published=False)
    assert shown == {"RU": None, "IR": 6, "UG": 10}


def test_it_refuses_what_is_not_a_count():
    for bad in (-1, 2.5, "3", True):
        with pytest.raises(ValueError, match="whole number"):
            suppress_counts({"RU": bad})  # type: ignore[dict-item]


counts_lists = st.lists(
    st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=1, max_size=len(KEYS)
).map(lambda values: dict(zip(KEYS, values, strict=False)))


@given(counts_lists)
def test_it_never_lets_the_total_give_a_hidden_count_away(counts):
    shown = suppress_counts(counts)
    assert list(shown) == list(counts)
    for key, value in counts.items():
        assert shown[key] in (None, value)
        if value < SMALL_CELL:
            assert shown[key] is None
    hidden = [counts[key] for key, value in shown.items() if value is None]
    if hidden and published_total(counts.values()) is not None and len(hidden) < len(counts):
        assert len(hidden) >= 2
        assert sum(hidden) >= SMALL_CELL
        assert max(hidden) >= SMALL_CELL
    assert recovered(counts, shown) == []


@pytest.mark.parametrize(("length", "top"), [(2, 30), (3, 18), (4, 11)])
def test_an_attacker_who_replays_the_rules_still_cannot_recover_a_count(length, top):
    """Every list of ``length`` counts under ``top``: group the lists by what they publish
    (shown counts and total); within each group, every hidden count must take at least two
    values, so even knowing exactly how cells are chosen gives none away. (Groups whose total
    reaches ``top`` are skipped: their other members lie beyond the lists tried.)"""
    published: dict[tuple[object, ...], list[tuple[int, ...]]] = defaultdict(list)
    for values in itertools.product(range(top), repeat=length):
        shown = suppress_counts(dict(zip(KEYS, values, strict=False)))
        published[(*shown.values(), published_total(values))].append(values)
    checked = 0
    for key, lists in published.items():
        total = key[-1]
        if total is not None and total >= top:
            continue
        for position, value in enumerate(key[:-1]):
            if value is None:
                checked += 1
                assert len({values[position] for values in lists}) >= 2, (key, lists)
    assert checked > 20
