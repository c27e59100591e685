"""No receipt is lost when the app server dies: every codename a person was shown opens their
request after the server was killed with SIGKILL and started again (issue 23).

1,000 help requests go from 4 client processes to gunicorn (2 workers), each with a
proof-of-work stamp of its own (minted by the client: ``live_servers.mint_stamp``). Once about
a third of the receipts are back, the whole server (master and workers) is killed with SIGKILL
while requests are in flight, and started again on the same port. A request that got no whole
answer (cut off by the kill, or refused while the server was down) is sent again with a new
stamp, as a person presses "Send" again; only receipts that reached a client count. Then each
client types every codename it was shown into the status page's form over HTTP, as a person
does, and must be sent on to the request's status page; for the receipts that came back last
before the kill (the ones a crash would lose first), it opens that page too.

On the database the test run uses: a copy of it (``core/tests/live_servers.py``), SQLite in
WAL mode with the production pragmas, or a fresh database on the PostgreSQL server.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event

import pytest
import requests

from bench.load_generator import describe
from safehaven.core.tests.live_servers import (
    SQLITE_FILE,
    LiveServer,
    LiveSite,
    enter_codename,
    live_site,
    mint_stamp,
    open_status_page,
    post_help_request,
    receipt_codename,
    run_database_vendor,
)

# django_db: for the test database, which the site copies (crash_site).
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

REQUESTS = 1000
CLIENTS = 4
KILL_AFTER_RECEIPTS = REQUESTS // 3
# Per client, the receipts last received before the kill whose status page is opened too.
PAGES_OPENED = 10
# However slow the machine, the run ends: a request not received by then counts as lost.
RUN_TIMEOUT_S = 600
SQLITE_WAL_HEADER = b"\x02\x02"  # bytes 18-19 of the database header: WAL read and write


@dataclass
class ClientReport:
    codenames: dict[int, str] = field(default_factory=dict)
    received_at: dict[int, float] = field(default_factory=dict)  # index -> time.monotonic()
    cut_off: int = 0  # posts sent that got no whole answer: in flight at the kill
    refused: int = 0  # connections refused: the server was down
    other_answers: list[str] = field(default_factory=list)  # HTTP answers that were no receipt
    not_opened: dict[int, str] = field(default_factory=dict)  # request index -> what happened
    crash: str = ""


def send_until_received(
    site: LiveSite, port: int, index: int, report: ClientReport, deadline: float
) -> None:
    while time.monotonic() < deadline:
        try:
            response = post_help_request(port, index, mint_stamp(site))
        except ConnectionRefusedError:
            report.refused += 1
            time.sleep(0.05)
            continue
        except OSError:
            report.cut_off += 1
            continue
        if response.status == 0:
            report.cut_off += 1
            continue
        codename = receipt_codename(response)
        if codename is None:
            # An answer, but no receipt: the person was told something else; not received.
            report.other_answers.append(describe(response.status, response.body))
            return
        report.codenames[index] = codename
        report.received_at[index] = time.monotonic()
        return


def check_codenames(port: int, report: ClientReport, killed_at: float) -> None:
    origin = f"http://127.0.0.1:{port}"
    before_kill = [index for index, at in report.received_at.items() if at < killed_at]
    last_before_kill = set(sorted(before_kill, key=report.received_at.__getitem__)[-PAGES_OPENED:])
    browser = requests.Session()
    for index, codename in report.codenames.items():
        browser.cookies.clear()
        if index in last_before_kill:
            problem = open_status_page(origin, codename, browser)
        else:
            problem = enter_codename(origin, codename, browser)
        if problem:
            report.not_opened[index] = problem


@dataclass
class Progress:
    """What the test and its client processes share (forked: nothing is pickled)."""

    receipts: Synchronized[int]
    done_sending: Synchronized[int]  # clients that have sent all their requests
    killed_at: Synchronized[float]  # time.monotonic() of the kill
    restarted: Event
    reports: Queue[ClientReport]


def run_client(site: LiveSite, port: int, indices: range, progress: Progress) -> None:
    """One client process: send its share of the requests, then, once the server is back,
    check every codename it received."""
    report = ClientReport()
    try:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        for index in indices:
            send_until_received(site, port, index, report, deadline)
            if index in report.codenames:
                with progress.receipts.get_lock():
                    progress.receipts.value += 1
        with progress.done_sending.get_lock():
            progress.done_sending.value += 1
        progress.restarted.wait(RUN_TIMEOUT_S)
        check_codenames(port, report, progress.killed_at.value)
    except BaseException:
        report.crash = traceback.format_exc()
    progress.reports.put(report)


def wait_for_receipts(progress: Progress, count: int) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while progress.receipts.value < count:
        assert time.monotonic() < deadline, f"only {progress.receipts.value} receipts came back"
        assert progress.done_sending.value < CLIENTS, (
            f"every request was sent, and only {progress.receipts.value} receipts came back"
        )
        time.sleep(0.01)


@dataclass
class Run:
    reports: list[ClientReport]
    receipts_at_kill: int


def send_and_kill(site: LiveSite, server: LiveServer) -> Run:
    """Start the clients, kill the server with SIGKILL once a third of the receipts are back,
    start it again, and collect what each client received and checked."""
    context = multiprocessing.get_context("fork")
    progress = Progress(
        receipts=context.Value("i", 0),
        done_sending=context.Value("i", 0),
        killed_at=context.Value("d", 0.0),
        restarted=context.Event(),
        reports=context.Queue(),
    )
    clients = [
        context.Process(
            target=run_client, args=(site, server.port, range(n, REQUESTS, CLIENTS), progress)
        )
        for n in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    try:
        wait_for_receipts(progress, KILL_AFTER_RECEIPTS)
        progress.killed_at.value = time.monotonic()
        server.kill()
        receipts_at_kill = progress.receipts.value
        server.start()
        progress.restarted.set()
        reports = [progress.reports.get(timeout=RUN_TIMEOUT_S) for _client in clients]
        return Run(reports, receipts_at_kill)
    except BaseException:
        print(site.logs())  # noqa: T201 (shown by pytest with the failure)
        raise
    finally:
        for client in clients:
            client.join(timeout=10)
            if client.is_alive():
                client.kill()


@pytest.fixture(
    scope="module", params=[pytest.param("sqlite", marks=pytest.mark.sqlite_only), "postgresql"]
)
def crash_site(request, tmp_path_factory, django_db_setup, django_db_blocker):
    """A site on a copy of the run's database, when that database is the parameter's.
    Module-scoped, so that the copy is made before the test's transaction begins."""
    if run_database_vendor() != request.param:
        pytest.skip(
            f"this run's database is {run_database_vendor()}, not {request.param}: the site is "
            f"a copy of it (run with SAFEHAVEN_DATABASE_URL set to a {request.param} database)"
        )
    with live_site(tmp_path_factory.mktemp(f"crash-{request.param}"), django_db_blocker) as site:
        yield site


