"""Reads for the prep brief: the recap of earlier rounds, the panel, story warnings, readiness."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count

from apps.journal import selectors as journal_selectors
from apps.journal.models import Reflection
from apps.pipeline.models import Interview
from apps.prep import guide
from apps.prep.models import PlanFormat, PlanStory, PrepPlan, Story

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
