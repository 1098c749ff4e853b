"""Reads of reminders for the pages: every one starts from the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from apps.accounts.models import User
from apps.core import keyset
from apps.reminders.models import TO_DO, WAITING, Reminder, Status

# A screenful per section, enough to act on at a glance; the rest comes with "Show more".
LIST_LIMIT = 10
CLOSED_LIMIT = 5


def _with_context(reminders: QuerySet[Reminder]) -> QuerySet[Reminder]:
    return reminders.select_related("application__company", "interview__application__company")


@dataclass(frozen=True)
class Section:
    """One list of the reminders page: which reminders, in which order, how many at a time."""

    name: str
    column: str
    descending: bool
    size: int

    def rows(self, user: User, now: dt.datetime) -> QuerySet[Reminder]:
        mine = _with_context(Reminder.objects.for_user(user))
        if self.name == "due":
            return mine.filter(status__in=TO_DO, due_at__lte=now)
        if self.name == "upcoming":
            return mine.filter(status__in=WAITING, due_at__gt=now)
        if self.name == "failed":
            return mine.filter(status=Status.FAILED)
        # Closed with no time recorded (only a hand-made import can do that) is not recent.
        return mine.filter(status__in=[Status.DONE, Status.DISMISSED], closed_at__isnull=False)


SECTIONS = {
    section.name: section
    for section in (
        # To do now: the longest overdue first, since it has waited longest.
        Section("due", "due_at", descending=False, size=LIST_LIMIT),
        Section("upcoming", "due_at", descending=False, size=LIST_LIMIT),
        # Could not be emailed: the latest failure first, the one the person may not have seen.
        Section("failed", "due_at", descending=True, size=LIST_LIMIT),
        Section("closed", "closed_at", descending=True, size=CLOSED_LIMIT),
    )
}


def reminder_section(*, user: User, now: dt.datetime, name: str, query: QueryDict) -> keyset.KeysetPage:
    """One section's page of reminders, after the position `query` names (`section=` and `after=`)."""
    section = SECTIONS[name]
    if query.get("section") != name:
        # Another section's position: this one starts from its top.
        query = QueryDict(mutable=True)
        query["section"] = name
    page = keyset.page(
        section.rows(user, now),
        column=section.column,
        descending=section.descending,
        query=query,
        size=section.size,
        sort=name,
        # Every section's column is filled in for the rows it lists: a plain order, read off an index.
        nullable=False,
    )
    if name == "due":
        # Of what is to do now, what was left from an earlier day: its first page or any after.
        mark_overdue(page.rows, now=now)
    return page


def mark_overdue(reminders: list[Reminder], *, now: dt.datetime) -> list[Reminder]:
    """Flag (`overdue`) the reminders still open that fell due before today began, in the time zone
    active for the request (the person's own): yesterday's task left undone looks different."""
    today_began = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    for reminder in reminders:
        reminder.overdue = reminder.is_open and reminder.due_at < today_began
    return reminders


@dataclass
class ReminderBoard:
    due: keyset.KeysetPage
    upcoming: keyset.KeysetPage
    failed: keyset.KeysetPage
    closed: keyset.KeysetPage


def reminder_board(*, user: User, now: dt.datetime, query: QueryDict | None = None) -> ReminderBoard:
    """Four lists: to do now, coming up, could not be emailed, done; each a page at a time."""
    query = query if query is not None else QueryDict()
    pages = {name: reminder_section(user=user, now=now, name=name, query=query) for name in SECTIONS}
    return ReminderBoard(**pages)


def open_reminders_for(*, user: User, application_id: int) -> list[Reminder]:
    """An application's reminders still asking for something, soonest first."""
    return list(
        _with_context(Reminder.objects.for_user(user))
        .filter(application_id=application_id)
        .exclude(status__in=[Status.DONE, Status.DISMISSED])
        .order_by("due_at")
    )
