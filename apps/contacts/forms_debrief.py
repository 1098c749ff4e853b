"""The recruiter debrief: what you tell your recruiter after an interview, and the script it makes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ObjectDoesNotExist

from apps.accounts.models import User
from apps.contacts import balanced
from apps.contacts.models import Channel, Contact, ContactKind, ContactQuerySet, Interaction
from apps.pipeline.models import Interview

HOW_IT_WENT_MAX_LENGTH = 5_000
EXTRA_QUESTIONS_MAX_LENGTH = 1_000

ENTHUSIASM_CHOICES = [
    ("very_keen", "Very keen"),
    ("keen", "Keen"),
    ("unsure", "Unsure"),
    ("not_for_me", "Not for me"),
]

# What each answer becomes in the script, in the first person.
ENTHUSIASM_LINES = {
    "very_keen": "Having met them, I am very keen on this role and would love to go further.",
    "keen": "I am keen on the role and happy to go on to the next step.",
    "unsure": "I am still weighing it up; the answers to the questions below would help me decide.",
    "not_for_me": "Having met them, I do not think this role is the right fit for me, "
    "and I would rather say so now than take up more of their time.",
}

QUESTION_CHOICES = [
    ("feedback", "Ask for their feedback"),
    ("news", "Ask when to expect news"),
    ("next_steps", "Ask about next steps and the format of the next round"),
    ("salary", "Ask about the salary range"),
]

QUESTION_LINES = {
    "feedback": "Could you ask them for feedback, whatever the outcome?",
    "news": "When should I expect to hear from them?",
    "next_steps": "What would the next step look like, and who would I meet?",
    "salary": "Do you know the salary range they have in mind?",
}

CHANNEL_CHOICES = [(c.value, c.label) for c in (Channel.CALL, Channel.EMAIL, Channel.MESSAGE)]


class RecruiterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name} ({obj.company})" if obj.company else obj.name


class DebriefForm(forms.Form):
    recruiter = RecruiterChoiceField(
        label="Your recruiter",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="I'll pick later",
        error_messages={"invalid_choice": "Choose one of your recruiters from the list."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    how_it_went = forms.CharField(
        label="How it went",
        max_length=HOW_IT_WENT_MAX_LENGTH,
        error_messages={
            "required": "Write a line or two on how it went: it is what your recruiter most wants to hear.",
            "max_length": f"Keep this under {HOW_IT_WENT_MAX_LENGTH:,} characters (it has %(show_value)d). "
            "Shorten it a little; your text is still here.",
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    enthusiasm = forms.ChoiceField(
        label="How keen are you now?",
        choices=ENTHUSIASM_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say how keen you are; your recruiter will pass it on.",
            "invalid_choice": "Choose one of the answers listed.",
        },
    )
    questions = forms.MultipleChoiceField(
        label="What to ask",
        choices=QUESTION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose questions from the list."},
    )
    extra_questions = forms.CharField(
        label="Anything else to ask",
        required=False,
        max_length=EXTRA_QUESTIONS_MAX_LENGTH,
        help_text="One per line.",
        error_messages={
            "max_length": f"Keep these under {EXTRA_QUESTIONS_MAX_LENGTH:,} characters "
            "(they have %(show_value)d); your text is still here."
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    channel = forms.ChoiceField(
        label="How you will reach them",
        choices=CHANNEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you will reach them.",
            "invalid_choice": "Choose a call, an email or a message.",
        },
    )
    # Only asked for when the wording check found something: the person may
    # have good reasons to keep their words, and the choice stays theirs.
    send_as_is = forms.BooleanField(label="Send it as it is", required=False)
    # The latest debrief of this interview that the page showed, if any: logging this form
    # while it was shown is the choice to log another one (see services.debrief_log).
    after_debrief = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: object = None,
        *,
        user: User,
        interview: Interview,
        initial: dict[str, object] | None = None,
        latest_debrief: Interaction | None = None,
    ) -> None:
        self.interview = interview
        recruiters = Contact.objects.for_user(user).filter(kind__in=ContactKind.recruiters())
        if data is None and initial is None:
            initial = _prefill(interview, recruiters)
        super().__init__(data, initial=initial)
        self.fields["recruiter"].queryset = recruiters
        if latest_debrief is not None:
            self.initial["after_debrief"] = latest_debrief.pk

    def clean_after_debrief(self) -> int | None:
        value = self.cleaned_data["after_debrief"]
        # An id that is not a number names no debrief: as if none had been shown.
        return int(value) if value.isascii() and value.isdigit() else None

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if balanced.review(cleaned.get("how_it_went") or "") and not cleaned.get("send_as_is"):
            self.add_error(
                "send_as_is",
                "A few words above may read harder on yourself than you mean. Reword them, "
                "or tick this box to send it as it is.",
            )
        return cleaned

    # --- What the page shows while the form is being filled in ---------------
    # These read the answers as they stand (typed, or prefilled), valid or not.

    def flags(self) -> list[balanced.Flag]:
        return balanced.review(self["how_it_went"].value() or "")

    def script(self) -> str:
        questions = self["questions"].value() or []
        return compose_script(
            interview=self.interview,
            recruiter=self._chosen_recruiter(),
            how_it_went=self["how_it_went"].value() or "",
            enthusiasm=self["enthusiasm"].value() or "",
            questions=[questions] if isinstance(questions, str) else list(questions),
            extra_questions=self["extra_questions"].value() or "",
        )

    def _chosen_recruiter(self) -> Contact | None:
        cleaned = getattr(self, "cleaned_data", {})
        if "recruiter" in cleaned:
            return cleaned["recruiter"]
        value = self["recruiter"].value()
        if isinstance(value, Contact):
            return value
        try:
            pk = int(str(value))
        except ValueError:
            return None
        # Through the queryset, so another person's contact id names nobody.
        return self.fields["recruiter"].queryset.filter(pk=pk).first()


def _prefill(interview: Interview, recruiters: ContactQuerySet) -> dict[str, object]:
    """Start from the reflection's notes and the recruiter already on this application."""
    return {
        "recruiter": recruiters.filter(application_links__application=interview.application_id).first(),
        "how_it_went": _reflection_notes(interview),
        "questions": ["feedback", "news"],
        "channel": Channel.CALL,
    }


