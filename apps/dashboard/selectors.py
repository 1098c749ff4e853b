"""What the dashboard shows, composed from the other apps in a fixed number of queries.

Every query starts from the user. Each one loads a list the page needs whole (or a
small window of it) and the rest is counted in Python, so a user with 2,000
applications costs the page the same number of queries as one with ten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from apps.accounts.models import User
from apps.contacts.models import ApplicationReference, ReferenceStatus
from apps.contacts.services import REFEREE_CALL_STAGES
from apps.dashboard import numbers
from apps.journal import selectors as journal_selectors
from apps.journal.insights import rank_mistakes
from apps.journal.models import Reflection
from apps.pipeline.models import Application, Interview, Stage, moved_since
from apps.prep import selectors as prep_selectors
from apps.reminders.models import TO_DO, Kind, Reminder, Status
from apps.reminders.selectors import mark_overdue

WINDOW = dt.timedelta(days=14)
# A busy fortnight is summarised by its first interviews; the calendar feed has them all.
UPCOMING_SHOWN = 10
AWAITING_SHOWN = 5
DUE_SHOWN = 10
FAILED_SHOWN = 5
STALE_AFTER = dt.timedelta(days=14)


@dataclass
class Glance:
    stage_counts: list[tuple[str, str, int]]
    active: int
    funnel: list[numbers.FunnelStep]
    stale: list[Application]
    keep_searching: str = ""


@dataclass
class Dashboard:
    due: list[Reminder]
    failed: list[Reminder]
    awaiting_reflection: list[Interview]
    next_interview: Interview | None
    next_readiness: int | None
    previous_reflection: Reflection | None
    upcoming: list[Interview]
    readiness: dict[int, int]
    lessons: list
    references_to_warn: list[ApplicationReference]
    glance: Glance
    recent_reflections: list[Reflection]
    recurring_mistakes: list
    is_new: bool = field(default=False)


def _reminders(user: User, now: dt.datetime) -> tuple[list[Reminder], list[Reminder]]:
    """What is due (longest waiting first) and what could not be emailed (latest first).

    Two short reads, each in the order of an index: a long search has thousands of reminders."""
    mine = Reminder.objects.for_user(user).select_related(
        "application__company", "interview__application__company"
    )
    due = mine.filter(status__in=TO_DO, due_at__lte=now).order_by("due_at", "pk")[:DUE_SHOWN]
    failed = mine.filter(status=Status.FAILED).order_by("-due_at", "-pk")[:FAILED_SHOWN]
    return list(due), list(failed)


def _interviews_window(user: User, now: dt.datetime) -> tuple[list[Interview], list[Interview]]:
    """Interviews of the last and the next two weeks: those to reflect on, and those coming.

    Two short queries, each cut to what the page shows: a long search has hundreds of
    interviews in a month."""
    window = (
        Interview.objects.for_user(user)
        .scheduled()
        .select_related("application__company", "reflection")
        .only(
            "pk",
            "round_number",
            "starts_at",
            "ends_at",
            "application_id",
            "application__company__name",
            "reflection__status",
            "reflection__interview_id",
        )
    )
    awaiting = (
        window.filter(starts_at__gte=now - WINDOW, ends_at__lte=now)
        .filter(Q(reflection__isnull=True) | Q(reflection__status=Reflection.Status.DRAFT))
        .order_by("-starts_at")[:AWAITING_SHOWN]
    )
    upcoming = window.filter(starts_at__gte=now, starts_at__lt=now + WINDOW).order_by("starts_at")
    return list(awaiting), list(upcoming[:UPCOMING_SHOWN])


def _previous_reflection(interview: Interview) -> Reflection | None:
    return (
        Reflection.objects.filter(
            interview__application_id=interview.application_id, interview__starts_at__lt=interview.starts_at
        )
        .select_related("interview")
        .only("pk", "interview_id", "interview__round_number", "interview__starts_at")
        .order_by("-interview__starts_at")
        .first()
    )


def _references_to_warn(user: User) -> list[ApplicationReference]:
    return list(
        ApplicationReference.objects.for_user(user)
        .filter(
            status=ReferenceStatus.ASKED,
            application__stage__in=REFEREE_CALL_STAGES,
            application__archived=False,
        )
        .select_related("referee", "application__company")[:5]
    )


def _glance(user: User, now: dt.datetime) -> Glance:
    """Counts per stage, quiet applications and the search's history: aggregated in SQL."""
    mine = Application.objects.for_user(user).filter(archived=False)
    per_stage = {
        row["stage"]: row
        for row in mine.values("stage").annotate(
            count=Count("pk"),
            newest=Max("created_at"),
            moving=Count("pk", filter=moved_since(now - STALE_AFTER)),
        )
    }
    active_stages = [stage for stage in Stage.active() if stage != Stage.ACCEPTED]
    active = sum(per_stage[stage]["count"] for stage in active_stages if stage in per_stage)
    stale = list(
        mine.quiet(since=now - STALE_AFTER)
        .filter(stage__in=active_stages)
        .exclude(stage=Stage.INTERESTED)
        .select_related("company")
        .order_by("updated_at")[:5]
    )
    glance = Glance(
        stage_counts=[
            (stage.value, stage.label, per_stage[stage]["count"]) for stage in Stage if stage in per_stage
        ],
        active=active,
        # The same rules as the numbers page (apps/dashboard/numbers.py), counted in one query.
        funnel=numbers.funnel(numbers.per_application(user)),
        stale=stale,
    )
    newest = max((row["newest"] for row in per_stage.values()), default=None)
    # Counted as the weekly keep-searching email counts (ApplicationQuerySet.moving).
    moving = sum(per_stage[stage]["moving"] for stage in Stage.under_way() if stage in per_stage)
    if per_stage and moving == 0:
        glance.keep_searching = (
            "Nothing is moving right now. Add an application or two: the next good one starts here."
        )
    elif per_stage and moving == 1:
        glance.keep_searching = (
            "Only one application is moving. Add another: one good interview is not an offer yet."
        )
    elif newest and newest < now - WINDOW:
        glance.keep_searching = (
            "Nothing new added for two weeks. Keep a few applications moving while you wait."
        )
    return glance


