"""Load benchmark: Second Round's main pages under gunicorn on Postgres, beside a bare page.

    .venv/bin/python bench/load.py [--workers 2] [--clients 8] [--seconds 10]

1. Make sure the benchmark database exists (DATABASE_URL, by default its own database
   `second_round_bench` on the local Postgres), migrate it and seed the heavy user if absent.
2. collectstatic into a temporary folder and start gunicorn on a free loopback port with
   production settings (DEBUG off, hashed static files) and the bare page turned on.
3. Log in as the heavy user, then for each page let K clients request it for T seconds.
4. Print one JSON line per page: p50 and p95 in milliseconds, requests per second, errors
   (any response that is not 2xx, or no response) and p95 divided by the bare page's p95 from
   the same run. The ratio is the figure to watch: it cancels out the machine's speed.
5. Measure the bare page once more and say (on stderr) whether the machine stayed as busy
   as it was at the start; if not, the ratios are not to be trusted.

Progress goes to stderr, the JSON lines to stdout. gunicorn is stopped at the end, on Ctrl-C
and on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: the benchmark never talks to another machine
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/second_round_bench"
HEAVY_EMAIL = "heavy@example.com"
HEAVY_PASSWORD = "second-round-demo"  # noqa: S105 -- the seed command's documented demo password
BARE_PAGE = "/bench/bare/"
APPLICATION_PAGE = "<one application>"
PAGES = (
    BARE_PAGE,
    "/",
    "/applications/board/",
    "/applications/",
    APPLICATION_PAGE,
    "/journal/",
    "/contacts/",
    "/reminders/",
)
REQUEST_TIMEOUT = 30.0
STARTUP_TIMEOUT = 60.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Preparing the database and the server ---------------------------------------


def ensure_database(database_url: str) -> None:
    """Create the benchmark's database if it is missing, connecting to the server's `postgres` one."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        log(f"Created the database {name}.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_environment(database_url: str, static_root: Path, port: int) -> dict[str, str]:
    """Production-like settings, but plain http on loopback and a throwaway secret."""
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{port}",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        BENCH_BARE_PAGE="true",
        REDIS_URL="redis://127.0.0.1:6379/12",
        EMAIL_URL="locmem://",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    # The command's own output goes to stderr, keeping stdout for the JSON lines.
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr
    )


def prepare(env: dict[str, str]) -> None:
    started = time.perf_counter()
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo", "--heavy", HEAVY_EMAIL, "--password", HEAVY_PASSWORD)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    log(f"Database and static files ready in {time.perf_counter() - started:.1f} s.")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, log_path: Path) -> Iterator[subprocess.Popen]:
    """gunicorn for the duration of the block, in its own process group so stopping it stops its workers."""
    with log_path.open("wb") as server_log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi:application",
                "--bind", f"{HOST}:{port}", "--workers", str(workers),
                "--timeout", "60", "--graceful-timeout", "5",
            ],
            cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_serving(process: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base_url + BARE_PAGE, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn did not answer within {STARTUP_TIMEOUT:.0f} s:\n{log_path.read_text()[-3000:]}"
    )


# --- Measuring -------------------------------------------------------------------


async def log_in(client: httpx.AsyncClient) -> None:
    """Log in as a person would: fetch the form (CSRF cookie and token), post it, get redirected."""
    form = await client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if form.status_code != 200 or token is None:
        raise RuntimeError(f"The login page answered {form.status_code} without a form token.")
    response = await client.post(
        "/accounts/login/",
        data={"login": HEAVY_EMAIL, "password": HEAVY_PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    if response.status_code != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"Logging in as {HEAVY_EMAIL} failed ({response.status_code}).")


async def application_page(client: httpx.AsyncClient) -> str:
    """The first application on the list (the most recently updated), as a person would open it."""
    listing = await client.get("/applications/")
    found = re.search(r'href="(/applications/\d+/)"', listing.text)
    if found is None:
        raise RuntimeError("No application link on /applications/: is the heavy user seeded?")
    return found.group(1)


@dataclass
class PageRun:
    page: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        return 1000 * ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    def summary(self, bare_p95: float) -> dict[str, object]:
        p95 = self.percentile(0.95)
        return {
            "page": self.page,
            "p50_ms": round(self.percentile(0.50), 1),
            "p95_ms": round(p95, 1),
            "rps": round(len(self.latencies) / self.elapsed, 1) if self.elapsed else 0.0,
            "errors": self.errors,
            "p95_vs_bare": round(p95 / bare_p95, 2) if bare_p95 else None,
        }


async def timed_get(client: httpx.AsyncClient, path: str) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        response = await client.get(path)
        ok = 200 <= response.status_code < 300
    except httpx.HTTPError:
        ok = False
    return time.perf_counter() - started, ok


async def measure(client: httpx.AsyncClient, page: str, clients: int, seconds: float, cap: int) -> PageRun:
    """K clients request the page back to back until the time is up or `cap` requests are made."""
    # Warm-up, not counted: each worker compiles the page's templates on its first request.
    await asyncio.gather(*(client.get(page) for _ in range(2 * clients)))
    run = PageRun(page)
    deadline = time.perf_counter() + seconds
    made = 0

    async def one_client() -> None:
        nonlocal made
        while time.perf_counter() < deadline and made < cap:
            made += 1
            latency, ok = await timed_get(client, page)
            run.latencies.append(latency)
            run.errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    run.elapsed = time.perf_counter() - started
    return run


async def benchmark(base_url: str, clients: int, seconds: float, cap: int) -> None:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        await log_in(client)
        pages = [await application_page(client) if page == APPLICATION_PAGE else page for page in PAGES]
        bare_p95 = 0.0
        for page in pages:
            run = await measure(client, page, clients, seconds, cap)
            if page == BARE_PAGE:
                bare_p95 = run.percentile(0.95)
            print(json.dumps(run.summary(bare_p95)), flush=True)
        # The ratios assume the machine was as busy at the end as at the start: check it.
        again = (await measure(client, BARE_PAGE, clients, seconds, cap)).percentile(0.95)
        drift = again / bare_p95 if bare_p95 else math.nan
        log(
            f"Bare page again at the end: p95 {again:.1f} ms against {bare_p95:.1f} ms at the start "
            f"({drift:.2f}x): "
            + ("steady." if 0.8 <= drift <= 1.25 else "the machine's load changed during the run; rerun.")
        )


# --- Command line ----------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of load per page (default 10)")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=100_000,
        help="at most this many requests per page (default 100000)",
    )
    options = parser.parse_args()
    if not (1 <= options.workers <= 64 and 1 <= options.clients <= 256 and 0 < options.seconds <= 600):
        parser.error("use 1-64 workers, 1-256 clients and 0-600 seconds per page")
    return options


def main() -> None:
    options = arguments()
    # Ctrl-C and a plain `kill` both end in the cleanup that stops gunicorn, even when this
    # script was started with SIGINT ignored (as background jobs of a script are).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    ensure_database(database_url)
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory(prefix="second-round-bench-") as folder:
        env = server_environment(database_url, Path(folder) / "static", port)
        prepare(env)
        log_path = Path(folder) / "gunicorn.log"
        with gunicorn(env, port, options.workers, log_path) as process:
            wait_until_serving(process, base_url, log_path)
            log(
                f"gunicorn ({options.workers} workers) on {base_url}; {options.clients} clients, "
                f"{options.seconds:g} s per page."
            )
            asyncio.run(benchmark(base_url, options.clients, options.seconds, options.max_requests))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        log("Interrupted; gunicorn stopped.")
        sys.exit(130)
