"""Reads for the prep brief: the recap of earlier rounds, the panel, story warnings, readiness."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Generic, TypeVar
from urllib.parse import quote_plus

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When, Window

from apps.accounts.models import User
from apps.contacts.models import ContactKind, Interaction, InterviewParticipant
from apps.journal import selectors as journal_selectors
from apps.journal.models import Lesson, Reflection
from apps.pipeline.models import Interview, InterviewFormat
from apps.prep import guide
from apps.prep.models import PlanFormat, PlanStory, PrepPlan, QuestionToAsk, ResearchNote, Story

# --- Recap of the earlier rounds ---------------------------------------------------

_STOP_WORDS = {
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "how",
    "i",
    "if",
    "in",
    "is",
    "it",
    "me",
    "my",
    "of",
    "on",
    "or",
    "so",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "they",
    "this",
    "to",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "about",
    "tell",
    "us",
    "describe",
    "give",
    "time",
    "example",
}


def _stems(question: str) -> set[str]:
    """Content words of a question, crudely stemmed so "managing" meets "manage"."""
    words = re.findall(r"[a-z']+", question.lower())
    return {
        re.sub(r"(ing|ed|es|s|ment|ly)$", "", word)
        for word in words
        if word not in _STOP_WORDS and len(word) > 2
    }


def possible_doubts(questions: list[str]) -> list[list[str]]:
    """Groups of questions that came back to the same topic in different words.

    Two questions sharing two or more content words are taken as one topic; a
    topic raised more than once hints at a doubt worth answering head-on.
    """
    groups: list[set[int]] = []
    stems = [_stems(question) for question in questions]
    for first, second in combinations(range(len(questions)), 2):
        if len(stems[first] & stems[second]) >= 2:
            for group in groups:
                if first in group or second in group:
                    group.update((first, second))
                    break
            else:
                groups.append({first, second})
    return [[questions[index] for index in sorted(group)] for group in groups]


@dataclass
class Recap:
    earlier: list[Interview]
    reflections: list[Reflection]
    feedback: list
    lessons: list
    questions_asked: list[str]
    doubts: list[list[str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.earlier or self.feedback or self.lessons)


def recap(*, interview: Interview) -> Recap:
    """What happened in the rounds before this one, gathered from the journal and the contacts log."""
    application = interview.application
    earlier = list(
        application.interviews.filter(starts_at__lt=interview.starts_at, cancelled_at__isnull=True)
        .select_related("reflection")
        .order_by("starts_at")
    )
    reflections = [i.reflection for i in earlier if hasattr(i, "reflection")]
    questions = [
        line.strip(" -•*") for r in reflections for line in r.questions_asked.splitlines() if line.strip()
    ]
    feedback = list(
        application.interactions.exclude(feedback="").select_related("contact").order_by("happened_at")
    )
    return Recap(
        earlier=earlier,
        reflections=reflections,
        feedback=feedback,
        lessons=list(journal_selectors.open_lessons(user=application.owner)[:10]),
        questions_asked=questions,
        doubts=possible_doubts(questions),
    )


# --- Who you will meet -----------------------------------------------------------------


@dataclass(frozen=True)
class PanelMember:
    participant_id: int
    name: str
    role: str
    cares_about: str
    note: str


def panel(*, plan: PrepPlan) -> list[PanelMember]:
    return [
        PanelMember(
            participant_id=person.pk,
            name=person.name,
            role=person.get_role_display(),
            cares_about=guide.WHAT_THEY_CARE_ABOUT.get(person.role, guide.WHAT_THEY_CARE_ABOUT["other"]),
            note=plan.panel_notes.get(str(person.pk), ""),
        )
        for person in plan.interview.participants.all()
    ]


# --- Stories ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Retelling:
    story: Story
    # The people on this panel who heard it then.
    heard_by: list[str]
    earlier: Interview


def retold_stories(*, plan: PrepPlan) -> list[Retelling]:
    """Stories chosen here that someone on this panel already heard in an earlier round.

    A story was heard in an earlier round when that round's plan chose it (everyone on that
    panel counts), or when that round's reflection notes it as told (only the people it names
    count). When both say so, one warning, with the reflection's people: it says what happened,
    the plan only what was meant to. Oldest round first; at most eight queries, whatever the history.
    """
    interview = plan.interview
    panel_contacts = set(interview.participants.exclude(contact=None).values_list("contact_id", flat=True))
    if not panel_contacts:
        return []
    chosen = set(plan.plan_stories.values_list("story_id", flat=True))
    if not chosen:
        return []
    owner_id = interview.application.owner_id
    earlier_links = (
        PlanStory.objects.filter(
            story__in=chosen,
            plan__interview__application__owner=owner_id,
            plan__interview__starts_at__lt=interview.starts_at,
            plan__interview__cancelled_at__isnull=True,
        )
        .select_related("story", "plan__interview__application__company")
        .prefetch_related("plan__interview__participants")
    )
    earlier_reflections = (
        Reflection.objects.filter(
            interview__application__owner=owner_id,
            interview__starts_at__lt=interview.starts_at,
            interview__cancelled_at__isnull=True,
            pk__in=Reflection.objects.filter(told_stories__story__in=chosen).values("pk"),
        )
        .select_related("interview__application__company")
        .prefetch_related("told_stories__story", "told_stories__heard_by")
    )

    # (story, earlier interview) -> who heard it there, so a telling both sources know is said once.
    heard: dict[tuple[int, int], tuple[Story, Interview, list]] = {}
    for reflection in earlier_reflections:
        for told in reflection.told_stories.all():
            if told.story_id in chosen:
                heard[(told.story_id, reflection.interview_id)] = (
                    told.story,
                    reflection.interview,
                    list(told.heard_by.all()),
                )
    for link in earlier_links:
        earlier = link.plan.interview
        heard.setdefault((link.story_id, earlier.pk), (link.story, earlier, list(earlier.participants.all())))
    warnings = []
    for story, earlier, people in heard.values():
        names = [person.name for person in people if person.contact_id in panel_contacts]
        if names:
            warnings.append(Retelling(story=story, heard_by=names, earlier=earlier))
    return sorted(warnings, key=lambda warning: (warning.earlier.starts_at, warning.story.title))


def suggested_competencies(*, plan: PrepPlan) -> list[str]:
    """Competencies the job's own words hint at (its notes and title)."""
    text = f"{plan.interview.application.role_title} {plan.interview.application.notes}".lower()
    return [key for key, hints in guide.COMPETENCY_HINTS.items() if any(hint in text for hint in hints)]


