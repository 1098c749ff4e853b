"""Writes to interview prep: plans made on demand, stories, questions, research."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.pipeline.models import Interview
from apps.prep import guide
from apps.prep.models import PlanStory, PracticeAnswer, PrepPlan, QuestionToAsk, ResearchNote, Story

PLAN_FIELDS = {
    "format",
    "people_count",
    "duration_minutes",
    "availability",
    "salary_expectation",
    "exercise_expected",
    "exercise_materials",
    "exercise_rehearsed",
}
STORY_FIELDS = {"title", "situation", "task", "action", "result", "competencies"}


def plan_for(*, interview: Interview) -> PrepPlan:
    """The interview's plan, made the first time someone opens it."""
    return PrepPlan.objects.get_or_create(interview=interview)[0]


def plan_update(
    *,
    plan: PrepPlan,
    recruiter_checks: list[str] | None = None,
    areas: dict[str, dict] | None = None,
    panel_notes: dict[str, str] | None = None,
    **fields: object,
) -> PrepPlan:
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(plan, name, value)
    if recruiter_checks is not None:
        known = {check.key for check in guide.ASK_THE_RECRUITER}
        plan.recruiter_checks = [key for key in recruiter_checks if key in known]
    if areas is not None:
        known = {area.key for area in guide.FIVE_AREAS}
        plan.areas = {
            key: {"notes": str(value.get("notes", ""))[:5000], "ready": bool(value.get("ready"))}
            for key, value in areas.items()
            if key in known
        }
    if panel_notes is not None:
        allowed = {str(pk) for pk in plan.interview.participants.values_list("pk", flat=True)}
        plan.panel_notes = {key: note[:1000] for key, note in panel_notes.items() if key in allowed and note}
    plan.full_clean(exclude=["interview"])
    plan.save()
    return plan


def story_save(*, owner: User, story: Story | None = None, **fields: object) -> Story:
    unknown = set(fields) - STORY_FIELDS
    if unknown:
        raise TypeError(f"unknown story fields: {sorted(unknown)}")
    story = story or Story(owner=owner)
    for name, value in fields.items():
        setattr(story, name, value)
    story.competencies = [key for key in story.competencies if key in guide.COMPETENCY_KEYS]
    story.full_clean(exclude=["owner"])
    story.save()
    return story


def plan_add_story(*, plan: PrepPlan, story: Story) -> PlanStory:
    """Choose a story for an interview; choosing it twice keeps one link."""
    if story.owner_id != plan.interview.application.owner_id:
        raise ValidationError("That story is not yours.")
    return PlanStory.objects.get_or_create(plan=plan, story=story)[0]


def plan_remove_story(*, plan: PrepPlan, story: Story) -> None:
    PlanStory.objects.filter(plan=plan, story=story).delete()


def plan_add_question(*, plan: PrepPlan, text: str, suggestion_key: str = "") -> QuestionToAsk:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Type the question."})
    try:
        with transaction.atomic():
            return QuestionToAsk.objects.create(plan=plan, text=text[:300], suggestion_key=suggestion_key)
    except IntegrityError:
        return QuestionToAsk.objects.get(plan=plan, text=text[:300])


def plan_remove_question(*, plan: PrepPlan, question_id: int) -> None:
    plan.questions_to_ask.filter(pk=question_id).delete()


def plan_remove_research(*, plan: PrepPlan, research_id: int) -> None:
    plan.research.filter(pk=research_id).delete()


def plan_add_research(*, plan: PrepPlan, topic: str, url: str = "", note: str = "") -> ResearchNote:
    if not url and not note.strip():
        raise ValidationError("Add a link or a note.")
    research = ResearchNote(plan=plan, topic=topic, url=url, note=note.strip())
    research.full_clean(exclude=["plan"])
    research.save()
    return research


def practice_answer_save(
    *, owner: User, question: str, answer: str, library_key: str = "", practised: bool = False
) -> PracticeAnswer:
    """Keep an answer to a practice question; practising it records when."""
    item = PracticeAnswer.objects.for_user(owner).filter(question=question).first() or PracticeAnswer(
        owner=owner, question=question[:300], library_key=library_key
    )
    item.answer = answer
    if practised:
        item.last_practised_at = timezone.now()
    item.full_clean(exclude=["owner"])
    item.save()
    return item
