"""Two app servers on one PostgreSQL database hold no state of their own (issue 23).

Servers A and B (gunicorn, 2 workers each, ``live_servers.py``) share a fresh database and the
secrets, each with a directory of its own, as two hosts behind a load balancer without sticky
sessions. A help request made on one opens by its codename on the other; a staff member types
the password on A and the second factor on B, and then works through either with the one
session: the request's sealed text opens on B with the key unlocked at login, a status change
and an answer made on B show on A, and after logging out on B the session's cookies open
nothing on A. (Counted per process, by design, are the requester and partner rate limits: the
README's "Scale-out".)
"""

import re
import time

import pytest
import requests

from safehaven.accounts.seed import current_totp
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.tests.live_servers import (
    SHOW_STATUS_PATH,
    STATUS_PAGE_MARKER,
    LiveServer,
    LiveSite,
    enter_codename,
    form_stamp,
    live_site,
    open_status_page,
    post_help_request,
    receipt_codename,
    run_database_vendor,
    same_origin_headers,
    staff_email,
)

# django_db: for the test database, which the site copies (two_servers).
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

LOGIN_PATH = "/en/accounts/login/"
SECOND_FACTOR_PATH = "/en/accounts/2fa/authenticate/"
LOGOUT_PATH = "/en/accounts/logout/"
TRIAGE_LIST_PATH = "/en/staff/requests/"
# request_form(index) writes "(#<index>)" into the situation: it tells the requests apart.
MADE_ON = {"a": 7001, "b": 7002}
ANSWER = "We read your message and will write again within three days."
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_REQUEST_LINK = re.compile(r'href="/en/staff/requests/(\d+)/"')


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, django_db_setup, django_db_blocker):
    if run_database_vendor() != "postgresql":
        pytest.skip(
            "this run's database is SQLite, which serves one app server: two app servers need "
            "PostgreSQL (run with SAFEHAVEN_DATABASE_URL=postgres://…, as CI's PostgreSQL run does)"
        )
    with live_site(tmp_path_factory.mktemp("two-servers"), django_db_blocker) as site:
        servers = {"a": site.server("a"), "b": site.server("b")}
        for server in servers.values():
            server.launch()
        try:
            for server in servers.values():
                server.wait_until_ready()
        except BaseException:
            print(site.logs())  # noqa: T201 (shown by pytest with the failure)
            raise
        yield site, servers


@pytest.fixture(scope="module")
def codenames(two_servers) -> dict[str, str]:
    """Server name -> the codename of a help request made on that server, as a browser does."""
    _site, servers = two_servers
    made = {}
    for name, server in servers.items():
        response = post_help_request(server.port, MADE_ON[name], form_stamp(server.port))
        codename = receipt_codename(response)
        assert codename, f"no receipt from server {name}: HTTP {response.status}"
        made[name] = codename
    return made


def csrf_token(page: requests.Response) -> str:
    found = _CSRF.search(page.text)
    assert found, f"no CSRF token on {page.url} (HTTP {page.status_code})"
    return found.group(1)


def post_form(
    browser: requests.Session, server: LiveServer, path: str, token: str, data: dict[str, str]
) -> requests.Response:
    """A staff form posted from the site's own page: its CSRF token and the same origin."""
    return browser.post(
        server.origin + path,
        data={"csrfmiddlewaretoken": token, **data},
        headers=same_origin_headers(server.origin),
        allow_redirects=False,
        timeout=60,
    )


def log_in(browser: requests.Session, site: LiveSite, username: str, a: LiveServer, b: LiveServer):
    """The password on A, the second factor on B (a load balancer may split them so)."""
    token = csrf_token(browser.get(a.origin + LOGIN_PATH, timeout=60))
    form = {"login": staff_email(username), "password": TEST_PASSWORD}
    answer = post_form(browser, a, LOGIN_PATH, token, form)
    assert answer.status_code == 302, answer.text[:2000]
    assert answer.headers["Location"] == SECOND_FACTOR_PATH
    for _attempt in range(2):
        # A code made just before the 30-second period turns is stale when it arrives.
        code = current_totp(site.totp_secrets[username])
        answer = post_form(browser, b, SECOND_FACTOR_PATH, token, {"code": code})
        if answer.status_code == 302:
            return
        time.sleep(1)
    raise AssertionError(f"the second factor was refused on B: {answer.text[:2000]}")


def test_it_opens_a_request_by_its_codename_on_the_other_server(two_servers, codenames):
    _site, servers = two_servers
    a, b = servers["a"], servers["b"]
    person = requests.Session()
    assert enter_codename(b.origin, codenames["a"], person) == ""
    # The status session started on B carries on on A.
    page = person.get(a.origin + SHOW_STATUS_PATH, allow_redirects=False, timeout=60)
    assert page.status_code == 200
    assert STATUS_PAGE_MARKER in page.content
    assert open_status_page(a.origin, codenames["b"]) == ""


def test_it_lets_staff_work_through_either_server_with_one_session(two_servers, codenames):
    site, servers = two_servers
    a, b = servers["a"], servers["b"]
    browser = requests.Session()
    log_in(browser, site, "triage", a, b)

    listing = browser.get(b.origin + TRIAGE_LIST_PATH, allow_redirects=False, timeout=60)
    assert listing.status_code == 200
    listed = set(_REQUEST_LINK.findall(listing.text))
    assert len(listed) >= len(codenames), listing.text[:2000]
    # Each request's situation is sealed: it shows only with the key unlocked at login on A.
    pages = {
        request_id: browser.get(f"{b.origin}{TRIAGE_LIST_PATH}{request_id}/", timeout=60)
        for request_id in listed
    }
    made_on_a = [
        request_id for request_id, page in pages.items() if f"(#{MADE_ON['a']})" in page.text
    ]
    assert made_on_a, "the request made on A did not open on B with the key unlocked on A"
    request_path = f"{TRIAGE_LIST_PATH}{made_on_a[0]}/"

    token = csrf_token(pages[made_on_a[0]])
    changed = post_form(browser, b, request_path + "status/", token, {"status": "will_contact"})
    assert changed.status_code == 302, changed.text[:2000]
    answered = post_form(browser, b, request_path + "reply/", token, {"body": ANSWER})
    assert answered.status_code == 302, answered.text[:2000]
    on_a = browser.get(a.origin + request_path, allow_redirects=False, timeout=60)
    assert on_a.status_code == 200
    assert '<dd id="request-status">We will contact the person</dd>' in on_a.text
    person = requests.Session()
    assert enter_codename(a.origin, codenames["a"], person) == ""
    assert ANSWER in person.get(a.origin + SHOW_STATUS_PATH, timeout=60).text

    held = requests.Session()  # the same cookies, as someone who copied them would hold
    held.cookies.update(browser.cookies)
    assert held.get(a.origin + TRIAGE_LIST_PATH, allow_redirects=False).status_code == 200
    logged_out = post_form(browser, b, LOGOUT_PATH, csrf_token(on_a), {})
    assert logged_out.status_code == 302, logged_out.text[:2000]
    refused = held.get(a.origin + TRIAGE_LIST_PATH, allow_redirects=False, timeout=60)
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith(LOGIN_PATH)
