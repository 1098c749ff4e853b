"""The faults the reminders must survive, with a real SMTP server, real Postgres and,
where it takes one, real sender processes or a real Celery worker on Redis."""

from __future__ import annotations

import collections
import datetime as dt
import subprocess
import time

import pytest
import redis
from django.test import Client
from django.utils import timezone

from apps.reminders import dispatch
from apps.reminders.models import Kind, Reminder, Status
from tests.accounts.factories import UserFactory
from tests.reliability.conftest import accepts_mail_at_any_hour, make_due_reminders

pytestmark = pytest.mark.django_db(transaction=True)


def _send_until_settled(*, attempts: int = dispatch.MAX_ATTEMPTS) -> None:
    """Run the dispatcher at each moment a retry falls due, as the beat would over the hours."""
    moment = timezone.now()
    for _ in range(attempts + 1):
        dispatch.dispatch_due(now=moment, batch_size=5)
        waiting = Reminder.objects.filter(status=Status.PENDING).order_by("next_try_at").first()
        if waiting is None:
            return
        moment = max(moment, waiting.next_try_at)


def test_a_reminder_whose_email_cannot_be_built_fails_alone_and_its_batch_is_sent(
    due_reminders, owner, smtp_server
):
    good = due_reminders(9)
    # A reflection prompt that names no interview cannot say what to reflect on:
    # its email cannot be built. It sits in the middle of a batch of good ones.
    due = Reminder.objects.get(pk=good[4]).next_try_at
    poison = Reminder.objects.create(
        owner=owner,
        kind=Kind.REFLECTION_PROMPT,
        due_at=due,
        next_try_at=due,
        application=owner.applications.get(),
        dedupe_key="reliability:poison",
    )

    _send_until_settled()

    assert sorted(smtp_server.inbox.reminder_ids()) == sorted(good)
    poison.refresh_from_db()
    assert (poison.status, poison.attempts) == (Status.FAILED, dispatch.MAX_ATTEMPTS)
    assert "could not be put together" in poison.last_error
    assert Reminder.objects.filter(pk__in=good, status=Status.SENT).count() == len(good)
    # The person sees it, with the reason, among the reminders that could not be emailed.
    client = Client()
    client.force_login(owner)
    page = client.get("/reminders/").content.decode()
    assert "Could not be emailed" in page and "could not be put together" in page


def test_a_permanent_refusal_fails_at_once_with_the_servers_words(due_reminders, owner, smtp_server):
    [reminder_id] = due_reminders(1)
    smtp_server.inbox.refuse_with = "550 5.1.1 No mailbox here by that name"

    report = dispatch.dispatch_due()

    assert (report.failed, report.retried) == (1, 0)
    reminder = Reminder.objects.get(pk=reminder_id)
    assert (reminder.status, reminder.attempts) == (Status.FAILED, 1)
    assert "550" in reminder.last_error and "No mailbox here by that name" in reminder.last_error
    # Nothing more is tried, however long we wait.
    assert dispatch.dispatch_due(now=timezone.now() + dt.timedelta(days=1)).sent == 0
    client = Client()
    client.force_login(owner)
    assert "No mailbox here by that name" in client.get("/").content.decode()


def test_a_temporary_refusal_backs_off_and_is_sent_once_the_server_takes_it(due_reminders, smtp_server):
    [reminder_id] = due_reminders(1)
    smtp_server.inbox.refuse = True

    report = dispatch.dispatch_due()

    reminder = Reminder.objects.get(pk=reminder_id)
    assert (report.retried, reminder.status, reminder.attempts) == (1, Status.PENDING, 1)
    assert "451" in reminder.last_error
    assert reminder.next_try_at >= timezone.now() + dispatch.BACKOFF[0] - dt.timedelta(seconds=5)

    smtp_server.inbox.refuse = False
    assert dispatch.dispatch_due(now=reminder.next_try_at).sent == 1
    assert smtp_server.inbox.reminder_ids() == [reminder_id]


def _release_claims_while(processes: list[subprocess.Popen], *, limit_seconds: float = 180) -> int:
    """What the beat does every minute, here as often as it can: give back expired claims."""
    released = 0
    deadline = time.monotonic() + limit_seconds
    while any(process.poll() is None for process in processes) and time.monotonic() < deadline:
        released += dispatch.release_expired_claims(now=timezone.now())
        time.sleep(0.05)
    return released


def test_a_slow_smtp_server_causes_no_duplicate(due_reminders, smtp_server, process_env, manage_py, settings):
    """A batch takes twice the lease to send; live senders renew their claims, so
    none expires and nothing is sent twice, while claims are taken back as eagerly as can be."""
    ids = due_reminders(60)
    smtp_server.inbox.delay_seconds = 0.2
    settings.REMINDER_LEASE_SECONDS = 2  # for the releasing done here, as for the senders
    env = {**process_env, "REMINDER_LEASE_SECONDS": str(settings.REMINDER_LEASE_SECONDS)}
    senders = [
        subprocess.Popen(
            [*manage_py, "dispatch_reminders", "--batch-size", "20"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]

    _release_claims_while(senders)
    outputs = [sender.communicate(timeout=120)[0] for sender in senders]

    assert all(sender.returncode == 0 for sender in senders), outputs
    received = collections.Counter(smtp_server.inbox.reminder_ids())
    assert sorted(received) == sorted(ids)
    assert [pk for pk, count in received.items() if count > 1] == []
    assert Reminder.objects.filter(pk__in=ids, status=Status.SENT).count() == len(ids)


# --- Parallel senders under a real Celery worker ---------------------------------------

BROKER = "redis://127.0.0.1:6379/12"


@pytest.fixture
def two_process_worker(celery_worker):
    """start(): a Celery worker with two processes and a beat that looks for work every two seconds."""
    redis.Redis.from_url(BROKER).flushdb()
    return lambda: celery_worker(broker_url=BROKER, concurrency=2)


def _due_for(user, count: int, *, minutes_ago: int) -> list[int]:
    accepts_mail_at_any_hour(user)
    return make_due_reminders(user, count, minutes_ago=minutes_ago, label="parallel")


def test_one_slow_batch_delays_nobody_else(smtp_server, two_process_worker):
    """The first batch goes to a mail host that takes a second a message; the next batch,
    sent by the other worker process, arrives in full while the slow one is still going."""
    slow_user = UserFactory(email="slow@example.com")
    quick_user = UserFactory(email="quick@example.com")
    slow = _due_for(slow_user, dispatch.BATCH_SIZE, minutes_ago=10)  # claimed first
    quick = _due_for(quick_user, dispatch.BATCH_SIZE, minutes_ago=5)
    smtp_server.inbox.slow_for = {slow_user.email: 1.0}

    two_process_worker()
    deadline = time.monotonic() + 90
    while smtp_server.inbox.count_to(quick_user.email) < len(quick) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert smtp_server.inbox.count_to(quick_user.email) == len(quick)
    assert smtp_server.inbox.count_to(slow_user.email) < len(slow)
    # ...and the slow batch still arrives in full, each message once.
    smtp_server.inbox.wait_for(len(slow) + len(quick), timeout=120)
    received = collections.Counter(smtp_server.inbox.reminder_ids())
    assert sorted(received) == sorted(slow + quick) and max(received.values()) == 1
