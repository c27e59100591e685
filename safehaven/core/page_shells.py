"""Public pages whose only per-person part is one slot: rendered around it once, then kept.

The page (the receipt of a help request) is rendered once per app server, language and path
with a marker in the slot, split there, and the two halves are kept in a bounded dict; each
request then sends ``before + slot + after``. Which requests may get the kept halves (no
cookie, no query string, nothing of the request's own used in the render), and why:
docs/intake.md, "The receipt page".
"""

import secrets

from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# A fresh random marker per process: typed input can never produce it, nor guess it.
_MARKER = f"<!--slot-{secrets.token_hex(16)}-->"


def list_items(texts: list[str]) -> SafeString:
    """``<li>`` items of escaped text, e.g. for a slot."""
    # escape() per item and one join: format_html_join costs more than the page around it.
    return SafeString("".join([f"<li>{escape(text)}</li>" for text in texts]))


def render_with_slot(
    request: HttpRequest,
    template_name: str,
    context: dict[str, object],
    *,
    slot: str,
    slot_html: SafeString,
) -> HttpResponse:
    """Render ``template_name`` with ``context[slot] = slot_html``, from kept halves when the
    request carries no cookie and no query string (docs/intake.md, "The receipt page").

    ``context`` must be the same for everyone who sees the page in a language: it is rendered
    once. ``slot_html`` must be escaped already (``format_html``): it goes in as it is."""
    if request.COOKIES or request.META.get("QUERY_STRING"):
        return render(request, template_name, {**context, slot: slot_html})
    before, after = _halves(request, template_name, context, slot)
    return HttpResponse(before + slot_html + after)


# (template, language, path) -> the page before and after the slot. A plain dict, not the
# fragment cache: that one pickles what it keeps, and unpickling two halves of a page on every
# request cost more than the rest of sending them. Bounded by the site's own public pages and
# languages (no query strings); emptied whole if something ever fills it.
_kept: dict[tuple[str, str, str], tuple[str, str]] = {}
_MAX_KEPT = 500


def forget_kept_pages() -> None:
    """Drop every kept page (tests, after changing templates or settings)."""
    _kept.clear()


def _halves(
    request: HttpRequest, template_name: str, context: dict[str, object], slot: str
) -> tuple[str, str]:
    key = (template_name, get_language() or "", request.path)
    halves = _kept.get(key)
    if halves is None:
        # The marker is a constant HTML comment made here, not input.
        marker = mark_safe(_MARKER)  # noqa: S308
        page = render_to_string(template_name, {**context, slot: marker}, request)
        before, found, after = page.partition(_MARKER)
        if not found or _MARKER in after:
            raise ValueError(f"{template_name} must show {{{{ {slot} }}}} exactly once")
        halves = (before, after)
        if _made_for_this_request(request):
            return halves  # right for this request only: never kept
        if len(_kept) >= _MAX_KEPT:
            _kept.clear()
        _kept[key] = halves
    return halves


def _made_for_this_request(request: HttpRequest) -> bool:
    """Whether the page may hold something of this request's own: a CSP nonce, a CSRF token,
    something in the session or a message queued for it. None does today; a page that starts
    to must not freeze the first visitor's values into everyone's.

    The session is judged by what it holds, not by whether it was read: every request reads it
    (who is signed in?), and without a cookie it is empty, the same for everyone, unless this
    request put something in it."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return bool(
        get_nonce(request)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and not session.is_empty())
        or (messages is not None and len(messages))
    )
