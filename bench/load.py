"""Load benchmark: Second Round's main pages under gunicorn on Postgres, beside a bare page.

    .venv/bin/python bench/load.py [--workers 2] [--clients 8] [--seconds 10]
    .venv/bin/python bench/load.py --growth                 # each page at 10, 200 and 2,000 applications
    .venv/bin/python bench/load.py --compare FILE           # a peer's pages beside ours

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

--growth (the growth curve) seeds, once, users with 10, 200 and 2,000 applications, counts
each page's database queries for each of them in-process (bench/queries.py, before gunicorn
starts), then measures every page, the prep brief included, for every user in the same run,
interleaved: --rounds passes (default 3), each giving every (page, user) a slice of the time,
so a busy spell on the machine falls on all of them alike. One JSON line per (size, page), a
page x size table on stderr, and a warning for any page whose query count depends on the size.

--compare FILE (the side-by-side) logs in to a peer with httpx, as FILE says, and measures each
of FILE's peer paths beside the page of ours it is paired with, interleaved the same way; the
lines carry "side": "ours" or "peer". bench/compare.example.json points at our own server, so
the mode can be tried without a peer. The file's format is in bench/README.md.

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# Our server listens on loopback only; the one thing that may be elsewhere is --compare's peer.
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/second_round_bench"
HEAVY_EMAIL = "heavy@example.com"
PASSWORD = "second-round-demo"  # noqa: S105 -- the seed command's documented demo password
DEFAULT_SEED = 2026  # seed_demo's own default
BARE_PAGE = "/bench/bare/"
APPLICATION_PAGE = "<one application>"
PREP_PAGE = "<prep brief>"
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
# --growth and --compare add the brief of an interview that has a prep plan. The plain run
# keeps the list above, so that its output stays comparable with earlier runs.
GROWTH_PAGES = (*PAGES, PREP_PAGE)
# "One application" is the first one on the list (the most recently updated), as a person
# would open it. bench/queries.py finds it with the same pattern.
APPLICATION_LINK = re.compile(r'href="(/applications/\d+/)"')
# In a --compare file, a base URL of "{ours}" means the server this script starts.
OUR_SERVER = "{ours}"
REQUEST_TIMEOUT = 30.0
STARTUP_TIMEOUT = 60.0
INTERLEAVED_ROUNDS = 3


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def emit(line: dict[str, object]) -> None:
    print(json.dumps(line), flush=True)


@dataclass(frozen=True)
class GrowthUser:
    """A user whose search is `applications` long: one point of the growth curve."""

    email: str
    applications: int
    seed: int = DEFAULT_SEED

    def seed_arguments(self) -> list[str]:
        """seed_demo's arguments for this user, in the heavy user's proportions (the command's
        defaults): per application 2.5 interviews, each reflected on, half a contact, 10 reminders.
        Without --replace, so a user already there is kept and seeding happens once."""
        n = self.applications
        sizes = {
            "applications": n,
            "interviews": n * 5 // 2,
            "reflections": n * 5 // 2,
            "contacts": n // 2,
            "reminders": n * 10,
        }
        sized = [part for name, value in sizes.items() for part in (f"--{name}", str(value))]
        return ["--heavy", self.email, *sized, "--password", PASSWORD, "--seed", str(self.seed)]


HEAVY_USER = GrowthUser(HEAVY_EMAIL, 2000)
GROWTH_USERS = (
    # With the default seed, ten applications happen to leave no coming second round with a
    # prep plan, so the brief would be missing at this size; seed 33 gives one plan, and
    # interviewers met at interviews as the larger users have.
    GrowthUser("growth10@example.com", 10, seed=33),
    GrowthUser("growth200@example.com", 200),
    HEAVY_USER,
)


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


def prepare(env: dict[str, str], users: Sequence[GrowthUser]) -> None:
    started = time.perf_counter()
    manage(env, "migrate", "--no-input", "-v", "0")
    for user in users:
        manage(env, "seed_demo", *user.seed_arguments())
    manage(env, "collectstatic", "--no-input", "-v", "0")
    log(f"Database and static files ready in {time.perf_counter() - started:.1f} s.")


def count_queries(env: dict[str, str], emails: Sequence[str], pages: Sequence[str]) -> dict[str, dict]:
    """Each page's path and query count for each user, from bench/queries.py.

    In a subprocess with the server's settings, so the counts are those of the code and
    database being timed; the test client's requests come from `testserver`, hence the host.
    Run before gunicorn starts, so that it takes no CPU from the timing.
    """
    started = time.perf_counter()
    counting = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "queries.py")],
        cwd=ROOT,
        env={**env, "ALLOWED_HOSTS": f"{HOST},testserver"},
        input=json.dumps({"users": list(emails), "pages": list(pages)}),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    counts = json.loads(counting.stdout)
    log(f"Queries per page counted in-process in {time.perf_counter() - started:.1f} s.")
    for email, pages_counted in counts.items():
        for counted in pages_counted.values():
            if counted["path"] is not None and counted["status"] != 200:
                log(f"WARNING: {counted['path']} answered {counted['status']} to the test client ({email}).")
    return counts


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


# --- Logging in ------------------------------------------------------------------


def new_client(base_url: str, clients: int) -> httpx.AsyncClient:
    """One visitor's browser: its own cookies, and room for K requests at once."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    return httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT, limits=limits)


