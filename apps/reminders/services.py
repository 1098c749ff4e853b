"""The reminders API that other apps' services call, and the person's own actions.

Other apps call: schedule_for_interview, cancel_for, complete, schedule_follow_up,
application_news. They never touch Reminder rows themselves.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.pipeline.models import Application, Interview
from apps.reminders import rules
from apps.reminders.models import OPEN, WAITING, Kind, Reminder, ReminderSettings, Status

SNOOZE = dt.timedelta(days=1)


def settings_for(user: User) -> ReminderSettings:
    """The person's reminder settings; the defaults when they never changed them."""
    try:
        return user.reminder_settings
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(owner=user)


def _upsert(
    *,
    owner: User,
    kind: str,
    due_at: dt.datetime,
    dedupe_key: str,
    application: Application | None = None,
    interview: Interview | None = None,
    subject_key: str = "",
) -> Reminder:
    """Create the reminder for an event, or move it if it is still waiting.

    A reminder already sent, done or dismissed stays as it is: the event it
    was about has been dealt with.
    """
    reminder, created = Reminder.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "owner": owner,
            "kind": kind,
            "due_at": due_at,
            "next_try_at": due_at,
            "application": application,
            "interview": interview,
            "subject_key": subject_key,
        },
    )
    if not created and reminder.status in WAITING and reminder.due_at != due_at:
        Reminder.objects.filter(pk=reminder.pk, status__in=WAITING).update(
            due_at=due_at, next_try_at=due_at, status=Status.PENDING
        )
        reminder.refresh_from_db()
    return reminder


def _interview_key(kind: str, interview: Interview) -> str:
    return f"{kind}:interview:{interview.pk}"


@transaction.atomic
def schedule_for_interview(*, interview: Interview, now: dt.datetime | None = None) -> list[Reminder]:
    """The reminders an interview brings, created or moved to its (new) time."""
    now = now or timezone.now()
    application = interview.application
    owner = application.owner
    preferences = settings_for(owner)
    planned: list[tuple[str, dt.datetime]] = []
    if interview.starts_at > now:
        prep_due = max(interview.starts_at - dt.timedelta(hours=preferences.prep_review_lead_hours), now)
        planned.append((Kind.PREP_REVIEW, prep_due))
    if interview.ends_at > now - rules.POST_INTERVIEW_CUTOFF:
        planned += [
            (Kind.THANK_YOU, interview.ends_at + dt.timedelta(hours=preferences.thank_you_delay_hours)),
            (Kind.RECRUITER_DEBRIEF, interview.ends_at),
            (Kind.REFLECTION_PROMPT, rules.reflection_prompt_due(interview.ends_at, owner.zone)),
        ]
    return [
        _upsert(
            owner=owner,
            kind=kind,
            due_at=due_at,
            dedupe_key=_interview_key(kind, interview),
            application=application,
            interview=interview,
        )
        for kind, due_at in planned
        if preferences.wants(kind)
    ]


def _close(queryset, status: str, now: dt.datetime | None = None) -> int:
    return queryset.filter(status__in=OPEN).update(status=status, closed_at=now or timezone.now())


def cancel_for(
    *,
    application: Application | None = None,
    interview: Interview | None = None,
    kinds: list[str] | None = None,
) -> int:
    """Dismiss what is still open for an application or an interview (cancelled, closed, archived)."""
    reminders = Reminder.objects.all()
    if application is not None:
        reminders = reminders.filter(application=application)
    if interview is not None:
        reminders = reminders.filter(interview=interview)
    if kinds:
        reminders = reminders.filter(kind__in=kinds)
    return _close(reminders, Status.DISMISSED)


def complete(*, kind: str, interview: Interview | None = None, application: Application | None = None) -> int:
    """The person did the thing (sent the note, wrote the reflection): close its reminder."""
    reminders = Reminder.objects.filter(kind=kind)
    if interview is not None:
        reminders = reminders.filter(interview=interview)
    if application is not None:
        reminders = reminders.filter(application=application)
    return _close(reminders, Status.DONE)


