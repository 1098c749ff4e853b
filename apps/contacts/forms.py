from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone

from apps.contacts import selectors
from apps.contacts.models import Channel, Contact, ContactKind, Direction
from apps.core.forms import check_sane_date


class ContactForm(forms.ModelForm):
    linkedin_url = forms.URLField(
        label="LinkedIn",
        max_length=300,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Paste the whole address of their profile, such as https://www.linkedin.com/in/…"
        },
    )
    # Ticked to create the contact even though the email address is already known.
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Contact
        fields = ["name", "kind", "company", "job_title", "email", "phone", "linkedin_url", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "email": {"invalid": "That does not look like an email address: check for a typo."},
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Type their name.")
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in "+-() ." for ch in phone):
            raise forms.ValidationError("Use digits, spaces and + - ( ) only.")
        return phone


class QuickContactForm(forms.Form):
    """Someone new, added without leaving the page: the rest can be filled in later."""

    name = forms.CharField(max_length=200, error_messages={"required": "Type their name."})
    kind = forms.ChoiceField(choices=ContactKind.choices, initial=ContactKind.INTERVIEWER)
    email = forms.EmailField(
        required=False, error_messages={"invalid": "That does not look like an email address."}
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Type their name.")
        return name


class AttachContactForm(forms.Form):
    """Someone the person knows: picked from the menu, or typed when they know too many for one."""

    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), empty_label="Choose someone you know", required=False
    )
    contact_name = forms.CharField(max_length=400, required=False, label="Someone you know")

    def __init__(self, *args: object, user, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["contact"].queryset = Contact.objects.for_user(user)

    def clean(self) -> dict:
        data = super().clean()
        typed = " ".join(data.get("contact_name", "").split())
        if data.get("contact") or "contact" in self.errors:
            return data
        if not typed:
            self.add_error("contact", "Choose someone you know, or add someone new.")
            return data
        matches = selectors.contacts_named(user=self.user, typed=typed)
        if not matches:
            self.add_error(
                "contact_name", f"No one called “{typed}” is in your contacts: add them as someone new."
            )
        elif len(matches) > 1:
            self.add_error(
                "contact_name",
                f"You know more than one {typed}: pick them from the suggestions, which name their company.",
            )
        else:
            data["contact"] = matches[0]
        return data


class InteractionForm(forms.Form):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), validators=[check_sane_date]
    )
    time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    channel = forms.ChoiceField(choices=Channel.choices)
    direction = forms.ChoiceField(choices=Direction.choices, label="Who reached out")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000, label="What was said"
    )
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=10_000,
        required=False,
        label="Feedback you received",
        help_text="From a recruiter or interviewer: it shows on the application's history.",
    )

    def __init__(self, *args: object, zone: zoneinfo.ZoneInfo, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        if not self.is_bound:
            now = timezone.localtime(timezone.now(), zone)
            self.initial.setdefault("date", now.date())
            self.initial.setdefault("time", now.time().replace(second=0, microsecond=0))

    def clean(self) -> dict:
        cleaned = super().clean()
        day = cleaned.get("date")
        if day is not None:
            moment = dt.datetime.combine(day, cleaned.get("time") or dt.time(12, 0), tzinfo=self.zone)
            if moment > timezone.now() + dt.timedelta(minutes=5):
                self.add_error("date", "That is in the future: log it once it has happened.")
            cleaned["happened_at"] = moment
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "happened_at": data["happened_at"],
            "channel": data["channel"],
            "direction": data["direction"],
            "summary": data["summary"],
            "feedback": data["feedback"],
        }