async def log_in(client: httpx.AsyncClient, email: str) -> None:
    """Log in to our server as a person would: fetch the form (CSRF cookie and token), post it."""
    form = await client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if form.status_code != 200 or token is None:
        raise RuntimeError(f"The login page answered {form.status_code} without a form token.")
    response = await client.post(
        "/accounts/login/",
        data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    if response.status_code != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"Logging in as {email} failed ({response.status_code}).")


async def application_page(client: httpx.AsyncClient) -> str:
    """The first application on the list (the most recently updated), as a person would open it."""
    found = APPLICATION_LINK.search((await client.get("/applications/")).text)
    if found is None:
        raise RuntimeError("No application link on /applications/: is the heavy user seeded?")
    return found.group(1)


@dataclass
class HtmlForm:
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    asks_for_password: bool = False


class FormFinder(HTMLParser):
    """The forms of a page, each with its action, its hidden fields and whether it asks for a password."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[HtmlForm] = []
        self._open: HtmlForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._open = HtmlForm(action=attributes.get("action") or "")
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None:
            kind = (attributes.get("type") or "text").lower()
            if kind == "hidden" and attributes.get("name"):
                self._open.hidden[attributes["name"]] = attributes.get("value") or ""
            elif kind == "password":
                self._open.asks_for_password = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def password_form(html: str) -> HtmlForm | None:
    """The page's first form asking for a password: a login form, as a rule."""
    finder = FormFinder()
    finder.feed(html)
    return next((form for form in finder.forms if form.asks_for_password), None)


async def submit_login_form(client: httpx.AsyncClient, url: str, fields: dict[str, str]) -> None:
    """GET the login page and post its form back: its hidden fields (a CSRF token, whatever the
    framework calls it) with the file's fields on top. Works for any ordinary login form."""
    page = await client.get(url)
    form = password_form(page.text)
    if page.status_code != 200 or form is None:
        raise RuntimeError(f"The peer's {url} answered {page.status_code}, without a password form.")
    # The Referer satisfies Django's CSRF check on https peers; other servers ignore it.
    response = await client.post(
        urljoin(str(page.url), form.action),
        data={**form.hidden, **fields},
        headers={"Referer": str(page.url)},
    )
    # A refused login is usually the form again, with an error, under a 200.
    if response.status_code >= 400 or password_form(response.text):
        raise RuntimeError(f"The peer refused the login ({response.status_code}): check the fields.")


async def log_in_to_peer(client: httpx.AsyncClient, login: dict, check_path: str) -> None:
    """Log in as the --compare file says, then make sure a page behind the login answers 2xx, with
    no login form: a redirect to log in, or a login form shown in place, mean the login failed."""
    for pair in filter(None, (part.strip() for part in login.get("cookie", "").split(";"))):
        name, _, value = pair.partition("=")
        client.cookies.set(name.strip(), value.strip())
    client.headers.update(login.get("headers", {}))
    if "url" in login:
        await submit_login_form(client, login["url"], login.get("fields", {}))
    response = await client.get(check_path)
    if not 200 <= response.status_code < 300 or password_form(response.text):
        raise RuntimeError(
            f"After logging in, the peer answered {response.status_code} for {check_path}: "
            "check the login in the --compare file."
        )


