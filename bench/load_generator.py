"""The load generator of ``bench/intake.py``: valid help requests, a pool of HTTP clients
that posts them for a set time, what came back, and the CPU time the server and the load
generator used meanwhile. Kept apart from the benchmark's set-up and run (``intake.py``).
"""

import contextlib
import math
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) used so far by the gunicorn master and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name (field 2) may hold spaces: split after its closing parenthesis.
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # a process that ended meanwhile
        pid, parent = int(stat.parent.name), int(fields[1])
        if server.pid in (pid, parent):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def request_form(index: int) -> list[tuple[str, str]]:
    """A complete, valid help request; contact details differ per request (as in real life,
    and so that duplicate hints do not all collide on one contact)."""
    return [
        (
            "situation",
            "My family found out about me and my partner. My brother threatens to hurt me and "
            "told the local police. I had to leave my flat and I am staying with a friend, but "
            "I cannot stay long. I need to leave the country with my partner as soon as "
            f"possible. I work as a nurse and I can pay for part of the travel. (#{index})",
        ),
        ("country", "RU"),
        ("region", "Krasnodar Krai"),
        ("citizenships", "RU"),
        ("languages", "ru"),
        ("languages", "en"),
        ("language_other", ""),
        ("contact_signal", ""),
        ("contact_whatsapp", ""),
        ("contact_telegram", ""),
        ("contact_email", f"bench.person{index}@example.org"),
        ("contact_phone", f"+7 900 {index // 10000 % 1000:03d} {index % 10000:04d}"),
        ("contact_other", ""),
        ("contact_times", "Weekdays after 7 pm, Moscow time"),
        ("may_leave_message", "no"),
        ("risk_indicators", "outed"),
        ("risk_indicators", "threats_family"),
        ("companions", "1"),
        ("passport", "valid"),
        ("visas", ""),
        ("referral_code", ""),
        ("checkin_phrase", "blue river morning"),
        ("duress_phrase", "quiet stone garden"),
        ("consent", "on"),
    ]