def schedule_follow_up(*, application: Application, now: dt.datetime | None = None) -> Reminder | None:
    """Follow up the morning after a promised decision date, if no news came."""
    now = now or timezone.now()
    key = f"{Kind.FOLLOW_UP}:application:{application.pk}:{application.decision_expected_on}"
    # A new promised date replaces the follow-up for the old one.
    stale = Reminder.objects.filter(application=application, kind=Kind.FOLLOW_UP).exclude(dedupe_key=key)
    _close(stale.filter(status__in=WAITING), Status.DISMISSED)
    owner = application.owner
    if application.decision_expected_on is None or application.is_closed or application.archived:
        return None
    due_at = rules.follow_up_due(application.decision_expected_on, owner.zone)
    # A date long gone (an old application imported) is history, not a to-do.
    if due_at < now - rules.POST_INTERVIEW_CUTOFF or not settings_for(owner).wants(Kind.FOLLOW_UP):
        return None
    return _upsert(
        owner=owner,
        kind=Kind.FOLLOW_UP,
        due_at=due_at,
        dedupe_key=key,
        application=application,
    )


# From these stages on, referees may be called: they should hear it from you first.
REFEREE_CALL_STAGES = ["second_interview", "final_round", "reference_check", "offer"]


def follow_up_now(*, application: Application, now: dt.datetime | None = None) -> Reminder:
    """The person asked to be reminded to chase a quiet application (one a day at most)."""
    now = now or timezone.now()
    return _upsert(
        owner=application.owner,
        kind=Kind.FOLLOW_UP,
        due_at=now,
        dedupe_key=f"{Kind.FOLLOW_UP}:application:{application.pk}:asked:{now:%Y-%m-%d}",
        application=application,
    )


def application_news(*, application: Application) -> None:
    """The application moved: no need to chase it any more; referees may need warning."""
    cancel_for(application=application, kinds=[Kind.FOLLOW_UP, Kind.NUDGE])
    if application.stage in REFEREE_CALL_STAGES:
        for reference in application.references.filter(status="asked").select_related("referee"):
            reference_heads_up(reference=reference)


def reference_heads_up(*, reference) -> Reminder | None:
    """Tell a referee a call may come: now, since the application is far enough along."""
    application = reference.application
    if not settings_for(application.owner).wants(Kind.REFERENCE_HEADS_UP):
        return None
    now = timezone.now()
    return _upsert(
        owner=application.owner,
        kind=Kind.REFERENCE_HEADS_UP,
        due_at=now,
        dedupe_key=f"{Kind.REFERENCE_HEADS_UP}:reference:{reference.pk}",
        application=application,
        subject_key=f"reference:{reference.pk}",
    )


def reference_progressed(*, reference) -> None:
    """A reference moved on: close what is done, ask for the thank-you once it is given."""
    key = f"reference:{reference.pk}"
    if reference.status in ("heads_up_sent", "given", "thanked"):
        _close(Reminder.objects.filter(kind=Kind.REFERENCE_HEADS_UP, subject_key=key), Status.DONE)
    if reference.status == "given" and settings_for(reference.application.owner).wants(Kind.REFERENCE_THANKS):
        _upsert(
            owner=reference.application.owner,
            kind=Kind.REFERENCE_THANKS,
            due_at=timezone.now(),
            dedupe_key=f"{Kind.REFERENCE_THANKS}:reference:{reference.pk}",
            application=reference.application,
            subject_key=key,
        )
    if reference.status == "thanked":
        _close(Reminder.objects.filter(kind=Kind.REFERENCE_THANKS, subject_key=key), Status.DONE)


def nudge_quiet_applications(*, now: dt.datetime | None = None) -> int:
    """A gentle nudge for each active application with no activity for two weeks."""
    now = now or timezone.now()
    quiet = (
        Application.objects.filter(archived=False, updated_at__lte=now - rules.QUIET_APPLICATION_AFTER)
        .exclude(stage__in=["rejected", "withdrawn", "no_reply", "accepted", "interested"])
        .select_related("owner")
    )
    made = 0
    for application in quiet.iterator(chunk_size=500):
        if not settings_for(application.owner).wants(Kind.NUDGE):
            continue
        # One nudge per quiet spell: the key names the last activity.
        key = f"{Kind.NUDGE}:application:{application.pk}:{application.updated_at:%Y%m%d%H%M%S}"
        _, created = Reminder.objects.get_or_create(
            dedupe_key=key,
            defaults={
                "owner": application.owner,
                "kind": Kind.NUDGE,
                "due_at": now,
                "next_try_at": now,
                "application": application,
            },
        )
        made += created
    return made


# --- The person's own actions -------------------------------------------------


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
