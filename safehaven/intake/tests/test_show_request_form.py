"""The public help request page: no cookie, clear errors, nothing lost, never a 500."""

import gzip
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safehaven.core.public_forms.proof_of_work import (
    SPENT,
    Stamp,
    Verdict,
    redeem_stamp,
)
from safehaven.intake.tests.helpers import rate_limits, stamp_fields, valid_post

pytestmark = pytest.mark.django_db
URL = "/en/help/"
SCRIPT = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
TEXT_FIELDS = [
    "situation",
    "region",
    "language_other",
    "contact_signal",
    "contact_whatsapp",
    "contact_telegram",
    "contact_email",
    "contact_phone",
    "contact_other",
    "contact_times",
    "visas",
    "referral_code",
    "checkin_phrase",
    "duress_phrase",
]


def page(response) -> str:
    return response.content.decode()


def assert_no_cookie(response) -> None:
    assert not response.cookies, list(response.cookies)
    assert "Set-Cookie" not in response


def posted_challenge(html: str) -> str:
    match = re.search(r'name="pow_challenge" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_it_shows_the_form_without_a_cookie_and_with_a_neutral_title(client: Client):
    response = client.get(URL)
    assert response.status_code == 200
    assert_no_cookie(response)
    html = page(response)
    assert "<title>Contact form</title>" in html
    assert 'href="/exit"' in html
    assert "csrfmiddlewaretoken" not in html
    assert 'name="pow_challenge"' in html
    assert 'data-pow-bits="4"' in html
    assert "no-store" in response["Cache-Control"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "<script>" not in html  # no inline script, only same-origin files


@pytest.mark.parametrize(("code", "direction"), [("ru", "ltr"), ("ar", "rtl"), ("fa", "rtl")])
def test_it_speaks_the_language_of_the_url(client: Client, code: str, direction: str):
    html = page(client.get(f"/{code}/help/"))
    assert f'<html lang="{code}" dir="{direction}">' in html


def test_it_is_linked_from_the_landing_page(client: Client):
    assert 'href="/en/help/"' in page(client.get("/en/"))


def test_it_gives_a_codename_for_a_valid_request(client: Client, world):
    response = client.post(URL, valid_post() | stamp_fields())
    assert response.status_code == 200
    assert_no_cookie(response)
    html = page(response)
    assert "<title>Message sent</title>" in html
    words = re.findall(r"<li>([a-z-]+)</li>", html.split('class="codename"')[1].split("</ol>")[0])
    assert len(words) == 7
    assert "Write these words down now" in html


def test_it_gives_each_language_its_own_advice_on_the_receipt(client: Client, world):
    # The page around the codename is rendered once per language and kept (page_shells).
    english = page(client.post(URL, valid_post() | stamp_fields()))
    french = page(client.post("/fr/help/", valid_post() | stamp_fields()))
    assert "Keep your codename safe" in english
    assert "Keep your codename safe" not in french
    assert 'href="/fr/status/"' in french
    assert 'href="/en/status/"' not in french


def test_it_never_shows_one_persons_words_to_the_next(client: Client):
    # The empty form is kept rendered per language ({% cache %} in request_form.html); a form
    # re-shown with someone's words and errors must never be what the next visitor gets.
    typed = valid_post(situation="Unique words 7c1f typed by someone", consent=None)
    refused = page(client.post(URL, typed))
    assert "Unique words 7c1f" in refused
    for _ in range(2):
        fresh = page(client.get(URL))
        assert "Unique words 7c1f" not in fresh
        assert 'aria-invalid="true"' not in fresh
    first, second = page(client.get(URL)), page(client.get(URL))
    challenge = re.compile(r'name="pow_challenge" value="[^"]*"')
    assert challenge.findall(first) != challenge.findall(second)
    assert challenge.sub("", first) == challenge.sub("", second)
    assert "What is happening, and what help do you need?" in first
    assert "What is happening, and what help do you need?" not in page(client.get("/fr/help/"))


def test_it_accepts_a_request_without_javascript(client: Client, world):
    response = client.post(URL, valid_post())
    assert response.status_code == 200
    assert 'class="codename"' in page(response)


def test_it_spends_the_stamp_of_a_request(client: Client):
    stamp = stamp_fields()
    client.post(URL, valid_post() | stamp)
    assert redeem_stamp(Stamp(stamp["pow_challenge"], stamp["pow_counter"])) is Verdict.REPLAYED


def test_it_keeps_what_was_typed_after_an_error_but_not_the_stamp(client: Client):
    stamp = stamp_fields()
    response = client.post(
        URL, valid_post(consent=None, region="Ingushetia", contact_times="evenings") | stamp
    )
    assert response.status_code == 200
    assert_no_cookie(response)
    html = page(response)
    assert "There is a problem" in html
    assert 'href="#id_consent"' in html
    assert "My family found my messages" in html
    assert 'value="Ingushetia"' in html
    assert 'value="evenings"' in html
    assert 'value="RU" selected' in html
    assert posted_challenge(html) != stamp["pow_challenge"]
    assert 'name="pow_counter" value=""' in html
    # A failed form does not spend the stamp: the person did not get through.
    assert redeem_stamp(Stamp(stamp["pow_challenge"], stamp["pow_counter"])) is Verdict.ACCEPTED


def test_it_escapes_html_typed_into_every_field(client: Client):
    data = valid_post(consent=None) | dict.fromkeys(TEXT_FIELDS, SCRIPT)
    data |= {"country": SCRIPT, "citizenships": [SCRIPT], "languages": [SCRIPT]}
    response = client.post(URL, data)
    assert response.status_code == 200
    html = page(response)
    assert "<script>alert(1)" not in html
    assert "onerror=alert(2)>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= len(TEXT_FIELDS)


def test_it_explains_bytes_that_are_not_utf8(client: Client):
    body = (
        b"situation=caf%E9+%FF%FE&country=RU&citizenships=RU&languages=ru"
        b"&contact_signal=%2B79123456789&may_leave_message=no&consent=on&region=%C3%28"
    )
    response = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert_no_cookie(response)
    html = page(response)
    assert "Some characters here could not be read" in html
    assert 'href="#id_situation"' in html
    assert 'href="#id_region"' in html


def test_it_survives_raw_bytes_that_are_not_utf8(client: Client, world):
    # Django reads such a body as Latin-1 (browsers always percent-encode): no error page.
    body = valid_post_body() + b"&region=\xc3\x28\xff"
    response = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert_no_cookie(response)


def valid_post_body() -> bytes:
    return (
        b"situation=help&country=RU&citizenships=RU&languages=ru"
        b"&contact_signal=%2B79123456789&may_leave_message=no&consent=on"
    )


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\x01\x02",
        b"consent=on&consent=off&country=RU&country=FR",
        b"situation=" + b"a" * 70_000,
        b"companions=99999999999999999999999999&citizenships=&languages=",
        b"%%%%&&&===",
    ],
)
def test_it_never_fails_with_a_server_error_on_garbage(client: Client, body: bytes):
    response = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 400}
    assert_no_cookie(response)
    assert "There is a problem" in page(response) or response.status_code == 400


