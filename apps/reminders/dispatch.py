"""Sending due reminders: claim, send, record. Safe with many senders at once.

1. Claims left in `sending` past the lease belong to a sender that died: they
   go back to `pending` (so the one it was sending when it died may be sent
   twice: at-least-once for that one message, never lost).
2. A small batch of due reminders is claimed inside one transaction with
   SELECT ... FOR UPDATE SKIP LOCKED and moved to `sending` with a claim token:
   two senders never claim the same row.
3. While it works, a sender renews its claims long before the lease runs out,
   so a slow SMTP server never lets a live claim expire and be sent again.
4. Each reminder is an attempt of its own: checked again (settings, quiet
   hours), built, emailed, and marked `sent` only by the claim that holds it.
   Whatever goes wrong with one (an email that cannot be built, a refusal)
   is recorded on that row alone and the batch goes on.
5. A permanent refusal (SMTP 5xx for this message) ends it `failed` at once
   with the server's words; a temporary one (4xx, no connection, a bug)
   backs off and is `failed` after MAX_ATTEMPTS, the reason shown to the person.

The beat's minute job only finds work (`senders_needed`); the sending is done
by as many send tasks as there are batches, up to one per worker process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import smtplib
import time
import uuid
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import get_connection
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.reminders import emails, rules
from apps.reminders.api import settings_for
from apps.reminders.models import WAITING, Reminder, Status

logger = logging.getLogger(__name__)

BATCH_SIZE = 20
MAX_ATTEMPTS = 5
# After the 1st, 2nd, 3rd... failed attempt, wait this long before the next.
BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 15, 60)]
# A send task stops taking new batches after this long, well inside Celery's
# time limit; the next minute's job starts fresh ones if work is left.
SENDER_BUDGET = dt.timedelta(minutes=4)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


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

    def count_failure(self, gave_up: bool) -> None:
        if gave_up:
            self.failed += 1
        else:
            self.retried += 1


class SendClock:
    """The moment a sender acts at: the real time, or one fixed moment when it was given one.

    Tests and the management command may name the moment (standing after a
    lease, in quiet hours); a sender of the beat's runs on the real clock, so
    a long batch stamps each message with when it really went.
    """

    def __init__(self, fixed: dt.datetime | None = None) -> None:
        self._fixed = fixed

    def now(self) -> dt.datetime:
        return self._fixed or timezone.now()


def release_expired_claims(*, now: dt.datetime) -> int:
    """Give back claims a dead sender never finished."""
    return Reminder.objects.filter(status=Status.SENDING, claimed_at__lt=now - lease()).update(
        status=Status.PENDING, claim_token=None, claimed_at=None
    )


def _verified_address():
    # Reminders wait while the person's address is unconfirmed: mail to an
    # address nobody confirmed could land with a stranger.
    return Exists(
        EmailAddress.objects.filter(user=OuterRef("owner"), email=OuterRef("owner__email"), verified=True)
    )


def _due(reminders, now: dt.datetime):
    return reminders.filter(status__in=WAITING, next_try_at__lte=now).filter(_verified_address())


def senders_needed(*, now: dt.datetime, batch_size: int = BATCH_SIZE) -> int:
    """How many more send tasks the due work calls for: one per batch, up to one per worker
    process, less the senders already at work (each holds one batch's claim)."""
    most = settings.REMINDER_PARALLEL_SENDERS
    at_work = (
        Reminder.objects.filter(status=Status.SENDING, claimed_at__gte=now - lease())
        .values("claim_token")
        .distinct()
        .count()
    )
    free = most - at_work
    if free <= 0:
        return 0
    due = _due(Reminder.objects.order_by(), now)[: free * batch_size].count()
    return min(free, math.ceil(due / batch_size))


@dataclass
class Claim:
    token: uuid.UUID
    ids: list[int]
    clock: SendClock
    renewed_at: float = field(default_factory=time.monotonic)
    # Rows this sender found taken back from it (it stalled past its lease): not sent by it.
    lost: set[int] = field(default_factory=set)

    def renew_if_due(self, *, still_to_send: int) -> None:
        """Push the claim's lease forward once a quarter of it has gone: a live sender's
        claims never expire, however slow each message is (up to three quarters of a lease).

        Should the sender have stalled past the lease anyway (a paused machine),
        the rows another sender has taken since are left to that one.
        """
        if time.monotonic() - self.renewed_at < lease().total_seconds() / 4:
            return
        mine = Reminder.objects.filter(claim_token=self.token, status=Status.SENDING)
        held = mine.update(claimed_at=self.clock.now())
        self.renewed_at = time.monotonic()
        if held < still_to_send:
            self.lost = set(self.ids) - set(mine.values_list("pk", flat=True))


def claim_batch(*, clock: SendClock, size: int = BATCH_SIZE) -> Claim:
    token = uuid.uuid4()
    now = clock.now()
    with transaction.atomic():
        ids = list(
            _due(Reminder.objects.select_for_update(skip_locked=True, of=("self",)), now)
            .order_by("next_try_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(
                status=Status.SENDING, claimed_at=now, claim_token=token
            )
    return Claim(token=token, ids=ids, clock=clock)


def _mine(reminder: Reminder, claim: Claim):
    """The reminder's row, only while this sender still holds its claim."""
    return Reminder.objects.filter(pk=reminder.pk, status=Status.SENDING, claim_token=claim.token)


def send_batch(claim: Claim) -> DispatchReport:
    report = DispatchReport()
    reminders = (
        Reminder.objects.filter(pk__in=claim.ids, claim_token=claim.token)
        .select_related("owner__reminder_settings", "application__company", "interview__application__company")
        .order_by("next_try_at", "pk")
    )
    connection = get_connection()
    # One SMTP session for the whole batch. If the server is down, each message
    # tries to connect again on its own, and the failure is recorded for it.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.open()
    try:
        batch = list(reminders)
        for position, reminder in enumerate(batch):
            claim.renew_if_due(still_to_send=len(batch) - position)
            if reminder.pk not in claim.lost:
                _send_one(reminder, claim=claim, connection=connection, report=report)
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return report


def _refusal(error: smtplib.SMTPException) -> str | None:
    """The server's words when it refused this message for good (5xx), else None.

    Only refusals of the message or its recipient count: a 5xx to our login
    or greeting is our configuration, which a fix can mend, so it backs off.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        if answers and all(code >= 500 for code, _ in answers):
            code, words = answers[0]
            return f"{code} {_text(words)}"
    elif isinstance(error, smtplib.SMTPDataError | smtplib.SMTPSenderRefused) and error.smtp_code >= 500:
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return None


def _text(words: bytes | str) -> str:
    return words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)


def _send_one(reminder: Reminder, *, claim: Claim, connection, report: DispatchReport) -> None:
    now = claim.clock.now()
    owner = reminder.owner
    preferences = settings_for(owner)
    if not preferences.wants(reminder.kind):
        _mine(reminder, claim).update(status=Status.DISMISSED, closed_at=now, claim_token=None)
        report.skipped += 1
        return
    try:
        allowed = rules.outside_quiet_hours(now, owner.zone, preferences.quiet_from, preferences.quiet_until)
        message = emails.build(reminder) if allowed <= now else None
    except (OperationalError, InterfaceError):
        raise  # the database is gone, not this row's fault: the task retries, the lease covers the row
    except Exception as error:
        # A row whose email cannot be built (a poison row) must not hold up the
        # rest of the batch, nor be given up on silently.
        logger.exception("Reminder %s could not be built", reminder.pk)
        reason = f"The email could not be put together ({_name(error)})"
        report.count_failure(_record_failure(reminder, claim=claim, reason=reason))
        return
    if message is None:
        _mine(reminder, claim).update(status=Status.PENDING, next_try_at=allowed, claim_token=None)
        report.deferred += 1
        return
    try:
        if connection.send_messages([message]) != 1:
            raise smtplib.SMTPException("the mail server took no message")
    except smtplib.SMTPException as error:
        refusal = _refusal(error)
        if refusal is not None:
            gave_up = _record_failure(
                reminder, claim=claim, reason=f"The mail server refused it: {refusal}", final=True
            )
        else:
            gave_up = _record_failure(
                reminder, claim=claim, reason=f"The mail server did not take it ({_name(error)})"
            )
        report.count_failure(gave_up)
        _reset(connection)
        return
    except OSError as error:
        reason = f"The mail server could not be reached ({_name(error)})"
        report.count_failure(_record_failure(reminder, claim=claim, reason=reason))
        _reset(connection)
        return
    _mine(reminder, claim).update(
        status=Status.SENT, sent_at=claim.clock.now(), claim_token=None, last_error=""
    )
    report.sent += 1


def _name(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _reset(connection) -> None:
    """A broken session is opened afresh for the next message."""
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.close()


def _record_failure(reminder: Reminder, *, claim: Claim, reason: str, final: bool = False) -> bool:
    """One failed attempt for this reminder: a later try, or `failed` for good (True)."""
    attempts = reminder.attempts + 1
    reason = reason[:500]
    logger.warning("Reminder %s not sent (attempt %s): %s", reminder.pk, attempts, reason)
    if final or attempts >= MAX_ATTEMPTS:
        _mine(reminder, claim).update(
            status=Status.FAILED, attempts=attempts, last_error=reason, claim_token=None
        )
        return True
    wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    _mine(reminder, claim).update(
        status=Status.PENDING,
        attempts=attempts,
        last_error=reason,
        next_try_at=claim.clock.now() + wait,
        claim_token=None,
    )
    return False


def send_due(
    *,
    now: dt.datetime | None = None,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    budget: dt.timedelta | None = None,
) -> DispatchReport:
    """Claim and send batch after batch until nothing due is left unclaimed (or the budget ends)."""
    clock = SendClock(now)
    started = time.monotonic()
    report = DispatchReport()
    batches = 0
    while max_batches is None or batches < max_batches:
        if budget is not None and time.monotonic() - started > budget.total_seconds():
            break
        claim = claim_batch(clock=clock, size=batch_size)
        if not claim.ids:
            break
        report.add(send_batch(claim))
        batches += 1
    return report


def dispatch_due(
    *, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE, max_batches: int | None = None
) -> DispatchReport:
    """Everything due now, sent from this process: what `manage.py dispatch_reminders` does."""
    released = release_expired_claims(now=now or timezone.now())
    report = send_due(now=now, batch_size=batch_size, max_batches=max_batches)
    report.released = released
    return report
