"""Dispatchers as separate processes on real Postgres, sending to a real SMTP server."""

from __future__ import annotations

import collections
import datetime as dt
import signal
import subprocess
import time

import pytest
from django.utils import timezone

from apps.reminders import dispatch
from apps.reminders.models import Reminder, Status

pytestmark = pytest.mark.django_db(transaction=True)


def _start(manage_py, env) -> subprocess.Popen:
    return subprocess.Popen(
        [*manage_py, "dispatch_reminders", "--batch-size", "25"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_dispatchers_at_once_send_each_of_1000_reminders_exactly_once(
    due_reminders, smtp_server, process_env, manage_py
):
    ids = due_reminders(1000)

    first, second = _start(manage_py, process_env), _start(manage_py, process_env)
    outputs = [process.communicate(timeout=300)[0] for process in (first, second)]

    assert first.returncode == second.returncode == 0, outputs
    received = collections.Counter(smtp_server.inbox.reminder_ids())
    assert sorted(received) == sorted(ids)
    assert max(received.values()) == 1
    assert Reminder.objects.filter(status=Status.SENT).count() == 1000
    print("\n" + "\n".join(output.strip() for output in outputs))


def test_a_dispatcher_killed_mid_batch_loses_nothing(due_reminders, smtp_server, process_env, manage_py):
    """At-least-once for the message in flight when the process dies, exactly once for all others.

    The one being handed to the SMTP server at the moment of the kill may have
    been accepted before the process could record it: it goes out again after
    the lease. A duplicate reminder is a small nuisance; a lost thank-you
    reminder is the failure this product exists to prevent.
    """
    ids = due_reminders(200)
    smtp_server.inbox.delay_seconds = 0.02
    victim = _start(manage_py, process_env)
    smtp_server.inbox.wait_for(40, timeout=60)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    stranded = Reminder.objects.filter(status=Status.SENDING).count()
    assert stranded > 0  # it died holding a claimed batch

    # A dispatcher started after the lease has run out finishes the job.
    smtp_server.inbox.delay_seconds = 0
    report = dispatch.dispatch_due(now=timezone.now() + dispatch.lease() + dt.timedelta(seconds=1))
    time.sleep(0.2)

    received = collections.Counter(smtp_server.inbox.reminder_ids())
    assert sorted(received) == sorted(ids)
    duplicates = [pk for pk, count in received.items() if count > 1]
    assert len(duplicates) <= 1
    assert Reminder.objects.exclude(status=Status.SENT).count() == 0
    print(f"\nkilled holding {stranded} claims; released {report.released}; duplicates {len(duplicates)}")
