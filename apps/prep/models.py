"""Preparing for the next round: a plan per interview, and the user's stories and questions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.pipeline.models import Interview


class PlanFormat(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    PANEL = "panel", "Panel"
    TASK = "task", "Task or test"
    PRESENTATION = "presentation", "Presentation"


class PrepPlanQuerySet(models.QuerySet):
    def for_user(self, user) -> PrepPlanQuerySet:
        return self.filter(interview__application__owner=user)


class PrepPlan(models.Model):
    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="prep_plan")
    format = models.CharField(max_length=15, choices=PlanFormat.choices, blank=True)
    people_count = models.PositiveSmallIntegerField("how many people", null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("how long (minutes)", null=True, blank=True)
    # Keys of guide.ASK_THE_RECRUITER already asked.
    recruiter_checks = models.JSONField(default=list, blank=True)
    # guide.FIVE_AREAS key -> {"notes": str, "ready": bool}
    areas = models.JSONField(default=dict, blank=True)
    availability = models.CharField("notice period and start date", max_length=200, blank=True)
    salary_expectation = models.CharField("salary you expect", max_length=200, blank=True)
    # InterviewParticipant id (as text) -> a note on that person
    panel_notes = models.JSONField(default=dict, blank=True)
    exercise_expected = models.TextField("what is expected", blank=True)
    exercise_materials = models.TextField("materials", blank=True)
    exercise_rehearsed = models.BooleanField("rehearsed it", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PrepPlanQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Prep for {self.interview}"

    def area(self, key: str) -> dict:
        return self.areas.get(key) or {"notes": "", "ready": False}


class StoryQuerySet(models.QuerySet):
    def for_user(self, user) -> StoryQuerySet:
        return self.filter(owner=user)


class Story(models.Model):
    """A STAR story from the user's own experience, reused across applications."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(max_length=200)
    situation = models.TextField(blank=True)
    task = models.TextField(blank=True)
    action = models.TextField(blank=True)
    result = models.TextField(blank=True)
    competencies = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title


class PlanStory(models.Model):
    """A story chosen for an interview: told (or to tell) to the people met there."""

    plan = models.ForeignKey(PrepPlan, on_delete=models.CASCADE, related_name="plan_stories")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="plan_links")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "story"], name="story_once_per_plan")]

    def __str__(self) -> str:
        return f"{self.story} for {self.plan}"


class QuestionToAsk(models.Model):
    plan = models.ForeignKey(PrepPlan, on_delete=models.CASCADE, related_name="questions_to_ask")
    text = models.CharField(max_length=300)
    # guide.QUESTIONS_TO_ASK key when it came from a suggestion.
    suggestion_key = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "text"], name="question_once_per_plan")]

    def __str__(self) -> str:
        return self.text


class ResearchTopic(models.TextChoices):
    NEWS = "news", "Recent news"
    COMPETITORS = "competitors", "Competitors and market"
    CULTURE = "culture", "Culture"
    PRODUCTS = "products", "Products"


class ResearchNote(models.Model):
    plan = models.ForeignKey(PrepPlan, on_delete=models.CASCADE, related_name="research")
    topic = models.CharField(max_length=15, choices=ResearchTopic.choices, default=ResearchTopic.NEWS)
    url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["topic", "pk"]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.url or self.note[:40]}"


class PracticeAnswerQuerySet(models.QuerySet):
    def for_user(self, user) -> PracticeAnswerQuerySet:
        return self.filter(owner=user)


class PracticeAnswer(models.Model):
    """The user's own practice question (or one from the library) and their answer."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_answers"
    )
    question = models.CharField(max_length=300)
    # guide.PRACTICE_QUESTIONS key when it came from the library.
    library_key = models.CharField(max_length=40, blank=True)
    answer = models.TextField(blank=True)
    last_practised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PracticeAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-last_practised_at", "pk"]

    def __str__(self) -> str:
        return self.question
