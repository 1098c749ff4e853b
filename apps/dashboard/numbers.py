"""The search in numbers: how far applications got, how fast companies answered, what works.

The rules, told on the numbers page in the same words:
- Archived applications are left out: archiving takes a duplicate or a mistake out of the count.
- An application counts as applied for once its history reaches Applied or any later stage,
  or it was rejected. Withdrawn or "No reply" count too, unless the application went there
  straight from Interested: then it was never sent.
- Reaching a step means getting at least that far: a move from First interview straight to
  Offer passed Second interview, Final round and Reference check on the way.
- An answer is the company's first move after Applied (a screen, an interview, an offer, a
  rejection). The person's own "No reply" or "Withdrawn" is not one.
- Ghosted: applied for more than three weeks ago and never answered (still at Applied, or
  moved to "No reply" by the person).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When

from apps.accounts.models import User
from apps.pipeline.models import Stage, StageChange

FUNNEL = [
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.FIRST_INTERVIEW,
    Stage.SECOND_INTERVIEW,
    Stage.FINAL_ROUND,
    Stage.REFERENCE_CHECK,
    Stage.OFFER,
]
# How far each stage got, as a step of the funnel; an accepted offer was an offer first.
STEP = {stage: index for index, stage in enumerate(FUNNEL)} | {Stage.ACCEPTED: FUNNEL.index(Stage.OFFER)}
INTERVIEW_STEP = FUNNEL.index(Stage.FIRST_INTERVIEW)
OFFER_STEP = FUNNEL.index(Stage.OFFER)
# The company's own moves after Applied.
ANSWERS = [*FUNNEL[1:], Stage.ACCEPTED, Stage.REJECTED]
GHOSTED_AFTER = dt.timedelta(days=21)
COMPANIES_SHOWN = 5
NO_SOURCE = "Not recorded"


@dataclass(frozen=True)
class Period:
    """Applications applied for from `start` (included) to `end` (left out); None is open-ended."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None


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


def _applied_for() -> Q:
    """A history line that shows the application was sent."""
    ended_after_sending = Q(to_stage__in=[Stage.WITHDRAWN, Stage.NO_REPLY]) & ~Q(from_stage=Stage.INTERESTED)
    return Q(to_stage__in=[*STEP, Stage.REJECTED]) | ended_after_sending


def per_application(user: User, period: Period = Period()) -> QuerySet:
    """One row per application applied for in the period, grouped from its history by the database:
    its furthest step, when it was sent, and when the company first answered."""
    step = Case(
        *[When(to_stage=stage, then=Value(index)) for stage, index in STEP.items()],
        When(_applied_for(), then=Value(0)),
        default=Value(-1),
        output_field=IntegerField(),
    )
    rows = (
        StageChange.objects.filter(application__owner=user, application__archived=False)
        .values("application_id", "application__company__name", "application__source", "application__stage")
        .annotate(
            furthest=Max(step),
            applied_on=Min("changed_at", filter=_applied_for()),
            applied_at=Min("changed_at", filter=Q(to_stage=Stage.APPLIED)),
            answered_at=Min("changed_at", filter=Q(from_stage=Stage.APPLIED, to_stage__in=ANSWERS)),
        )
        .filter(furthest__gte=0)
        .order_by()
    )
    if period.start:
        rows = rows.filter(applied_on__gte=period.start)
    if period.end:
        rows = rows.filter(applied_on__lt=period.end)
    return rows


def funnel(rows: QuerySet) -> list[FunnelStep]:
    """How many applications reached each step, counted by the database in one query."""
    reached = rows.aggregate(
        **{
            f"step_{index}": Count("application_id", filter=Q(furthest__gte=index))
            for index in range(len(FUNNEL))
        }
    )
    return [
        FunnelStep(
            stage.value,
            stage.label,
            reached[f"step_{index}"],
            reached[f"step_{index + 1}"] if index + 1 < len(FUNNEL) else None,
        )
        for index, stage in enumerate(FUNNEL)
    ]


@dataclass
class SourceNumbers:
    source: str
    applied: int = 0
    interviews: int = 0  # reached a first interview or further
    offers: int = 0

    @property
    def interview_rate(self) -> int:
        return round(100 * self.interviews / self.applied) if self.applied else 0


@dataclass
class CompanyAnswers:
    company: str
    median_days: float
    answers: int


@dataclass
class SearchNumbers:
    funnel: list[FunnelStep]
    applied: int = 0
    answered: int = 0
    waiting: int = 0  # no answer yet, still at Applied
    median_days: float | None = None  # from applying to a first answer
    ghosted: int = 0
    ghost_candidates: int = 0  # applied for long enough ago to tell
    companies: int = 0  # that answered
    fastest: list[CompanyAnswers] = field(default_factory=list)
    slowest: list[CompanyAnswers] = field(default_factory=list)
    sources: list[SourceNumbers] = field(default_factory=list)

    @property
    def ghosted_rate(self) -> int | None:
        return round(100 * self.ghosted / self.ghost_candidates) if self.ghost_candidates else None

    @property
    def offers(self) -> int:
        return self.funnel[OFFER_STEP].reached

    @property
    def interviews(self) -> int:
        return self.funnel[INTERVIEW_STEP].reached


def _days(later: dt.datetime, earlier: dt.datetime) -> float:
    return (later - earlier).total_seconds() / 86400


def search_numbers(*, user: User, now: dt.datetime, period: Period = Period()) -> SearchNumbers:
    """The numbers page: the funnel in one query, the rest from one row per application."""
    rows = per_application(user, period)
    numbers = SearchNumbers(funnel=funnel(rows))
    waits: list[float] = []
    by_company: dict[str, list[float]] = defaultdict(list)
    by_source: dict[str, SourceNumbers] = {}
    for row in rows:
        numbers.applied += 1
        label = " ".join(row["application__source"].split()) or NO_SOURCE
        source = by_source.setdefault(label.casefold(), SourceNumbers(label))
        source.applied += 1
        source.interviews += int(row["furthest"] >= INTERVIEW_STEP)
        source.offers += int(row["furthest"] >= OFFER_STEP)
        applied_at, answered_at = row["applied_at"], row["answered_at"]
        if answered_at is not None:
            numbers.answered += 1
            if applied_at is not None and answered_at > applied_at:
                waits.append(_days(answered_at, applied_at))
                by_company[row["application__company__name"]].append(waits[-1])
        elif row["application__stage"] == Stage.APPLIED:
            numbers.waiting += 1
        if applied_at is not None and applied_at <= now - GHOSTED_AFTER:
            numbers.ghost_candidates += 1
            never_answered = answered_at is None and row["application__stage"] in (
                Stage.APPLIED,
                Stage.NO_REPLY,
            )
            numbers.ghosted += int(never_answered)
    if waits:
        numbers.median_days = round(median(waits), 1)
    companies = sorted(
        (CompanyAnswers(name, round(median(days), 1), len(days)) for name, days in by_company.items()),
        key=lambda company: (company.median_days, company.company),
    )
    numbers.companies = len(companies)
    numbers.fastest = companies[:COMPANIES_SHOWN]
    # The slowest, slowest first, without repeating a company already among the fastest.
    numbers.slowest = companies[max(COMPANIES_SHOWN, len(companies) - COMPANIES_SHOWN) :][::-1]
    numbers.sources = sorted(by_source.values(), key=lambda source: (-source.applied, source.source))
    return numbers
