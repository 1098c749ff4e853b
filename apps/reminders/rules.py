"""When each reminder falls due, and when it may be emailed. Pure functions of time.

The due rules take what the reminder is about (read for its times only, so the
kernel needs no model of the apps that own it), the person's settings, their
time zone and the moment of asking; None means "no reminder for this".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any, Protocol

# An evening hour, local time, for "write it down while it is fresh".
REFLECTION_EVENING = dt.time(19, 0)
REFLECTION_MIN_DELAY = dt.timedelta(hours=2)
FOLLOW_UP_HOUR = dt.time(9, 0)
# Interviews logged after the fact do not start a stream of "send a thank-you" mails.
POST_INTERVIEW_CUTOFF = dt.timedelta(days=3)
QUIET_APPLICATION_AFTER = dt.timedelta(days=14)


def _at_local(day: dt.date, time: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A wall-clock time on a day in `zone`, as an aware UTC moment.

    In a spring-forward gap the time does not exist; going through UTC moves it
    to the first moment after the gap, which is what a person would expect.
    """
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)


def reflection_prompt_due(ends_at: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """19:00 on the evening of the interview, or two hours after it ends if that is later."""
    evening = _at_local(ends_at.astimezone(zone).date(), REFLECTION_EVENING, zone)
    return max(evening, ends_at + REFLECTION_MIN_DELAY)


def follow_up_due(decision_by: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The morning after the promised decision date."""
    return _at_local(decision_by + dt.timedelta(days=1), FOLLOW_UP_HOUR, zone)


def outside_quiet_hours(
    moment: dt.datetime, zone: zoneinfo.ZoneInfo, quiet_from: dt.time, quiet_until: dt.time
) -> dt.datetime:
    """`moment`, or the end of the quiet hours it falls in (local time)."""
    if quiet_from == quiet_until:
        return moment  # no quiet hours
    local = moment.astimezone(zone)
    now = local.time()
    if quiet_from > quiet_until:  # across midnight, e.g. 21:00 to 08:00
        if quiet_until <= now < quiet_from:
            return moment
        wake_day = local.date() if now < quiet_until else local.date() + dt.timedelta(days=1)
    else:  # within one day, e.g. 12:00 to 14:00
        if not quiet_from <= now < quiet_until:
            return moment
        wake_day = local.date()
    return _at_local(wake_day, quiet_until, zone)


# --- Due rules, one per kind (the registry in kinds.py names them) -----------------


class Timed(Protocol):
    starts_at: dt.datetime
    ends_at: dt.datetime


class Promised(Protocol):
    decision_expected_on: dt.date | None


class Preferences(Protocol):
    thank_you_delay_hours: int
    prep_review_lead_hours: int


DueRule = Callable[[Any, Preferences, zoneinfo.ZoneInfo, dt.datetime], dt.datetime | None]


def _long_over(interview: Timed, now: dt.datetime) -> bool:
    return interview.ends_at <= now - POST_INTERVIEW_CUTOFF


def prep_review_due(
    interview: Timed, preferences: Preferences, zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> dt.datetime | None:
    """The lead time before the interview starts; at once if that has passed; none once it began."""
    if interview.starts_at <= now:
        return None
    return max(interview.starts_at - dt.timedelta(hours=preferences.prep_review_lead_hours), now)


def thank_you_due(
    interview: Timed, preferences: Preferences, zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> dt.datetime | None:
    if _long_over(interview, now):
        return None
    return interview.ends_at + dt.timedelta(hours=preferences.thank_you_delay_hours)


def recruiter_debrief_due(
    interview: Timed, preferences: Preferences, zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> dt.datetime | None:
    """Right after: the recruiter wants to hear while it is fresh too."""
    return None if _long_over(interview, now) else interview.ends_at


def reflection_prompt_due_for(
    interview: Timed, preferences: Preferences, zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> dt.datetime | None:
    return None if _long_over(interview, now) else reflection_prompt_due(interview.ends_at, zone)


def follow_up_due_for(
    application: Promised, preferences: Preferences, zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> dt.datetime | None:
    """The morning after the promised date; a date long gone (an old application imported) is history."""
    if application.decision_expected_on is None:
        return None
    due_at = follow_up_due(application.decision_expected_on, zone)
    return None if due_at < now - POST_INTERVIEW_CUTOFF else due_at


def due_now(
    about: object, preferences: Preferences, zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> dt.datetime:
    """For reminders raised by an event (a referee may be called, a quiet spell noticed)."""
    return now
