"""Real app servers for tests: gunicorn serving safehaven on free ports, started, stopped or
killed with SIGKILL, on a database of their own, and what a person's browser does with them.

A *site* (:func:`live_site`) is one database and the secrets its servers share; each of its
servers (:class:`LiveServer`) has a directory of its own for ``SAFEHAVEN_VAR_DIR`` (anchor file,
shred list) with a copy of those secrets, as separate hosts would. The servers run in test
mode (cheap key derivation, 4-bit proof-of-work) with ``live_server_settings`` (requester rate
limits raised: every client is 127.0.0.1).

The database is a copy of the test run's own (pytest-django's, migrated already): SQLite
through the online backup API, PostgreSQL as ``CREATE DATABASE … TEMPLATE`` on the server of
``SAFEHAVEN_DATABASE_URL`` (dropped afterwards), so no test pays for the migrations again (about
15 s of CPU). The copy is then emptied (``flush``, the cache table too), given the country
facts back and seeded with ``seed_world``: one user per role with a TOTP secret, their key
pairs, the escrow and a key per team, which is all intake and staff logins need. Not
``load_demo``: it runs only in demo mode, with production Argon2 and a whole demo data set.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests

from bench.intake import free_port, get, stop_gunicorn, tail
from bench.load_generator import Response, exchange, parse_response, request_bytes, request_form

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_MODULE = "safehaven.core.tests.live_server_settings"
STAFF_EMAIL_DOMAIN = "staff.test"
SQLITE_FILE = "site.sqlite3"  # in the site's directory
POW_BITS = 4  # test mode's proof-of-work difficulty, set explicitly so that minting agrees
START_TIMEOUT_S = 90.0
FORM_PATH = "/en/help/"
STATUS_PATH = "/en/status/"
SHOW_STATUS_PATH = "/en/status/request/"
# The receipt lists the codename's words; the status page has a form to write to us.
RECEIPT_MARKER = b'class="codename"'
STATUS_PAGE_MARKER = b'id="message-form"'
STATUS_COOKIE = "sh_status"  # over plain HTTP (intake/status_page/session.py)
_CHALLENGE = re.compile(rb'name="pow_challenge" value="([^"]*)"')
_BITS = re.compile(rb'data-pow-bits="(\d+)"')
_CODENAME = re.compile(rb'class="codename"[^>]*>(.*?)</ol>', re.DOTALL)
_WORD = re.compile(rb"<li>([a-z-]+)</li>")


class ServerFailed(AssertionError):
    """An app server did not start, or a step of setting its site up failed."""


@dataclass
class LiveServer:
    """One gunicorn (a master and its sync workers) in a process group of its own."""

    name: str
    port: int
    environment: dict[str, str]
    var_dir: Path
    workers: int = 2
    process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.var_dir / "gunicorn.log"

    def start(self) -> None:
        self.launch()
        self.wait_until_ready()

    def launch(self) -> None:
        command = [
            *(sys.executable, "-m", "gunicorn", "safehaven.wsgi"),
            *("--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}"),
            # Not the default ~/.gunicorn/gunicorn.ctl, which another gunicorn may be using.
            *("--chdir", str(ROOT), "--no-control-socket"),
        ]
        with self.log_path.open("ab") as log:
            # A session of its own: its process group holds the master and every worker.
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.environment,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )

    def wait_until_ready(self) -> None:
        """Until the request form answers 200 (both workers have loaded the app by then, or
        will have within moments: gunicorn forks them before the first answer)."""
        assert self.process is not None, f"server {self.name} was never launched"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"server {self.name} exited ({self.process.returncode})")
            try:
                status, _page = get(self.port, FORM_PATH)
            except OSError:
                time.sleep(0.1)
                continue
            if status != 200:
                raise ServerFailed(f"server {self.name}: GET {FORM_PATH} answered {status}")
            return
        raise ServerFailed(f"server {self.name} did not answer within {START_TIMEOUT_S:.0f} s")

    def stop(self) -> None:
        """Graceful: SIGTERM to the group, SIGKILL after 15 s."""
        if self.process is not None:
            stop_gunicorn(self.process)

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once (no graceful shutdown, nothing
        flushed), then wait until none of them is left."""
        assert self.process is not None, f"server {self.name} was never launched"
        group = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10
        while _live_members(group):
            if time.monotonic() > deadline:
                raise ServerFailed(f"server {self.name}: {_live_members(group)} survived SIGKILL")
            time.sleep(0.02)

    def log_tail(self) -> str:
        return f"--- gunicorn log of server {self.name} (tail):\n{tail(self.log_path)}"


