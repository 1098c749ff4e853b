"""Forms for the story bank and the practice questions: they validate, the views save through services."""

from __future__ import annotations

from django import forms

from apps.accounts.models import User
from apps.prep import guide
from apps.prep.models import PracticeAnswer, Story

STAR_TEXT_LIMIT = 5_000
ANSWER_LIMIT = 5_000
QUESTION_LIMIT = 300

# Each STAR part with the nudge shown under its label.
STAR_PROMPTS: dict[str, tuple[str, str]] = {
    "situation": ("Situation", "Where were you, what was going on?"),
    "task": ("Task", "What was yours to do?"),
    "action": ("Action", "What did YOU do — steps, decisions"),
    "result": ("Result", "What changed? Numbers if you have them"),
}


def _star_text(part: str) -> forms.CharField:
    label, prompt = STAR_PROMPTS[part]
    return forms.CharField(
        label=label,
        help_text=prompt,
        required=False,
        max_length=STAR_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "Keep this part to %(limit_value)d characters (it has %(show_value)d): "
            "a story told in two minutes is plenty."
        },
    )


class StoryForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="A few words you will recognise on an interview morning.",
        error_messages={
            "required": "Give the story a short title.",
            "max_length": "Keep the title to %(limit_value)d characters (it has %(show_value)d).",
        },
    )
    situation = _star_text("situation")
    task = _star_text("task")
    action = _star_text("action")
    result = _star_text("result")
    competencies = forms.MultipleChoiceField(
        label="What it shows",
        choices=guide.COMPETENCIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "“%(value)s” is not one on the list: pick from the skills shown."},
    )

    @classmethod
    def for_story(cls, story: Story) -> StoryForm:
        """An unbound form showing a saved story, ready to edit."""
        return cls(initial={name: getattr(story, name) for name in cls.base_fields})

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the story a short title.")
        return title

    def clean_competencies(self) -> list[str]:
        # Stored in the guide's order, each once, whatever order the browser sent them in.
        chosen = set(self.cleaned_data["competencies"])
        return [key for key in guide.COMPETENCY_KEYS if key in chosen]


class PracticeForm(forms.Form):
    """An answer to one practice question; the "Practised it now" button sends `practised`."""

    answer = forms.CharField(
        label="Your answer",
        required=False,
        max_length=ANSWER_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Keep the answer to %(limit_value)d characters (it has %(show_value)d): "
            "jot the outline, then say the rest out loud."
        },
    )
    practised = forms.BooleanField(required=False)


class OwnQuestionForm(forms.Form):
    """A question of the user's own: one they were asked before, or expect to be."""

    question = forms.CharField(
        label="Your question",
        max_length=QUESTION_LIMIT,
        error_messages={
            "required": "Type the question you want to practise.",
            "max_length": "Keep the question to %(limit_value)d characters (it has %(show_value)d).",
        },
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_question(self) -> str:
        question = " ".join(self.cleaned_data["question"].split())
        if not question:
            raise forms.ValidationError("Type the question you want to practise.")
        # Saving a question that exists would start its answer again from blank.
        folded = question.casefold()
        if any(folded == item.text.casefold() for item in guide.PRACTICE_QUESTIONS):
            raise forms.ValidationError("That one is already among the questions here: answer it there.")
        known = PracticeAnswer.objects.for_user(self.user).values_list("question", flat=True)
        if any(folded == text.casefold() for text in known):
            raise forms.ValidationError("You already have this question on your list.")
        return question
