"""What other apps' services call to raise, move and close reminders.

The domain apps decide *when* something happens (an interview is booked, a
referee may be called); the registry (kinds.py) says when its reminder falls
due and what its key is. The domain apps never write Reminder rows themselves
(the account export, import and deletion carry them as data).

    schedule(kind=, about=)            one reminder, created or moved to its new time
    schedule_about(what=, about=)      every kind about that row (an interview's four)
    plan(...) + save(planned)          the same in two steps, when the caller has rules of its own
    plan(...) + schedule_many(plans)   in bulk: imports, the hourly nudges, demo data
    complete(kind=, about=)            the person did the thing
    cancel(application= | interview=)  what it was about is gone or closed
    dismiss_other_occasions(...)       a new promised date replaces the old follow-up
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.reminders import kinds
from apps.reminders.models import OPEN, WAITING, Reminder, ReminderSettings, Status

BULK_BATCH = 1000


def settings_for(user: User) -> ReminderSettings:
    """The person's reminder settings; the defaults when they never changed them."""
    try:
        return user.reminder_settings
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(owner=user)


def _application_of(what: str, about: Any) -> Any:
    """The application a reminder belongs to: the row itself, the one it hangs from, or none
    for a reminder about the whole search."""
    if what == kinds.ACCOUNT:
        return None
    return about if what == kinds.APPLICATION else about.application


def _owner_of(what: str, about: Any) -> User:
    return about if what == kinds.ACCOUNT else _application_of(what, about).owner


def _links(row: kinds.ReminderKind, about: Any) -> dict[str, Any]:
    """The columns that say what a reminder is about, from the row it is about."""
    links: dict[str, Any] = {"application": _application_of(row.about, about)}
    if row.about == kinds.INTERVIEW:
        links["interview"] = about
    elif row.about == kinds.REFERENCE:
        links["subject_key"] = f"{kinds.REFERENCE}:{about.pk}"
    return links


def _about_filter(what: str, about: Any) -> Q:
    if what == kinds.INTERVIEW:
        return Q(interview=about)
    if what == kinds.APPLICATION:
        return Q(application=about)
    if what == kinds.ACCOUNT:
        return Q(owner=about)
    return Q(subject_key=f"{kinds.REFERENCE}:{about.pk}")


def plan(
    *,
    kind: str,
    about: Any,
    due_at: dt.datetime | None = None,
    occasion: str = "",
    preferences: ReminderSettings | None = None,
    now: dt.datetime | None = None,
    asked: bool = False,
) -> Reminder | None:
    """The reminder an event brings, not yet saved; None when the person switched the kind
    off or its due rule says there is nothing to remind of.

    `due_at` overrides the kind's rule; `asked` says the person asked for this
    one themselves, so a kind they switched off still makes it. Pass
    `preferences` when planning many for one person: it saves a query each.
    """
    row = kinds.get(kind)
    links = _links(row, about)
    owner = _owner_of(row.about, about)
    if not asked:
        preferences = preferences or settings_for(owner)
        if not preferences.wants(kind):
            return None
    now = now or timezone.now()
    if due_at is None:
        due_at = row.due(about, preferences or settings_for(owner), owner.zone, now)
        if due_at is None:
            return None
    return Reminder(
        owner=owner,
        kind=kind,
        due_at=due_at,
        next_try_at=due_at,
        dedupe_key=row.dedupe_key(about.pk, occasion),
        **links,
    )


def save(planned: Reminder, *, rearm: bool = False) -> Reminder:
    """Create the planned reminder, or move the one already made for that event if it still waits.

    A reminder already sent, done or dismissed stays as it is: the event it was
    about has been dealt with. Unless `rearm`: the event itself has moved (an interview
    rescheduled), so one dealt with is due again at the new time, if that is still ahead.
    """
    reminder, created = Reminder.objects.get_or_create(
        dedupe_key=planned.dedupe_key,
        defaults={
            "owner": planned.owner,
            "kind": planned.kind,
            "due_at": planned.due_at,
            "next_try_at": planned.next_try_at,
            "application": planned.application,
            "interview": planned.interview,
            "subject_key": planned.subject_key,
        },
    )
    if not created and reminder.status in WAITING and reminder.due_at != planned.due_at:
        Reminder.objects.filter(pk=reminder.pk, status__in=WAITING).update(
            due_at=planned.due_at, next_try_at=planned.due_at, status=Status.PENDING
        )
        reminder.refresh_from_db()
    elif not created and rearm and reminder.status not in WAITING and planned.due_at > timezone.now():
        # Not one being sent right now: its sender holds it, and will finish with it.
        Reminder.objects.filter(pk=reminder.pk).exclude(status=Status.SENDING).update(
            due_at=planned.due_at,
            next_try_at=planned.due_at,
            status=Status.PENDING,
            attempts=0,
            last_error="",
            sent_at=None,
            closed_at=None,
        )
        reminder.refresh_from_db()
    return reminder


