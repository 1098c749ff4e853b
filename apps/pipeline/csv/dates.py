"""Dates as people write them: ISO dates and datetimes, 14/03/2025 either way round, 14 March 2025.

A file uses one convention for its day/month dates. Which one is read off the
values that only one order can read (25/03/2025); when every value would do
either way, the person's time zone decides, and the review page says so and
offers the other reading.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apps.core.date_words import MONTHS

DMY, MDY = "dmy", "mdy"
ORDER_LABELS = {DMY: "day/month/year", MDY: "month/day/year"}

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?")
_YEAR_FIRST = re.compile(r"([0-9]{4})[/.]([0-9]{1,2})[/.]([0-9]{1,2})")
_SLASHED = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_DAY_NAMED = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+([0-9]{4})")
_MONTH_NAMED = re.compile(r"([a-z]+)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})")
# What may follow a date written by hand or by another tracker: a time, a zone.
_TIME_AFTER = re.compile(
    r"(?:[\sT,]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\s*(?:[ap]\.?m\.?)?)?"
    r"\s*(?:z|utc|gmt|[+-][0-9]{2}:?[0-9]{2})?"
)
_WEEKDAY_BEFORE = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+")


class DateUnreadable(ValueError):
    """Not a date in any form we read."""


class DateNotReal(ValueError):
    """Written as a date, but no such day (2025-02-30, or 13/25/2025 read day first)."""

    def __init__(self, *, either_way: bool = False) -> None:
        super().__init__()
        # Written day and month as numbers, so it might be a real date the other way round.
        self.either_way = either_way


def _day(year: int, month: int, day: int, *, either_way: bool = False) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateNotReal(either_way=either_way) from None


def _year(written: str) -> int:
    # Two-digit years are this century's: applications are from the last few years.
    return int(written) + 2000 if len(written) == 2 else int(written)


def parse_date(value: str, *, order: str = DMY, zone: ZoneInfo | None = None) -> dt.date:
    """The day a cell means. A datetime with an offset is the day it was where the person lives."""
    value = value.strip()
    if _ISO.fullmatch(value):
        if len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise DateNotReal from None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise DateUnreadable from None
        if moment.tzinfo is not None and zone is not None:
            moment = moment.astimezone(zone)
        return moment.date()
    text = _WEEKDAY_BEFORE.sub("", value.casefold(), count=1)
    for pattern, reader in _READERS:
        match = pattern.match(text)
        if match and _TIME_AFTER.fullmatch(text[match.end() :]):
            return reader(match, order)
    raise DateUnreadable


def _read_year_first(match: re.Match, order: str) -> dt.date:
    return _day(int(match[1]), int(match[2]), int(match[3]))


def _read_slashed(match: re.Match, order: str) -> dt.date:
    first, second = int(match[1]), int(match[3])
    day, month = (first, second) if order == DMY else (second, first)
    return _day(_year(match[4]), month, day, either_way=True)


def _read_day_named(match: re.Match, order: str) -> dt.date:
    if match[2] not in MONTHS:
        raise DateUnreadable
    return _day(int(match[3]), MONTHS[match[2]], int(match[1]))


def _read_month_named(match: re.Match, order: str) -> dt.date:
    if match[1] not in MONTHS:
        raise DateUnreadable
    return _day(int(match[3]), MONTHS[match[1]], int(match[2]))


_READERS = (
    (_YEAR_FIRST, _read_year_first),
    (_SLASHED, _read_slashed),
    (_DAY_NAMED, _read_day_named),
    (_MONTH_NAMED, _read_month_named),
)


def order_for_time_zone(time_zone: str) -> str:
    """Our guess at how someone writes dates, from where they live: month first in the Americas."""
    return MDY if time_zone.startswith(("America/", "US/", "Canada/")) else DMY


@dataclass(frozen=True)
class DateReading:
    """How the file's day/month dates are read, and why, for the review page."""

    order: str
    chosen: bool  # by the person on the review page
    evidence: str  # a value only this order reads, such as 25/03/2025; "" if none
    against: str  # a value only the other order reads, when the file has both
    example: str  # a value from the file, to show how it reads
    time_zone: str  # the guess came from here, when nothing in the file decides

    @property
    def label(self) -> str:
        return ORDER_LABELS[self.order]

    @property
    def other(self) -> str:
        return MDY if self.order == DMY else DMY

    @property
    def other_label(self) -> str:
        return ORDER_LABELS[self.other]

    @property
    def sentence(self) -> str:
        """'Dates read as day/month/year: 03/04/2025 is 3 April 2025.'"""
        try:
            day = parse_date(self.example, order=self.order)
        except ValueError:
            # The example only reads the other way round: say so without one.
            return f"Dates read as {self.label}."
        return f"Dates read as {self.label}: {self.example} is {day.day} {day:%B %Y}."


def read_date_order(values: Iterable[str], *, time_zone: str, chosen: str = "") -> DateReading | None:
    """Which way round the file's day/month dates go; None when it has none (ISO dates only, say)."""
    day_first = month_first = either_way = same_both_ways = ""
    for value in values:
        match = _SLASHED.match(value.strip())
        if not match:
            continue
        first, second = int(match[1]), int(match[3])
        if first > 12 and second <= 12:
            day_first = day_first or value.strip()
        elif second > 12 and first <= 12:
            month_first = month_first or value.strip()
        elif first <= 12 and second <= 12:
            if first != second:
                either_way = either_way or value.strip()
            else:
                same_both_ways = same_both_ways or value.strip()
    if not (day_first or month_first or either_way or same_both_ways):
        return None
    if chosen in ORDER_LABELS:
        order = chosen
    elif day_first and not month_first:
        order = DMY
    elif month_first and not day_first:
        order = MDY
    else:
        order = order_for_time_zone(time_zone)
    evidence = {DMY: day_first, MDY: month_first}[order]
    against = {DMY: month_first, MDY: day_first}[order]
    # A date that reads differently each way shows best what the choice means.
    shown = either_way or evidence or same_both_ways or against
    return DateReading(order, chosen in ORDER_LABELS, evidence, against, shown, time_zone)
