"""Interviews as iCalendar events (RFC 5545), for the personal feed and one-off downloads.

Calendar apps match events by UID and replace one only when its SEQUENCE
grows, so both come straight from the interview row: the UID never changes,
and the services bump `sequence` on every reschedule and on cancel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.text import slugify
from icalendar import Calendar, Event, vDuration
from icalendar.enums import STATUS

from apps.accounts.models import User
from apps.pipeline.models import Interview, InterviewOutcome, InterviewQuerySet

PRODID = "-//Second Round//Interviews//EN"
CALENDAR_NAME = "Second Round interviews"
# How often we ask calendar apps to fetch the feed again. Google ignores it and
# polls on its own schedule; Apple Calendar and Outlook honour one of the two.
REFRESH_INTERVAL = dt.timedelta(hours=1)
# Past interviews stay long enough to look back on, without the feed growing
# for the whole length of a search.
FEED_LOOKBACK = dt.timedelta(days=30)

_is_web_address = URLValidator(schemes=["http", "https"])


def feed_interviews(*, user: User, now: dt.datetime) -> InterviewQuerySet:
    """The interviews a user's feed carries: all applications, archived ones too.

    Cancelled interviews stay in, so that calendars which already hold them
    learn of the cancellation and take them out.
    """
    return with_event_details(
        Interview.objects.for_user(user).filter(ends_at__gte=now - FEED_LOOKBACK).order_by("starts_at", "pk")
    )


def with_event_details(interviews: InterviewQuerySet) -> InterviewQuerySet:
    """What an event names: the company, and the people met (recorded by the contacts app)."""
    return interviews.select_related("application__company").prefetch_related("participants")


def calendar_ics(interviews: Iterable[Interview], *, now: dt.datetime) -> bytes:
    """A whole VCALENDAR holding one event per interview, ready to serve."""
    calendar = _new_calendar()
    for interview in interviews:
        calendar.add_component(interview_event(interview, now=now))
    return calendar.to_ical()


def interview_event(interview: Interview, *, now: dt.datetime) -> Event:
    """One interview as a VEVENT. Fetch the interviews `with_event_details`: it reads their company
    and the people met."""
    return Event.new(
        uid=interview_uid(interview),
        stamp=_utc(now),
        start=_utc(interview.starts_at),
        end=_utc(interview.ends_at),
        sequence=interview.sequence,
        last_modified=_utc(interview.updated_at),
        summary=_summary(interview),
        description=_description(interview),
        location=interview.location or None,
        url=_web_address_in(interview.location),
        status=STATUS.CANCELLED if interview.is_cancelled else STATUS.CONFIRMED,
    )


def interview_uid(interview: Interview) -> str:
    # The domain-like suffix keeps our UIDs apart from every other calendar's.
    return f"interview-{interview.pk}@second-round"


def interview_filename(interview: Interview) -> str:
    """A download name a person recognises in their downloads folder."""
    # A name of only non-Latin letters slugifies to nothing; the name then goes without it.
    words = ["interview", slugify(interview.application.company.name), f"round-{interview.round_number}"]
    return "-".join(word for word in words if word) + ".ics"


def _new_calendar() -> Calendar:
    # Built by hand rather than with Calendar.new(), which would give the
    # calendar a fresh random UID on every fetch.
    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.calscale = "GREGORIAN"
    calendar.method = "PUBLISH"
    calendar.calendar_name = CALENDAR_NAME
    calendar.refresh_interval = REFRESH_INTERVAL
    # RFC 7986 requires the value type to be spelled out on this property.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    # The older name for the same hint, which Outlook reads.
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    return calendar


def _summary(interview: Interview) -> str:
    application = interview.application
    summary = (
        f"Round {interview.round_number} interview: {application.role_title} at {application.company.name}"
    )
    # Some calendar apps keep cancelled events on show; the title says why it is there.
    return f"Cancelled: {summary}" if interview.is_cancelled else summary


def _description(interview: Interview) -> str:
    """What the person wants at a glance in their calendar: who they meet, and the way back to
    their notes and their prep brief."""
    lines = [f"Format: {interview.get_format_display()}"]
    people = [
        f"{person.name} ({person.get_role_display().lower()})" for person in interview.participants.all()
    ]
    if people:
        lines.append(f"Meeting: {', '.join(people)}")
    if interview.outcome != InterviewOutcome.PENDING:
        lines.append(f"Outcome: {interview.get_outcome_display()}")
    if interview.is_cancelled:
        lines.append("This interview was cancelled.")
    brief = reverse("prep:brief", args=[interview.pk])
    application = reverse("pipeline:application_detail", args=[interview.application_id])
    lines += [
        "",
        f"Your prep brief: {settings.SITE_URL}{brief}",
        f"The application: {settings.SITE_URL}{application}",
    ]
    if interview.notes.strip():
        lines += ["", "Notes:", interview.notes.strip()]
    return "\n".join(lines)


def _web_address_in(location: str) -> str | None:
    """The first web link in the location, such as a video call's address.

    People paste links with words around them ("Zoom: https://... code 1234"),
    so each word is tried rather than the whole text.
    """
    for word in location.split():
        try:
            _is_web_address(word)
        except ValidationError:
            continue
        return word
    return None


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)