def _live_members(group: int) -> list[int]:
    """Processes of the group that are not zombies (the workers, reparented once the master
    died, are reaped by whoever adopted them)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name (field 2) may hold spaces: split after its closing parenthesis.
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@dataclass
class LiveSite:
    """A database, the secrets of its servers, the seeded staff and the servers started."""

    directory: Path
    database_url: str
    # Given to the servers, so that a test can mint proof-of-work stamps (mint_stamp).
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    totp_secrets: dict[str, str] = field(default_factory=dict)
    servers: list[LiveServer] = field(default_factory=list)

    @property
    def secrets_dir(self) -> Path:
        """Where ``prepare`` makes the secrets (in ``secrets/``) that each server copies."""
        return self.directory / "var"

    def environment(self, var_dir: Path) -> dict[str, str]:
        # The test run's own settings (its database above all) must not reach the servers.
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("SAFEHAVEN_", "DJANGO_"))
        }
        environment.update(
            {
                "SAFEHAVEN_MODE": "test",
                "SAFEHAVEN_VAR_DIR": str(var_dir),
                "SAFEHAVEN_DATABASE_URL": self.database_url,
                "SAFEHAVEN_SECRET_KEY": self.secret_key,
                "SAFEHAVEN_INTAKE_POW_BITS": str(POW_BITS),
                "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
                ),
            }
        )
        return environment

    def prepare(self) -> None:
        """Empty the copied database and seed it (in a process with the servers' settings,
        which also makes the secrets they will share)."""
        self.secrets_dir.mkdir(mode=0o700)
        command = [sys.executable, "-m", "safehaven.core.tests.live_servers", "prepare"]
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=self.environment(self.secrets_dir),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise ServerFailed(f"preparing the site's database failed:\n{done.stderr[-4000:]}")
        self.totp_secrets = json.loads(done.stdout.strip().splitlines()[-1])

    def server(self, name: str, *, workers: int = 2) -> LiveServer:
        """A server of this site, not started yet, with its own directory and the secrets."""
        var_dir = self.directory / f"server-{name}"
        shutil.copytree(self.secrets_dir / "secrets", var_dir / "secrets")
        server = LiveServer(name, free_port(), self.environment(var_dir), var_dir, workers)
        self.servers.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()

    def logs(self) -> str:
        return "\n".join(server.log_tail() for server in self.servers)


def staff_email(username: str) -> str:
    return f"{username}@{STAFF_EMAIL_DOMAIN}"


@contextlib.contextmanager
def live_site(directory: Path, django_db_blocker: Any) -> Iterator[LiveSite]:
    """A prepared site on a copy of the test run's database (SQLite or PostgreSQL, whichever
    the run uses); its servers are stopped and the copy deleted at the end. Call it from a
    module-scoped fixture that asks for ``django_db_setup`` (the test database, set up only
    when a test of the run is marked ``django_db``: mark the module's tests), so that it runs
    before any test's transaction; ``django_db_blocker`` is pytest-django's."""
    from django.db import connection
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
    if name != connection.settings_dict["TEST"]["NAME"] and not name.startswith(
        TEST_DATABASE_PREFIX
    ):
        # Never copy the database of the settings: it may be someone's real one.
        raise ServerFailed(
            f"the test run has not set up its test database ({name} is not one): mark the "
            "tests pytest.mark.django_db"
        )
    copy = _sqlite_copy if connection.vendor == "sqlite" else _postgresql_copy
    with copy(directory, django_db_blocker) as database_url:
        site = LiveSite(directory, database_url)
        try:
            site.prepare()
            yield site
        finally:
            site.stop_all()


def run_database_vendor() -> str:
    """The database the test run (and so a site) uses: "sqlite" or "postgresql"."""
    from django.db import connection

    return str(connection.vendor)


@contextlib.contextmanager
def _sqlite_copy(directory: Path, django_db_blocker: Any) -> Iterator[str]:
    from django.db import connection

    path = directory / SQLITE_FILE
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # a consistent copy, whatever is open
        finally:
            target.close()
    yield f"sqlite:///{path}"


@contextlib.contextmanager
def _postgresql_copy(directory: Path, django_db_blocker: Any) -> Iterator[str]:
    import psycopg
    from django.db import connection, connections
    from psycopg import sql

    name = f"safehaven_live_{os.getpid()}_{secrets.token_hex(4)}"
    with django_db_blocker.unblock():
        settings = connection.settings_dict
        template = settings["NAME"]
        # CREATE DATABASE … TEMPLATE refuses a template that anyone is connected to.
        connections.close_all()
    given = {key: settings[key.upper()] for key in ("host", "port", "user", "password")}
    parameters = {key: value for key, value in given.items() if value} | settings["OPTIONS"]
    with psycopg.connect(dbname="postgres", autocommit=True, **parameters) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    try:
        parts = urlsplit(os.environ["SAFEHAVEN_DATABASE_URL"])
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **parameters) as admin:
            # FORCE: a killed server's connections may not have ended yet.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _prepare_database() -> None:
    """Run by :meth:`LiveSite.prepare` in a process of its own, with the servers' settings."""
    import io

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from safehaven.accounts.seed import SEEDED_USERNAMES, seed_world
    from safehaven.accounts.tests.helpers import TEST_PASSWORD

    quiet = io.StringIO()
    # The copy holds whatever the test run left: nothing after a rolled-back test, empty
    # tables after a transactional one (country facts included), cache rows either way.
    call_command("flush", interactive=False, verbosity=0, stdout=quiet)
    call_command("createcachetable", verbosity=0, stdout=quiet)
    cache.clear()
    call_command("load_country_facts", verbosity=0, stdout=quiet)
    world = seed_world(
        password_for=dict.fromkeys(SEEDED_USERNAMES, TEST_PASSWORD),
        email_domain=STAFF_EMAIL_DOMAIN,
    )
    print(json.dumps(world.totp_secrets))  # noqa: T201 (read by LiveSite.prepare)


# --- what a person's browser does ----------------------------------------------------------


def form_stamp(port: int) -> tuple[str, int]:
    """A proof-of-work stamp for one help request, from a fresh form page, solved at the
    difficulty the page asks for (what a browser does)."""
    from safehaven.core.public_forms.proof_of_work import solve

    status, page = get(port, FORM_PATH)
    challenge, bits = _CHALLENGE.search(page), _BITS.search(page)
    if status != 200 or challenge is None or bits is None:
        raise OSError(f"no proof-of-work challenge in the form page (HTTP {status})")
    value = html.unescape(challenge.group(1).decode())
    return value, solve(value, int(bits.group(1)))


def mint_stamp(site: LiveSite) -> tuple[str, int]:
    """A stamp as good as ``form_stamp``'s, without asking a server: the challenge is signed
    here with the site's secret key (for load, where fetching a form per request would cost
    the servers a quarter of their time)."""
    from django.test import override_settings

    from safehaven.core.public_forms.proof_of_work import issue_challenge, solve

    with override_settings(SECRET_KEY=site.secret_key):
        challenge = issue_challenge(POW_BITS)
    return challenge, solve(challenge, POW_BITS)


def post_help_request(port: int, index: int, stamp: tuple[str, int]) -> Response:
    """Send help request number ``index`` (a valid request, its contact details its own) with
    ``stamp`` (:func:`form_stamp`); status 0 for a response not received whole."""
    challenge, counter = stamp
    fields = [*request_form(index), ("pow_challenge", challenge), ("pow_counter", str(counter))]
    request = request_bytes(port, FORM_PATH, urlencode(fields).encode())
    return parse_response(exchange(port, request))


def receipt_codename(response: Response) -> str | None:
    """The codename a receipt page shows, or None when the response is no receipt."""
    if response.status != 200 or RECEIPT_MARKER not in response.body:
        return None
    listing = _CODENAME.search(response.body)
    words = _WORD.findall(listing.group(1)) if listing else []
    return b" ".join(words).decode() if words else None


def same_origin_headers(origin: str) -> dict[str, str]:
    """What a browser sends with a form posted from the site's own page."""
    return {"Origin": origin, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}


def enter_codename(origin: str, codename: str, browser: requests.Session) -> str:
    """Type the codename into the status page's form, as a person does; "" when the server
    sends them on to their status page with its cookie, otherwise what happened instead."""
    answer = browser.post(
        origin + STATUS_PATH,
        data={"codename": codename, "phrase": ""},
        headers=same_origin_headers(origin),
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302 or answer.headers.get("Location") != SHOW_STATUS_PATH:
        return f"the codename form answered {answer.status_code}, not a redirect to the page"
    if STATUS_COOKIE not in answer.cookies:
        return "the codename form sent no status page cookie"
    return ""


def open_status_page(origin: str, codename: str, browser: requests.Session | None = None) -> str:
    """``enter_codename``, then the status page it leads to; "" when that page shows."""
    browser = browser or requests.Session()
    problem = enter_codename(origin, codename, browser)
    if problem:
        return problem
    page = browser.get(origin + SHOW_STATUS_PATH, allow_redirects=False, timeout=60)
    if page.status_code != 200 or STATUS_PAGE_MARKER not in page.content:
        return f"the status page answered {page.status_code} without the request on it"
    return ""


if __name__ == "__main__" and sys.argv[1:] == ["prepare"]:
    _prepare_database()