def test_it_ignores_an_unexpected_file(client: Client, world):
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8 not really a photo")
    response = client.post(URL, valid_post() | {"attachment": upload})
    assert response.status_code == 200
    assert 'class="codename"' in page(response)


def test_it_limits_requests_without_a_stamp_more_strictly(client: Client, settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(
        submit_with_pow=(2, 3600), submit_without_pow=(1, 3600)
    )
    assert client.post(URL, valid_post()).status_code == 200
    refused = client.post(URL, valid_post(region="Dagestan"))
    assert refused.status_code == 429
    assert_no_cookie(refused)
    html = page(refused)
    assert "please wait about" in html
    assert 'value="Dagestan"' in html
    assert client.post(URL, valid_post() | stamp_fields()).status_code == 200
    assert client.post(URL, valid_post() | stamp_fields()).status_code == 200
    assert client.post(URL, valid_post() | stamp_fields()).status_code == 429


def test_it_refuses_other_methods(client: Client):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


def test_it_stays_small_with_its_styles_and_scripts(client: Client):
    html = client.get(URL).content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    assert {b"/static/core/site.css", b"/static/intake/pow.js"} <= set(assets)
    total = len(gzip.compress(html, 9))
    for asset in assets:
        response = client.get(asset.decode())
        assert response.status_code == 200
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        total += len(gzip.compress(body, 9))
    assert total < 30 * 1024, f"{total} bytes gzipped"


def test_its_error_summary_links_to_the_first_box_of_a_group(client: Client):
    html = page(client.post(URL, valid_post(risk_indicators=["nope"], may_leave_message=None)))
    summary = html.split("data-error-summary")[1].split("</ul>")[0]
    for group in ("id_risk_indicators", "id_may_leave_message"):
        assert f'href="#{group}_0"' in summary
        assert f'id="{group}_0"' in html
    assert 'href="#id_consent"' not in summary  # consent was given
    situation = page(client.post(URL, valid_post(situation="")))
    assert 'href="#id_situation"' in situation.split("data-error-summary")[1]


def test_it_limits_requests_without_a_stamp_from_all_addresses_together(settings, world, caplog):
    settings.INTAKE_RATE_LIMITS = rate_limits(
        submit_with_pow=(5, 3600), submit_without_pow=(5, 3600), submit_without_pow_anyone=(2, 3600)
    )
    for number in range(2):
        sent = Client(REMOTE_ADDR=f"2001:db8:{number}::1").post(URL, valid_post())
        assert sent.status_code == 200
    refused = Client(REMOTE_ADDR="2001:db8:99::1").post(URL, valid_post(region="Dagestan"))
    assert refused.status_code == 429
    html = page(refused)
    assert "turn on JavaScript" in html
    assert 'value="Dagestan"' in html
    assert_no_cookie(refused)
    # With proof-of-work, the same address still gets through.
    stamped = Client(REMOTE_ADDR="2001:db8:99::1").post(URL, valid_post() | stamp_fields())
    assert stamped.status_code == 200
    # Operators are told once per window, not once per refusal.
    assert Client(REMOTE_ADDR="2001:db8:98::1").post(URL, valid_post()).status_code == 429
    assert caplog.text.count("used up this app server's budget") == 1
    assert "2001:db8" not in caplog.text


def test_it_limits_requests_without_a_stamp_from_one_network(settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(
        submit_with_pow=(5, 3600),
        submit_without_pow=(5, 3600),
        submit_without_pow_network=(2, 3600),
        submit_without_pow_anyone=(100, 3600),
    )
    # Three /64s of one /48: each within its own budget, the network's is used up.
    for number in range(2):
        sent = Client(REMOTE_ADDR=f"2001:db8:7:{number}::1").post(URL, valid_post())
        assert sent.status_code == 200
    refused = Client(REMOTE_ADDR="2001:db8:7:99::1").post(URL, valid_post(region="Dagestan"))
    assert refused.status_code == 429
    assert "please wait about" in page(refused)
    assert Client(REMOTE_ADDR="2001:db8:8::1").post(URL, valid_post()).status_code == 200


@pytest.mark.parametrize("stamped", [True, False], ids=["with a stamp", "without"])
def test_it_gives_the_form_back_when_the_database_fails(
    client: Client, world, monkeypatch, caplog, stamped
):
    from django.db import OperationalError

    from safehaven.intake.submission import actions

    def failing(*args, **kwargs):
        raise OperationalError("database is locked, near 'Dagestan'")

    monkeypatch.setattr(actions, "do_create_help_request", failing)
    fields = stamp_fields() if stamped else {}
    response = client.post(URL, valid_post(region="Dagestan") | fields)
    assert response.status_code == 503
    html = page(response)
    assert "could not be sent just now" in html
    assert 'value="Dagestan"' in html
    assert_no_cookie(response)
    assert "OperationalError" in caplog.text
    assert "Dagestan" not in caplog.text
    if stamped:  # a stamp is good once, whatever became of its request
        SPENT.clear()
        stamp = Stamp(fields["pow_challenge"], fields["pow_counter"])
        assert redeem_stamp(stamp) is Verdict.REPLAYED
