from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from apps.core.forms import check_sane_date
from apps.dashboard.numbers import Period

LAST_DAYS = {"30": 30, "90": 90, "365": 365}


class PeriodForm(forms.Form):
    """Which applications the numbers are about, by the day they were sent."""

    period = forms.ChoiceField(
        choices=[
            ("all", "The whole search"),
            ("30", "The last 30 days"),
            ("90", "The last 90 days"),
            ("365", "The last year"),
            ("dates", "Between two dates"),
        ],
        required=False,
        label="Applications sent in",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        validators=[check_sane_date],
    )
    end = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        validators=[check_sane_date],
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if data.get("period") == "dates" and not (start or end):
            self.add_error("start", "Give a first day, a last day, or both.")
        if start and end and end < start:
            self.add_error("end", "The last day comes before the first.")
        return data

    def period_chosen(self, today: dt.date) -> Period:
        """The period as instants in the person's own time zone (the one active for the request)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        choice = data.get("period") or "all"
        if choice in LAST_DAYS:
            return Period(start=_midnight(today - dt.timedelta(days=LAST_DAYS[choice] - 1)))
        if choice == "dates":
            start, end = data.get("start"), data.get("end")
            return Period(
                start=_midnight(start) if start else None,
                end=_midnight(end + dt.timedelta(days=1)) if end else None,
            )
        return Period()


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))
