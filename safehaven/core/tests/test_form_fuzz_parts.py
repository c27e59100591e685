"""The form fuzzer's own parts: it reads a page's post forms as a browser would post them, sends
bytes no text encoder would, and judges answers strictly (a fuzz run that passes must mean
something)."""

from __future__ import annotations

from django.http import QueryDict
from hypothesis import given, settings

from safehaven.core.tests.form_fuzz import Form, FoundForm, as_shown, post_forms
from safehaven.core.tests.form_fuzz_run import Outcome, problem_with
from safehaven.core.tests.form_fuzz_values import PNG_1X1, Submission, Upload, encode, submissions

PAGE = """
<form method="get" action="/en/search/"><input name="q"></form>
<form method="post" action="/en/staff/cases/7/move/" id="move">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <select name="to_state" required><option value="">---</option>
    <option value="verified" selected>Verified</option><option>closed</option></select>
  <input type="radio" name="outcome" value="a"><input type="radio" name="outcome" value="b" checked>
  <input type="checkbox" name="tell" value="yes">
  <textarea name="reason" maxlength="500">Because</textarea>
  <input type="date" name="on" min="2020-01-01">
  <button type="submit" name="move" value="1">Move</button>
</form>
<input form="move" name="outside" value="x">
<form method="post" action="/en/staff/cases/7/verification/">
  <input name="note">
  <button formaction="/en/staff/cases/7/verification/3/approve/" name="approve">Yes</button>
  <button formaction="/en/staff/cases/7/verification/3/refuse/" name="refuse">No</button>
</form>
"""


def form_of(action: str) -> Form:
    (form,) = [form for form in post_forms(PAGE, "/en/staff/cases/7/") if form.action == action]
    return form


def test_it_reads_only_post_forms_with_every_kind_of_field():
    form = form_of("/en/staff/cases/7/move/")
    fields = form.fields
    assert list(fields) == [
        "csrfmiddlewaretoken", "to_state", "outcome", "tell", "reason", "on", "move", "outside",
    ]  # fmt: skip
    assert fields["to_state"].options == ["", "verified", "closed"]
    assert fields["to_state"].required
    assert fields["outcome"].options == ["a", "b"]
    assert fields["reason"].maxlength == 500
    assert fields["on"].minimum == "2020-01-01"
    assert "/en/search/" not in [form.action for form in post_forms(PAGE, "/en/")]


def test_it_fills_a_form_as_the_page_did():
    pairs = as_shown(form_of("/en/staff/cases/7/move/"))
    assert (b"to_state", b"verified") in pairs
    assert (b"outcome", b"b") in pairs
    assert (b"reason", b"Because") in pairs
    assert not [name for name, _value in pairs if name in {b"tell", b"move"}]


def test_it_makes_a_form_of_each_button_that_posts_elsewhere():
    approve = form_of("/en/staff/cases/7/verification/3/approve/")
    assert set(approve.fields) == {"note", "approve"}
    refuse = form_of("/en/staff/cases/7/verification/3/refuse/")
    assert set(refuse.fields) == {"note", "refuse"}
    # No button posts to the form's own action: a browser never posts there.
    assert not [f for f in post_forms(PAGE, "/") if f.action == "/en/staff/cases/7/verification/"]


@settings(max_examples=50, database=None)
@given(submission=submissions(form_of("/en/staff/cases/7/move/"), upload_max_bytes=10))
def test_it_sends_bytes_django_reads_whatever_they_are(submission: Submission):
    body, content_type = encode(submission, multipart=False)
    assert content_type == "application/x-www-form-urlencoded"
    QueryDict(body)  # invalid UTF-8 is replaced, never an exception


def test_it_sends_invalid_utf8_and_a_file_in_a_multipart_body():
    photo = Upload(b"../\x00.png", b"image/png", PNG_1X1)
    submission = Submission([(b"note", b"\xed\xa0\x80")], (b"photo", photo))
    body, content_type = encode(submission, multipart=False)
    assert content_type.startswith("multipart/form-data; boundary=")
    assert b'name="note"\r\n\r\n\xed\xa0\x80\r\n' in body
    assert b'name="photo"; filename="../\x00.png"\r\nContent-Type: image/png' in body
    assert PNG_1X1 in body


FOUND = FoundForm(
    "cases-move-case", "triage", "/en/staff/cases/7/", form_of("/en/staff/cases/7/move/")
)
FORM_AGAIN = b'<h1>Case</h1><form method="post" action="/en/staff/cases/7/move/"></form>'


def outcome(status: int = 200, body: bytes = b"<h1>Done</h1>", **more: object) -> Outcome:
    values: dict[str, object] = {"messages": 0, "location": "", "download": False} | more
    return Outcome(status=status, body=body, **values)  # type: ignore[arg-type]


def test_it_fails_a_server_error_and_a_bare_page():
    assert problem_with(FOUND, outcome(500)) == "a server error (500)"
    assert "without a heading" in (problem_with(FOUND, outcome(404, b"")) or "")
    assert "without a heading" in (problem_with(FOUND, outcome(200, b"<p>ok</p>")) or "")


def test_it_fails_the_form_shown_again_without_saying_why():
    assert problem_with(FOUND, outcome(body=FORM_AGAIN)) == (
        "the form shown again with no error and no message"
    )
    for feedback in (b'<ul class="errorlist">', b'<div class="error-summary" role="alert">'):
        assert problem_with(FOUND, outcome(body=FORM_AGAIN + feedback)) is None


def test_it_fails_a_redirect_that_says_nothing():
    silent = outcome(302, b"", location="/en/staff/cases/7/")
    assert problem_with(FOUND, silent) == "a redirect to /en/staff/cases/7/ with no message"
    told = outcome(302, b"", location="/en/staff/cases/7/", messages=1)
    assert problem_with(FOUND, told) is None
    asked = outcome(302, b"", location="/en/accounts/reauthenticate/?next=/x/")
    assert problem_with(FOUND, asked) is None


def test_it_accepts_a_result_page_and_a_download():
    assert problem_with(FOUND, outcome(body=b"<h1>Your request was withdrawn</h1>")) is None
    assert problem_with(FOUND, outcome(body=b"a,b\n", download=True)) is None
