"""Pages rendered once around a per-person slot (core/page_shells.py): the same bytes as a
full render, never another person's slot, and a full render whenever a cookie could make the
page differ."""

import contextlib

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils.translation import override

from safehaven.core import page_shells
from safehaven.core.page_shells import list_items, render_with_slot

pytestmark = pytest.mark.django_db

RECEIPT = "intake/receipt.html"


def words_html(*words: str):
    return list_items(list(words))


def receipt(path: str, *words: str, cookies: dict[str, str] | None = None) -> str:
    request = RequestFactory().post(path)
    request.user = AnonymousUser()
    request.COOKIES.update(cookies or {})
    with override(path.split("/")[1]):
        # As the URL resolver does: the language links are made from the page matched, if any.
        with contextlib.suppress(Resolver404):
            request.resolver_match = resolve(request.path_info)
        response = render_with_slot(
            request,
            RECEIPT,
            {"public_page": True},
            slot="codename_words",
            slot_html=words_html(*words),
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode()


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_it_gives_the_same_page_as_a_full_render(code: str):
    path = f"/{code}/help/"
    kept_first = receipt(path, "apple", "river")
    kept_again = receipt(path, "stone", "cloud", "lamp")
    full = receipt(path, "stone", "cloud", "lamp", cookies={"anything": "1"})
    assert kept_again == full
    assert "<li>apple</li><li>river</li></ol>" in kept_first
    assert "<li>stone</li><li>cloud</li><li>lamp</li></ol>" in kept_again
    assert "apple" not in kept_again
    assert f'<html lang="{code}"' in kept_again


def test_it_keeps_each_language_and_address_apart():
    english = receipt("/en/help/", "apple")
    arabic = receipt("/ar/help/", "apple")
    elsewhere = receipt("/en/", "apple")
    assert 'dir="rtl"' in arabic
    assert 'dir="rtl"' not in english
    assert 'href="/fr/"' in elsewhere
    assert 'href="/fr/"' not in english


@pytest.mark.parametrize(
    ("path", "cookies"),
    [("/en/help/", {"sessionid": "x"}), ("/en/help/?from=partner", {})],
    ids=["cookie", "query string"],
)
def test_it_renders_in_full_for_a_cookie_or_a_query_string(monkeypatch, path, cookies):
    receipt("/en/help/", "apple")  # the halves are kept now

    def no_halves(*args, **kwargs):
        raise AssertionError("this request must not get the kept halves")

    monkeypatch.setattr(page_shells, "_halves", no_halves)
    page = receipt(path, "pear", cookies=cookies)
    assert "<li>pear</li>" in page
    # Public pages keep no query string on their language links (core/base.html).
    assert "from=partner" not in page


def test_it_escapes_each_list_item():
    page = receipt("/en/help/", "<script>alert(1)</script>", "a&b", '"q"')
    assert "<script>alert(1)</script>" not in page
    escaped = "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li><li>a&amp;b</li><li>&quot;q&quot;</li>"
    assert escaped in page


def test_it_refuses_a_template_that_does_not_show_the_slot():
    request = RequestFactory().get("/en/")
    request.user = AnonymousUser()
    with pytest.raises(ValueError, match="exactly once"):
        render_with_slot(
            request, "core/landing.html", {}, slot="missing", slot_html=words_html("apple")
        )


def test_it_keeps_a_bounded_number_of_pages(monkeypatch):
    monkeypatch.setattr(page_shells, "_MAX_KEPT", 3)
    for number in range(7):
        receipt(f"/en/help/{number}/", "apple")
        assert len(page_shells._kept) <= 3
    assert "<li>pear</li>" in receipt("/en/help/6/", "pear")


SHELL_TEMPLATES = {
    "plain.html": "<p>same for all</p><ol>{{ words }}</ol>",
    "nonce.html": '<script nonce="{{ csp_nonce }}"></script><ol>{{ words }}</ol>',
    "csrf.html": "{% csrf_token %}<ol>{{ words }}</ol>",
}


@pytest.mark.parametrize("template", ["nonce.html", "csrf.html"])
def test_it_never_keeps_a_page_made_with_this_requests_own_values(settings, template):
    from django.utils.csp import LazyNonce

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [("django.template.loaders.locmem.Loader", SHELL_TEMPLATES)],
            },
        }
    ]
    pages = []
    for word in ("apple", "pear"):
        request = RequestFactory().post("/en/help/")
        request.user = AnonymousUser()
        request._csp_nonce = LazyNonce()  # type: ignore[attr-defined]  # as the CSP middleware
        response = render_with_slot(
            request, template, {}, slot="words", slot_html=list_items([word])
        )
        pages.append(response.content.decode())
        assert f"<li>{word}</li>" in pages[-1]
    assert pages[0].split("<ol>")[0] != pages[1].split("<ol>")[0]  # each its own nonce/token
    assert page_shells._kept == {}
    request = RequestFactory().post("/en/help/")
    request.user = AnonymousUser()
    request._csp_nonce = LazyNonce()  # type: ignore[attr-defined]
    render_with_slot(request, "plain.html", {}, slot="words", slot_html=list_items(["fig"]))
    assert len(page_shells._kept) == 1


def shell_request(*, session_data: dict[str, str] | None = None, message: str = ""):
    request = RequestFactory().post("/en/help/")
    request.user = AnonymousUser()
    request.session = SessionStore()  # as the session middleware
    assert request.session.get("anything") is None  # read, as every request's middleware does
    request.session.update(session_data or {})
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    if message:
        messages.info(request, message)
    return request


def test_it_keeps_a_page_whose_session_was_read_but_holds_nothing():
    request = shell_request()
    render_with_slot(request, RECEIPT, {}, slot="codename_words", slot_html=words_html("a"))
    assert len(page_shells._kept) == 1


@pytest.mark.parametrize(
    "made_for_one",
    [{"session_data": {"requester": "1"}}, {"message": "Your message was sent."}],
    ids=["session holds something", "message queued"],
)
def test_it_never_keeps_a_page_made_with_this_requests_session_or_messages(made_for_one):
    request = shell_request(**made_for_one)
    render_with_slot(request, RECEIPT, {}, slot="codename_words", slot_html=words_html("a"))
    assert page_shells._kept == {}
