"""The world the form fuzzer posts into: the demo data set (cases in every state, funds,
grants, partners, reports) with the rows it lacks (``form_fuzz_extras``), each demo user
logged in for real (password, then TOTP, so their keys are unlocked, and just re-authenticated),
a requester with an open status page, one at the "choose your codename" step, a staff member
half logged in and a newcomer without a second factor; and a crawl of the site as each of them
that finds every post form and the page that shows it."""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from safehaven.accounts.demo import demo_password, demo_totp_secret
from safehaven.accounts.models import Membership, Role, User
from safehaven.accounts.tests.logins import LOGIN_URL, SECOND_FACTOR_URL, log_in
from safehaven.cases.demo.steps import _key, _user
from safehaven.core import demo
from safehaven.core.tests.form_fuzz import CSRF_FIELD, Field, Form, FoundForm, as_shown, post_forms
from safehaven.core.tests.form_fuzz_extras import add_missing_states
from safehaven.core.tests.form_fuzz_values import encode_pairs
from safehaven.finance.models import Disbursement
from safehaven.finance.tests.funds_helpers import mark_fresh
from safehaven.intake.status_codes.actions import do_issue_status_code
from safehaven.intake.tests.helpers import open_status, requester_client, submit_request
from safehaven.intake.tests.status_code_helpers import referral_without_codename
from safehaven.keys.actions.users import do_create_user_keys

ANONYMOUS = "anonymous"
REQUESTER = "requester"  # a browser whose status page is open
CHOOSER = "chooser"  # a browser at the "choose your codename" step
HALF_LOGGED_IN = "half_logged_in"  # a staff member who typed their password, not yet the code
NEWCOMER = "newcomer"  # a staff member logged in who has not added a second factor yet
# The demo users the crawl goes round as (admin2 and partner_b see what admin and partner_a
# see), in this order: a form found by several is fuzzed as the first.
STAFF = ["triage", "supervisor", "caseworker", "admin", "finance", "advocacy", "interpreter"]
ROLES = [ANONYMOUS, REQUESTER, CHOOSER, HALF_LOGGED_IN, NEWCOMER, *STAFF, "partner_a"]
START_PAGES = {
    ANONYMOUS: ["/en/", "/en/help/", "/en/status/", "/en/accounts/login/"],
    REQUESTER: ["/en/status/request/"],
    CHOOSER: ["/en/status/choose/"],
    HALF_LOGGED_IN: ["/en/accounts/2fa/authenticate/"],
    NEWCOMER: ["/en/accounts/2fa/totp/activate/"],
}
STAFF_START = [
    "/en/staff/",
    "/en/accounts/2fa/",
    "/en/accounts/password/change/",
    "/en/accounts/reauthenticate/",
    "/en/accounts/2fa/reauthenticate/",
]
# Pages of one URL pattern visited per role: more while they show forms the role has not seen,
# up to a limit; after a few pages with nothing new, the pattern is done. The pages of
# ``form_fuzz_extras`` (a case in each state, and the rows made there) are visited whatever
# the budget.
PAGES_PER_PATTERN = 4
NOTHING_NEW_AFTER = 2
PAGES_PER_ROLE = 250
# Forms shown only in the answer to another form: posted as the page filled them, once.
SHOWN_AFTER_POSTING = ["travel-plan-routes"]
# Long enough that no page asks for the password again while the crawl and the fuzzing run
# (the logins happened once, when the world was built).
FRESH_FOR_SECONDS = 24 * 3600
# Links the crawl does not follow: leaving (a GET that ends the session or the status page),
# downloads (no forms in them), and other languages (the same pages again).
NOT_FOLLOWED = re.compile(r"/(exit|logout|download|static)/|^/(?!en/)")
PAGE_LINK = re.compile(r'href="(/[^"#]*)"')


