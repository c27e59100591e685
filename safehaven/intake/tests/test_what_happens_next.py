"""After asking: the receipt and the status page say how soon to expect an answer (the
organisation's ``SAFEHAVEN_INTAKE_ANSWER_DAYS``) and what usually comes next."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from safehaven.core.page_shells import forget_kept_pages
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    requester_client,
    stamp_fields,
    submit_request,
    valid_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_receipts():
    forget_kept_pages()  # the receipt is kept rendered per language and path
    yield
    forget_kept_pages()


def test_it_says_on_the_receipt_when_to_expect_an_answer(settings, world):
    settings.INTAKE_ANSWER_DAYS = 4
    html = Client().post("/en/help/", valid_post() | stamp_fields()).content.decode()
    next_steps = html.split('id="next-steps"')[1].split("</section>")[0]
    assert "We read every request. Expect our first answer within 4 days." in next_steps
    assert "We never ask you for money." in next_steps


def test_it_says_on_the_status_page_when_to_expect_an_answer(settings, world):
    settings.INTAKE_ANSWER_DAYS = 1
    requester = requester_client(submit_request())
    html = requester.get(SHOW_STATUS_URL).content.decode()
    next_steps = html.split('id="next-steps"')[1].split("</section>")[0]
    assert "Expect our first answer within 1 day." in next_steps
    assert "We may first ask you some questions there" in next_steps


@pytest.mark.parametrize(("value", "expected"), [("", "3"), ("30", "30")])
def test_it_reads_the_answer_time_from_the_environment(value, expected):
    assert answer_days_setting(value) == (0, expected)


@pytest.mark.parametrize("value", ["0", "31", "three", "2.5"])
def test_it_refuses_an_answer_time_out_of_bounds(value):
    status, output = answer_days_setting(value)
    assert status != 0
    assert "SAFEHAVEN_INTAKE_ANSWER_DAYS" in output


def answer_days_setting(value: str) -> tuple[int, str]:
    env = {**os.environ, "SAFEHAVEN_INTAKE_ANSWER_DAYS": value}
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.INTAKE_ANSWER_DAYS)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return done.returncode, (done.stdout.strip() if done.returncode == 0 else done.stderr)
