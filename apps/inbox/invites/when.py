"""A date and time read from the words of a mail without a calendar, to suggest to the person."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator

from apps.core.date_words import MONTHS
from apps.inbox.invites.mime import MAX_TEXT_CHARS
from apps.inbox.invites.text import URL
from apps.inbox.invites.zones import iana_names

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_WORD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_DATE_PATTERNS = [
    # 2026-12-09, and 2026-12-09T14:00
    re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?![\d-])"),
    # 9 December, 9th of Dec 2026
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+(?P<month_name>{_MONTH_WORD})\b\.?"
        r"(?:,?\s+(?P<year>\d{4})\b)?",
        re.IGNORECASE,
    ),
    # December 9, Dec 9th, 2026
    re.compile(
        rf"\b(?P<month_name>{_MONTH_WORD})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)"
        r"(?:,?\s+(?P<year>\d{4})\b)?",
        re.IGNORECASE,
    ),
    # 9/12, 9/12/2026, 09.12.2026, 09-12-26 (with dots or dashes only when the year is there)
    re.compile(
        r"(?<![\w/.-])(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})"
        r"(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?![\w/]|[.-]\d)"
    ),
    re.compile(r"\b(?P<relative>today|tomorrow)\b", re.IGNORECASE),
    re.compile(rf"\b(?P<weekday>{_WEEKDAY_WORD})\b\.?", re.IGNORECASE),
]
_TIME = re.compile(
    r"(?<![\d:.])(?:"
    r"(?P<hour12>1[0-2]|0?[1-9])(?:[:.](?P<minute12>[0-5]\d))?\s*(?P<half>[ap])\.?\s?m\b\.?"
    r"|(?P<hour24>[01]?\d|2[0-3])[:h](?P<minute24>[0-5]\d)(?![\d:])"
    r"|(?P<noon>noon|midday)\b"
    r")",
    re.IGNORECASE,
)
# Lines that carry the date of the mail itself, not of the interview: a forward's or reply's header.
_MAIL_HEADER_LINE = re.compile(
    r"^[>\s]*(date|sent|from|to|cc|subject)\s*:.*$|^[>\s]*on\b.{0,120}\bwrote:\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def best_effort_when(
    text: str, subject: str, *, now: dt.datetime, zone: dt.tzinfo | str
) -> dt.datetime | None:
    """A date and time written in words ("Tuesday 9 December at 14:00", "9/12 2pm"), or None.

    Only a suggestion, which the person confirms. The subject is searched before the
    body; a date counts only with a time beside it. Times are read in `zone` (the
    person's own), and returned as aware UTC. Rules:
    1. 9/12 is read day first (9 December); month first only when day first is
       impossible (12/25 is 25 December).
    2. Without a year, the next such date on or after today.
    3. A weekday alone is the next one after today; "today" and "tomorrow" too.
    4. Forward and reply header lines ("Sent: ...", "On ... wrote:") and web
       addresses are left out: their dates are the mail's, not the interview's.
    """
    if isinstance(zone, str):
        name = iana_names().get(zone.strip().lower())
        zone = zoneinfo.ZoneInfo(name) if name else dt.UTC
    today = now.astimezone(zone).date()
    for source in (subject or "", (text or "")[:MAX_TEXT_CHARS]):
        source = URL.sub(" ", _MAIL_HEADER_LINE.sub(" ", source))[:5_000]
        for day, hour, minute in _dates_with_times(source, today):
            try:
                return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone).astimezone(dt.UTC)
            except (OverflowError, ValueError):
                continue
    return None


def _dates_with_times(text: str, today: dt.date) -> Iterator[tuple[dt.date, int, int]]:
    candidates = sorted(
        (match for pattern in _DATE_PATTERNS for match in pattern.finditer(text)),
        key=lambda match: match.start(),
    )
    explicit = [match for match in candidates if not match.groupdict().get("weekday")]
    for match in candidates:
        if match.groupdict().get("weekday") and any(
            match.start() <= other.start() <= match.end() + 15 for other in explicit
        ):
            continue  # "Tuesday 9 December": the date says it all
        day = _date_of(match, today)
        if day is None:
            continue
        after = text[match.end() : match.end() + 40]
        if after[:1] in ("T", "t"):
            after = " " + after[1:]
        time = _TIME.search(after) or _last(_TIME.finditer(text[max(match.start() - 30, 0) : match.start()]))
        if time is not None:
            yield day, *_hour_minute(time)


def _last(matches: Iterator[re.Match]) -> re.Match | None:
    found = list(matches)
    return found[-1] if found else None


def _date_of(match: re.Match, today: dt.date) -> dt.date | None:
    groups = match.groupdict()
    if groups.get("relative"):
        return today + dt.timedelta(days=1 if groups["relative"].lower() == "tomorrow" else 0)
    if groups.get("weekday"):
        ahead = (_WEEKDAYS[groups["weekday"].lower()] - today.weekday() - 1) % 7 + 1
        return today + dt.timedelta(days=ahead)
    if groups.get("first"):
        if groups["sep"] in ".-" and not groups.get("year"):
            return None  # 10.30 is a time, 10-11 a range
        first, second = int(groups["first"]), int(groups["second"])
        day, month = (first, second) if second <= 12 else (second, first)
    else:
        day = int(groups["day"])
        month = MONTHS[groups["month_name"].lower()] if groups.get("month_name") else int(groups["month"])
    year_text = groups.get("year")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    for year in range(today.year, today.year + 5):  # five years to find the next 29 February
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _hour_minute(match: re.Match) -> tuple[int, int]:
    if match.group("noon"):
        return 12, 0
    if match.group("hour24"):
        return int(match.group("hour24")), int(match.group("minute24"))
    hour = int(match.group("hour12")) % 12 + (12 if match.group("half").lower() == "p" else 0)
    return hour, int(match.group("minute12") or 0)