def suggested_stories(*, plan: PrepPlan) -> list[Story]:
    wanted = set(suggested_competencies(plan=plan))
    if not wanted:
        return []
    chosen = set(plan.plan_stories.values_list("story_id", flat=True))
    stories = Story.objects.for_user(plan.interview.application.owner).exclude(pk__in=chosen)
    return [story for story in stories if wanted & set(story.competencies)]


# --- Readiness ------------------------------------------------------------------------

STORIES_WANTED = 3
QUESTIONS_WANTED = 3
RESEARCH_WANTED = 2


@dataclass(frozen=True)
class Readiness:
    percent: int
    parts: list[tuple[str, float]]


def readiness(
    *, plan: PrepPlan, stories: int | None = None, questions: int | None = None, research: int | None = None
) -> Readiness:
    """How ready the person is, from their checklists: the mean of each part's progress.

    Counts may be passed in when the caller already has them (a page of many plans).
    """
    stories = plan.plan_stories.count() if stories is None else stories
    questions = plan.questions_to_ask.count() if questions is None else questions
    research = plan.research.count() if research is None else research
    parts = [
        ("Asked the recruiter", len(plan.recruiter_checks) / len(guide.ASK_THE_RECRUITER)),
        ("The five areas", sum(plan.area(a.key)["ready"] for a in guide.FIVE_AREAS) / len(guide.FIVE_AREAS)),
        ("Stories chosen", min(stories, STORIES_WANTED) / STORIES_WANTED),
        ("Questions to ask", min(questions, QUESTIONS_WANTED) / QUESTIONS_WANTED),
        ("Research", min(research, RESEARCH_WANTED) / RESEARCH_WANTED),
    ]
    if plan.format in (PlanFormat.TASK, PlanFormat.PRESENTATION):
        parts.append(("Exercise rehearsed", 1.0 if plan.exercise_rehearsed else 0.0))
    return Readiness(percent=round(100 * sum(value for _, value in parts) / len(parts)), parts=parts)


