"""The comparison of the applications a person is choosing between, read in a fixed number of queries.

One query for the person's weights, one for the applications (with their companies), one for all
their interviews with the reflections on them; everything else is worked out in Python, so the page
costs the same with two applications or twenty, and one reflection each or fifty.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.db.models import Prefetch

from apps.accounts.models import User
from apps.decide.models import WEIGHT_DEFAULT, DecisionWeights
from apps.journal import checklists
from apps.journal.models import Reflection
from apps.pipeline.models import Application, Interview, Stage

# The last steps of a search: the final round, the reference check that usually follows it, an
# offer, and an offer taken. An accepted one stays so the person can see why they chose it.
ELIGIBLE_STAGES: tuple[Stage, ...] = (Stage.FINAL_ROUND, Stage.REFERENCE_CHECK, Stage.OFFER, Stage.ACCEPTED)

# Up to this many are all compared; past it the person ticks the ones they want side by side.
CHOOSE_ABOVE = 3

# How each question is named in a sentence ("mostly on the manager").
TOPICS: dict[str, str] = {
    "job": "the job",
    "company": "the company",
    "manager": "the manager",
    "gut": "your gut",
}

_STAGE_ORDER = {stage.value: index for index, stage in enumerate(Stage)}
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Weights:
    """How much each question counts, 0 to 5, by question key."""

    job: int = WEIGHT_DEFAULT
    company: int = WEIGHT_DEFAULT
    manager: int = WEIGHT_DEFAULT
    gut: int = WEIGHT_DEFAULT

    @classmethod
    def of(cls, saved: DecisionWeights | None) -> Weights:
        if saved is None:
            return cls()
        return cls(job=saved.job, company=saved.company, manager=saved.manager, gut=saved.gut)

    def for_question(self, key: str) -> int:
        return getattr(self, key)

    def as_dict(self) -> dict[str, int]:
        return {question.key: self.for_question(question.key) for question in checklists.RIGHT_JOB_QUESTIONS}


@dataclass(frozen=True)
class RoundAnswer:
    """What one reflection said about one question: its score, its note, or both."""

    interview: Interview
    score: int | None
    note: str


@dataclass(frozen=True)
class QuestionSummary:
    question: checklists.RightJobQuestion
    weight: int
    # The mean of every score given, or None when no reflection scored it.
    average: float | None
    # Newest interview first.
    answers: tuple[RoundAnswer, ...]
    # Whether the application has any reflection at all: "no reflection yet" is not "no score".
    reflected: bool = True

    @property
    def topic(self) -> str:
        return TOPICS[self.question.key]

    @property
    def newest_note(self) -> str:
        return next((answer.note for answer in self.answers if answer.note), "")


@dataclass(frozen=True)
class SignCount:
    label: str
    # How many reflections ticked it.
    count: int


@dataclass(frozen=True)
class Candidate:
    """One application as the comparison shows it."""

    application: Application
    reflection_count: int
    questions: tuple[QuestionSummary, ...]
    good_signs: tuple[SignCount, ...]
    warning_signs: tuple[SignCount, ...]
    # The weighted mean of the question averages on a 1-5 scale, to one decimal; None without a
    # score on any question that carries weight.
    total: Decimal | None
    # An interview that has happened and has no reflection yet, to link to; the latest one.
    to_reflect_on: Interview | None

    @property
    def has_reflection(self) -> bool:
        return self.reflection_count > 0

    @property
    def name(self) -> str:
        return self.application.company.name

    @property
    def good_sign_total(self) -> int:
        return sum(sign.count for sign in self.good_signs)

    @property
    def warning_sign_total(self) -> int:
        return sum(sign.count for sign in self.warning_signs)

    @property
    def unscored_topics(self) -> list[str]:
        """Questions that count for the person but have no score here: the total leaves them out."""
        return [summary.topic for summary in self.questions if summary.weight and summary.average is None]

    @property
    def unscored_in_a_sentence(self) -> str:
        return names_in_a_sentence(self.unscored_topics)

    def question(self, key: str) -> QuestionSummary:
        return next(summary for summary in self.questions if summary.question.key == key)


@dataclass(frozen=True)
class Verdict:
    """The answer to "which one, and why", as parts the page puts into a sentence.

    kind is one of:
    - "empty": nothing at the final round or later;
    - "single": one application to look at, nothing to weigh it against;
    - "unscored": several, but fewer than two with scores to compare;
    - "tie": two or more share the highest total (to one decimal);
    - "lead": one is ahead; `driver` is the question that gives it most of its lead, with
      `quote` the person's own newest note on it for the leader ("" when they wrote none).
    """

    kind: Literal["empty", "single", "unscored", "tie", "lead"]
    leader: Candidate | None = None
    runner_up: Candidate | None = None
    level: tuple[Candidate, ...] = ()
    driver: QuestionSummary | None = None
    driver_behind: QuestionSummary | None = None
    quote: str = ""
    # Candidates left out of the sentence because they have nothing to compare yet.
    unscored: tuple[Candidate, ...] = ()

    @property
    def level_names(self) -> str:
        return names_in_a_sentence(candidate.name for candidate in self.level)

    @property
    def unscored_names(self) -> str:
        return names_in_a_sentence(candidate.name for candidate in self.unscored)


@dataclass(frozen=True)
class QuestionRow:
    """One question across the compared applications, for the table."""

    question: checklists.RightJobQuestion
    weight: int
    summaries: tuple[QuestionSummary, ...]


@dataclass(frozen=True)
class Comparison:
    weights: Weights
    # Every application that could be compared, for the choice of which to compare.
    eligible: tuple[Application, ...]
    chosen_ids: frozenset[int]
    candidates: tuple[Candidate, ...]
    verdict: Verdict

    @property
    def choosing(self) -> bool:
        return len(self.eligible) > CHOOSE_ABOVE

    @property
    def leader_id(self) -> int | None:
        return self.verdict.leader.application.pk if self.verdict.kind == "lead" else None

    @property
    def question_rows(self) -> list[QuestionRow]:
        return [
            QuestionRow(
                question=question,
                weight=self.weights.for_question(question.key),
                summaries=tuple(candidate.question(question.key) for candidate in self.candidates),
            )
            for question in checklists.RIGHT_JOB_QUESTIONS
        ]

    @property
    def stages_in_a_sentence(self) -> str:
        return names_in_a_sentence((stage.label for stage in ELIGIBLE_STAGES), last="or")


def names_in_a_sentence(names: Iterable[str], last: str = "and") -> str:
    """ "Acme", "Acme and Globex", "Acme, Globex and Initech"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def decision_weights(*, user: User) -> Weights:
    return Weights.of(DecisionWeights.objects.filter(owner=user).first())


