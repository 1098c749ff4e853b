"""Redis and Postgres going away under a real Celery worker with its embedded beat.

Each test runs its own redis-server on a free port (the shared one on 6379 stays
untouched), a real worker process on it, and the real SMTP server; it breaks one
part from outside, as an operator or a failover would, and then checks that
reminders made due afterwards still arrive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from apps.reminders.models import Kind, Reminder, Status
from tests.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)

# Long enough for the worker to notice and start retrying, short enough for the suite.
OUTAGE_SECONDS = 3


class RedisServer:
    """A private redis-server that can be killed and started again on the same port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "redis.log").open("a") as log:
            # Persistence on, as in docker-compose.yml: what was queued survives a restart.
            self.process = subprocess.Popen(
                [
                    *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                    *("--save", "", "--appendonly", "yes", "--dir", str(self.folder)),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        client = redis.Redis(port=self.port, socket_timeout=1)
        try:
            _wait_until(lambda: _answers(client), "redis-server to answer", timeout=20)
        finally:
            client.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def _wait_until(
    condition: Callable[[], bool], what: str, *, timeout: float, worker: subprocess.Popen | None = None
) -> None:
    """Poll until `condition()`; fail at the deadline, or as soon as the worker's main process is gone."""
    deadline = time.monotonic() + timeout
    while not condition():
        if worker is not None and worker.poll() is not None:
            raise AssertionError(
                f"the worker exited ({worker.returncode}) waiting for {what}\n{_tail(worker)}"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting {timeout:.0f}s for {what}\n{_tail(worker)}")
        time.sleep(0.1)


def _tail(worker: subprocess.Popen | None, lines: int = 60) -> str:
    log = getattr(worker, "log_path", None)
    return "\n".join(log.read_text().splitlines()[-lines:]) if log and log.exists() else ""


@pytest.fixture
def broker(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def start_worker(celery_worker, broker) -> Callable:
    """start(concurrency=, dispatch_seconds=, lease_seconds=): a worker with beat on the private Redis."""
    return lambda **options: celery_worker(broker_url=broker.url, **options)


@contextlib.contextmanager
def _control(broker: RedisServer) -> Iterator[Celery]:
    """A Celery client on the private Redis, to talk to the worker as the beat or an operator would."""
    app = Celery("broker-test", broker=broker.url, set_as_current=False)
    try:
        yield app
    finally:
        app.close()


def _answers_ping(broker: RedisServer) -> bool:
    with _control(broker) as app:
        try:
            return bool(app.control.ping(timeout=1.0))
        except (BrokerError, OSError):
            return False


def _due_now(owner, label: str) -> int:
    """One more reminder due now for the owner `due_reminders` prepared (its own dedupe key)."""
    due = timezone.now() - dt.timedelta(minutes=1)
    return Reminder.objects.create(
        owner=owner,
        kind=Kind.NUDGE,
        due_at=due,
        next_try_at=due,
        application=owner.applications.get(),
        dedupe_key=f"broker-test:{label}",
    ).pk


def test_worker_and_beat_ride_out_redis_stopped_and_started_twice(
    due_reminders, owner, smtp_server, broker, start_worker
):
    """Redis is killed while a sender is in the middle of a (slow) message, and started
    again on the same port; twice. The worker must stay up and reconnect, and
    reminders made due afterwards must all be delivered.

    This is the shape that used to end the worker: a task running (unacknowledged,
    acks_late) while another process was free, so the consumer was waiting on BRPOP
    when the connection broke (see config/celery_consumer.py). Two processes, as
    `manage.py run` and docker-compose.yml run it; with one, that moment never comes.
    """
    due_reminders(0)  # the owner: address confirmed, no quiet hours
    worker = start_worker(concurrency=2, dispatch_seconds=2)
    inbox = smtp_server.inbox
    inbox.delay_seconds = 4  # the SMTP server takes its time over each message

    in_flight = []
    for outage in (1, 2):
        in_flight.append(_due_now(owner, f"in-flight-{outage}"))
        _wait_until(
            lambda: Reminder.objects.filter(pk=in_flight[-1], status=Status.SENDING).exists(),
            f"a sender to claim reminder {in_flight[-1]} (before outage {outage})",
            timeout=90,
            worker=worker,
        )
        broker.kill()
        time.sleep(OUTAGE_SECONDS)  # the outage itself, not a wait for a result
        broker.start()
    inbox.delay_seconds = 0

    inbox.wait_for(len(in_flight), timeout=90)  # the senders caught by the outages finished
    _wait_until(lambda: _answers_ping(broker), "the worker to answer on Redis", timeout=90, worker=worker)

    after = due_reminders(5)
    _wait_until(
        lambda: set(after) <= set(inbox.reminder_ids()),
        "the reminders made due after the outages",
        timeout=90,
        worker=worker,
    )
    assert set(in_flight) <= set(inbox.reminder_ids())
    assert Reminder.objects.exclude(status=Status.SENT).count() == 0
    assert worker.poll() is None, "the worker's main process died"


def _cut_other_backends() -> list[int]:
    """pg_terminate_backend on every backend of the test database but this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for pid, ended in cursor.fetchall() if ended]


def test_the_next_task_reconnects_after_postgres_cuts_the_workers_connections(
    due_reminders, owner, smtp_server, broker, start_worker
):
    """Postgres ends every other backend of the database (a restart, a failover, an
    admin), first while the worker is idle, then while a sender holds its connection
    in the middle of a (slow) message. The worker stays up, the next tasks connect
    afresh, reminders made due afterwards go out, and the batch whose sender lost its
    connection is sent once its claim has expired (a short lease here).

    An idle worker holds no connection to cut: Celery's Django fix-up closes the
    database connections before and after every task, so each task opens its own.
    """
    due_reminders(0)
    worker = start_worker(concurrency=1, dispatch_seconds=2, lease_seconds=6)
    inbox = smtp_server.inbox
    warm_up = _due_now(owner, "warm-up")
    inbox.wait_for(1, timeout=90)

    _cut_other_backends()  # idle: between tasks

    inbox.delay_seconds = 3
    cut_off = _due_now(owner, "cut-mid-send")
    _wait_until(
        lambda: Reminder.objects.filter(pk=cut_off, status=Status.SENDING).exists(),
        "a sender to claim the reminder",
        timeout=90,
        worker=worker,
    )
    assert _cut_other_backends(), "the sender's connection was not there to cut"
    inbox.delay_seconds = 0

    after = due_reminders(5)
    _wait_until(
        lambda: set(after) <= set(inbox.reminder_ids()),
        "the reminders made due after the cut",
        timeout=90,
        worker=worker,
    )
    _wait_until(
        lambda: Reminder.objects.filter(pk=cut_off, status=Status.SENT).exists(),
        "the cut-off sender's reminder to be sent after its lease",
        timeout=90,
        worker=worker,
    )
    received = inbox.reminder_ids()
    assert {warm_up, cut_off, *after} <= set(received)
    assert Reminder.objects.exclude(status=Status.SENT).count() == 0
    # At most the message in flight at the cut went out twice (at-least-once for that one).
    assert len(received) - len(set(received)) <= 1
    assert worker.poll() is None, "the worker's main process died"
