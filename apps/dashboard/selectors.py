"""What the dashboard shows, composed from the other apps in a fixed number of queries.

Every query starts from the user. Each one loads a list the page needs whole (or a
small window of it) and the rest is counted in Python, so a user with 2,000
applications costs the page the same number of queries as one with ten.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Q

from apps.accounts.models import User
from apps.contacts.models import ApplicationReference, ReferenceStatus
from apps.journal import selectors as journal_selectors
from apps.journal.insights import rank_mistakes
from apps.journal.models import Reflection
from apps.pipeline.models import Application, Interview, Stage, StageChange
from apps.prep import selectors as prep_selectors
from apps.reminders.models import Reminder, Status
from apps.reminders.services import REFEREE_CALL_STAGES

WINDOW = dt.timedelta(days=14)
STALE_AFTER = dt.timedelta(days=14)
# The stages of the funnel, in order: how far applications got.
FUNNEL = [
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.FIRST_INTERVIEW,
    Stage.SECOND_INTERVIEW,
    Stage.FINAL_ROUND,
    Stage.OFFER,
]


@dataclass
class FunnelStep:
    stage: str
    label: str
    reached: int
    went_on: int | None  # of those, how many reached the next step; None for the last

    @property
    def conversion(self) -> int | None:
        if self.went_on is None or not self.reached:
            return None
        return round(100 * self.went_on / self.reached)


@dataclass
class Glance:
    stage_counts: list[tuple[str, str, int]]
    active: int
    funnel: list[FunnelStep]
    response_days: list[tuple[str, float, int]]  # company, average days to a first answer, data points
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
    rows = list(
        Reminder.objects.for_user(user)
        .filter(
            Q(status=Status.FAILED)
            | Q(due_at__lte=now, status__in=[Status.PENDING, Status.SNOOZED, Status.SENDING, Status.SENT])
        )
        .select_related("application__company", "interview__application__company")
        .order_by("due_at")[:40]
    )
    return [r for r in rows if r.status != Status.FAILED][:10], [
        r for r in rows if r.status == Status.FAILED
    ][:5]


def _interviews_window(user: User, now: dt.datetime) -> tuple[list[Interview], list[Interview]]:
    """Interviews of the last and the next two weeks: those to reflect on, and those coming."""
    rows = list(
        Interview.objects.for_user(user)
        .scheduled()
        .filter(starts_at__gte=now - WINDOW, starts_at__lt=now + WINDOW)
        .select_related("application__company", "reflection")
        .order_by("starts_at")
    )
    awaiting = [
        interview
        for interview in reversed(rows)
        if interview.ends_at <= now
        and (not hasattr(interview, "reflection") or interview.reflection.status == Reflection.Status.DRAFT)
    ]
    upcoming = [interview for interview in rows if interview.starts_at >= now]
    return awaiting[:5], upcoming


def _previous_reflection(interview: Interview) -> Reflection | None:
    return (
        Reflection.objects.filter(
            interview__application_id=interview.application_id, interview__starts_at__lt=interview.starts_at
        )
        .select_related("interview")
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
    applications = list(
        Application.objects.for_user(user)
        .filter(archived=False)
        .select_related("company")
        .only("pk", "stage", "updated_at", "created_at", "role_title", "company__name")
    )
    counts = Counter(application.stage for application in applications)
    active_stages = [stage for stage in Stage.active() if stage != Stage.ACCEPTED]
    active = [a for a in applications if a.stage in active_stages]
    stale = sorted(
        (a for a in active if a.stage != Stage.INTERESTED and a.updated_at < now - STALE_AFTER),
        key=lambda a: a.updated_at,
    )[:5]
    funnel, response_days = _history(user)
    glance = Glance(
        stage_counts=[(stage.value, stage.label, counts[stage]) for stage in Stage if counts[stage]],
        active=len(active),
        funnel=funnel,
        response_days=response_days,
        stale=stale,
    )
    newest = max((a.created_at for a in applications), default=None)
    if applications and len(active) <= 1:
        glance.keep_searching = (
            "Only one application is moving. Add another: one good interview is not an offer yet."
        )
    elif newest and newest < now - WINDOW:
        glance.keep_searching = (
            "Nothing new added for two weeks. Keep a few applications moving while you wait."
        )
    return glance


def _history(user: User) -> tuple[list[FunnelStep], list[tuple[str, float, int]]]:
    """From every stage change: how far applications got, and how fast companies answered."""
    changes = (
        StageChange.objects.filter(application__owner=user)
        .values_list("application_id", "to_stage", "changed_at", "application__company__name")
        .order_by("application_id", "changed_at", "pk")
    )
    furthest: dict[int, int] = {}
    by_application: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    company_of: dict[int, str] = {}
    for application_id, to_stage, changed_at, company in changes:
        by_application[application_id].append((to_stage, changed_at))
        company_of[application_id] = company
        if to_stage in FUNNEL:
            furthest[application_id] = max(furthest.get(application_id, -1), FUNNEL.index(to_stage))
    reached = [sum(1 for step in furthest.values() if step >= index) for index in range(len(FUNNEL))]
    funnel = [
        FunnelStep(stage.value, stage.label, reached[i], reached[i + 1] if i + 1 < len(FUNNEL) else None)
        for i, stage in enumerate(FUNNEL)
    ]
    waits: dict[str, list[float]] = defaultdict(list)
    for application_id, steps in by_application.items():
        applied = next((when for stage, when in steps if stage == Stage.APPLIED), None)
        answer = next(
            (when for stage, when in steps if applied and when > applied and stage != Stage.APPLIED), None
        )
        if applied and answer:
            waits[company_of[application_id]].append((answer - applied).total_seconds() / 86400)
    response_days = sorted(
        ((company, round(mean(days), 1), len(days)) for company, days in waits.items()),
        key=lambda row: row[1],
    )
    return funnel, response_days[:8]


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
        .order_by("-interview__starts_at")
    )
    return rows[:3], rank_mistakes(row.mistakes for row in rows)[:3]


def dashboard(*, user: User, now: dt.datetime) -> Dashboard:
    due, failed = _reminders(user, now)
    awaiting, upcoming = _interviews_window(user, now)
    next_interview = upcoming[0] if upcoming else None
    readiness = prep_selectors.readiness_for_interviews([i.pk for i in upcoming]) if upcoming else {}
    recent, mistakes = _reflections(user)
    glance = _glance(user, now)
    return Dashboard(
        due=due,
        failed=failed,
        awaiting_reflection=awaiting,
        next_interview=next_interview,
        next_readiness=readiness.get(next_interview.pk) if next_interview else None,
        previous_reflection=_previous_reflection(next_interview) if next_interview else None,
        upcoming=upcoming,
        readiness=readiness,
        lessons=list(journal_selectors.open_lessons(user=user)[:5]),
        references_to_warn=_references_to_warn(user),
        glance=glance,
        recent_reflections=recent,
        recurring_mistakes=mistakes,
        is_new=not glance.stage_counts and not upcoming,
    )