def comparable_applications(*, user: User) -> list[Application]:
    """The user's open applications at the final round or later, with every interview held and its
    reflection, newest interview first. Two queries, however many there are."""
    held = (
        Interview.objects.filter(cancelled_at__isnull=True)
        .select_related("reflection")
        .order_by("-starts_at", "-pk")
    )
    applications = (
        Application.objects.for_user(user)
        .open()
        .filter(stage__in=ELIGIBLE_STAGES)
        .select_related("company")
        .prefetch_related(Prefetch("interviews", queryset=held, to_attr="held_interviews"))
    )
    # Furthest along first (an accepted offer, then offers...), then by name: the columns stay put
    # while the weights change.
    return sorted(
        applications,
        key=lambda application: (
            -_STAGE_ORDER[application.stage],
            application.company.name.casefold(),
            application.pk,
        ),
    )


def decision_comparison(
    *,
    user: User,
    now: dt.datetime,
    weights: Weights | None = None,
    chosen: Collection[int] | None = None,
) -> Comparison:
    """The side-by-side comparison for `user`, on their saved weights unless others are given.

    `chosen` keeps only those applications (ids of someone else's, or of one no longer at these
    stages, are ignored); nothing left, or nothing given, means all of them.
    """
    if weights is None:
        weights = decision_weights(user=user)
    eligible = comparable_applications(user=user)
    picked = [application for application in eligible if chosen and application.pk in chosen]
    compared = picked or eligible
    candidates = tuple(_candidate(application, weights, now) for application in compared)
    return Comparison(
        weights=weights,
        eligible=tuple(eligible),
        chosen_ids=frozenset(application.pk for application in compared),
        candidates=candidates,
        verdict=verdict(candidates),
    )


def _candidate(application: Application, weights: Weights, now: dt.datetime) -> Candidate:
    interviews: list[Interview] = application.held_interviews
    reflected = [(interview, _reflection(interview)) for interview in interviews]
    reflections = [reflection for _, reflection in reflected if reflection is not None]
    questions = tuple(
        _summary(question, weights.for_question(question.key), reflected)
        for question in checklists.RIGHT_JOB_QUESTIONS
    )
    to_reflect_on = next(
        (
            interview
            for interview, reflection in reflected
            if reflection is None and interview.starts_at <= now
        ),
        None,
    )
    return Candidate(
        application=application,
        reflection_count=len(reflections),
        questions=questions,
        good_signs=_sign_counts(checklists.GOOD_SIGNS, (r.good_signs for r in reflections)),
        warning_signs=_sign_counts(checklists.WARNING_SIGNS, (r.warning_signs for r in reflections)),
        total=weighted_total(questions),
        to_reflect_on=to_reflect_on,
    )


