from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms

from apps.contacts.models import InterviewParticipant
from apps.journal import checklists
from apps.journal.models import ACCOUNT_MAX_LENGTH, NOTE_MAX_LENGTH
from apps.prep.models import Story

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]

# "Stories you told": a field per story of the person's, named story_<id>, each a list of ticks:
# TOLD when it was told, and the ids of the people on the panel who heard it. A field per story,
# not one list of all, so that the draft merge (core/drafts.py) works story by story: two tabs
# ticking different stories keep both, and no order of stories has to match between them.
TOLD = "told"
_STORY_FIELD = re.compile(r"^story_(\d+)$")
# Past this many stories, the likeliest are shown and the rest wait behind "show all".
STORIES_SHOWN_FIRST = 12


def story_field_name(story_id: int) -> str:
    return f"story_{story_id}"


@dataclass(frozen=True)
class StoriesOffered:
    """What "stories you told" offers: the person's stories, likeliest first, and this interview's panel.

    Each story may carry `on_plan` (it was chosen for this interview's prep) and `told_here`.
    """

    stories: list[Story] = field(default_factory=list)
    participants: list[InterviewParticipant] = field(default_factory=list)

    @property
    def field_names(self) -> list[str]:
        return [story_field_name(story.pk) for story in self.stories]


@dataclass(frozen=True)
class StoryRow:
    story: Story
    field: forms.BoundField
    ticks: list[str]

    @property
    def told(self) -> bool:
        return TOLD in self.ticks


@dataclass(frozen=True)
class StoryRows:
    first: list[StoryRow]
    rest: list[StoryRow]

    @property
    def rest_has_told(self) -> bool:
        return any(row.told for row in self.rest)