# --- Measuring -------------------------------------------------------------------


def percentile(latencies: Sequence[float], share: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    ordered = sorted(latencies)
    if not ordered:
        return math.nan
    return 1000 * ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator and not math.isnan(denominator) else None


def times(value: float | None) -> str:
    """A ratio as the tables show it: 1.25x."""
    return "?" if value is None else f"{value:.2f}x"


@dataclass(eq=False)
class PooledBare:
    """Several users' bare pages as one yardstick, in --growth.

    The bare page's work does not depend on the user's data, and pooling the requests of all
    of them steadies a p95 that would otherwise come from a few short slices per user.
    """

    parts: list[Target] = field(default_factory=list)

    @property
    def p95(self) -> float:
        return percentile([latency for part in self.parts for latency in part.latencies], 0.95)


@dataclass(eq=False)
class Target:
    """One page as one logged-in visitor requests it. Its figures add up over the rounds."""

    client: httpx.AsyncClient
    path: str
    labels: dict[str, object]  # what its JSON line says before the figures: which page, for whom
    bare: Target | PooledBare | None = None  # whose p95 its ratio divides by (None: itself)
    beside: Target | None = None  # in --compare, our page this peer page stands beside
    queries: int | None = None  # counted in-process, if it was
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    requests_made: int = 0
    slice_ends: list[int] = field(default_factory=list)  # where each round's latencies end
    warmed: bool = False

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)

    def round_latencies(self, number: int) -> list[float]:
        """The latencies of round `number` (from 0)."""
        start = self.slice_ends[number - 1] if number else 0
        return self.latencies[start : self.slice_ends[number]]

    def over_bare(self) -> float | None:
        return ratio(self.p95, (self.bare or self).p95)

    def line(self) -> dict[str, object]:
        figures = {
            "p50_ms": round(percentile(self.latencies, 0.50), 1),
            "p95_ms": round(self.p95, 1),
            "rps": round(len(self.latencies) / self.elapsed, 1) if self.elapsed else 0.0,
            "errors": self.errors,
            "p95_vs_bare": self.over_bare(),
        }
        if self.beside is not None:
            figures["p95_vs_ours"] = ratio(self.p95, self.beside.p95)
        if self.queries is not None:
            figures["queries"] = self.queries
        return {**self.labels, **figures}


async def timed_get(client: httpx.AsyncClient, path: str) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        response = await client.get(path)
        ok = 200 <= response.status_code < 300
    except httpx.HTTPError:
        ok = False
    return time.perf_counter() - started, ok


async def measure_slice(target: Target, clients: int, seconds: float, cap: int) -> None:
    """K clients request the page back to back for `seconds`, or until `cap` requests in all."""
    if not target.warmed:
        # Warm-up, not counted: each worker compiles the page's templates on its first request.
        await asyncio.gather(*(target.client.get(target.path) for _ in range(2 * clients)))
        target.warmed = True
    deadline = time.perf_counter() + seconds

    async def one_client() -> None:
        while time.perf_counter() < deadline and target.requests_made < cap:
            target.requests_made += 1
            latency, ok = await timed_get(target.client, target.path)
            target.latencies.append(latency)
            target.errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    target.elapsed += time.perf_counter() - started
    target.slice_ends.append(len(target.latencies))


async def measure_in_rounds(
    targets: Sequence[Target], options: argparse.Namespace, finished: Callable[[Target], None] | None = None
) -> None:
    """Give every target `seconds` in all, as `rounds` slices: one pass over the targets a round.

    Interleaving is what makes the pages comparable within a run: a busy spell on the machine
    falls on a slice of each of them rather than on whichever page was being measured. With one
    round this is the plain run: each page measured once, in order. `finished` hears of each
    target as its last slice ends (the plain run prints its lines as it goes); a target's bare
    page (and, in --compare, our page beside it) comes before it, so its ratios are final then.
    """
    slice_seconds = options.seconds / options.rounds
    for number in range(1, options.rounds + 1):
        for target in targets:
            await measure_slice(target, options.clients, slice_seconds, options.max_requests)
            if finished is not None and number == options.rounds:
                finished(target)
        if options.rounds > 1:
            log(f"Round {number} of {options.rounds} done.")