def readiness_for_interviews(interview_ids: list[int]) -> dict[int, int]:
    """Readiness percent by interview id, for every one with a plan, in one query."""
    plans = PrepPlan.objects.filter(interview_id__in=interview_ids).annotate(
        stories=Count("plan_stories", distinct=True),
        questions=Count("questions_to_ask", distinct=True),
        notes=Count("research", distinct=True),
    )
    return {
        plan.interview_id: readiness(
            plan=plan, stories=plan.stories, questions=plan.questions, research=plan.notes
        ).percent
        for plan in plans
    }


# --- The printed brief and the page for the door -------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class Shown(Generic[T]):
    """The first few of a list, and how many more the app holds: a page has room for a few."""

    items: list[T]
    more: int = 0

    @property
    def total(self) -> int:
        return len(self.items) + self.more


def _first(items: Sequence[T], limit: int) -> Shown[T]:
    return Shown(items=list(items[:limit]), more=max(len(items) - limit, 0))


def _first_of_query(query: QuerySet, limit: int) -> Shown:
    """The first `limit` rows and how many more there are, in one query: the total rides on each row."""
    items = list(query.annotate(rows_in_all=Window(Count("pk")))[:limit])
    return Shown(items=items, more=items[0].rows_in_all - len(items) if items else 0)