def _reflection(interview: Interview) -> Reflection | None:
    try:
        return interview.reflection
    except Reflection.DoesNotExist:
        return None


def _summary(
    question: checklists.RightJobQuestion,
    weight: int,
    reflected: list[tuple[Interview, Reflection | None]],
) -> QuestionSummary:
    answers = []
    for interview, reflection in reflected:
        if reflection is None:
            continue
        score = getattr(reflection, f"{question.key}_score")
        note = getattr(reflection, f"{question.key}_note").strip()
        if score is not None or note:
            answers.append(RoundAnswer(interview=interview, score=score, note=note))
    scores = [answer.score for answer in answers if answer.score is not None]
    average = sum(scores) / len(scores) if scores else None
    return QuestionSummary(
        question=question,
        weight=weight,
        average=average,
        answers=tuple(answers),
        reflected=any(reflection is not None for _, reflection in reflected),
    )


def weighted_total(questions: Iterable[QuestionSummary]) -> Decimal | None:
    """The weighted mean of the averages, over the questions that have one.

    A question with no score yet is left out rather than counted as 0: an unasked question is
    not a bad answer. The page says which ones were left out.
    """
    scored = [(summary.weight, summary.average) for summary in questions if summary.average is not None]
    weight_sum = sum(weight for weight, _ in scored)
    if not weight_sum:
        return None
    mean = sum(weight * average for weight, average in scored) / weight_sum
    return _tenths(mean)


def _tenths(value: float) -> Decimal:
    # Half up, as the page prints it, so "level" means "looks the same".
    return Decimal(repr(value)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _sign_counts(
    items: tuple[checklists.Item, ...], lists_of_keys: Iterable[object]
) -> tuple[SignCount, ...]:
    counts: Counter[str] = Counter()
    for keys in lists_of_keys:
        # The column is JSON: anything but a list of strings is ignored; a key ticked twice counts once.
        if isinstance(keys, list):
            counts.update({key for key in keys if isinstance(key, str)})
    ranked = [SignCount(label=item.label, count=counts[item.key]) for item in items if counts[item.key]]
    # Most often first; sorted() is stable, so equal counts keep the checklist's order.
    return tuple(sorted(ranked, key=lambda sign: -sign.count))


def verdict(candidates: tuple[Candidate, ...]) -> Verdict:
    """Which one leads on the person's weights, and on which question.

    1. Only candidates with a total take part; the others are listed as not scored yet.
    2. The highest total leads; if others share it (to one decimal) it is a tie.
    3. Against the runner-up, each question both have a score on gains weight x (difference in
       averages); the largest gain is where the lead comes from, and the leader's newest note on
       that question is quoted as the person wrote it.
    """
    if not candidates:
        return Verdict(kind="empty")
    scored = sorted((c for c in candidates if c.total is not None), key=lambda c: -c.total)
    unscored = tuple(c for c in candidates if c.total is None)
    if len(candidates) == 1:
        return Verdict(kind="single", leader=candidates[0], unscored=unscored)
    if len(scored) < 2:
        return Verdict(kind="unscored", leader=scored[0] if scored else None, unscored=unscored)
    level = tuple(c for c in scored if c.total == scored[0].total)
    if len(level) > 1:
        return Verdict(kind="tie", level=level, unscored=unscored)
    leader, runner_up = scored[0], scored[1]
    driver_key = _biggest_gain(leader, runner_up)
    if driver_key is None:
        return Verdict(kind="lead", leader=leader, runner_up=runner_up, unscored=unscored)
    driver = leader.question(driver_key)
    return Verdict(
        kind="lead",
        leader=leader,
        runner_up=runner_up,
        driver=driver,
        driver_behind=runner_up.question(driver_key),
        quote=driver.newest_note,
        unscored=unscored,
    )


def _biggest_gain(leader: Candidate, runner_up: Candidate) -> str | None:
    best_key, best_gain = None, 0.0
    for ahead in leader.questions:
        behind = runner_up.question(ahead.question.key)
        if ahead.average is None or behind.average is None:
            continue
        gain = ahead.weight * (ahead.average - behind.average)
        # Strictly greater: on equal gains the earlier question in the checklist is named.
        if gain > best_gain:
            best_key, best_gain = ahead.question.key, gain
    return best_key
