"""Writes to the journal: saving reflections without losing or overwriting words, and lessons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core import drafts
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


def _locked_reflection(interview: Interview, now: dt.datetime) -> Reflection:
    """The interview's reflection, made if this is the first save, locked so saves queue up."""
    created = Reflection.objects.get_or_create(interview=interview, defaults={"created_at": now})[0]
    return Reflection.objects.select_for_update().get(pk=created.pk)


def _check_fields(fields: dict[str, object]) -> None:
    unknown = set(fields) - set(REFLECTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown reflection fields: {sorted(unknown)}")


def _write(
    reflection: Reflection, *, fields: dict[str, object], editor: str, finalise: bool, now: dt.datetime
) -> Reflection:
    for name, value in fields.items():
        setattr(reflection, name, value)
    if finalise and reflection.status != Reflection.Status.FINAL:
        reflection.status = Reflection.Status.FINAL
        reflection.finalised_at = now
        reminders.complete(kind=Kind.REFLECTION_PROMPT, about=reflection.interview)
    reflection.version += 1
    reflection.last_editor = editor
    reflection.updated_at = now
    reflection.save()
    return reflection


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
    """Save a whole reflection that was loaded at `base_version` (a form sent without its base).

    1. Make the row if this is the first save (two first saves at once: one makes it).
    2. Lock it, so two saves cannot both read the same version.
    3. A save from an older version would silently drop the other copy's words:
       refuse it with ReflectionConflict, carrying the current text. Unless the
       newer versions came from this same `editor` (its answers were lost on the
       way back): those words are already in what it sends now.
    """
    now = now or timezone.now()
    _check_fields(fields)
    reflection = _locked_reflection(interview, now)
    saved_by_this_copy = bool(editor) and reflection.last_editor == editor
    if reflection.version != base_version and not saved_by_this_copy:
        raise ReflectionConflict(reflection)
    return _write(reflection, fields=fields, editor=editor, finalise=finalise, now=now)


@dataclass(frozen=True)
class DraftSaved:
    reflection: Reflection
    # Text both copies changed: the saved one is kept, this copy's is for the person to place.
    conflicts: list[drafts.FieldConflict]


@transaction.atomic
def reflection_save_draft(
    *,
    interview: Interview,
    fields: dict[str, object],
    base_fields: dict[str, object],
    editor: str = "",
    finalise: bool = False,
    now: dt.datetime | None = None,
) -> DraftSaved:
    """Save a copy edited from `base_fields`, merged field by field with what is saved now.

    Two tabs that edited different fields both keep their edits; the same text
    edited in both is a conflict, kept as saved and handed back with this
    copy's version (core/drafts.py). A copy whose own earlier save is exactly
    what is saved (its answer was lost on the way back) simply saves. Nothing
    is finalised while a conflict is open.
    """
    now = now or timezone.now()
    _check_fields(fields)
    reflection = _locked_reflection(interview, now)
    if editor and reflection.last_editor == editor:
        merged = drafts.Merged(values=dict(fields))
    else:
        saved = {name: getattr(reflection, name) for name in fields}
        merged = drafts.merge_per_field(saved=saved, base=base_fields, mine=fields)
    # The copy is recorded as the author only when what is saved is exactly what it sent:
    # only then may its next save go over this one whatever its base says.
    all_mine = merged.values == fields
    reflection = _write(
        reflection,
        fields=merged.values,
        editor=editor if all_mine else "",
        finalise=finalise and not merged.conflicts,
        now=now,
    )
    return DraftSaved(reflection=reflection, conflicts=merged.conflicts)


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
