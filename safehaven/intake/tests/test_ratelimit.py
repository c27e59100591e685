"""In-memory rate limits keyed by an hourly-rotating HMAC of the address."""

import hmac
from hashlib import sha256

import pytest

from safehaven.core.public_forms.rate_limits import RateLimiter, address_group, network_of
from safehaven.intake.rate_budgets import LIMITER, Bucket

ADDRESS = "203.0.113.7"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def limiter(clock: Clock, **limits: tuple[int, int]) -> RateLimiter:
    return RateLimiter(limits or {"submit": (3, 600)}, clock=clock)


def test_it_allows_up_to_the_limit_then_refuses():
    clock = Clock()
    counts = limiter(clock)
    assert [counts.hit("submit", ADDRESS).allowed for _ in range(4)] == [True, True, True, False]
    refusal = counts.hit("submit", ADDRESS)
    assert not refusal.allowed
    assert 0 < refusal.retry_after <= 600


def test_it_starts_afresh_in_the_next_window():
    clock = Clock(1_800_000_000.0)  # a multiple of 600 and 3600
    counts = limiter(clock)
    for _ in range(3):
        counts.hit("submit", ADDRESS)
    assert not counts.hit("submit", ADDRESS).allowed
    clock.now += 600
    assert counts.hit("submit", ADDRESS).allowed


def test_it_counts_addresses_and_buckets_apart():
    clock = Clock()
    counts = limiter(clock, a=(1, 60), b=(1, 60))
    assert counts.hit("a", ADDRESS).allowed
    assert not counts.hit("a", ADDRESS).allowed
    assert counts.hit("b", ADDRESS).allowed
    assert counts.hit("a", "198.51.100.1").allowed


def test_it_keys_counters_by_an_hmac_of_the_address():
    clock = Clock()
    counts = limiter(clock)
    counts.hit("submit", ADDRESS)
    stored = [key for counters in counts._counters.values() for key in counters]
    expected = hmac.new(counts._key, ADDRESS.encode(), sha256).digest()
    assert stored == [expected] == [counts.keyed(ADDRESS)]
    assert ADDRESS.encode() not in stored[0]
    assert ADDRESS not in repr(counts)
    assert counts._key.hex() not in repr(counts)


def test_it_rotates_the_key_every_hour_and_forgets_old_counters():
    clock = Clock()
    counts = limiter(clock, submit=(1, 3600))
    first = counts.keyed(ADDRESS)
    counts.hit("submit", ADDRESS)
    assert not counts.hit("submit", ADDRESS).allowed
    clock.now += 1800
    assert counts.keyed(ADDRESS) == first
    clock.now += 1800
    assert counts.keyed(ADDRESS) != first
    assert len(counts) == 0
    assert counts.hit("submit", ADDRESS).allowed


def test_it_uses_a_different_random_key_in_every_process():
    clock = Clock()
    assert limiter(clock).keyed(ADDRESS) != limiter(clock).keyed(ADDRESS)


def test_it_keeps_its_memory_bounded():
    clock = Clock()
    counts = RateLimiter({"submit": (5, 600)}, clock=clock, max_entries=10)
    for number in range(50):
        counts.hit("submit", f"10.0.0.{number}")
    assert len(counts) <= 10
    assert counts.hit("submit", "10.0.0.49").allowed


def test_it_refuses_a_window_longer_than_the_key_lifetime():
    with pytest.raises(ValueError, match="window"):
        RateLimiter({"submit": (1, 7200)}).hit("submit", ADDRESS)


def test_it_reads_the_limits_from_settings(settings):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "codename": (1, 60)}
    assert LIMITER.hit(Bucket.CODENAME, ADDRESS).allowed
    assert not LIMITER.hit(Bucket.CODENAME, ADDRESS).allowed


def test_it_has_settings_for_every_bucket(settings):
    assert set(settings.INTAKE_RATE_LIMITS) == {bucket.value for bucket in Bucket}
    without, with_pow = (
        settings.INTAKE_RATE_LIMITS[Bucket.SUBMIT_WITHOUT_POW],
        settings.INTAKE_RATE_LIMITS[Bucket.SUBMIT_WITH_POW],
    )
    assert without[0] / without[1] < with_pow[0] / with_pow[1]