@dataclass
class FuzzWorld:
    cookies: dict[str, SimpleCookie] = field(default_factory=dict)
    start_pages: dict[str, list[str]] = field(default_factory=dict)
    forms: dict[str, FoundForm] = field(default_factory=dict)
    visits: Counter[str] = field(default_factory=Counter)

    def client(self, role: str) -> Client:
        """A fresh browser holding ``role``'s cookies, from an address of its own (one role's
        refusals must not use up another's per-address limits)."""
        # Django's CSRF check on, as in a browser: each form is posted with its page's token.
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=f"198.51.100.{ROLES.index(role) + 1}")
        for morsel in self.cookies.get(role, SimpleCookie()).values():
            client.cookies[morsel.key] = morsel.value
        return client


def _chooser_client() -> Client:
    """A person referred by a partner (no codename yet) who typed the one-time status code
    triage gave them, and now sees a codename offered."""
    code = do_issue_status_code(
        referral_without_codename(), actor=_user("triage"), private_key=_key("triage")
    )
    client = Client()
    assert open_status(client, code).status_code == 302
    return client


def _half_logged_in_client() -> Client:
    client = Client()
    data = {"login": _user("triage").email, "password": demo_password("triage")}
    assert client.post(LOGIN_URL, data)["Location"] == SECOND_FACTOR_URL
    return client


def _newcomer_client() -> Client:
    user = User.objects.create_user(
        "fuzz_newcomer_2fa", "fuzz2fa@staff.test", demo_password("fuzz_newcomer_2fa")
    )
    triage = Membership.objects.get(user__username="triage", role=Role.TRIAGE)
    Membership.objects.create(user=user, organisation=triage.organisation, role=Role.CASEWORKER)
    do_create_user_keys(user, demo_password(user.username), actor=user)
    client = Client()
    client.post(LOGIN_URL, {"login": user.email, "password": demo_password(user.username)})
    mark_fresh(client, user, "password")
    return without_messages(client, START_PAGES[NEWCOMER][0])


def without_messages(client: Client, page: str) -> Client:
    """The browser once it has shown the messages waiting for it ("Successfully signed in"): a
    message left waiting would show on the first page each post answers, and pass for the
    post's own."""
    client.get(page)
    left = client.cookies.get(CookieStorage.cookie_name)
    assert left is None or not left.value, f"messages still waiting after {page}"
    return client


@override_settings(ACCOUNT_REAUTHENTICATION_TIMEOUT=FRESH_FOR_SECONDS)
def build_fuzz_world(var_dir: Path) -> FuzzWorld:
    world = FuzzWorld()
    with override_settings(VAR_DIR=var_dir):
        demo.load(base_url="http://localhost:8000")
    extra_pages = add_missing_states()
    for username in [*STAFF, "partner_a"]:
        user = _user(username)
        client = log_in(user.email, demo_password(username), demo_totp_secret(user))
        mark_fresh(client, user, "password", "mfa")
        world.cookies[username] = without_messages(client, STAFF_START[0]).cookies
    world.cookies[REQUESTER] = requester_client(submit_request()).cookies
    world.cookies[CHOOSER] = _chooser_client().cookies
    world.cookies[HALF_LOGGED_IN] = _half_logged_in_client().cookies
    world.cookies[NEWCOMER] = _newcomer_client().cookies
    for role in ROLES:
        world.start_pages[role] = START_PAGES.get(role, STAFF_START) + extra_pages.get(role, [])
    crawl(world)
    for found in declared_forms():
        if found.route not in world.forms:
            found.form.fields[CSRF_FIELD].value = token_of(world, found.role)
            world.forms[found.route] = found
    return world


def token_of(world: FuzzWorld, role: str) -> str:
    """A CSRF token of ``role``'s browser, from a form the crawl found for it."""
    for found in world.forms.values():
        if found.role == role and CSRF_FIELD in found.form.fields:
            return found.form.fields[CSRF_FIELD].value
    return ""


