"""The person's own actions on a reminder: done, snooze, dismiss, undo.

Other apps raise and close reminders through `apps.reminders.api`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.reminders.api import settings_for
from apps.reminders.models import Reminder, Status

__all__ = [
    "ReminderClosed",
    "reminder_dismiss",
    "reminder_mark_done",
    "reminder_reopen",
    "reminder_snooze",
    "settings_for",
]

SNOOZE = dt.timedelta(days=1)


def reminder_mark_done(*, reminder: Reminder, now: dt.datetime | None = None) -> Reminder:
    if reminder.status != Status.DONE:
        reminder.status = Status.DONE
        reminder.closed_at = now or timezone.now()
        reminder.save(update_fields=["status", "closed_at"])
    return reminder


class ReminderClosed(Exception):
    """The reminder is done or dismissed: there is nothing left to snooze."""


def reminder_snooze(*, reminder: Reminder, now: dt.datetime | None = None) -> Reminder:
    """Ask again in a day. A reminder already dealt with cannot be snoozed."""
    if reminder.status in (Status.DONE, Status.DISMISSED):
        raise ReminderClosed
    now = now or timezone.now()
    updated = Reminder.objects.filter(pk=reminder.pk).exclude(
        status__in=[Status.DONE, Status.DISMISSED, Status.SENDING]
    )
    updated.update(
        status=Status.SNOOZED, due_at=now + SNOOZE, next_try_at=now + SNOOZE, attempts=0, last_error=""
    )
    reminder.refresh_from_db()
    return reminder


def reminder_dismiss(*, reminder: Reminder, now: dt.datetime | None = None) -> Reminder:
    if reminder.status not in (Status.DONE, Status.DISMISSED):
        reminder.status = Status.DISMISSED
        reminder.closed_at = now or timezone.now()
        reminder.save(update_fields=["status", "closed_at"])
    return reminder


def reminder_reopen(*, reminder: Reminder) -> Reminder:
    """Undo a done or dismiss (a link followed by mistake)."""
    if reminder.status in (Status.DONE, Status.DISMISSED):
        reminder.status = Status.SENT if reminder.sent_at else Status.PENDING
        reminder.closed_at = None
        reminder.save(update_fields=["status", "closed_at"])
    return reminder
