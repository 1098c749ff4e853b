"""Sending due reminders: claim, send, record. Safe with many dispatchers at once.

1. Claims left in `sending` longer than the lease belong to a dispatcher that
   died: they go back to `pending` (so the one it was sending when it died may
   be sent twice: at-least-once for that one message, never lost).
2. A batch of due reminders is claimed inside one transaction with
   SELECT ... FOR UPDATE SKIP LOCKED and moved to `sending` with a claim token:
   two dispatchers never claim the same row.
3. Each claimed reminder is checked again (settings, quiet hours), emailed,
   and marked `sent` only by the claim that holds it.
4. An SMTP error puts it back to `pending` with a later try, backing off;
   after MAX_ATTEMPTS it is `failed`, with the reason shown to the person.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.reminders import emails, rules
from apps.reminders.models import WAITING, Reminder, Status
from apps.reminders.services import settings_for

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
BATCH_SIZE = 50
MAX_ATTEMPTS = 5
# After the 1st, 2nd, 3rd... failed attempt, wait this long before the next.
BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 15, 60)]


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: int = 0
    released: int = 0

    def add(self, other: DispatchReport) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def release_expired_claims(*, now: dt.datetime) -> int:
    """Give back claims a dead dispatcher never finished."""
    return Reminder.objects.filter(status=Status.SENDING, claimed_at__lt=now - LEASE).update(
        status=Status.PENDING, claim_token=None, claimed_at=None
    )


def _verified_address():
    # Reminders wait while the person's address is unconfirmed: mail to an
    # address nobody confirmed could land with a stranger.
    return Exists(
        EmailAddress.objects.filter(user=OuterRef("owner"), email=OuterRef("owner__email"), verified=True)
    )


def claim_batch(*, now: dt.datetime, size: int = BATCH_SIZE) -> tuple[uuid.UUID, list[int]]:
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=WAITING, next_try_at__lte=now)
            .filter(_verified_address())
            .order_by("next_try_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(
                status=Status.SENDING, claimed_at=now, claim_token=token
            )
    return token, ids


def _mine(reminder: Reminder, token: uuid.UUID):
    """The reminder's row, only while this dispatcher still holds its claim."""
    return Reminder.objects.filter(pk=reminder.pk, status=Status.SENDING, claim_token=token)


def send_batch(*, token: uuid.UUID, ids: list[int], now: dt.datetime) -> DispatchReport:
    report = DispatchReport()
    reminders = (
        Reminder.objects.filter(pk__in=ids, claim_token=token)
        .select_related("owner__reminder_settings", "application__company", "interview__application__company")
        .order_by("next_try_at", "pk")
    )
    connection = get_connection()
    # One SMTP session for the whole batch. If the server is down, each message
    # tries to connect again on its own, and the failure is recorded for it.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.open()
    try:
        for reminder in reminders:
            _send_one(reminder, token=token, now=now, connection=connection, report=report)
    finally:
        connection.close()
    return report


def _send_one(
    reminder: Reminder, *, token: uuid.UUID, now: dt.datetime, connection, report: DispatchReport
) -> None:
    owner = reminder.owner
    preferences = settings_for(owner)
    if not preferences.wants(reminder.kind):
        _mine(reminder, token).update(status=Status.DISMISSED, closed_at=now, claim_token=None)
        report.skipped += 1
        return
    allowed = rules.outside_quiet_hours(now, owner.zone, preferences.quiet_from, preferences.quiet_until)
    if allowed > now:
        _mine(reminder, token).update(status=Status.PENDING, next_try_at=allowed, claim_token=None)
        report.deferred += 1
        return
    try:
        emails.build(reminder).send() if connection is None else connection.send_messages(
            [emails.build(reminder)]
        )
    except (smtplib.SMTPException, OSError) as error:
        _record_failure(reminder, token=token, now=now, error=error, report=report)
        connection.close()  # a broken connection is opened afresh for the next message
        return
    _mine(reminder, token).update(status=Status.SENT, sent_at=now, claim_token=None, last_error="")
    report.sent += 1


def _record_failure(
    reminder: Reminder, *, token: uuid.UUID, now: dt.datetime, error: Exception, report: DispatchReport
) -> None:
    attempts = reminder.attempts + 1
    reason = f"{type(error).__name__}: {error}"[:500]
    logger.warning("Reminder %s not sent (attempt %s): %s", reminder.pk, attempts, reason)
    if attempts >= MAX_ATTEMPTS:
        _mine(reminder, token).update(
            status=Status.FAILED, attempts=attempts, last_error=reason, claim_token=None
        )
        report.failed += 1
        return
    wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    _mine(reminder, token).update(
        status=Status.PENDING, attempts=attempts, last_error=reason, next_try_at=now + wait, claim_token=None
    )
    report.retried += 1


def dispatch_due(
    *, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE, max_batches: int = 100
) -> DispatchReport:
    """Send everything due now, batch by batch, until nothing due is left unclaimed."""
    now = now or timezone.now()
    report = DispatchReport(released=release_expired_claims(now=now))
    for _ in range(max_batches):
        token, ids = claim_batch(now=now, size=batch_size)
        if not ids:
            break
        report.add(send_batch(token=token, ids=ids, now=now))
    return report