def declared_forms() -> list[FoundForm]:
    """The forms no page of the fuzz world shows, with the fields their views read."""
    unconfirmed = Disbursement.objects.filter(confirmed_at__isnull=True).earliest("pk")
    no_key = "nobody in the demo has a security key (adding one needs a browser's ceremony)"
    # route, role, URL arguments, fields (name: input type) besides the CSRF token, why.
    declared: list[tuple[str, str, dict[str, object], dict[str, str], str]] = [
        ("core-quick-exit", ANONYMOUS, {}, {}, "a link, not a form: any method leaves at once"),
        (
            "finance-confirm-disbursement",
            "finance",
            {"disbursement_id": unconfirmed.pk},
            {},
            "the demo's finance officer recorded every payment: only another one sees the button",
        ),
        ("mfa_download_recovery_codes", "triage", {}, {}, "nobody in the demo has recovery codes"),
        ("mfa_edit_webauthn", "triage", {"pk": 999999}, {"name": "text"}, no_key),
        ("mfa_remove_webauthn", "triage", {"pk": 999999}, {}, no_key),
        ("mfa_reauthenticate_webauthn", "triage", {}, {"credential": "hidden"}, no_key),
    ]
    return [
        FoundForm(
            route,
            role,
            "",
            Form(
                reverse(route, kwargs=kwargs),
                "",
                {name: Field(name, kind) for name, kind in fields.items()}
                | {CSRF_FIELD: Field(CSRF_FIELD, "hidden")},
            ),
            why,
        )
        for route, role, kwargs, fields, why in declared
    ]


def route_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def _keep_forms(world: FuzzWorld, role: str, page: str, html: str) -> set[str]:
    routes = set()
    for form in post_forms(html, page):
        route = route_name(form.action)
        if route:
            routes.add(route)
            world.forms.setdefault(route, FoundForm(route, role, page, form))
    return routes


def _crawl_as(world: FuzzWorld, role: str) -> None:
    client = world.client(role)
    starts = world.start_pages[role]
    queue = deque(starts)
    seen: set[str] = set(queue)
    per_pattern: Counter[str] = Counter()
    nothing_new: Counter[str] = Counter()
    routes_seen: set[str] = set()
    while queue and world.visits[role] < PAGES_PER_ROLE:
        page = queue.popleft()
        pattern = route_name(urlsplit(page).path) or page
        done = (
            per_pattern[pattern] >= PAGES_PER_PATTERN or nothing_new[pattern] >= NOTHING_NEW_AFTER
        )
        if done and page not in starts:
            continue
        per_pattern[pattern] += 1
        response = client.get(page)
        world.visits[role] += 1
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        routes = _keep_forms(world, role, page, html)
        nothing_new[pattern] = 0 if routes - routes_seen else nothing_new[pattern] + 1
        routes_seen |= routes
        for link in PAGE_LINK.findall(html):
            target = urljoin(page, link.replace("&amp;", "&"))
            if target not in seen and not NOT_FOLLOWED.search(urlsplit(target).path):
                seen.add(target)
                queue.append(target)
    # The CSRF cookie a page set (a visitor's first form) goes with the token in its forms;
    # the role's other cookies stay as they were (a page may have ended a step).
    if settings.CSRF_COOKIE_NAME in client.cookies:
        cookies = world.cookies.setdefault(role, SimpleCookie())
        cookies[settings.CSRF_COOKIE_NAME] = client.cookies[settings.CSRF_COOKIE_NAME].value


def _post_as_shown(world: FuzzWorld, found: FoundForm) -> None:
    """Post a form as its page filled it, in a savepoint rolled back afterwards, and keep the
    forms of the answer."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]  # intake's durable blocks nest
    with atomic:
        body, content_type = encode_pairs(as_shown(found.form))
        client = world.client(found.role)
        response = client.generic("POST", found.form.action, body, content_type=content_type)
        _keep_forms(world, found.role, found.form.action, response.content.decode())
        transaction.set_rollback(True)


def crawl(world: FuzzWorld) -> None:
    """Follow the site's own links as each role and keep the first page that shows each post
    form. Only GETs, but for the forms in ``SHOWN_AFTER_POSTING``."""
    for role in ROLES:
        _crawl_as(world, role)
    for route in SHOWN_AFTER_POSTING:
        if route in world.forms:
            _post_as_shown(world, world.forms[route])
