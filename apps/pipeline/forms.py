from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django import forms
from django.utils import timezone

from apps.accounts.forms import TimeZoneField
from apps.accounts.time_zones import time_zone_choices
from apps.core.forms import check_sane_date
from apps.pipeline.models import InterviewFormat, InterviewOutcome, Stage, WorkMode
from apps.pipeline.selectors import DEFAULT_SORT, ApplicationFilters
from apps.pipeline.services import BULK_ACTIONS, MAX_BULK, tag_names

EXCITEMENT_CHOICES = [("", "Not rated")] + [(str(n), "★" * n) for n in range(1, 6)]


class SaneDateField(forms.DateField):
    """A date within the years a job search can involve (see apps.core.forms)."""

    default_validators = [check_sane_date]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def not_in_the_future(day: dt.date | None) -> dt.date | None:
    """A day something already happened on: today at the latest, where the person lives."""
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError("That day has not come yet.")
    return day


def moment_of(day: dt.date | None) -> dt.datetime | None:
    """When a step dated by the day only happened: now if today (or no day), else that day's noon
    where the person lives, so that it sorts and counts within the right day wherever it is read."""
    if day is None or day == timezone.localdate():
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ApplicationForm(forms.Form):
    company_name = forms.CharField(label="Company", max_length=200)
    role_title = forms.CharField(label="Role", max_length=200)
    stage = forms.ChoiceField(choices=Stage.choices, initial=Stage.APPLIED)
    job_url = forms.URLField(label="Job link", max_length=500, required=False, assume_scheme="https")
    source = forms.CharField(
        max_length=100, required=False, help_text="Where you found it: a job board, a recruiter, a referral."
    )
    location = forms.CharField(max_length=200, required=False)
    work_mode = forms.ChoiceField(
        label="Work mode", choices=[("", "Not known"), *WorkMode.choices], required=False
    )
    salary_min = forms.IntegerField(label="Salary from", min_value=0, max_value=100_000_000, required=False)
    salary_max = forms.IntegerField(label="Salary to", min_value=0, max_value=100_000_000, required=False)
    salary_currency = forms.CharField(
        label="Currency",
        max_length=3,
        min_length=3,
        required=False,
        help_text="Three letters: GBP, EUR, USD…",
    )
    next_step = forms.CharField(label="Next step", max_length=200, required=False)
    decision_expected_on = SaneDateField(
        label="Decision promised by",
        required=False,
        widget=DateInput(),
        help_text="When they said you would hear.",
    )
    excitement = forms.TypedChoiceField(
        choices=EXCITEMENT_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="How much you want it.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20_000)
    tags = forms.CharField(
        max_length=600,
        required=False,
        help_text="Words to file it under, a comma between them: remote, fintech.",
    )
    starred = forms.BooleanField(required=False, label="Starred: one of the few you most want")
    applied_on = SaneDateField(
        label="Added on",
        required=False,
        widget=DateInput(),
        validators=[not_in_the_future],
        help_text="Today for a new one; for one you are moving over from elsewhere, the day you applied.",
    )
    # Sent back with the form so that a second submission of it is recognised.
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The stage moves with "Move to", which keeps the history; its dates are corrected there.
            del self.fields["stage"]
            del self.fields["creation_token"]
            del self.fields["applied_on"]
        elif not self.is_bound:
            self.initial.setdefault("creation_token", uuid.uuid4())

    def clean_company_name(self) -> str:
        name = " ".join(self.cleaned_data["company_name"].split())
        if not name:
            raise forms.ValidationError("Type the company's name.")
        return name

    def clean_role_title(self) -> str:
        title = " ".join(self.cleaned_data["role_title"].split())
        if not title:
            raise forms.ValidationError("Type the job title.")
        return title

    def clean_salary_currency(self) -> str:
        currency = self.cleaned_data["salary_currency"].strip().upper()
        if currency and not currency.isalpha():
            raise forms.ValidationError("Use the three-letter code, such as GBP or EUR.")
        return currency

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", "This is lower than the salary it starts from.")
        return cleaned

    def service_fields(self) -> dict:
        """cleaned_data in the shape the services take."""
        data = dict(self.cleaned_data)
        for optional_text in ("work_mode",):
            data[optional_text] = data.get(optional_text) or ""
        if "applied_on" in data:
            data["created_at"] = moment_of(data.pop("applied_on"))
        data["tags"] = tag_names(data.get("tags", ""))
        return data


class MoveForm(forms.Form):
    stage = forms.ChoiceField(
        choices=Stage.choices, error_messages={"invalid_choice": "Choose a stage from the list."}
    )
    note = forms.CharField(max_length=500, required=False)
    moved_on = SaneDateField(label="When", required=False, widget=DateInput(), validators=[not_in_the_future])


class StageChangeForm(forms.Form):
    """A step of the history set right: when it happened, and the note beside it."""

    day = SaneDateField(label="Day", widget=DateInput(), validators=[not_in_the_future])
    time = forms.TimeField(label="Time", required=False, widget=TimeInput(), help_text="If you know it.")
    note = forms.CharField(max_length=500, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("day") and data.get("time") and self.moment() is None:
            self.add_error("time", "That time did not exist that day: the clocks went forward. Pick another.")
        return data

    def moment(self) -> dt.datetime | None:
        data = self.cleaned_data
        if data.get("time") is None:
            return moment_of(data["day"]) or timezone.now()
        return combine_local(data["day"], data["time"], timezone.get_current_timezone())


class ArchiveForm(forms.Form):
    archived = forms.BooleanField(required=False)


class BulkForm(forms.Form):
    """Several applications ticked on the list, and what to do with them."""

    ids = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(
        choices=[("", "Do with the ticked ones…"), *BULK_ACTIONS.items()],
        error_messages={"invalid_choice": "Choose what to do with them."},
    )
    stage = forms.ChoiceField(choices=[("", "Stage…"), *Stage.choices], required=False)
    tag = forms.CharField(max_length=40, required=False)

    def clean_ids(self) -> list[int]:
        # Any whole number: which are the person's own is the service's to check.
        return [int(value) for value in self.data.getlist("ids") if str(value).isdigit()][: MAX_BULK + 1]


def combine_local(day: dt.date, time: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The aware moment a wall-clock time names in `zone`, or None if the clocks skip it."""
    local = dt.datetime.combine(day, time).replace(tzinfo=zone)
    # In the hour that clocks skip in spring, the time does not exist: going to
    # UTC and back lands on another wall-clock time.
    round_trip = local.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local


class InterviewTimeZoneField(TimeZoneField):
    """A time zone for one interview's times, or none: the person's own."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.choices = [("", "Mine"), *time_zone_choices()]


class InterviewForm(forms.Form):
    round_number = forms.IntegerField(label="Round", min_value=1, max_value=20)
    date = SaneDateField(widget=DateInput())
    start_time = forms.TimeField(label="Starts", widget=TimeInput())
    end_time = forms.TimeField(label="Ends", widget=TimeInput())
    time_zone = InterviewTimeZoneField(
        required=False,
        label="Time zone of those times",
        help_text="Leave it as yours, or pick theirs if the times are theirs (a team in New York).",
    )
    format = forms.ChoiceField(choices=InterviewFormat.choices, initial=InterviewFormat.VIDEO)
    location = forms.CharField(
        label="Where", max_length=500, required=False, help_text="An address, or the meeting link."
    )
    outcome = forms.ChoiceField(choices=InterviewOutcome.choices, initial=InterviewOutcome.PENDING)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20_000)
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: object, zone: zoneinfo.ZoneInfo, editing: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        if editing:
            del self.fields["creation_token"]
        else:
            # A new interview has not happened yet: its outcome is set later.
            del self.fields["outcome"]
            if not self.is_bound:
                self.initial.setdefault("creation_token", uuid.uuid4())

    @classmethod
    def initial_for(cls, interview, zone: zoneinfo.ZoneInfo) -> dict:
        if interview.time_zone:
            zone = zoneinfo.ZoneInfo(interview.time_zone)
        starts, ends = interview.starts_at.astimezone(zone), interview.ends_at.astimezone(zone)
        return {
            "time_zone": interview.time_zone,
            "round_number": interview.round_number,
            "date": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "format": interview.format,
            "location": interview.location,
            "outcome": interview.outcome,
            "notes": interview.notes,
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day is None or start is None or end is None:
            return cleaned
        zone = zoneinfo.ZoneInfo(cleaned["time_zone"]) if cleaned.get("time_zone") else self.zone
        starts_at = combine_local(day, start, zone)
        ends_at = combine_local(day, end, zone)
        if starts_at is None:
            self.add_error("start_time", "The clocks change then: that time does not exist on this day.")
        if ends_at is None:
            self.add_error("end_time", "The clocks change then: that time does not exist on this day.")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("end_time", "The interview must end after it starts.")
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned

    def service_fields(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "round_number",
                "format",
                "location",
                "outcome",
                "notes",
                "creation_token",
                "time_zone",
            )
            if name in self.fields
        }
        data["starts_at"] = self.cleaned_data["starts_at"]
        data["ends_at"] = self.cleaned_data["ends_at"]
        return data


# The list's columns a person can choose, in the order they appear; the company is always shown.
LIST_COLUMNS = {
    "role": "Role",
    "stage": "Stage",
    "next_interview": "Next interview",
    "applied": "Applied",
    "updated": "Updated",
    "source": "Source",
    "location": "Location",
    "salary": "Salary",
    "excitement": "Excitement",
    "decision": "Decision by",
    "tags": "Tags",
}
DEFAULT_COLUMNS = ["role", "stage", "next_interview", "applied", "updated"]


class ApplicationFilterForm(forms.Form):
    """The list page's filters; they live in the query string so a view can be bookmarked."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    stage = forms.ChoiceField(
        required=False,
        choices=[("", "Any stage"), ("active", "Still in play"), ("closed", "Closed"), *Stage.choices],
    )
    # Typed, not picked from a menu: a long search has hundreds of companies. A part of the
    # name is enough; the box suggests names as it is typed (pipeline/views/suggest.py).
    company = forms.CharField(label="Company", required=False, max_length=200)
    recruiter = forms.CharField(label="Recruiter", required=False, max_length=200)
    applied_from = SaneDateField(label="Applied from", required=False, widget=DateInput())
    applied_to = SaneDateField(label="Applied to", required=False, widget=DateInput())
    show = forms.ChoiceField(
        required=False,
        choices=[("open", "Not archived"), ("archived", "Archived only"), ("all", "Everything")],
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    tag = forms.CharField(label="Tag", required=False, max_length=40)
    starred = forms.BooleanField(label="Starred only", required=False)
    columns = forms.MultipleChoiceField(
        required=False, choices=list(LIST_COLUMNS.items()), widget=forms.CheckboxSelectMultiple
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("applied_from"), cleaned.get("applied_to")
        if start and end and start > end:
            self.add_error("applied_to", "This is before the date it starts from.")
        return cleaned

    def filters(self) -> ApplicationFilters:
        """What the list shows: the filters as given, or none at all if any of them is wrong."""
        if not (self.is_bound and self.is_valid()):
            return ApplicationFilters()
        data = self.cleaned_data
        return ApplicationFilters(
            query=data["q"],
            stage=data["stage"],
            company=data["company"].strip(),
            recruiter=data["recruiter"].strip(),
            applied_from=data["applied_from"],
            applied_to=data["applied_to"],
            show=data["show"] or "open",
            sort=data["sort"] or DEFAULT_SORT,
            tag=" ".join(data["tag"].split()),
            starred=data["starred"],
        )

    def export_query(self) -> str:
        """The filters as a query string for the export (no sort, columns or position): "" for none."""
        if self.filters() == ApplicationFilters():
            return ""
        kept = self.data.copy()
        for name in ("sort", "columns", "after", "page"):
            kept.pop(name, None)
        return kept.urlencode()
