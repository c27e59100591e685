"""Proof-of-work stamps: solve, verify, and refuse forged, replayed, stale or cheap ones."""

import json
import time

import pytest
from django.core import signing

from safehaven.core.public_forms import proof_of_work as pow
from safehaven.core.public_forms.models import SpentStamp
from safehaven.core.public_forms.proof_of_work import (
    CHALLENGE_MAX_AGE,
    SpentStamps,
    Stamp,
    Verdict,
    check_stamp,
    issue_challenge,
    leading_zero_bits,
    redeem_stamp,
    solve,
    stamp_digest,
)

pytestmark = pytest.mark.django_db


def solved(bits: int = 4, *, now: float | None = None) -> Stamp:
    challenge = issue_challenge(bits, now=now)
    return Stamp(challenge, str(solve(challenge, bits)))


def test_it_counts_leading_zero_bits():
    assert leading_zero_bits(b"\xff" + bytes(31)) == 0
    assert leading_zero_bits(b"\x00\x80" + bytes(30)) == 8
    assert leading_zero_bits(b"\x00\x01" + bytes(30)) == 15
    assert leading_zero_bits(bytes(32)) == 256


def test_it_solves_and_accepts_a_stamp_once():
    stamp = solved(8)
    assert leading_zero_bits(stamp_digest(stamp.challenge, stamp.counter)) >= 8
    assert redeem_stamp(stamp) is Verdict.ACCEPTED
    assert redeem_stamp(stamp) is Verdict.REPLAYED


def test_it_refuses_a_second_counter_for_a_spent_challenge():
    stamp = solved(4)
    assert redeem_stamp(stamp) is Verdict.ACCEPTED
    other = next(
        counter
        for counter in range(int(stamp.counter) + 1, 10**6)
        if leading_zero_bits(stamp_digest(stamp.challenge, counter)) >= 4
    )
    assert redeem_stamp(Stamp(stamp.challenge, str(other))) is Verdict.REPLAYED


def test_it_refuses_a_replay_seen_by_another_app_server():
    stamp = solved(4)
    assert redeem_stamp(stamp, spent=SpentStamps()) is Verdict.ACCEPTED
    # A second process has its own memory but shares the cache.
    assert redeem_stamp(stamp, spent=SpentStamps()) is Verdict.REPLAYED


def test_it_refuses_a_forged_challenge():
    payload = {"n": "x" * 22, "t": int(time.time()), "b": 0}
    unsigned = signing.b64_encode(json.dumps(payload).encode()).decode()
    other_salt = signing.Signer(salt="something.else", algorithm="sha256").sign_object(payload)
    other_key = signing.Signer(key="k" * 50, salt="safehaven.intake.pow").sign_object(payload)
    for challenge in (unsigned, unsigned + ":AAAA", other_salt, other_key):
        assert redeem_stamp(Stamp(challenge, "0")) is Verdict.FORGED


def test_it_refuses_a_tampered_challenge():
    stamp = solved(4)
    body, signature = stamp.challenge.rsplit(":", 1)
    easier = json.loads(signing.b64_decode(body.encode()))
    easier["b"] = 0
    tampered = signing.b64_encode(json.dumps(easier).encode()).decode() + ":" + signature
    assert redeem_stamp(Stamp(tampered, "0")) is Verdict.FORGED


def test_it_refuses_an_expired_stamp():
    now = time.time()
    stamp = solved(4, now=now - CHALLENGE_MAX_AGE - 1)
    assert redeem_stamp(stamp, now=now) is Verdict.EXPIRED
    fresh_enough = solved(4, now=now - CHALLENGE_MAX_AGE + 5)
    assert redeem_stamp(fresh_enough, now=now) is Verdict.ACCEPTED


def test_it_refuses_a_challenge_from_the_future():
    now = time.time()
    assert redeem_stamp(solved(4, now=now + 3600), now=now) is Verdict.FROM_THE_FUTURE


def test_it_refuses_a_challenge_easier_than_required(settings):
    settings.INTAKE_POW_BITS = 6
    assert redeem_stamp(solved(3)) is Verdict.TOO_EASY
    assert redeem_stamp(solved(6)) is Verdict.ACCEPTED