def test_it_counts_an_ipv6_address_by_its_64_network():
    counts = limiter(Clock(), submit=(2, 600))
    assert counts.hit("submit", "2001:db8:1:2::1").allowed
    assert counts.hit("submit", "2001:db8:1:2:ffff:ffff:ffff:ffff").allowed
    assert not counts.hit("submit", "2001:db8:1:2:abcd::9").allowed  # the same /64
    assert counts.hit("submit", "2001:db8:1:3::1").allowed  # the next /64


def test_it_counts_an_ipv4_address_written_as_ipv6_as_itself():
    counts = limiter(Clock(), submit=(1, 600))
    assert counts.hit("submit", "192.0.2.1").allowed
    assert not counts.hit("submit", "::ffff:192.0.2.1").allowed
    assert counts.hit("submit", "192.0.2.2").allowed


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:DB8::1", "2001:db8::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
        ("not an address", "not an address"),
        # Ports and brackets some proxies add to X-Forwarded-For.
        ("203.0.113.7:5678", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::/64"),
        ("[2001:db8::1]", "2001:db8::/64"),
    ],
)
def test_it_groups_addresses_as_documented(address, group):
    assert address_group(address) == group


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.0/24"),
        ("203.0.113.7:80", "203.0.113.0/24"),
        ("::ffff:203.0.113.7", "203.0.113.0/24"),
        ("2001:db8:1:2::1", "2001:db8:1::/48"),
        ("not an address", "not an address"),
    ],
)
def test_it_names_the_wider_network_of_an_address(address, network):
    assert network_of(address) == network


def test_it_drops_the_oldest_counters_first_when_full():
    clock = Clock()
    counts = RateLimiter({"submit": (1, 600)}, clock=clock, max_entries=3)
    for number in range(3):
        assert counts.hit("submit", f"10.0.0.{number}").allowed
    assert counts.hit("submit", "10.0.0.3").allowed  # full: 10.0.0.0 is forgotten
    assert len(counts) == 3
    assert counts.hit("submit", "10.0.0.0").allowed  # afresh; now 10.0.0.1 is forgotten
    assert not counts.hit("submit", "10.0.0.2").allowed  # still counted
    assert not counts.hit("submit", "10.0.0.3").allowed


def test_it_drops_ended_windows_before_live_counters():
    clock = Clock()
    counts = RateLimiter({"short": (1, 60), "long": (1, 3600)}, clock=clock, max_entries=3)
    counts.hit("long", "10.0.0.1")  # first in, still live when the short window has ended
    counts.hit("short", "10.0.0.2")
    clock.now += 120
    counts.hit("long", "10.0.0.3")
    counts.hit("long", "10.0.0.4")  # full: the ended short counter goes, not a live one
    assert len(counts) == 3
    assert not counts.hit("long", "10.0.0.1").allowed
    assert not counts.hit("long", "10.0.0.3").allowed


def test_it_never_drops_a_lone_counter_for_the_many_others():
    clock = Clock()
    counts = RateLimiter({"everyone": (1, 3600), "each": (5, 3600)}, clock=clock, max_entries=5)
    assert counts.hit("everyone", "anyone").allowed  # the first counter of all
    for number in range(50):
        counts.hit("each", f"10.0.{number}.1")
    assert len(counts) <= 5
    assert not counts.hit("everyone", "anyone").allowed


def test_it_says_which_refusal_is_the_first_of_its_window():
    counts = limiter(Clock(), submit=(1, 600))
    assert counts.hit("submit", ADDRESS).allowed
    assert counts.hit("submit", ADDRESS).first_refusal
    assert not counts.hit("submit", ADDRESS).first_refusal


def test_it_moves_a_counter_whose_window_ended_to_the_newest_end():
    clock = Clock()
    counts = RateLimiter({"submit": (1, 600)}, clock=clock, max_entries=2)
    counts.hit("submit", "10.0.0.1")
    clock.now += 600
    counts.hit("submit", "10.0.0.2")
    counts.hit("submit", "10.0.0.1")  # a new window: now the newest counter
    counts.hit("submit", "10.0.0.3")  # full: 10.0.0.2 is the oldest and goes
    assert not counts.hit("submit", "10.0.0.1").allowed
