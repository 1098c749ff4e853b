"""Patterns across a user's reflections, for the insights page.

Every selector reads the user's reflections in one query and works in Python,
so the page costs the same number of queries with three reflections or three
thousand. Reflections on cancelled interviews are left out everywhere: the
interview did not happen, so what was written about it says nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.journal import checklists
from apps.journal.models import Reflection
from apps.pipeline.models import Interview, InterviewOutcome, Stage, StageChange

# Below this many decided interviews in either group, a percentage is mostly noise.
MINIMUM_PER_GROUP = 5

# Reaching one of these after an interview means the interview let the user through.
STAGES_PAST_INTERVIEWS = (Stage.REFERENCE_CHECK, Stage.OFFER, Stage.ACCEPTED)


def _reflections(user: User) -> QuerySet[Reflection]:
    return Reflection.objects.for_user(user).filter(interview__cancelled_at__isnull=True)


# --- Recurring mistakes ---------------------------------------------------------------------------


def recurring_mistakes(*, user: User) -> list[tuple[checklists.Item, int]]:
    """Each mistake with the number of reflections that list it, most frequent first.

    Ties keep the checklist's order, so the list does not shuffle between visits.
    """
    return rank_mistakes(_reflections(user).values_list("mistakes", flat=True))


def rank_mistakes(lists_of_keys: Iterable[object]) -> list[tuple[checklists.Item, int]]:
    """Mistakes by how many of the given reflections list them, most frequent first."""
    counts = _count_reflections_listing(lists_of_keys)
    ranked = [(item, counts[item.key]) for item in checklists.MISTAKES if counts[item.key]]
    # sorted() is stable: equal counts stay in checklist order.
    return sorted(ranked, key=lambda pair: -pair[1])


def _count_reflections_listing(lists_of_keys: Iterable[object]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for keys in lists_of_keys:
        # A key ticked twice by a glitch still counts once for its reflection.
        counts.update(set(_as_keys(keys)))
    return counts


def _as_keys(value: object) -> list[str]:
    # The column is JSON: anything but a list of strings is ignored rather than trusted.
    if not isinstance(value, list):
        return []
    return [key for key in value if isinstance(key, str)]


# --- Scores over time -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundScores:
    """One reflected interview on the "confidence and gut score" chart."""

    round_number: int
    date: dt.date
    confidence: int | None
    gut_score: int | None
    company: str


def scores_by_round(*, user: User, latest: int | None = None) -> list[RoundScores]:
    """Confidence and gut score of every reflection that has at least one, oldest interview first.

    `latest` keeps only the most recent interviews, so a long search still
    gives a chart with room between its points.
    """
    rows = (
        _reflections(user)
        .exclude(confidence__isnull=True, gut_score__isnull=True)
        .order_by("-interview__starts_at", "-pk")
        .values(
            "confidence",
            "gut_score",
            "interview__round_number",
            "interview__starts_at",
            "interview__application__company__name",
        )
    )
    if latest is not None:
        rows = rows[:latest]
    # The day is the user's day, not the server's: an evening interview in
    # New York must not land on the next day.
    zone = user.zone
    newest_first = [
        RoundScores(
            round_number=row["interview__round_number"],
            date=timezone.localtime(row["interview__starts_at"], zone).date(),
            confidence=row["confidence"],
            gut_score=row["gut_score"],
            company=row["interview__application__company__name"],
        )
        for row in rows
    ]
    return newest_first[::-1]


# --- Good signs versus what happened next ---------------------------------------------------------


class Progress(Enum):
    LED_ON = "led_on"
    ENDED = "ended"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class GoodSignComparison:
    sign: checklists.Item
    led_on_count: int
    led_on_total: int
    ended_count: int
    ended_total: int

    @property
    def led_on_percent(self) -> int:
        return _percent(self.led_on_count, self.led_on_total)

    @property
    def ended_percent(self) -> int:
        return _percent(self.ended_count, self.ended_total)


@dataclass(frozen=True)
class GoodSignsVersusProgress:
    """How often each good sign was ticked, split by what the interview led to.

    `rows` stays empty until both groups hold `minimum` interviews: with fewer,
    one interview swings a percentage by twenty points or more.
    """

    led_on_total: int
    ended_total: int
    minimum: int
    rows: list[GoodSignComparison] = field(default_factory=list)

    @property
    def enough_data(self) -> bool:
        return self.led_on_total >= self.minimum and self.ended_total >= self.minimum

    @property
    def led_on_needed(self) -> int:
        return max(0, self.minimum - self.led_on_total)

    @property
    def ended_needed(self) -> int:
        return max(0, self.minimum - self.ended_total)


def good_signs_versus_progress(*, user: User, minimum: int = MINIMUM_PER_GROUP) -> GoodSignsVersusProgress:
    """Compare the good signs ticked after interviews that led on with those that did not.

    1. Read every reflected interview with what later happened to it, in one
       query (two EXISTS subqueries look for a later round and a later offer or reference check).
    2. Sort each into "led to the next round", "did not" or "undecided"
       (see `_progress`); undecided interviews are left out.
    3. Count, in each group, the interviews whose reflection ticked each sign.
    """
    ticked: dict[Progress, Counter[str]] = {Progress.LED_ON: Counter(), Progress.ENDED: Counter()}
    totals: Counter[Progress] = Counter()
    for row in _reflected_interviews_with_what_followed(user):
        progress = _progress(row)
        if progress is Progress.UNDECIDED:
            continue
        totals[progress] += 1
        ticked[progress].update(set(_as_keys(row["good_signs"])))

    summary = GoodSignsVersusProgress(
        led_on_total=totals[Progress.LED_ON], ended_total=totals[Progress.ENDED], minimum=minimum
    )
    if not summary.enough_data:
        return summary
    rows = [
        GoodSignComparison(
            sign=sign,
            led_on_count=ticked[Progress.LED_ON][sign.key],
            led_on_total=summary.led_on_total,
            ended_count=ticked[Progress.ENDED][sign.key],
            ended_total=summary.ended_total,
        )
        for sign in checklists.GOOD_SIGNS
    ]
    return replace(summary, rows=rows)


def _reflected_interviews_with_what_followed(user: User) -> QuerySet[Reflection, dict[str, object]]:
    later_round = Interview.objects.filter(
        application=OuterRef("interview__application"),
        cancelled_at__isnull=True,
        round_number__gt=OuterRef("interview__round_number"),
        starts_at__gt=OuterRef("interview__starts_at"),
    )
    later_stage_past_interviews = StageChange.objects.filter(
        application=OuterRef("interview__application"),
        to_stage__in=STAGES_PAST_INTERVIEWS,
        changed_at__gt=OuterRef("interview__starts_at"),
    )
    return (
        _reflections(user)
        .annotate(
            has_later_round=Exists(later_round),
            reached_references_or_offer=Exists(later_stage_past_interviews),
        )
        .order_by()
        .values(
            "good_signs",
            "interview__outcome",
            "interview__application__stage",
            "has_later_round",
            "reached_references_or_offer",
        )
    )


def _progress(row: dict[str, object]) -> Progress:
    """Where a reflected interview led.

    What the user recorded about the interview itself wins over what the
    application's history suggests; the history fills the gap while the
    outcome still says "waiting to hear".
    """
    outcome = row["interview__outcome"]
    if outcome == InterviewOutcome.PASSED:
        return Progress.LED_ON
    if outcome == InterviewOutcome.REJECTED:
        return Progress.ENDED
    if row["has_later_round"] or row["reached_references_or_offer"]:
        return Progress.LED_ON
    if row["interview__application__stage"] in Stage.exits():
        return Progress.ENDED
    return Progress.UNDECIDED


def _percent(count: int, total: int) -> int:
    """A whole percentage, halves rounded up (Python's round() would make 2.5 into 2)."""
    if not total:
        return 0
    return (200 * count + total) // (2 * total)