async def check_steadiness(bares: Sequence[Target], options: argparse.Namespace) -> None:
    """The ratios assume the machine was as busy at the end as at the start: measure the bare page
    again, for a page's full time, and hold it against the first round's bare pages (all users')."""
    per_round = [
        percentile([latency for bare in bares for latency in bare.round_latencies(number)], 0.95)
        for number in range(options.rounds)
    ]
    again = Target(bares[0].client, BARE_PAGE, labels={}, warmed=True)
    await measure_slice(again, options.clients, options.seconds, options.max_requests)
    start = per_round[0]
    drift = again.p95 / start if start else math.nan
    rounds = ""
    if len(per_round) > 1:
        rounds = " (per round: " + ", ".join(f"{p95:.1f}" for p95 in per_round) + " ms)"
    # Steady if no two of the measurements are more than a quarter apart: with one round, the
    # end against the start; with more, a busy spell in the middle counts too. (A round that
    # made no request, --max-requests being reached, has no p95 and is left out.)
    measured = [p95 for p95 in (*per_round, again.p95) if not math.isnan(p95)]
    spread = max(measured) / min(measured) if measured else math.nan
    log(
        f"Bare page again at the end: p95 {again.p95:.1f} ms against {start:.1f} ms at the start{rounds} "
        f"({drift:.2f}x): "
        + ("steady." if spread <= 1.25 else "the machine's load changed during the run; rerun.")
    )


# --- The plain run: the heavy user's pages ----------------------------------------


async def plain_benchmark(base_url: str, options: argparse.Namespace) -> None:
    async with new_client(base_url, options.clients) as client:
        await log_in(client, HEAVY_EMAIL)
        application = await application_page(client)
        bare = Target(client, BARE_PAGE, labels={"page": BARE_PAGE})
        targets = [bare]
        for page in (page for page in PAGES if page != BARE_PAGE):
            path = application if page == APPLICATION_PAGE else page
            targets.append(Target(client, path, labels={"page": path}, bare=bare))
        await measure_in_rounds(targets, options, lambda target: emit(target.line()))
        await check_steadiness([bare], options)


# --- --growth: every page at every size --------------------------------------------


def growth_targets(
    clients: dict[GrowthUser, httpx.AsyncClient], counts: dict[str, dict]
) -> tuple[list[Target], PooledBare]:
    """Every page for every user, page by page, so that the sizes of one page are measured one
    right after another. Every ratio, the bare pages' own included, divides by all the users'
    bare pages pooled."""
    bare = PooledBare()
    targets = []
    for page in GROWTH_PAGES:
        for user, client in clients.items():
            counted = counts[user.email][page]
            if counted["path"] is None:
                log(f"WARNING: no {page} for {user.email}; skipped at {user.applications:,} applications.")
                continue
            path = counted["path"]
            labels = {"applications": user.applications, "user": user.email, "name": page, "page": path}
            target = Target(client, path, labels, bare=bare, queries=counted["queries"])
            if page == BARE_PAGE:
                bare.parts.append(target)
            targets.append(target)
    return targets, bare


def growth_cell(target: Target | None) -> str:
    if target is None:
        return "-"
    errors = f" {target.errors} errors" if target.errors else ""
    return f"{target.p95:.1f} ms {times(target.over_bare())} {target.queries} q{errors}"


def growth_table(targets: Sequence[Target]) -> None:
    """Page x size on stderr: p95, p95 over the pooled bare page, queries of one GET."""
    sizes = sorted({target.labels["applications"] for target in targets})
    cells = {(target.labels["name"], target.labels["applications"]): target for target in targets}
    log("\n" + f"{'page':<22}" + "".join(f"{f'{size:,} applications':>28}" for size in sizes))
    for page in GROWTH_PAGES:
        row = f"{page:<22}"
        for size in sizes:
            row += f"{growth_cell(cells.get((page, size))):>28}"
        log(row)
    log("(p95; p95 over the bare page, all users pooled; database queries of one GET)\n")


def table_differences(counted_by_size: Sequence[dict]) -> str:
    """The tables queried a different number of times at different sizes, e.g. `contacts_contact 0/0/1`."""
    tables = sorted({table for counted in counted_by_size for table in counted["tables"]})
    return "; ".join(
        f"{table} " + "/".join(str(counted["tables"].count(table)) for counted in counted_by_size)
        for table in tables
        if len({counted["tables"].count(table) for counted in counted_by_size}) > 1
    )


