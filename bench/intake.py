"""Load benchmark of public intake: help requests per second under gunicorn on SQLite.

Run from the repository root: ``.venv/bin/python bench/intake.py``. Prints these lines on
stdout (progress and details go to stderr):

- ``BENCH intake_per_s <n>``: help requests received per second (HTTP 200 with a receipt);
- ``BENCH floor_per_s <n>``: requests per second of a bare view that commits one row (the
  floor: same server, middleware and database, nothing else; see ``bench/bench_urls.py``);
- ``BENCH intake_vs_floor <ratio>``: the first divided by the second;
- ``BENCH intake_p99_ms <n>``: 99th percentile latency of a received help request, as seen by
  the load generator;
- ``BENCH intake_page_bytes <n>``: the form page plus the CSS and JavaScript it loads from this
  site, each gzip-compressed (level 9, as whitenoise precompresses static files);
- ``BENCH form_wire_bytes_<language> <plain> <gzip>``: for each language, the bytes the server
  actually sends for the form page (status line, headers and body), to a browser that does not
  accept gzip and to one that does (the app compresses this page itself: core/compression.py).

``--sizes-only`` prints the last two kinds and skips the load (no minting, seconds not minutes).

On stderr, for each timed run, it also says how much CPU time the server (gunicorn and its
workers, from ``/proc``) and the load generator used per request, and how much of the CPUs was
left idle: a run that leaves much idle is bound by waiting (locks, flushes), not by work.

How: everything lives in a temporary directory (database, generated demo secrets, audit
anchors) that is deleted at the end. The demo data set is loaded first, so that the triage and
partner teams, their keys and the escrow key exist. One gunicorn with 2 sync workers serves
both the site and the floor view (``bench/bench_settings.py``: rate limits raised for one
client address, no submissions without a valid stamp). Proof-of-work stamps are minted at the
production difficulty *before* the timed part, from challenges taken from real form pages,
on every CPU. Intake and floor are timed in four alternating turns, so that a change in the
machine's speed during the run weighs on both alike: each intake turn posts a quarter of the
stamps (a stamp works once) or runs for a quarter of the set time, whichever ends first, and
each floor turn then runs for as long as that intake turn did. The load generator is a
thread pool of clients on plain sockets (``bench/load_generator.py``) on the same machine, so
it competes with the server for CPU: the figures are a lower bound for a server with a machine
to itself.

Nothing here asserts a time: the figures (intake should stay >= 120 requests/s and >= 0.3 of
the floor on the 2-core machine; page <= 30 KB) are for people to compare against.
"""

import argparse
import functools
import gzip
import html
import http.client
import itertools
import math
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

# Running as a script puts bench/ on sys.path, not the repository root that holds safehaven/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_generator import (
    CpuUse,
    LoadResult,
    body_supplier,
    check,
    cpu_use,
    log,
    request_form,
    run_load,
)
from safehaven.core.public_forms.proof_of_work import leading_zero_bits, solve, stamp_digest

ROOT = Path(__file__).resolve().parent.parent

POW_BITS = 18  # the production default of SAFEHAVEN_INTAKE_POW_BITS
GUNICORN_WORKERS = 2
# Intake and floor are timed in this many alternating turns (see main()).
ROUNDS = 4
FORM_PATH = "/en/help/"
LANGUAGES = ["en", "ru", "ar", "fr", "es", "fa"]  # settings.LANGUAGES, without loading Django
FLOOR_PATH = "/en/bench/floor/"
# The receipt page lists the codename words; the form page (re-shown on errors) does not.
RECEIPT_MARKER = b'class="codename"'
FLOOR_MARKER = b"floor ok"
_CHALLENGE = re.compile(rb'name="pow_challenge" value="([^"]*)"')
_BITS = re.compile(rb'data-pow-bits="(\d+)"')


