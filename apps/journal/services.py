"""Writes to the journal: saving reflections without losing or overwriting words, and lessons."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.journal.models import Lesson, Reflection
from apps.pipeline.models import Interview
from apps.reminders import api as reminders
from apps.reminders.kinds import Kind

# Everything a person types or ticks in a reflection; the form checks the values.
REFLECTION_FIELDS = (
    "account",
    "went_well",
    "to_improve",
    "questions_asked",
    "mistakes",
    "mistakes_other",
    "good_signs",
    "warning_signs",
    "confidence",
    "job_score",
    "job_note",
    "company_score",
    "company_note",
    "manager_score",
    "manager_note",
    "gut_score",
    "gut_note",
)


class ReflectionConflict(Exception):
    """Someone saved the reflection since this copy was loaded (another tab or device)."""

    def __init__(self, current: Reflection) -> None:
        super().__init__("The reflection changed since it was opened.")
        self.current = current


@transaction.atomic
def reflection_save(
    *,
    interview: Interview,
    fields: dict[str, object],
    base_version: int,
    editor: str = "",
    finalise: bool = False,
    now: dt.datetime | None = None,
) -> Reflection:
    """Save a reflection that was loaded at `base_version`.

    1. Make the row if this is the first save (two first saves at once: one makes it).
    2. Lock it, so two saves cannot both read the same version.
    3. A save from an older version would silently drop the other copy's words:
       refuse it with ReflectionConflict, carrying the current text. Unless the
       newer versions came from this same `editor` (its answers were lost on the
       way back): those words are already in what it sends now.
    """
    now = now or timezone.now()
    unknown = set(fields) - set(REFLECTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown reflection fields: {sorted(unknown)}")
    created = Reflection.objects.get_or_create(interview=interview, defaults={"created_at": now})[0]
    reflection = Reflection.objects.select_for_update().get(pk=created.pk)
    saved_by_this_copy = bool(editor) and reflection.last_editor == editor
    if reflection.version != base_version and not saved_by_this_copy:
        raise ReflectionConflict(reflection)
    for name, value in fields.items():
        setattr(reflection, name, value)
    if finalise and reflection.status != Reflection.Status.FINAL:
        reflection.status = Reflection.Status.FINAL
        reflection.finalised_at = now
        reminders.complete(kind=Kind.REFLECTION_PROMPT, about=interview)
    reflection.version += 1
    reflection.last_editor = editor
    reflection.updated_at = now
    reflection.save()
    return reflection


def lesson_create(*, owner: User, text: str, reflection: Reflection | None = None) -> Lesson:
    text = " ".join(text.split())
    existing = Lesson.objects.for_user(owner).filter(reflection=reflection, text=text).first()
    if existing:
        return existing  # the same lesson sent twice (a double tap) is one lesson
    return Lesson.objects.create(owner=owner, reflection=reflection, text=text)


def lesson_set_practised(*, lesson: Lesson, practised: bool, now: dt.datetime | None = None) -> Lesson:
    if practised and lesson.status != Lesson.Status.PRACTISED:
        lesson.status = Lesson.Status.PRACTISED
        lesson.practised_at = now or timezone.now()
    elif not practised:
        lesson.status = Lesson.Status.OPEN
        lesson.practised_at = None
    lesson.save(update_fields=["status", "practised_at"])
    return lesson