def warn_about_query_growth(counts: dict[str, dict]) -> None:
    """Name every page whose query count is not the same at every size, with the tables that
    make the difference: a query per row, or data of a shape the smaller user lacks (Django
    skips a prefetch's query when there is nothing to prefetch for)."""
    uneven = False
    for page in GROWTH_PAGES:
        found = {user: counts[user.email][page] for user in GROWTH_USERS if counts[user.email][page]["path"]}
        if len({counted["queries"] for counted in found.values()}) <= 1:
            continue
        uneven = True
        by_size = ", ".join(
            f"{counted['queries']} at {user.applications:,}" for user, counted in found.items()
        )
        log(
            f"WARNING: {page} runs a different number of queries by size: {by_size} applications "
            f"({table_differences(list(found.values()))})."
        )
    if not uneven:
        log("Queries per page: the same at every size.")


async def growth_benchmark(base_url: str, options: argparse.Namespace, counts: dict[str, dict]) -> None:
    async with contextlib.AsyncExitStack() as stack:
        clients = {}
        for user in GROWTH_USERS:
            clients[user] = await stack.enter_async_context(new_client(base_url, options.clients))
            await log_in(clients[user], user.email)
        targets, bare = growth_targets(clients, counts)
        # Printed at the end, not as they finish: the pooled bare page is final only then.
        await measure_in_rounds(targets, options)
        for target in targets:
            emit(target.line())
        await check_steadiness(bare.parts, options)
        growth_table(targets)
        warn_about_query_growth(counts)


# --- --compare: a peer's pages beside ours ----------------------------------------


@dataclass(frozen=True)
class Peer:
    """A --compare file, read and checked: the peer's address, its login, its paths beside our pages."""

    base_url: str
    login: dict
    pairs: tuple[tuple[str, str], ...]  # (our page, one of GROWTH_PAGES; the peer's path)

    @classmethod
    def read(cls, path: Path, our_base_url: str) -> Peer:
        try:
            data = json.loads(path.read_text())
            base_url = data["base_url"].replace(OUR_SERVER, our_base_url).rstrip("/")
            login = data["login"]
            pairs = tuple((pair["ours"], pair["peer"]) for pair in data["pages"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}: not a --compare file ({error!r}); see bench/README.md.") from error
        unknown = sorted({ours for ours, _ in pairs} - set(GROWTH_PAGES))
        if unknown:
            raise ValueError(f"{path}: {unknown} are not our pages; use one of {list(GROWTH_PAGES)}.")
        if not pairs or not isinstance(login, dict) or not {"url", "cookie", "headers"} & set(login):
            raise ValueError(f"{path}: needs at least one page, and a login with a url, a cookie or headers.")
        return cls(base_url, login, pairs)

    @property
    def check_path(self) -> str:
        """A page that needs the login, to check it worked: the file's login "check" if it has one
        (a peer's home page may be public), else the first path not paired with the bare page."""
        first = next((peer for ours, peer in self.pairs if ours != BARE_PAGE), self.pairs[0][1])
        return self.login.get("check", first)


def compare_targets(
    ours: httpx.AsyncClient, theirs: httpx.AsyncClient, peer: Peer, counts: dict[str, dict]
) -> list[Target]:
    """Our bare page, the peer's (if the file pairs one with ours), then each pair, ours first.

    A peer path paired with our bare page is the peer's yardstick; without one, the peer's
    ratios divide by our bare page.
    """
    our_targets: dict[str, Target] = {}

    def our_target(page: str) -> Target:
        if page not in our_targets:
            counted = counts[HEAVY_EMAIL][page]
            if counted["path"] is None:
                raise RuntimeError(f"There is no {page} for {HEAVY_EMAIL} to stand beside the peer's.")
            labels = {"side": "ours", "name": page, "page": counted["path"]}
            our_targets[page] = Target(
                ours, counted["path"], labels, bare=our_targets.get(BARE_PAGE), queries=counted["queries"]
            )
        return our_targets[page]

    targets = [our_target(BARE_PAGE)]
    peer_bare = None
    for page, path in sorted(peer.pairs, key=lambda pair: pair[0] != BARE_PAGE):
        labels = {"side": "peer", "beside": page, "page": path}
        peer_target = Target(theirs, path, labels, bare=peer_bare or targets[0], beside=our_target(page))
        if page == BARE_PAGE and peer_bare is None:
            peer_target.bare = None  # the peer's yardstick: its own ratio is 1
            peer_bare = peer_target
        targets += [target for target in (our_target(page), peer_target) if target not in targets]
    return targets


def compare_table(targets: Sequence[Target]) -> None:
    """Each peer page beside ours on stderr: p95 and the ratio over each side's bare page."""
    log(
        f"\n{'our page':<22}{'ours p95':>12}{'x bare':>8}   "
        f"{'peer path':<26}{'peer p95':>10}{'x bare':>8}{'peer/ours':>11}"
    )
    for target in targets:
        if target.beside is None:
            continue
        mine = target.beside
        log(
            f"{mine.labels['name']:<22}{mine.p95:>9.1f} ms{times(mine.over_bare()):>8}   "
            f"{target.path:<26}{target.p95:>7.1f} ms{times(target.over_bare()):>8}"
            f"{times(ratio(target.p95, mine.p95)):>11}"
        )
    log("")


async def compare_benchmark(
    base_url: str, options: argparse.Namespace, peer: Peer, counts: dict[str, dict]
) -> None:
    async with (
        new_client(base_url, options.clients) as ours,
        new_client(peer.base_url, options.clients) as theirs,
    ):
        await log_in(ours, HEAVY_EMAIL)
        await log_in_to_peer(theirs, peer.login, peer.check_path)
        log(f"Logged in to the peer at {peer.base_url}.")
        targets = compare_targets(ours, theirs, peer, counts)
        await measure_in_rounds(targets, options, lambda target: emit(target.line()))
        await check_steadiness(targets[:1], options)
        compare_table(targets)


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
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--growth", action="store_true", help="each page for users with 10, 200 and 2,000 applications"
    )
    mode.add_argument(
        "--compare", type=Path, metavar="FILE", help="a peer's pages beside ours (bench/compare.example.json)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help=f"split each page's seconds into this many interleaved passes "
        f"(default 1, or {INTERLEAVED_ROUNDS} with --growth and --compare)",
    )
    options = parser.parse_args()
    if options.rounds is None:
        options.rounds = INTERLEAVED_ROUNDS if options.growth or options.compare else 1
    if not (1 <= options.workers <= 64 and 1 <= options.clients <= 256 and 0 < options.seconds <= 600):
        parser.error("use 1-64 workers, 1-256 clients and 0-600 seconds per page")
    if not 1 <= options.rounds <= 100:
        parser.error("use 1-100 rounds")
    return options