@dataclass
class LoadResult:
    successes: int = 0
    failures: int = 0
    elapsed: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    first_failure: str = ""

    def add(self, other: "LoadResult") -> None:
        """Count ``other``, a later timed run of the same path, with this one."""
        self.successes += other.successes
        self.failures += other.failures
        self.elapsed += other.elapsed
        self.latencies_ms.extend(other.latencies_ms)
        self.first_failure = self.first_failure or other.first_failure

    @property
    def per_s(self) -> float:
        return self.successes / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, fraction: float) -> float:
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def request_bytes(port: int, path: str, body: bytes) -> bytes:
    """One whole HTTP/1.1 POST, as a browser sends a form posted from the site's own page."""
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Origin: http://127.0.0.1:{port}\r\n"
        "Sec-Fetch-Site: same-origin\r\n"
        "Sec-Fetch-Mode: navigate\r\n"
        "Connection: close\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def exchange(port: int, request: bytes) -> bytes:
    """Send one request on a new connection and read the response until the server closes it
    (gunicorn's sync workers close every connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as connection:
        connection.sendall(request)
        parts = []
        while chunk := connection.recv(65536):
            parts.append(chunk)
    return b"".join(parts)


@dataclass(frozen=True)
class Response:
    status: int  # 0 when the server sent no valid, complete response
    body: bytes
    problem: str = ""


def parse_response(raw: bytes) -> Response:
    """A raw HTTP/1.x response read to the end: its status and body, checked against its
    Content-Length, so that a response cut short never counts as received."""
    if not raw:
        return Response(0, b"", "the server closed the connection without a response")
    head, separator, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status_line = lines[0].split(b" ", 2)
    if (
        not separator
        or len(status_line) < 2
        or not status_line[0].startswith(b"HTTP/1.")
        or not status_line[1].isdigit()
    ):
        return Response(0, b"", f"not an HTTP response: {raw[:80]!r}")
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value.strip())
    if length is not None and len(body) != length:
        return Response(0, b"", f"response cut short: {len(body)} of {length} body bytes")
    return Response(int(status_line[1]), body)


# Told of every request a client sent: its body, the response (status 0 when none came) and
# the latency in ms. Called from the client threads, several at once.
ResponseHandler = Callable[[bytes, Response, float], None]


def run_load(
    port: int,
    path: str,
    next_body: Callable[[], bytes | None],
    marker: bytes,
    *,
    duration_s: float,
    concurrency: int,
    on_response: ResponseHandler | None = None,
) -> LoadResult:
    """Post from ``concurrency`` clients until ``duration_s`` has passed or ``next_body``
    returns None; count the responses that are HTTP 200 and contain ``marker``.
    ``on_response``, if given, sees every request and what came back (e.g. to keep receipts).

    The clients write requests and read responses as bytes on plain sockets, with no HTTP
    library: it shares the CPUs with the server, so the less it spends per request, the closer
    the figures come to the server's own (``http.client`` parsed every response's headers
    with the e-mail parser, and cost the intake run a tenth of its CPU time).
    """
    result = LoadResult()
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)
    deadline = [0.0]
    finished = [0.0]

    def client() -> None:
        barrier.wait()
        try:
            while time.perf_counter() < deadline[0]:
                with lock:
                    body = next_body()
                if body is None:
                    break
                request = request_bytes(port, path, body)
                sent = time.perf_counter()
                try:
                    response = parse_response(exchange(port, request))
                except OSError as error:
                    response = Response(0, b"", f"{type(error).__name__}: {error}")
                latency_ms = (time.perf_counter() - sent) * 1000
                if on_response is not None:
                    on_response(body, response, latency_ms)
                with lock:
                    if response.status == 200 and marker in response.body:
                        result.successes += 1
                        result.latencies_ms.append(latency_ms)
                    else:
                        result.failures += 1
                        if not result.first_failure:
                            result.first_failure = response.problem or describe(
                                response.status, response.body
                            )
        finally:
            with lock:
                finished[0] = max(finished[0], time.perf_counter())

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline[0] = started + duration_s
    barrier.wait()
    for thread in threads:
        thread.join()
    result.elapsed = finished[0] - started
    return result


def describe(status: int, content: bytes) -> str:
    text = content.decode(errors="replace")
    main = re.search(r"<main.*?</main>", text, re.DOTALL)
    snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.group(0) if main else text))
    return f"HTTP {status}: {snippet.strip()[:600]}"


def check(name: str, result: LoadResult) -> None:
    log(
        f"{name}: {result.successes} ok, {result.failures} failed in {result.elapsed:.2f} s; "
        f"latency p50 {result.percentile_ms(0.5):.1f} ms, p99 {result.percentile_ms(0.99):.1f} ms"
    )
    if result.successes == 0 or result.failures > result.successes:
        raise SystemExit(f"{name}: most requests failed; the first: {result.first_failure}")
    if result.failures:
        log(f"{name}: first failure: {result.first_failure}")


@dataclass
class CpuUse:
    """CPU time the server and the load generator used during one timed run."""

    name: str
    server_s: float = 0.0
    load_generator_s: float = 0.0

    def report(self, result: LoadResult) -> None:
        handled = max(1, result.successes + result.failures)
        idle = 2 * result.elapsed - self.server_s - self.load_generator_s
        log(
            f"{self.name}: CPU per request {1000 * self.server_s / handled:.2f} ms in the server, "
            f"{1000 * self.load_generator_s / handled:.2f} ms in the load generator; "
            f"{idle:.2f} of {2 * result.elapsed:.2f} CPU-s left over on 2 CPUs"
            if (os.cpu_count() or 1) == 2
            else f"{self.name}: CPU per request {1000 * self.server_s / handled:.2f} ms in the "
            f"server, {1000 * self.load_generator_s / handled:.2f} ms in the load generator"
        )


@contextlib.contextmanager
def cpu_use(use: CpuUse, server: subprocess.Popen[bytes]) -> Iterator[None]:
    """Add the CPU time used in the ``with`` block to ``use``."""
    server_before, own_before = server_cpu_seconds(server), sum(os.times()[:2])
    yield
    use.server_s += server_cpu_seconds(server) - server_before
    use.load_generator_s += sum(os.times()[:2]) - own_before


def body_supplier(bodies: list[bytes]) -> Callable[[], bytes | None]:
    remaining: Iterator[bytes] = iter(bodies)
    return lambda: next(remaining, None)
