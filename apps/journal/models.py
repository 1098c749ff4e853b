"""Reflections written after interviews, and the lessons drawn from them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from apps.journal import checklists
from apps.pipeline.models import Interview

# Long enough for a full account of a day (about 5,000 words); past it the
# form says so instead of cutting the text.
ACCOUNT_MAX_LENGTH = 30_000
NOTE_MAX_LENGTH = 10_000


def _score(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class ReflectionQuerySet(models.QuerySet):
    def for_user(self, user) -> ReflectionQuerySet:
        return self.filter(interview__application__owner=user)


class Reflection(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="reflection")
    account = models.TextField("how it went, from the start of the day", blank=True)
    went_well = models.TextField("what went well", blank=True)
    to_improve = models.TextField("what to improve", blank=True)
    # One per line; the next round's prep looks here for doubts they kept returning to.
    questions_asked = models.TextField("questions they asked", blank=True)
    mistakes = models.JSONField(default=list, blank=True)
    mistakes_other = models.CharField(max_length=300, blank=True)
    good_signs = models.JSONField(default=list, blank=True)
    warning_signs = models.JSONField(default=list, blank=True)
    confidence = _score("confidence")
    job_score = _score("excited about the job")
    job_note = models.TextField(blank=True)
    company_score = _score("company right for me")
    company_note = models.TextField(blank=True)
    manager_score = _score("potential manager")
    manager_note = models.TextField(blank=True)
    gut_score = _score("gut feeling")
    gut_note = models.TextField(blank=True)
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.DRAFT)
    # Grows with every save; a save that starts from an older version is a
    # conflict (another tab or device saved in between) and is refused.
    version = models.PositiveIntegerField(default=0)
    # Which copy of the form (one browser tab, kept across reloads) saved last.
    # Saves in between from that same copy are its own saves whose answers were
    # lost on the way back (a train in a tunnel), not someone else's work.
    last_editor = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finalised_at = models.DateTimeField(null=True, blank=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-interview__starts_at"]

    def __str__(self) -> str:
        return f"Reflection on {self.interview}"

    @property
    def good_sign_labels(self) -> list[str]:
        return checklists.labels(checklists.GOOD_SIGNS, self.good_signs)

    @property
    def warning_sign_labels(self) -> list[str]:
        return checklists.labels(checklists.WARNING_SIGNS, self.warning_signs)

    @property
    def mistake_labels(self) -> list[str]:
        return checklists.labels(checklists.MISTAKES, self.mistakes)

    def stories_told(self) -> dict[int, list[int]]:
        """Story id -> the ids of the people who heard it, in order, for each story told here (one query)."""
        told: dict[int, list[int]] = {}
        rows = self.told_stories.order_by("story_id", "listeners__participant_id")
        for story_id, participant_id in rows.values_list("story_id", "listeners__participant_id"):
            told.setdefault(story_id, [])
            if participant_id is not None:
                told[story_id].append(participant_id)
        return told

    @property
    def right_job_answers(self) -> list[tuple[checklists.RightJobQuestion, int | None, str]]:
        return [
            (question, getattr(self, f"{question.key}_score"), getattr(self, f"{question.key}_note"))
            for question in checklists.RIGHT_JOB_QUESTIONS
        ]


class LessonQuerySet(models.QuerySet):
    def for_user(self, user) -> LessonQuerySet:
        return self.filter(owner=user)

    def open(self) -> LessonQuerySet:
        return self.filter(status=Lesson.Status.OPEN)


class Lesson(models.Model):
    """Something to do differently next time; it comes back before the next interview."""

    class Status(models.TextChoices):
        OPEN = "open", "To practise"
        PRACTISED = "practised", "Practised"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lessons")
    reflection = models.ForeignKey(
        Reflection, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )
    text = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    practised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-created_at"]
        # Open lessons newest first (the dashboard's and the application page's), read off the index.
        indexes = [models.Index(fields=["owner", "status", "-created_at"], name="lesson_by_status_idx")]

    def __str__(self) -> str:
        return self.text


class ToldStory(models.Model):
    """A STAR story (prep app) told in the interview a reflection is about, and who heard it.

    Who heard it is a set of the interview's people (contacts app), kept through
    ToldStoryListener, a row per person, so that the next rounds' prep can warn before the
    same story is told to them again, and so that the export can name each row.
    """

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="told_stories")
    story = models.ForeignKey("prep.Story", on_delete=models.CASCADE, related_name="tellings")
    heard_by = models.ManyToManyField(
        "contacts.InterviewParticipant", through="ToldStoryListener", related_name="stories_heard", blank=True
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["reflection", "story"], name="story_told_once_per_reflection")
        ]

    def __str__(self) -> str:
        return f"{self.story} told in {self.reflection}"


class ToldStoryListener(models.Model):
    """Someone on the panel who heard a story told."""

    told_story = models.ForeignKey(ToldStory, on_delete=models.CASCADE, related_name="listeners")
    participant = models.ForeignKey(
        "contacts.InterviewParticipant", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["participant_id"]
        constraints = [
            models.UniqueConstraint(fields=["told_story", "participant"], name="story_heard_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.participant} heard {self.told_story}"