def test_it_opens_every_request_whose_codename_was_shown_across_a_sigkill(crash_site):
    server = crash_site.server("a")
    server.start()
    run = send_and_kill(crash_site, server)

    crashes = [report.crash for report in run.reports if report.crash]
    assert not crashes, crashes[0]
    codenames = {index: name for report in run.reports for index, name in report.codenames.items()}
    not_opened = {index: why for report in run.reports for index, why in report.not_opened.items()}
    other_answers = [answer for report in run.reports for answer in report.other_answers]
    assert len(codenames) >= 0.9 * REQUESTS, (
        f"only {len(codenames)} of {REQUESTS} receipts; other answers: {other_answers[:3]}"
    )
    assert 0 < run.receipts_at_kill < len(codenames), "the kill did not happen in the middle"
    cut_off = sum(report.cut_off for report in run.reports)
    assert cut_off >= 1, "no request was in flight when the server was killed"
    assert len(set(codenames.values())) == len(codenames), "two receipts showed one codename"
    assert not not_opened, (
        f"{len(not_opened)} of {len(codenames)} codenames shown did not open their request, "
        f"e.g. {sorted(not_opened.items())[:5]}"
    )
    # The words of a codename shown, in the opposite order: the form takes them, they open
    # nothing (so the check above can fail).
    reversed_words = " ".join(reversed(next(iter(codenames.values())).split()))
    assert open_status_page(server.origin, reversed_words) != ""
    if run_database_vendor() == "sqlite":
        header = (crash_site.directory / SQLITE_FILE).read_bytes()[:100]
        assert header[18:20] == SQLITE_WAL_HEADER, "the database was not in WAL mode"
