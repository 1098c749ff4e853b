"""Writes to the journal: saving reflections without losing or overwriting words, and lessons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core import drafts
from apps.journal.models import Lesson, Reflection, ToldStory
from apps.pipeline.models import Interview
from apps.prep.models import Story
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


# Which stories were told in the interview: story id -> the ids of the interview's people who
# heard it. A story left out was not told.
StoriesTold = Mapping[int, Collection[int]]
# A story's entry as a list of ticks, for the per-field merge of drafts (core/drafts.py).
_TOLD_TICK = "told"


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


def _normal(told: StoriesTold) -> dict[int, list[int]]:
    return {story_id: sorted(set(people)) for story_id, people in told.items()}


def _check_told(interview: Interview, told: StoriesTold) -> dict[int, list[int]]:
    """The stories told, refused unless each is the person's own and each listener was on this panel."""
    told = _normal(told)
    if not told:
        return told
    owned = Story.objects.filter(owner_id=interview.application.owner_id, pk__in=told)
    if owned.count() != len(told):
        raise ValidationError("Only your own stories can be noted as told.", code="not_your_story")
    listeners = {person for people in told.values() for person in people}
    if listeners - set(interview.participants.values_list("pk", flat=True)):
        raise ValidationError(
            "Only the people on this interview's panel can have heard its stories.", code="not_on_panel"
        )
    return told


def _merge_told(*, saved: StoriesTold, base: StoriesTold, mine: StoriesTold) -> dict[int, list[int]]:
    """Stories told as one copy edited them from `base`, merged story by story with what is saved.

    Each story is a list of ticks (told, and who heard it), merged as every list of ticks is
    (core/drafts.py): two copies that ticked different stories, or different people, keep both.
    """

    def as_ticks(told: StoriesTold, story_id: int) -> list[str]:
        if story_id not in told:
            return []
        return [_TOLD_TICK, *(str(person) for person in sorted(told[story_id]))]

    stories = {*saved, *base, *mine}
    merged = drafts.merge_per_field(
        saved={str(story): as_ticks(saved, story) for story in stories},
        base={str(story): as_ticks(base, story) for story in stories},
        mine={str(story): as_ticks(mine, story) for story in stories},
    )
    return _normal(
        {
            int(story): [int(tick) for tick in ticks if tick != _TOLD_TICK]
            for story, ticks in merged.values.items()
            if _TOLD_TICK in ticks
        }
    )


def _write_told(reflection: Reflection, told: dict[int, list[int]]) -> None:
    """Record exactly these stories as told, touching only the ones that changed."""
    recorded = reflection.stories_told()
    if recorded == told:
        return
    reflection.told_stories.exclude(story_id__in=told).delete()
    for story_id, people in told.items():
        if recorded.get(story_id) != people:
            told_story = ToldStory.objects.get_or_create(reflection=reflection, story_id=story_id)[0]
            told_story.heard_by.set(people)


@transaction.atomic
def reflection_append(
    *, interview: Interview, text: str, editor: str, now: dt.datetime | None = None
) -> Reflection:
    """Add text to the end of "how it went" (a reply to the reflection prompt, by email).

    An addition, not a replacement: nothing anyone wrote is overwritten, so no version is asked
    for; the version still grows, so an open form sees that something changed.
    """
    now = now or timezone.now()
    reflection = _locked_reflection(interview, now)
    account = reflection.account.rstrip()
    return _write(
        reflection,
        fields={"account": f"{account}\n\n{text.strip()}" if account else text.strip()},
        editor=editor,
        finalise=False,
        now=now,
    )


@transaction.atomic
def reflection_save(
    *,
    interview: Interview,
    fields: dict[str, object],
    base_version: int,
    told: StoriesTold | None = None,
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

    `told` (None: left as recorded) replaces the stories recorded as told; a story that is
    not the person's, or a listener not on this interview's panel, refuses the whole save
    with ValidationError.
    """
    now = now or timezone.now()
    _check_fields(fields)
    told = _check_told(interview, told) if told is not None else None
    reflection = _locked_reflection(interview, now)
    saved_by_this_copy = bool(editor) and reflection.last_editor == editor
    if reflection.version != base_version and not saved_by_this_copy:
        raise ReflectionConflict(reflection)
    if told is not None:
        _write_told(reflection, told)
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
    told: StoriesTold | None = None,
    base_told: StoriesTold | None = None,
    editor: str = "",
    finalise: bool = False,
    now: dt.datetime | None = None,
) -> DraftSaved:
    """Save a copy edited from `base_fields`, merged field by field with what is saved now.

    Two tabs that edited different fields both keep their edits; the same text
    edited in both is a conflict, kept as saved and handed back with this
    copy's version (core/drafts.py). A copy whose own earlier save is exactly
    what is saved (its answer was lost on the way back) simply saves. Nothing
    is finalised while a conflict is open. The stories told (`told`, edited from
    `base_told`; None: left as recorded) merge story by story the same way.
    """
    now = now or timezone.now()
    _check_fields(fields)
    told = _check_told(interview, told) if told is not None else None
    reflection = _locked_reflection(interview, now)
    merged_told = told
    if editor and reflection.last_editor == editor:
        merged = drafts.Merged(values=dict(fields))
    else:
        saved = {name: getattr(reflection, name) for name in fields}
        merged = drafts.merge_per_field(saved=saved, base=base_fields, mine=fields)
        if told is not None:
            merged_told = _merge_told(saved=reflection.stories_told(), base=base_told or {}, mine=told)
    if merged_told is not None:
        _write_told(reflection, merged_told)
    # The copy is recorded as the author only when what is saved is exactly what it sent:
    # only then may its next save go over this one whatever its base says.
    all_mine = merged.values == fields and merged_told == told
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
