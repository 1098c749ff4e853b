"""When each reminder falls due, and when it may be emailed. Pure functions of time."""

from __future__ import annotations

import datetime as dt
import zoneinfo

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