def _reflection_notes(interview: Interview) -> str:
    try:
        reflection = interview.reflection
    except ObjectDoesNotExist:
        return ""
    parts = []
    if reflection.went_well.strip():
        parts.append(f"What went well: {reflection.went_well.strip()}")
    if reflection.to_improve.strip():
        parts.append(f"What I will do differently next time: {reflection.to_improve.strip()}")
    return "\n\n".join(parts)


def compose_script(
    *,
    interview: Interview,
    recruiter: Contact | None,
    how_it_went: str,
    enthusiasm: str,
    questions: list[str],
    extra_questions: str,
) -> str:
    """The debrief as the person will say or send it, in plain text."""
    application = interview.application
    greeting = f"Hi {recruiter.name.split()[0]}," if recruiter and recruiter.name.strip() else "Hi,"
    paragraphs = [
        greeting,
        f"Thank you for setting up round {interview.round_number} with {application.company.name} "
        f"for the {application.role_title} role. Here is how it went, while it is fresh.",
    ]
    if how_it_went.strip():
        paragraphs.append(how_it_went.strip())
    if enthusiasm in ENTHUSIASM_LINES:
        paragraphs.append(ENTHUSIASM_LINES[enthusiasm])
    asks = [QUESTION_LINES[key] for key, _ in QUESTION_CHOICES if key in questions]
    asks += [line.strip() for line in extra_questions.splitlines() if line.strip()]
    if asks:
        paragraphs.append("A few questions:\n" + "\n".join(f"- {ask}" for ask in asks))
    paragraphs.append("Thank you for your help.")
    return "\n\n".join(paragraphs)
