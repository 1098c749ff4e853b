from __future__ import annotations

from django import forms

from apps.prep import guide
from apps.prep.models import PlanFormat, ResearchTopic, Story


class FormatForm(forms.Form):
    format = forms.ChoiceField(choices=[("", "Not known yet"), *PlanFormat.choices], required=False)
    people_count = forms.IntegerField(label="How many people", min_value=1, max_value=30, required=False)
    duration_minutes = forms.IntegerField(
        label="How long (minutes)", min_value=5, max_value=600, required=False
    )
    recruiter_checks = forms.MultipleChoiceField(
        label="Asked the recruiter",
        choices=[(check.key, check.label) for check in guide.ASK_THE_RECRUITER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AreasForm(forms.Form):
    """Notes and a ready toggle for each of the five areas, plus availability and salary."""

    availability = forms.CharField(label="Notice period and start date", max_length=200, required=False)
    salary_expectation = forms.CharField(label="The salary you expect", max_length=200, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for area in guide.FIVE_AREAS:
            self.fields[f"{area.key}_notes"] = forms.CharField(
                label="Notes", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"{area.key}_ready"] = forms.BooleanField(label="Ready", required=False)

    def areas(self) -> dict[str, dict]:
        return {
            area.key: {
                "notes": self.cleaned_data[f"{area.key}_notes"],
                "ready": self.cleaned_data[f"{area.key}_ready"],
            }
            for area in guide.FIVE_AREAS
        }

    @staticmethod
    def initial_from(plan) -> dict:
        initial = {"availability": plan.availability, "salary_expectation": plan.salary_expectation}
        for area in guide.FIVE_AREAS:
            initial[f"{area.key}_notes"] = plan.area(area.key)["notes"]
            initial[f"{area.key}_ready"] = plan.area(area.key)["ready"]
        return initial


class StoryChoiceForm(forms.Form):
    story = forms.ModelChoiceField(queryset=Story.objects.none(), empty_label="Choose one of your stories")

    def __init__(self, *args: object, user, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["story"].queryset = Story.objects.for_user(user)


class QuestionForm(forms.Form):
    text = forms.CharField(label="Your question", max_length=300)
    suggestion_key = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class ResearchForm(forms.Form):
    topic = forms.ChoiceField(choices=ResearchTopic.choices)
    url = forms.URLField(label="Link", max_length=500, required=False, assume_scheme="https")
    note = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("url") and not (cleaned.get("note") or "").strip() and not self.errors:
            raise forms.ValidationError("Add a link or a note.")
        return cleaned


class ExerciseForm(forms.Form):
    exercise_expected = forms.CharField(
        label="What is expected", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    exercise_materials = forms.CharField(
        label="Materials", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    exercise_rehearsed = forms.BooleanField(label="I have rehearsed it", required=False)
