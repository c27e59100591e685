"""The staff menu: each role's pages, none that would be refused, the same under duress."""

import re

import pytest
from django.test import Client

from safehaven.accounts.seed import SEEDED_USERNAMES, current_totp
from safehaven.keys.actions.duress import do_set_duress_password

pytestmark = pytest.mark.django_db
DURESS = "a different coerced phrase 9"

EXPECTED = {
    "triage": {"Requests", "Cases", "My cases", "New case from a call", "Countries", "Reports"},
    "supervisor": {"Requests", "Cases", "My cases", "New case from a call", "Countries", "Reports"},
    "caseworker": {"Shared with you", "Cases", "My cases", "Countries"},
    "partner_a": {"Referrals", "API tokens"},
    "admin": {
        "Staff",
        "Organisations",
        "Partners",
        "Approvals",
        "Crises",
        "Audit log",
        "Reports",
        "Goals and past totals",
        "Retention",
    },
    "finance": {"Funds"},
}
EVERYONE = {"Home", "Security"}


def menu_links(html: str) -> dict[str, str]:
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    return {label: href for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_it_shows_each_role_its_pages(world, username):
    client = Client()
    client.force_login(world.users[username])
    links = menu_links(client.get("/en/staff/").content.decode())
    assert set(links) == EVERYONE | EXPECTED[username]


@pytest.mark.parametrize("username", SEEDED_USERNAMES)
def test_it_never_links_to_a_page_the_role_is_refused(world, username):
    client = Client()
    client.force_login(world.users[username])
    for label, href in menu_links(client.get("/en/staff/").content.decode()).items():
        assert client.get(href).status_code == 200, (username, label, href)


def test_it_marks_the_current_page(world):
    client = Client()
    client.force_login(world.users["triage"])
    html = client.get("/en/staff/requests/").content.decode()
    assert '<a href="/en/staff/requests/" aria-current="page">Requests</a>' in html


def test_it_shows_the_same_menu_under_duress(world):
    triage = world.users["triage"]
    do_set_duress_password(triage, DURESS, actor=triage)
    client = Client()
    client.post("/en/accounts/login/", {"login": triage.email, "password": DURESS})
    code = current_totp(world.totp_secrets["triage"])
    client.post("/en/accounts/2fa/authenticate/", {"code": code})
    links = menu_links(client.get("/en/staff/").content.decode())
    assert set(links) == EVERYONE | EXPECTED["triage"]
    # The decoy inbox behind the link answers like the real one.
    assert client.get(links["Requests"]).status_code == 200