def schedule(
    *,
    kind: str,
    about: Any,
    due_at: dt.datetime | None = None,
    occasion: str = "",
    now: dt.datetime | None = None,
) -> Reminder | None:
    """Create the reminder for an event, or move it to the event's new time."""
    planned = plan(kind=kind, about=about, due_at=due_at, occasion=occasion, now=now)
    return save(planned) if planned is not None else None


@transaction.atomic
def schedule_about(
    *, what: str, about: Any, now: dt.datetime | None = None, rearm: bool = False
) -> list[Reminder]:
    """Every reminder that a row brings (an interview: prep review, thank-you, debrief,
    reflection), created or moved to the row's new times; `rearm` when the row's times moved,
    so that those already dealt with for the old times come due again (see `save`)."""
    now = now or timezone.now()
    preferences = settings_for(_owner_of(what, about))
    planned = (
        plan(kind=row.key, about=about, preferences=preferences, now=now) for row in kinds.kinds_about(what)
    )
    return [save(reminder, rearm=rearm) for reminder in planned if reminder is not None]


def schedule_many(planned: Iterable[Reminder | None]) -> int:
    """Save planned reminders in bulk: two queries per thousand, whatever the kinds.

    Reminders already made for the same event are left as they are (unlike
    `schedule`, which moves them): bulk callers bring new events. Returns how
    many were created.
    """
    created = 0
    rows = (reminder for reminder in planned if reminder is not None)
    while batch := list(itertools.islice(rows, BULK_BATCH)):
        keys = [reminder.dedupe_key for reminder in batch]
        taken = set(Reminder.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        fresh = {reminder.dedupe_key: reminder for reminder in batch if reminder.dedupe_key not in taken}
        # ignore_conflicts: a key made by a concurrent request since the look-up is theirs to keep.
        Reminder.objects.bulk_create(fresh.values(), ignore_conflicts=True)
        created += len(fresh)
    return created


def _close(reminders: QuerySet[Reminder], status: str, now: dt.datetime | None = None) -> int:
    return reminders.filter(status__in=OPEN).update(status=status, closed_at=now or timezone.now())


def complete(*, kind: str, about: Any = None, application: Any = None, now: dt.datetime | None = None) -> int:
    """The person did the thing (sent the note, wrote the reflection): close its reminder.

    `about` is the row the kind is about; `application` alone closes the kind's
    reminders for every interview of that application.
    """
    if about is None and application is None:
        raise TypeError("complete() needs what the reminder is about, or its application")
    reminders = Reminder.objects.filter(kind=kind)
    if about is not None:
        reminders = reminders.filter(_about_filter(kinds.about(kind), about))
    if application is not None:
        reminders = reminders.filter(application=application)
    return _close(reminders, Status.DONE, now)


def cancel(
    *,
    application: Any = None,
    interview: Any = None,
    kinds_to_cancel: list[str] | None = None,
) -> int:
    """Dismiss what is still open for an application (all its interviews' too) or an interview."""
    if application is None and interview is None:
        raise TypeError("cancel() needs an application or an interview")
    reminders = Reminder.objects.all()
    if application is not None:
        reminders = reminders.filter(application=application)
    if interview is not None:
        reminders = reminders.filter(interview=interview)
    if kinds_to_cancel:
        reminders = reminders.filter(kind__in=kinds_to_cancel)
    return _close(reminders, Status.DISMISSED)


def dismiss_other_occasions(*, kind: str, about: Any, keep_occasion: str) -> int:
    """A kind that recurs (a follow-up per promised date): waiting ones for other occasions go."""
    row = kinds.get(kind)
    stale = Reminder.objects.filter(_about_filter(row.about, about), kind=kind, status__in=WAITING).exclude(
        dedupe_key=row.dedupe_key(about.pk, keep_occasion)
    )
    return _close(stale, Status.DISMISSED)
