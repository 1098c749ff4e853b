from __future__ import annotations

from django import forms
from django.http import HttpRequest

from apps.accounts.models import User
from apps.accounts.time_zones import time_zone_choices


class TimeZoneSelect(forms.Select):
    """A select that the browser pre-fills with its own zone (static/js/app.js)."""

    def __init__(self) -> None:
        super().__init__(attrs={"data-guess-time-zone": "true"})


class SignupExtrasForm(forms.Form):
    """Fields allauth adds to its sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(
        label="What should we call you?",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        initial="UTC",
        widget=TimeZoneSelect(),
        help_text="Interview times and reminders are shown in this zone.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # Whatever the person chose stays chosen when the form comes back with errors.
            self.fields["time_zone"].widget.attrs.pop("data-guess-time-zone", None)

    def signup(self, request: HttpRequest, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["first_name", "time_zone"])


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        help_text="Interview times and reminders are shown in this time zone.",
    )

    class Meta:
        model = User
        fields = ["first_name", "time_zone"]
        labels = {"first_name": "Name"}
        help_texts = {"first_name": "How Second Round greets you. Optional."}