def main() -> None:
    options = arguments()
    # Ctrl-C and a plain `kill` both end in the cleanup that stops gunicorn, even when this
    # script was started with SIGINT ignored (as background jobs of a script are).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    # Read the --compare file before anything slow, so that a mistake in it costs nothing.
    try:
        peer = Peer.read(options.compare, base_url) if options.compare else None
    except ValueError as error:
        log(str(error))
        sys.exit(2)
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    ensure_database(database_url)
    with tempfile.TemporaryDirectory(prefix="second-round-bench-") as folder:
        env = server_environment(database_url, Path(folder) / "static", port)
        prepare(env, GROWTH_USERS if options.growth else (HEAVY_USER,))
        if options.growth:
            counts = count_queries(env, [user.email for user in GROWTH_USERS], GROWTH_PAGES)
        elif peer:
            ours = {BARE_PAGE, *(page for page, _ in peer.pairs)}
            counts = count_queries(env, [HEAVY_EMAIL], [page for page in GROWTH_PAGES if page in ours])
        log_path = Path(folder) / "gunicorn.log"
        with gunicorn(env, port, options.workers, log_path) as process:
            wait_until_serving(process, base_url, log_path)
            log(
                f"gunicorn ({options.workers} workers) on {base_url}; {options.clients} clients, "
                f"{options.seconds:g} s per page"
                + (f" in {options.rounds} interleaved rounds." if options.rounds > 1 else ".")
            )
            if options.growth:
                asyncio.run(growth_benchmark(base_url, options, counts))
            elif peer:
                asyncio.run(compare_benchmark(base_url, options, peer, counts))
            else:
                asyncio.run(plain_benchmark(base_url, options))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        log("Interrupted; gunicorn stopped.")
        sys.exit(130)
