from __future__ import annotations

from django import forms

from apps.journal import checklists
from apps.journal.models import ACCOUNT_MAX_LENGTH, NOTE_MAX_LENGTH

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


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

    def right_job_fields(
        self,
    ) -> list[tuple[checklists.RightJobQuestion, forms.BoundField, forms.BoundField]]:
        return [
            (question, self[f"{question.key}_score"], self[f"{question.key}_note"])
            for question in checklists.RIGHT_JOB_QUESTIONS
        ]

    def reflection_fields(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("version")
        data.pop("editor")
        return data

    @classmethod
    def initial_from(cls, reflection) -> dict[str, object]:
        if reflection is None:
            return {"version": 0}
        initial = {
            name: getattr(reflection, name) for name in cls.base_fields if name not in ("version", "editor")
        }
        initial["version"] = reflection.version
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
