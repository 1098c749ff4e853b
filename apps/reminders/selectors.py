"""Reads of reminders for the pages: every one starts from the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.reminders.models import Reminder, Status

# Enough to act on; a long list is read by nobody and costs every page view.
LIST_LIMIT = 25


def _with_context(reminders: QuerySet[Reminder]) -> QuerySet[Reminder]:
    return reminders.select_related("application__company", "interview__application__company")


@dataclass
class ReminderBoard:
    due: list[Reminder]
    upcoming: list[Reminder]
    failed: list[Reminder]
    closed: list[Reminder]


def reminder_board(*, user: User, now: dt.datetime) -> ReminderBoard:
    """Four short lists: to do now, coming up, could not be emailed, recently closed."""
    mine = _with_context(Reminder.objects.for_user(user))
    return ReminderBoard(
        due=list(
            mine.filter(
                status__in=[Status.PENDING, Status.SNOOZED, Status.SENDING, Status.SENT], due_at__lte=now
            ).order_by("due_at")[:LIST_LIMIT]
        ),
        upcoming=list(
            mine.filter(status__in=[Status.PENDING, Status.SNOOZED], due_at__gt=now).order_by("due_at")[
                :LIST_LIMIT
            ]
        ),
        failed=list(mine.filter(status=Status.FAILED).order_by("-due_at")[:LIST_LIMIT]),
        closed=list(mine.filter(status__in=[Status.DONE, Status.DISMISSED]).order_by("-closed_at")[:10]),
    )


def open_reminders_for(*, user: User, application_id: int) -> list[Reminder]:
    """An application's reminders still asking for something, soonest first."""
    return list(
        _with_context(Reminder.objects.for_user(user))
        .filter(application_id=application_id)
        .exclude(status__in=[Status.DONE, Status.DISMISSED])
        .order_by("due_at")
    )