def lessons_to_bring(*, user: User, interview: Interview, limit: int) -> Shown[Lesson]:
    """Open lessons, those from this job's earlier rounds first, then the newest of the rest."""
    lessons = (
        journal_selectors.open_lessons(user=user)
        .annotate(
            from_elsewhere=Case(
                When(reflection__interview__application_id=interview.application_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("from_elsewhere", "-created_at", "pk")
    )
    return _first_of_query(lessons, limit)


# The order a panel is read in: who decides first, then who they listen to.
ROLE_ORDER = (
    ContactKind.HIRING_MANAGER,
    ContactKind.SENIOR_LEADER,
    ContactKind.INTERVIEWER,
    ContactKind.COLLEAGUE,
    ContactKind.RECRUITER_IN_HOUSE,
    ContactKind.RECRUITER_AGENCY,
    ContactKind.OTHER,
    ContactKind.REFEREE,
)


def _role_rank(person: InterviewParticipant) -> int:
    return ROLE_ORDER.index(person.role) if person.role in ROLE_ORDER else len(ROLE_ORDER)


@dataclass(frozen=True)
class PanelRole:
    """The people of one role on the panel, with what that role listens for, said once."""

    role: str
    cares_about: str
    people: list[PanelMember]


@dataclass(frozen=True)
class PanelByRole:
    groups: list[PanelRole]
    # Everyone on the panel, and how many of them were left out to keep to `limit`.
    people: int
    more: int


def panel_by_role(*, plan: PrepPlan, limit: int) -> PanelByRole:
    """The panel grouped by role, deciders first, at most `limit` people in all."""
    people = sorted(plan.interview.participants.all(), key=_role_rank)
    groups: dict[str, PanelRole] = {}
    for person in people[:limit]:
        group = groups.setdefault(
            person.role,
            PanelRole(
                role=person.get_role_display(),
                cares_about=guide.WHAT_THEY_CARE_ABOUT.get(person.role, guide.WHAT_THEY_CARE_ABOUT["other"]),
                people=[],
            ),
        )
        group.people.append(
            PanelMember(
                participant_id=person.pk,
                name=person.name,
                role=group.role,
                cares_about=group.cares_about,
                note=plan.panel_notes.get(str(person.pk), ""),
            )
        )
    return PanelByRole(groups=list(groups.values()), people=len(people), more=max(len(people) - limit, 0))


def _lines(texts: list[str]) -> list[str]:
    return [line.strip(" -•*") for text in texts for line in text.splitlines() if line.strip(" -•*")]


# How much of each part a printed page holds. With the lengths the template cuts each item to,
# the fullest brief still fits one A4 or US Letter sheet (tests/browser/test_brief_print.py).
PRINT_LIMITS = {
    "went_well": 2,
    "to_improve": 2,
    "questions_asked": 3,
    "feedback": 1,
    "panel": 5,
    "stories": 3,
    "questions": 4,
    "lessons": 4,
    "research": 3,
}


@dataclass(frozen=True)
class PrintedBrief:
    earlier_rounds: list[int]
    went_well: Shown[str]
    to_improve: Shown[str]
    questions_asked: Shown[str]
    feedback: Shown[Interaction]
    doubt: list[str]
    panel: PanelByRole
    areas: list[tuple[guide.Area, dict]]
    stories: Shown[Story]
    questions: Shown[QuestionToAsk]
    lessons: Shown[Lesson]
    research: Shown[ResearchNote]

    @property
    def has_recap(self) -> bool:
        return bool(self.went_well.total or self.to_improve.total or self.questions_asked.total)


def printed_brief(*, user: User, plan: PrepPlan) -> PrintedBrief:
    """Everything the one-page brief prints, each part cut to what a sheet of paper holds."""
    earlier = recap(interview=plan.interview)
    # The latest round first: it is the one the people met next remember.
    reflections = sorted(earlier.reflections, key=lambda r: r.interview.starts_at, reverse=True)
    return PrintedBrief(
        earlier_rounds=sorted(r.interview.round_number for r in reflections),
        went_well=_first(_lines([r.went_well for r in reflections]), PRINT_LIMITS["went_well"]),
        to_improve=_first(_lines([r.to_improve for r in reflections]), PRINT_LIMITS["to_improve"]),
        questions_asked=_first(earlier.questions_asked, PRINT_LIMITS["questions_asked"]),
        feedback=_first(earlier.feedback[::-1], PRINT_LIMITS["feedback"]),
        doubt=earlier.doubts[0] if earlier.doubts else [],
        panel=panel_by_role(plan=plan, limit=PRINT_LIMITS["panel"]),
        areas=[(area, plan.area(area.key)) for area in guide.FIVE_AREAS],
        stories=_first(
            [link.story for link in plan.plan_stories.select_related("story")], PRINT_LIMITS["stories"]
        ),
        questions=_first(list(plan.questions_to_ask.all()), PRINT_LIMITS["questions"]),
        lessons=lessons_to_bring(user=user, interview=plan.interview, limit=PRINT_LIMITS["lessons"]),
        research=_first(list(plan.research.all()), PRINT_LIMITS["research"]),
    )


@dataclass(frozen=True)
class Place:
    text: str
    # The meeting link, when the place is one (or holds one).
    link: str = ""
    # A map search for an address, as a plain link.
    map_url: str = ""


_LINK = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_MET_IN_PERSON = {InterviewFormat.ON_SITE, InterviewFormat.PANEL, InterviewFormat.TASK}
MAP_SEARCH = "https://www.google.com/maps/search/?api=1&query="


def place_of(interview: Interview) -> Place:
    """Where to go: a link to join, or an address with a map search beside it."""
    text = interview.location.strip()
    link = _LINK.search(text)
    if link:
        return Place(text=text, link=link.group(0).rstrip(".,;)"))
    if text and interview.format in _MET_IN_PERSON:
        return Place(text=text, map_url=MAP_SEARCH + quote_plus(text))
    return Place(text=text)


@dataclass(frozen=True)
class AtTheDoor:
    place: Place
    people: list[PanelMember]
    lessons: Shown[Lesson]
    questions: Shown[QuestionToAsk]


DOOR_LESSONS = 3
DOOR_QUESTIONS = 3


def at_the_door(*, user: User, interview: Interview) -> AtTheDoor:
    """The minute before walking in: who, where, three lessons and three questions.

    Read without making a plan: opening this page changes nothing.
    """
    people = sorted(interview.participants.all(), key=_role_rank)
    return AtTheDoor(
        place=place_of(interview),
        people=[
            PanelMember(
                participant_id=person.pk,
                name=person.name,
                role=person.get_role_display(),
                cares_about=guide.WHAT_THEY_CARE_ABOUT.get(person.role, guide.WHAT_THEY_CARE_ABOUT["other"]),
                note="",
            )
            for person in people
        ],
        lessons=lessons_to_bring(user=user, interview=interview, limit=DOOR_LESSONS),
        questions=_first_of_query(QuestionToAsk.objects.filter(plan__interview=interview), DOOR_QUESTIONS),
    )
