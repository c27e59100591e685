"""Posting generated input to one form and judging the answer: never a server error, and a
refusal always says what was wrong: the form shown again with its errors or a message, a
redirect that leaves a message for the next page, or a page that is itself the refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.messages import get_messages
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from safehaven.core.public_forms.proof_of_work import SPENT, issue_challenge, solve
from safehaven.core.tests.form_fuzz import FoundForm, post_forms
from safehaven.core.tests.form_fuzz_values import Submission, encode, nothing_filled, submissions
from safehaven.core.tests.form_fuzz_world import FuzzWorld
from safehaven.intake.rate_budgets import LIMITER

# What a page shows when it tells the person something: the form's error summary, a field's
# error, a message (django.contrib.messages, at the top of every page, or a page's own alert).
FEEDBACK = re.compile(
    rb'class="(?:error-summary|errorlist|messages?)[" ]|role="alert"|id="route-errors"'
)
HEADING = re.compile(rb"<h1[ >]")
CSRF_REFUSED = b"CSRF verification failed"
# Where a refusal may send someone without a message: to prove who they are first.
ASKS_WHO = ("/accounts/login/", "/accounts/reauthenticate/", "/accounts/2fa/")
# Forms whose redirect needs no message: the person left, and the page they land on is the
# answer (the landing page, the status page just opened).
SILENT_REDIRECTS = {
    "core-quick-exit": "leaves for another site at once",
    "account_logout": "logged out: the login page is the answer",
    "intake-leave-status": "left the status page: the landing page is the answer",
    "intake-choose-codename": "the status page it opens is the answer",
}
# Forms whose answer is on the page that shows them again: what the answer holds.
ANSWERED_ON_ITS_PAGE = {
    "reports-dry-run-retention": b'id="dry-run-heading"',  # what a run would erase now
}
# A post answered with a file rather than a page (an export, a package).
DOWNLOADS = ("attachment",)


@dataclass
class Outcome:
    status: int
    body: bytes
    messages: int
    location: str
    download: bool


def outcome_of(response: Any) -> Outcome:
    streaming = getattr(response, "streaming", False)
    return Outcome(
        status=response.status_code,
        body=b"" if streaming else response.content,
        messages=len(list(get_messages(response.wsgi_request))),
        location=response.get("Location", ""),
        download=any(word in response.get("Content-Disposition", "") for word in DOWNLOADS),
    )


def problem_with(found: FoundForm, outcome: Outcome) -> str | None:
    """What is wrong with the answer, or None."""
    status = outcome.status
    if status >= 500:
        return f"a server error ({status})"
    if 300 <= status < 400:
        if outcome.messages or "done=" in outcome.location or found.route in SILENT_REDIRECTS:
            return None
        if any(part in outcome.location for part in ASKS_WHO):
            return None
        return f"a redirect to {outcome.location} with no message"
    if CSRF_REFUSED in outcome.body:
        return "Django refused the CSRF token: the fuzzer's cookies are out of step (its fault)"
    if outcome.download:
        return None
    if not HEADING.search(outcome.body):
        return f"a page without a heading ({status}): a bare or empty answer"
    if status == 200:
        page = outcome.body.decode(errors="replace")
        shown_again = any(
            form.action == found.form.action for form in post_forms(page, found.form.action)
        )
        marker = ANSWERED_ON_ITS_PAGE.get(found.route)
        answered = marker is not None and marker in outcome.body
        if shown_again and not answered and not FEEDBACK.search(outcome.body):
            return "the form shown again with no error and no message"
    return None


def with_stamp(submission: Submission, bits: int) -> Submission:
    """The same submission with a freshly solved proof-of-work stamp, as the page's script
    would add: without one the help form refuses everything before looking at it."""
    challenge = issue_challenge(bits)
    kept = [(n, v) for n, v in submission.pairs if n not in {b"pow_challenge", b"pow_counter"}]
    stamp = [
        (b"pow_challenge", challenge.encode()),
        (b"pow_counter", str(solve(challenge, bits)).encode()),
    ]
    return Submission(stamp + kept, submission.upload)


def post_once(world: FuzzWorld, found: FoundForm, submission: Submission) -> Outcome:
    """One post, in a savepoint rolled back afterwards: every example meets the same world,
    whatever the one before it changed (a successful post, a session ended)."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]  # intake's durable blocks nest
    with atomic:
        try:
            LIMITER.clear()
            SPENT.clear()
            body, content_type = encode(submission, multipart="multipart" in found.form.enctype)
            client = world.client(found.role)
            response = client.generic("POST", found.form.action, body, content_type=content_type)
            return outcome_of(response)
        finally:
            transaction.set_rollback(True)


def fuzz(
    world: FuzzWorld,
    found: FoundForm,
    examples: int,
    *,
    pow_bits: int,
    upload_max_bytes: int,
    known: list[Submission] = (),  # type: ignore[assignment]
    seed: int | None = None,
) -> int:
    """Post ``examples`` generated submissions, after the ``known`` ones and the form with
    nothing filled in; fail on the first bad answer, shrunk by hypothesis. The same examples
    every run, unless ``seed`` asks for others. Returns how many posts were made."""
    needs_stamp = "pow_challenge" in found.form.fields
    posted = 0

    def run(submission: Submission, stamped: bool) -> None:
        nonlocal posted
        if needs_stamp and stamped:
            submission = with_stamp(submission, pow_bits)
        posted += 1
        try:
            outcome = post_once(world, found, submission)
        except Exception as error:  # the test client re-raises what would be a 500
            raise AssertionError(
                f"{found.route}: a server error ({error!r})\nposted: {submission!r}"
            ) from error
        problem = problem_with(found, outcome)
        assert problem is None, f"{found.route}: {problem}\nposted: {submission!r}"

    # Explicit examples: tried before the generated ones, on every run.
    for submission in [nothing_filled(found.form), *known]:
        run = example(submission=submission, stamped=True)(run)
    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=seed is None,
        suppress_health_check=list(HealthCheck),
    )(given(submission=submissions(found.form, upload_max_bytes), stamped=st.booleans())(run))
    if seed is not None:
        test = hypothesis_seed(seed)(test)
    test()
    return posted
