from __future__ import annotations

from django import forms
from django.http import HttpRequest

from apps.accounts.models import User
from apps.accounts.time_zones import canonical_time_zone, time_zone_choices


class TimeZoneField(forms.ChoiceField):
    """A time zone from the list; old spellings a browser may send are translated."""

    default_error_messages = {
        "invalid_choice": "Choose a time zone from the list, such as Europe/London.",
    }

    def __init__(self, *, guess_from_browser: bool = False, **kwargs: object) -> None:
        # static/js/app.js pre-selects the browser's own zone in such a select.
        attrs = {"data-guess-time-zone": "true"} if guess_from_browser else {}
        super().__init__(choices=time_zone_choices, widget=forms.Select(attrs=attrs), **kwargs)

    def to_python(self, value: object) -> str:
        name = super().to_python(value)
        return canonical_time_zone(name) or name


class SignupExtrasForm(forms.Form):
    """Fields allauth adds to its sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    # allauth's sign-up form applies this order to its own fields and ours.
    field_order = ["first_name", "email", "time_zone", "password1", "password2"]

    first_name = forms.CharField(
        label="What should we call you?",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    time_zone = TimeZoneField(
        label="Your time zone",
        initial="UTC",
        guess_from_browser=True,
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
    time_zone = TimeZoneField(
        label="Time zone",
        help_text="Interview times and reminders are shown in this time zone.",
    )

    class Meta:
        model = User
        fields = ["first_name", "time_zone"]
        labels = {"first_name": "Name"}
        help_texts = {"first_name": "How Second Round greets you. Optional."}
