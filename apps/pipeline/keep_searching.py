"""Keep searching: a weekly word when fewer than two applications are moving.

One good interview is not an offer. When only one application (or none) is
going anywhere, the week is a good one to add a couple more and to chase the
quiet ones; the email says which, each with the next step that fits its stage.
"Moving" is `ApplicationQuerySet.moving`: under way, and touched or
interviewed in the last two weeks; the dashboard's banner counts the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from apps.accounts.models import User
from apps.pipeline.models import Application, Stage
from apps.reminders import api as reminders
from apps.reminders.kinds import Kind
from apps.reminders.rules import QUIET_APPLICATION_AFTER

# Fewer moving than this, and the week's email goes.
ENOUGH_MOVING = 2
# The email lists this many quiet applications, the longest quiet first.
QUIET_SHOWN = 5

NEXT_STEPS = {
    Stage.APPLIED: "No answer yet: a short, polite check-in with the recruiter or the hiring team is fair.",
    Stage.SCREENING: "Ask the recruiter when a first interview could happen, and what they need from you.",
    Stage.FIRST_INTERVIEW: "Ask how things stand since the interview, and when they expect to decide.",
    Stage.SECOND_INTERVIEW: "Ask how things stand since the interview, and when they expect to decide.",
    Stage.FINAL_ROUND: "Ask when they expect to decide, and say again that you want the role.",
    Stage.REFERENCE_CHECK: "Check that your referees were called, and thank those who were.",
    Stage.OFFER: "Answer the offer, or ask for the time you need to decide.",
}


@dataclass(frozen=True)
class QuietOne:
    application: Application
    next_step: str


@dataclass(frozen=True)
class SearchPulse:
    """How the search is going this week: what is moving, and what has gone quiet."""

    moving: int
    quiet: list[QuietOne]
    quiet_total: int

    @property
    def quiet_more(self) -> int:
        """Quiet applications beyond those listed."""
        return self.quiet_total - len(self.quiet)

    @property
    def needs_a_push(self) -> bool:
        return self.moving < ENOUGH_MOVING

    @property
    def headline(self) -> str:
        if self.moving == 0:
            return "Nothing in your search is moving right now."
        if self.moving == 1:
            return "Only one application is moving right now."
        return f"{self.moving} applications are moving."


def pulse(*, user: User, now: dt.datetime | None = None) -> SearchPulse:
    """The person's search this week, in three queries whatever its size."""
    since = (now or timezone.now()) - QUIET_APPLICATION_AFTER
    mine = Application.objects.for_user(user)
    quiet = mine.open().quiet(since=since).filter(stage__in=Stage.under_way())
    shown = quiet.select_related("company").order_by("updated_at", "pk")[:QUIET_SHOWN]
    return SearchPulse(
        moving=mine.moving(since=since).count(),
        quiet=[QuietOne(application, NEXT_STEPS.get(application.stage, "")) for application in shown],
        quiet_total=quiet.count(),
    )


def week_of(user: User, now: dt.datetime) -> str:
    """The person's own week ("2026-W50"): one email per week, whatever hour the job runs."""
    year, week, _ = now.astimezone(user.zone).isocalendar()
    return f"{year}-W{week:02d}"


def plan_weekly_reminders(*, now: dt.datetime | None = None) -> int:
    """Every hour: this week's reminder for each person whose search has stalled, once a week.

    Someone is searching while they have an application on file and none accepted; a
    person who switched the kind off gets none (the planner asks their settings).
    """
    now = now or timezone.now()
    since = now - QUIET_APPLICATION_AFTER
    moving = dict(
        Application.objects.moving(since=since)
        .values("owner")
        .annotate(count=Count("pk"))
        .values_list("owner", "count")
    )
    on_file = Application.objects.open()
    searching = (
        User.objects.filter(is_active=True, pk__in=on_file.values("owner"))
        .exclude(pk__in=on_file.filter(stage=Stage.ACCEPTED).values("owner"))
        .select_related("reminder_settings")
        .order_by("pk")
    )
    planned = (
        reminders.plan(kind=Kind.KEEP_SEARCHING, about=user, occasion=week_of(user, now), now=now)
        for user in searching.iterator(chunk_size=500)
        if moving.get(user.pk, 0) < ENOUGH_MOVING
    )
    return reminders.schedule_many(planned)