# Days from applying to the first answer, spelt in each database the app runs on.
DAYS_BETWEEN = {
    "postgresql": 'EXTRACT(EPOCH FROM "answered_at" - "applied_at") / 86400',
    "sqlite": 'julianday("answered_at") - julianday("applied_at")',
}


# Recurring slips are counted over the latest reflections: recent habits are the ones to work on.
RECENT_REFLECTIONS = 100


def _reflections(user: User) -> tuple[list[Reflection], list]:
    rows = list(
        Reflection.objects.for_user(user)
        .filter(interview__cancelled_at__isnull=True)
        .select_related("interview__application__company")
        .only(
            "pk",
            "mistakes",
            "good_signs",
            "warning_signs",
            "confidence",
            "status",
            "interview__starts_at",
            "interview__round_number",
            "interview__application__role_title",
            "interview__application__company__name",
        )
        .order_by("-interview__starts_at")[:RECENT_REFLECTIONS]
    )
    return rows[:3], rank_mistakes(row.mistakes for row in rows)[:3]


def _not_shown_elsewhere(
    due: list[Reminder], awaiting: list[Interview], references: list[ApplicationReference]
) -> list[Reminder]:
    """The due reminders less those a section of the page already shows with its own button: an
    interview to reflect on, referees to warn. The same task twice reads as two tasks."""
    reflecting = {interview.pk for interview in awaiting}
    warning = {reference.application_id for reference in references}
    return [
        reminder
        for reminder in due
        if not (reminder.kind == Kind.REFLECTION_PROMPT and reminder.interview_id in reflecting)
        and not (reminder.kind == Kind.REFERENCE_HEADS_UP and reminder.application_id in warning)
    ]


def dashboard(*, user: User, now: dt.datetime) -> Dashboard:
    due, failed = _reminders(user, now)
    awaiting, upcoming = _interviews_window(user, now)
    references = _references_to_warn(user)
    mark_overdue(due, now=now)
    next_interview = upcoming[0] if upcoming else None
    readiness = prep_selectors.readiness_for_interviews([i.pk for i in upcoming]) if upcoming else {}
    recent, mistakes = _reflections(user)
    glance = _glance(user, now)
    return Dashboard(
        due=_not_shown_elsewhere(due, awaiting, references),
        failed=failed,
        awaiting_reflection=awaiting,
        next_interview=next_interview,
        next_readiness=readiness.get(next_interview.pk) if next_interview else None,
        previous_reflection=_previous_reflection(next_interview) if next_interview else None,
        upcoming=upcoming,
        readiness=readiness,
        # The dashboard shows a lesson's words only, not where it came from.
        lessons=list(journal_selectors.open_lessons(user=user).select_related(None).only("pk", "text")[:5]),
        references_to_warn=references,
        glance=glance,
        recent_reflections=recent,
        recurring_mistakes=mistakes,
        is_new=not glance.stage_counts and not upcoming,
    )
