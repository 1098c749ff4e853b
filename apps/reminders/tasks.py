"""Celery tasks: thin, they take no objects and call the dispatcher.

The beat's minute job only finds work; the sending runs in as many
`send_due_reminders` tasks as there are batches (up to one per worker process),
so one slow batch delays nobody else and throughput grows with the workers.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(ignore_result=True)
def dispatch_due_reminders() -> dict[str, int]:
    """Every minute (the beat): give back dead senders' claims and start the senders needed."""
    from django.utils import timezone

    from apps.reminders.dispatch import release_expired_claims, senders_needed

    now = timezone.now()
    released = release_expired_claims(now=now)
    senders = senders_needed(now=now)
    for _ in range(senders):
        send_due_reminders.delay()
    return {"released": released, "senders": senders}


# A database connection cut under the worker (a restart, a failover) is opened
# afresh on the retry; what was claimed meanwhile comes back after its lease.
@shared_task(
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def send_due_reminders() -> dict[str, int]:
    from apps.reminders.dispatch import SENDER_BUDGET, send_due

    return send_due(budget=SENDER_BUDGET).__dict__