class _StoryTicksField(forms.MultipleChoiceField):
    """One story's ticks. A tick for someone no longer on the panel (removed in another tab while
    this form was open) is dropped, not refused: they cannot have heard it here, and the rest of the
    reflection must still save."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value: object) -> list[str]:
        return [tick for tick in self.to_python(value) if self.valid_value(tick)]


def _choices(items: tuple[checklists.Item, ...]) -> list[tuple[str, str]]:
    return [(item.key, item.label) for item in items]


def _text(label: str, max_length: int, rows: int, placeholder: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        strip=False,  # what is typed is kept exactly, trailing newline included
        error_messages={
            "max_length": f"This is longer than the {max_length:,} characters a reflection can keep. "
            "Shorten it a little; your text is still here."
        },
        widget=forms.Textarea(attrs={"rows": rows, "placeholder": placeholder}),
    )


def _score(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a score from 1 to 5."},
    )


class ReflectionForm(forms.Form):
    account = _text(
        "How it went, from the start",
        ACCOUNT_MAX_LENGTH,
        8,
        "Start with the morning: the journey, arriving, who met you… "
        "then the interview, in order, to the last word.",
    )
    went_well = _text("What went well", NOTE_MAX_LENGTH, 3, "Things to do again next time.")
    to_improve = _text("What to do better", NOTE_MAX_LENGTH, 3, "One per line: each can become a lesson.")
    questions_asked = _text(
        "Questions they asked", NOTE_MAX_LENGTH, 3, "One per line. A topic they came back to may be a doubt."
    )
    mistakes = forms.MultipleChoiceField(
        label="Slips you noticed",
        choices=_choices(checklists.MISTAKES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mistakes_other = forms.CharField(label="Something else", max_length=300, required=False)
    good_signs = forms.MultipleChoiceField(
        label="Good signs",
        choices=_choices(checklists.GOOD_SIGNS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    warning_signs = forms.MultipleChoiceField(
        label="Signs to watch",
        choices=_choices(checklists.WARNING_SIGNS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confidence = _score("How confident do you feel?")
    job_score = _score("Score")
    job_note = _text("Notes", NOTE_MAX_LENGTH, 2)
    company_score = _score("Score")
    company_note = _text("Notes", NOTE_MAX_LENGTH, 2)
    manager_score = _score("Score")
    manager_note = _text("Notes", NOTE_MAX_LENGTH, 2)
    gut_score = _score("Score")
    gut_note = _text("Notes", NOTE_MAX_LENGTH, 2)
    # The version the page was loaded at: saving over a newer one is a conflict.
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # Set by static/js/drafts.js: which copy of the form this is.
    editor = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, offered: StoriesOffered | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.offered = offered or StoriesOffered()
        people = [(str(person.pk), person.name) for person in self.offered.participants]
        for story in self.offered.stories:
            self.fields[story_field_name(story.pk)] = _StoryTicksField(
                label=story.title, required=False, choices=[(TOLD, story.title), *people]
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        # A story ticked that the page did not offer: someone else's, or deleted since the page opened.
        # Refused, never attached; the rest stays in the form as typed.
        for name in self.data:
            if _STORY_FIELD.match(name) and name not in self.fields and TOLD in self.data.getlist(name):
                raise forms.ValidationError(
                    "A story ticked as told is not one of your stories (it may have just been deleted). "
                    "Reload the page to see your stories as they are now.",
                    code="not_your_story",
                )
        return cleaned

    def story_rows(self) -> StoryRows:
        """The stories as the page lists them: the likeliest first, the rest behind "show all"
        once there are more than STORIES_SHOWN_FIRST (those chosen for this interview or already
        ticked always among the first)."""
        rows = []
        for story in self.offered.stories:
            bound = self[story_field_name(story.pk)]
            rows.append(StoryRow(story=story, field=bound, ticks=[str(tick) for tick in bound.value() or []]))
        if len(rows) <= STORIES_SHOWN_FIRST:
            return StoryRows(first=rows, rest=[])
        likely = sum(
            1
            for row in rows
            if getattr(row.story, "on_plan", False) or getattr(row.story, "told_here", False)
        )
        shown = max(STORIES_SHOWN_FIRST, likely)
        return StoryRows(first=rows[:shown], rest=rows[shown:])

    def stories_told(self) -> dict[int, list[int]]:
        """Story id -> who heard it, for each story ticked as told; nobody picked: everyone on the panel."""
        everyone = [person.pk for person in self.offered.participants]
        told = {}
        for story in self.offered.stories:
            ticks = self.cleaned_data.get(story_field_name(story.pk)) or []
            if TOLD in ticks:
                told[story.pk] = [int(tick) for tick in ticks if tick != TOLD] or everyone
        return told

    def right_job_fields(
        self,
    ) -> list[tuple[checklists.RightJobQuestion, forms.BoundField, forms.BoundField]]:
        return [
            (question, self[f"{question.key}_score"], self[f"{question.key}_note"])
            for question in checklists.RIGHT_JOB_QUESTIONS
        ]

    def reflection_fields(self) -> dict[str, object]:
        """What the person wrote and ticked, but the stories told (stories_told has those)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.base_fields and name not in ("version", "editor")
        }

    @classmethod
    def initial_from(cls, reflection) -> dict[str, object]:
        if reflection is None:
            return {"version": 0}
        initial = {
            name: getattr(reflection, name) for name in cls.base_fields if name not in ("version", "editor")
        }
        initial["version"] = reflection.version
        # In the order the page lists the ticks (told, then the panel as it is ordered), as the
        # browser sends them back: drafts.js compares what it holds with this.
        for story_id, people in reflection.stories_told().items():
            initial[story_field_name(story_id)] = [TOLD, *(str(person) for person in people)]
        return initial


class LessonForm(forms.Form):
    text = forms.CharField(
        label="Lesson",
        max_length=300,
        error_messages={
            "required": "A lesson needs a few words.",
            "max_length": "A lesson is at most %(limit_value)d characters (this one has %(show_value)d). "
            "Shorten it a little; your text is still here.",
        },
    )


class JournalFilterForm(forms.Form):
    # Typed, not a menu of every application: a part of the company's name or of the role.
    application = forms.CharField(label="Company or role", required=False, max_length=200)
    round_number = forms.TypedChoiceField(
        label="Round",
        choices=[("", "Any round")] + [(str(n), f"Round {n}") for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    confidence = forms.TypedChoiceField(
        choices=[("", "Any confidence")] + [(str(n), f"{n} of 5") for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