# --- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bench_environment(tmp: Path, *, pow_bits: int = POW_BITS) -> dict[str, str]:
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("SAFEHAVEN_"):
            del env[name]  # a developer's own settings must not leak into the benchmark
    env.update(
        {
            "SAFEHAVEN_MODE": "demo",
            "SAFEHAVEN_VAR_DIR": str(tmp),
            "SAFEHAVEN_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "SAFEHAVEN_INTAKE_POW_BITS": str(pow_bits),
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed ({done.returncode})")


def prepare_database(env: dict[str, str]) -> None:
    started = time.perf_counter()
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "createcachetable")
    # Users, teams, partner organisations, their key pairs, team keys and the escrow key.
    manage(env, "load_demo")
    log(f"database ready in {time.perf_counter() - started:.1f} s (migrate + load_demo)")


def start_gunicorn(
    env: dict[str, str], port: int, log_path: Path, *, workers: int = GUNICORN_WORKERS
) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "safehaven.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        # Not the default ~/.gunicorn/gunicorn.ctl, which another gunicorn may be using.
        "--no-control-socket",
    ]
    with log_path.open("wb") as server_log:
        # Its own process group (session), so that stopping it stops its workers too.
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=server_log, stderr=server_log, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{tail(log_path)}")
        try:
            status, _ = get(port, FORM_PATH)
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return server
        raise SystemExit(f"GET {FORM_PATH} answered {status}:\n{tail(log_path)}")
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{tail(log_path)}")


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@contextmanager
def serving(
    env: dict[str, str], tmp: Path, *, workers: int = GUNICORN_WORKERS
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """gunicorn serving the prepared database in ``tmp`` on a free port: the tail of its log
    shown if the block fails, and stopped on the way out (stopping it twice is harmless)."""
    port = free_port()
    log_path = tmp / "gunicorn.log"
    server = start_gunicorn(env, port, log_path, workers=workers)
    try:
        yield server, port
    except BaseException:
        log("gunicorn log (tail):\n" + tail(log_path))
        raise
    finally:
        stop_gunicorn(server)


def tail(path: Path, size: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return ""


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- the form page -------------------------------------------------------------------------


class _Assets(HTMLParser):
    """Stylesheets and scripts a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(str(attributes["src"]))
        elif tag == "link" and attributes.get("href"):
            rel = (attributes.get("rel") or "").lower().split()
            if {"stylesheet", "preload", "modulepreload"} & set(rel):
                self.urls.append(str(attributes["href"]))


def page_bytes(port: int) -> int:
    origin = f"http://127.0.0.1:{port}"
    status, page = get(port, FORM_PATH)
    if status != 200:
        raise SystemExit(f"GET {FORM_PATH} answered {status}")
    parser = _Assets()
    parser.feed(page.decode())
    total = len(gzip.compress(page, compresslevel=9))
    parts = [f"page {len(page)} B -> {total} B gzip"]
    for url in dict.fromkeys(parser.urls):
        absolute = urljoin(origin + FORM_PATH, url)
        parts_of_url = urlsplit(absolute)
        if f"{parts_of_url.scheme}://{parts_of_url.netloc}" != origin:
            continue  # the site loads nothing from elsewhere (CSP), but do not count it
        query = f"?{parts_of_url.query}" if parts_of_url.query else ""
        status, asset = get(port, parts_of_url.path + query)
        if status != 200:
            raise SystemExit(f"GET {url} (referenced by the form page) answered {status}")
        compressed = len(gzip.compress(asset, compresslevel=9))
        total += compressed
        parts.append(f"{parts_of_url.path} {len(asset)} B -> {compressed} B")
    log("form page and assets: " + "; ".join(parts))
    return total


def wire_bytes(port: int, path: str, *, accept_gzip: bool) -> int:
    """Everything the server sends for one GET of ``path``: status line, headers and body."""
    encoding = "Accept-Encoding: gzip, deflate, br\r\n" if accept_gzip else ""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{encoding}Connection: close\r\n\r\n"
    )
    received = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request.encode("ascii"))
        while chunk := connection.recv(65536):
            received += len(chunk)
    return received


def form_wire_bytes(port: int, languages: list[str]) -> dict[str, tuple[int, int]]:
    sizes = {}
    for language in languages:
        path = f"/{language}/help/"
        sizes[language] = (
            wire_bytes(port, path, accept_gzip=False),
            wire_bytes(port, path, accept_gzip=True),
        )
        plain, compressed = sizes[language]
        log(f"{path}: {plain} B sent, {compressed} B with gzip")
    return sizes


# --- proof-of-work stamps ------------------------------------------------------------------


def _mint_one(port: int, bits: int = POW_BITS) -> tuple[str, int]:
    """A fresh challenge from a real form page, solved (runs in a worker process)."""
    status, page = get(port, FORM_PATH)
    challenge = _CHALLENGE.search(page)
    asked = _BITS.search(page)
    if status != 200 or challenge is None or asked is None:
        raise RuntimeError(f"no challenge in the form page (HTTP {status})")
    if int(asked.group(1)) != bits:
        raise RuntimeError(f"the form asks for {int(asked.group(1))} bits, not {bits}")
    value = html.unescape(challenge.group(1).decode())
    return value, solve(value, bits)


def mint_stamps(
    port: int, *, target: int, budget_s: float, bits: int = POW_BITS
) -> list[tuple[str, int]]:
    """Up to ``target`` stamps at ``bits`` (the server's difficulty), minting on every CPU for
    at most ``budget_s`` seconds."""
    started = time.perf_counter()
    stamps: list[tuple[str, int]] = []
    processes = os.cpu_count() or 1
    mint_one = functools.partial(_mint_one, bits=bits)
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for stamp in pool.imap_unordered(mint_one, itertools.repeat(port, target)):
            stamps.append(stamp)
            if time.perf_counter() - started > budget_s:
                break
        pool.terminate()
    elapsed = time.perf_counter() - started
    for challenge, counter in stamps:
        assert leading_zero_bits(stamp_digest(challenge, counter)) >= bits
    log(
        f"minted {len(stamps)} stamps at {bits} bits in {elapsed:.1f} s on {processes} "
        f"processes ({elapsed * processes / max(1, len(stamps)):.2f} CPU-s each)"
    )
    return stamps


def stamped_bodies(stamps: list[tuple[str, int]]) -> list[bytes]:
    """One posted help request per stamp; the ``index``-th is ``request_form(index)``."""
    return [
        urlencode(
            [
                *request_form(index),
                ("pow_challenge", challenge),
                ("pow_counter", str(counter)),
            ]
        ).encode()
        for index, (challenge, counter) in enumerate(stamps)
    ]


# --- the whole run -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="Load benchmark of public intake.")
    parser.add_argument("--duration", type=float, default=15.0, help="longest timed run, s")
    parser.add_argument("--mint-seconds", type=float, default=100.0, help="minting budget, s")
    parser.add_argument("--mint-target", type=int, default=1000, help="most stamps to mint")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "--sizes-only", action="store_true", help="print the page sizes only, no load"
    )
    options = parser.parse_args()

    # The load generator shares the machine with the server: anything else running skews both.
    log("load average before: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    tmp = Path(tempfile.mkdtemp(prefix="safehaven-bench-"))
    try:
        env = bench_environment(tmp)
        prepare_database(env)
        with serving(env, tmp) as (server, port):
            log(f"gunicorn ({GUNICORN_WORKERS} workers) on 127.0.0.1:{port}, database {tmp}")

            page_size = page_bytes(port)
            wire_sizes = form_wire_bytes(port, LANGUAGES)
            if options.sizes_only:
                print_sizes(page_size, wire_sizes)
                return
            stamps = mint_stamps(port, target=options.mint_target, budget_s=options.mint_seconds)
            if len(stamps) < 20:
                raise SystemExit(f"only {len(stamps)} stamps minted; give minting more time")
            bodies = stamped_bodies(stamps)
            warm_up = min(2 * options.concurrency, len(bodies) // 10)
            floor_body = urlencode(request_form(0)).encode()

            # Warm up both workers on both paths (imports, key loading, SQLite connections).
            check(
                "floor warm-up",
                run_load(
                    port,
                    FLOOR_PATH,
                    body_supplier([floor_body] * 50),
                    FLOOR_MARKER,
                    duration_s=30,
                    concurrency=options.concurrency,
                ),
            )
            check(
                "intake warm-up",
                run_load(
                    port,
                    FORM_PATH,
                    body_supplier(bodies[:warm_up]),
                    RECEIPT_MARKER,
                    duration_s=30,
                    concurrency=options.concurrency,
                ),
            )

            # Intake and floor take turns, so that a change in the machine's speed during the run
            # (a shared VM can speed up or slow down by half within a minute) weighs on both alike.
            intake, floor = LoadResult(), LoadResult()
            intake_cpu, floor_cpu = CpuUse("intake"), CpuUse("floor")
            timed = bodies[warm_up:]
            share = math.ceil(len(timed) / ROUNDS)
            for round_number in range(ROUNDS):
                with cpu_use(intake_cpu, server):
                    part = run_load(
                        port,
                        FORM_PATH,
                        body_supplier(timed[round_number * share : (round_number + 1) * share]),
                        RECEIPT_MARKER,
                        duration_s=options.duration / ROUNDS,
                        concurrency=options.concurrency,
                    )
                intake.add(part)
                with cpu_use(floor_cpu, server):
                    floor.add(
                        run_load(
                            port,
                            FLOOR_PATH,
                            lambda: floor_body,
                            FLOOR_MARKER,
                            duration_s=part.elapsed,
                            concurrency=options.concurrency,
                        )
                    )
            check("intake", intake)
            intake_cpu.report(intake)
            if intake.successes + intake.failures >= len(timed):
                log(f"intake used every stamp in {intake.elapsed:.1f} s (mint more for longer)")
            check("floor", floor)
            floor_cpu.report(floor)
            log("load average after: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"BENCH intake_per_s {intake.per_s:.1f}")
    print(f"BENCH floor_per_s {floor.per_s:.1f}")
    print(f"BENCH intake_vs_floor {intake.per_s / floor.per_s:.2f}")
    print(f"BENCH intake_p99_ms {intake.percentile_ms(0.99):.1f}")
    print_sizes(page_size, wire_sizes)


def print_sizes(page_size: int, wire_sizes: dict[str, tuple[int, int]]) -> None:
    print(f"BENCH intake_page_bytes {page_size}")
    for language, (plain, compressed) in wire_sizes.items():
        print(f"BENCH form_wire_bytes_{language} {plain} {compressed}")


if __name__ == "__main__":
    main()
