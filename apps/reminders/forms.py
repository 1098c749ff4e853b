from __future__ import annotations

from django import forms

from apps.reminders.models import Kind, ReminderSettings


class ReminderSettingsForm(forms.ModelForm):
    kinds_on = forms.MultipleChoiceField(
        label="Email me about",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReminderSettings
        fields = ["thank_you_delay_hours", "prep_review_lead_hours", "quiet_from", "quiet_until"]
        labels = {
            "thank_you_delay_hours": "Thank-you note reminder, hours after the interview",
            "prep_review_lead_hours": "Prep review, hours before the interview",
            "quiet_from": "No email from",
            "quiet_until": "until",
        }
        help_texts = {"quiet_from": "In your time zone. Reminders due in these hours wait until the morning."}
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["thank_you_delay_hours"].widget.attrs.update(min=0, max=72)
        self.fields["prep_review_lead_hours"].widget.attrs.update(min=1, max=168)
        if not self.is_bound:
            self.initial["kinds_on"] = [kind for kind in Kind.values if kind not in self.instance.kinds_off]

    def clean_thank_you_delay_hours(self) -> int:
        hours = self.cleaned_data["thank_you_delay_hours"]
        if hours > 72:
            raise forms.ValidationError(
                "Three days (72 hours) at most: a thank-you note loses its point after that."
            )
        return hours

    def clean_prep_review_lead_hours(self) -> int:
        hours = self.cleaned_data["prep_review_lead_hours"]
        if not 1 <= hours <= 168:
            raise forms.ValidationError("Between 1 hour and a week (168 hours) before.")
        return hours

    def save(self, commit: bool = True) -> ReminderSettings:
        self.instance.kinds_off = [kind for kind in Kind.values if kind not in self.cleaned_data["kinds_on"]]
        return super().save(commit=commit)