def test_it_refuses_a_counter_that_misses_the_difficulty():
    challenge = issue_challenge(8)
    weak = next(c for c in range(10**6) if leading_zero_bits(stamp_digest(challenge, c)) < 8)
    assert redeem_stamp(Stamp(challenge, str(weak))) is Verdict.WRONG_HASH


@pytest.mark.parametrize("counter", ["", "-1", "1e3", "٣", "9" * 17, " 1"])
def test_it_refuses_malformed_counters(counter):
    assert redeem_stamp(Stamp(issue_challenge(0), counter)) is Verdict.MALFORMED


def test_it_refuses_an_overlong_or_garbled_challenge():
    assert redeem_stamp(Stamp("a" * 5000, "1")) is Verdict.MALFORMED
    for garbage in ("", ":", "not-a-challenge", "\udcff:x", "e30:" + "A" * 43):
        assert redeem_stamp(Stamp(garbage, "1")) is Verdict.FORGED


def test_it_reads_stamps_from_a_post_only_when_both_fields_are_there():
    assert Stamp.from_post({}) is None
    assert Stamp.from_post({"pow_challenge": "c", "pow_counter": ""}) is None
    assert Stamp.from_post({"pow_challenge": "c", "pow_counter": "7"}) == Stamp("c", "7")


def test_it_bounds_the_memory_of_spent_stamps():
    spent = SpentStamps(max_entries=2, shared=False)
    now = time.time()
    assert spent.spend("a", now=now) is Verdict.ACCEPTED
    assert spent.spend("b", now=now) is Verdict.ACCEPTED
    assert spent.spend("c", now=now) is Verdict.BUSY
    later = now + CHALLENGE_MAX_AGE + pow.CLOCK_SKEW + 1
    assert spent.spend("c", now=later) is Verdict.ACCEPTED


def test_it_stores_no_requester_data_in_a_challenge():
    body = issue_challenge(4).rsplit(":", 1)[0]
    assert set(json.loads(signing.b64_decode(body.encode()))) == {"n", "t", "b"}


def test_it_remembers_spent_stamps_across_app_servers_in_the_database():
    now = time.time()
    assert SpentStamps().spend("shared-nonce", now=now) is Verdict.ACCEPTED
    # Another app server: its own (empty) memory, the same table.
    assert SpentStamps().spend("shared-nonce", now=now) is Verdict.REPLAYED
    assert SpentStamp.objects.filter(nonce="shared-nonce").exists()


def test_it_forgets_expired_stamps_from_the_table_now_and_then(monkeypatch):
    monkeypatch.setattr(pow, "SWEEP_EVERY", 3)
    now = time.time()
    spent = SpentStamps()
    spent.record("old", now=now)
    later = now + CHALLENGE_MAX_AGE + pow.CLOCK_SKEW + 1
    spent.record("new-1", now=later)
    assert SpentStamp.objects.filter(nonce="old").exists()
    spent.record("new-2", now=later)  # the third: sweeps before it inserts
    assert set(SpentStamp.objects.values_list("nonce", flat=True)) == {"new-1", "new-2"}


def test_it_forgets_expired_stamps_oldest_first_as_new_ones_come():
    spent = SpentStamps(max_entries=3, shared=False)
    now = time.time()
    lifetime = CHALLENGE_MAX_AGE + pow.CLOCK_SKEW
    assert spent.spend("a", now=now) is Verdict.ACCEPTED
    assert spent.spend("b", now=now + 10) is Verdict.ACCEPTED
    assert spent.spend("c", now=now + lifetime + 5) is Verdict.ACCEPTED  # "a" has expired
    assert spent.spend("d", now=now + lifetime + 5) is Verdict.ACCEPTED
    assert spent.spend("e", now=now + lifetime + 5) is Verdict.BUSY  # b, c, d all live
    assert spent.spend("b", now=now + lifetime + 5) is Verdict.REPLAYED
    assert spent.spend("e", now=now + lifetime + 11) is Verdict.ACCEPTED  # "b" expired


def test_it_checks_a_stamp_without_taking_it():
    stamp = solved()
    checked = check_stamp(stamp)
    assert checked.good
    assert check_stamp(stamp).good
    assert not SpentStamp.objects.exists()  # nothing was taken or written
    assert redeem_stamp(stamp) is Verdict.ACCEPTED
    assert check_stamp(Stamp("forged", "1")).verdict is Verdict.FORGED
    assert checked.nonce is not None
    assert checked.nonce not in repr(checked)
