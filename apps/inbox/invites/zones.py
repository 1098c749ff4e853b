"""What a calendar's TZID means, and the offsets of a VTIMEZONE read by our own code.

A TZID means, in order: an IANA name, a Windows name (Outlook, Exchange), a
"/vendor/.../Area/City" name, or the VTIMEZONE of this very calendar. VTIMEZONEs
are read here, never through icalendar's components: icalendar keeps every
VTIMEZONE it parses in a cache shared by the whole process, first definition
wins, so one hostile message defining "Romance Standard Time" would move the
interviews of every later message in the same worker. A `Zone` lives only as
long as the calendar it came from.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from dataclasses import dataclass, field

from icalendar.parser import Contentline
from icalendar.prop import vDDDTypes, vRecur, vUTCOffset

try:
    # Not a public name of icalendar, but the full CLDR table; the common names below work without it.
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON as _CLDR_WINDOWS_ZONES
except ImportError:  # pragma: no cover
    _CLDR_WINDOWS_ZONES = {}

# Shared with calendar.py.
MAX_LINE_CHARS = 10_000  # longer lines, DESCRIPTION apart, are not worth parsing
EARLIEST_YEAR, LATEST_YEAR = 1970, 2199

# Windows time zone names as Outlook and Exchange write them in TZID.
_COMMON_WINDOWS_ZONES = {
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw",
    "E. Europe Standard Time": "Europe/Chisinau",
    "FLE Standard Time": "Europe/Kiev",
    "GTB Standard Time": "Europe/Bucharest",
    "Russian Standard Time": "Europe/Moscow",
    "Turkey Standard Time": "Europe/Istanbul",
    "Israel Standard Time": "Asia/Jerusalem",
    "Egypt Standard Time": "Africa/Cairo",
    "South Africa Standard Time": "Africa/Johannesburg",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Arabian Standard Time": "Asia/Dubai",
    "Arab Standard Time": "Asia/Riyadh",
    "Pakistan Standard Time": "Asia/Karachi",
    "India Standard Time": "Asia/Kolkata",
    "SE Asia Standard Time": "Asia/Bangkok",
    "Singapore Standard Time": "Asia/Singapore",
    "China Standard Time": "Asia/Shanghai",
    "Taipei Standard Time": "Asia/Taipei",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Korea Standard Time": "Asia/Seoul",
    "W. Australia Standard Time": "Australia/Perth",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "E. Australia Standard Time": "Australia/Brisbane",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Alaskan Standard Time": "America/Anchorage",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time": "America/Denver",
    "Central Standard Time": "America/Chicago",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Canada Central Standard Time": "America/Regina",
    "Eastern Standard Time": "America/New_York",
    "SA Pacific Standard Time": "America/Bogota",
    "Atlantic Standard Time": "America/Halifax",
    "Newfoundland Standard Time": "America/St_Johns",
    "E. South America Standard Time": "America/Sao_Paulo",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "UTC": "UTC",
}
_WINDOWS_ZONES = {
    name.lower(): iana for name, iana in {**_CLDR_WINDOWS_ZONES, **_COMMON_WINDOWS_ZONES}.items()
}
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@functools.cache
def iana_names() -> dict[str, str]:
    """Every IANA zone name, keyed by its lower-case spelling."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def iana_name(tzid: str) -> str:
    """The IANA name a TZID stands for, or "": names, Windows names and /vendor/ prefixed names."""
    cleaned = tzid.strip().strip('"').strip("/").lower()
    names = iana_names()
    if cleaned in names:
        return names[cleaned]
    if (mapped := _WINDOWS_ZONES.get(cleaned)) and mapped.lower() in names:
        return names[mapped.lower()]
    if tzid.strip().startswith("/"):  # "/mozilla.org/20050126_1/Europe/Berlin": RFC 5545's unique ids
        parts = cleaned.split("/")
        for start in range(1, len(parts)):
            if (suffix := "/".join(parts[start:])) in names:
                return names[suffix]
    return ""


@dataclass
class _Observance:
    """One STANDARD or DAYLIGHT part of a VTIMEZONE."""

    starts: dt.datetime  # local wall time of the first onset
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    rule: dict | None = None
    extra: list[dt.datetime] = field(default_factory=list)  # RDATEs

    def onsets(self, year: int) -> list[dt.datetime]:
        onsets = list(self.extra)
        if self.rule is None:
            onsets.append(self.starts)
        else:
            for onset_year in (year - 1, year):
                if (onset := _yearly_onset(self.rule, self.starts, onset_year)) is not None:
                    onsets.append(onset)
        until = self.rule.get("UNTIL") if self.rule else None
        return [onset for onset in onsets if onset >= self.starts and (until is None or onset <= until)]


@dataclass
class Zone:
    """A VTIMEZONE read by us: a handful of yearly rules, enough for an invitation's one date."""

    observances: list[_Observance]
    iana_name: str = ""  # from X-LIC-LOCATION, which Apple and others add

    def offset_at(self, wall: dt.datetime) -> dt.timedelta | None:
        latest: tuple[dt.datetime, dt.timedelta] | None = None
        for observance in self.observances:
            for onset in observance.onsets(wall.year):
                if onset <= wall and (latest is None or onset > latest[0]):
                    latest = (onset, observance.offset_to)
        if latest is not None:
            return latest[1]
        if self.observances:
            return min(self.observances, key=lambda observance: observance.starts).offset_from
        return None


def read_zones(blocks: list[list[str]]) -> dict[str, Zone]:
    """The VTIMEZONEs of one calendar (each as its unfolded lines), keyed by lower-case TZID."""
    zones: dict[str, Zone] = {}
    for lines in blocks:
        try:
            tzid, zone = _zone(lines)
        except Exception:  # a VTIMEZONE we cannot follow is as good as none
            tzid, zone = "", None
        if tzid and zone and zone.observances:
            zones.setdefault(tzid.lower(), zone)
    return zones


def _zone(lines: list[str]) -> tuple[str, Zone]:
    tzid, location_name = "", ""
    observances: list[_Observance] = []
    current: dict[str, list[str]] | None = None
    parts: list[dict[str, list[str]]] = []
    for line in lines:
        upper = line.strip().upper()
        if upper in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            current = {}
            parts.append(current)
            continue
        if upper in ("END:STANDARD", "END:DAYLIGHT"):
            current = None
            continue
        if upper.startswith(("BEGIN:", "END:")) or len(line) > MAX_LINE_CHARS:
            continue
        name, _, value = Contentline(line).parts()
        name = name.upper()
        if current is not None:
            current.setdefault(name, []).append(value)
        elif name == "TZID":
            tzid = value.strip()
        elif name == "X-LIC-LOCATION":
            location_name = iana_name(value)
    for part in parts[:10]:
        starts = vDDDTypes.from_ical(part["DTSTART"][0].strip())
        if not isinstance(starts, dt.datetime):
            starts = dt.datetime.combine(starts, dt.time())
        observance = _Observance(
            starts=starts.replace(tzinfo=None),
            offset_from=_offset(part["TZOFFSETFROM"][0]),
            offset_to=_offset(part["TZOFFSETTO"][0]),
        )
        if "RRULE" in part:
            observance.rule = _yearly_rule(part["RRULE"][0])
        for value in part.get("RDATE", [])[:5]:
            for item in value.split(",")[:400]:
                onset = vDDDTypes.from_ical(item.strip())
                if isinstance(onset, dt.datetime):
                    observance.extra.append(onset.replace(tzinfo=None))
        observances.append(observance)
    return tzid, Zone(observances=observances, iana_name=location_name)


def _offset(value: str) -> dt.timedelta:
    offset = vUTCOffset.from_ical(value.strip())
    if not isinstance(offset, dt.timedelta) or abs(offset) > dt.timedelta(hours=18):
        raise ValueError(value)
    return offset


def _yearly_rule(value: str) -> dict:
    """The parts of an RRULE a time zone uses; anything else (FREQ=SECONDLY...) is refused."""
    rule = vRecur.from_ical(value.strip())
    if [str(freq).upper() for freq in rule.get("FREQ", [])] != ["YEARLY"] or rule.get("INTERVAL", [1]) != [1]:
        raise ValueError(value)
    months = [int(month) for month in rule.get("BYMONTH", [])]
    days = [str(day).upper() for day in rule.get("BYDAY", [])]
    month_days = [int(day) for day in rule.get("BYMONTHDAY", [])][:7]
    if len(months) > 1 or len(days) > 1:
        raise ValueError(value)
    until = rule.get("UNTIL", [None])[0]
    if until is not None and not isinstance(until, dt.datetime):
        until = dt.datetime.combine(until, dt.time.max)
    return {
        "MONTH": months[0] if months else None,
        "DAY": days[0] if days else None,
        "MONTHDAYS": month_days,
        "UNTIL": until.replace(tzinfo=None) if until else None,
    }


def _yearly_onset(rule: dict, starts: dt.datetime, year: int) -> dt.datetime | None:
    """When a yearly time zone rule ("last Sunday of March at 02:00") falls in a given year."""
    month = rule["MONTH"] or starts.month
    if not 1 <= month <= 12 or not EARLIEST_YEAR - 1 <= year <= LATEST_YEAR:
        return None
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    day = None
    if rule["DAY"]:
        match = re.fullmatch(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)", rule["DAY"])
        if match is None:
            return None
        weekday = _WEEKDAY_CODES.index(match.group(2))
        matching = [
            first + dt.timedelta(days=offset)
            for offset in range(last.day)
            if (first + dt.timedelta(days=offset)).weekday() == weekday
        ]
        if match.group(1):
            ordinal = int(match.group(1))
            if abs(ordinal) > len(matching):
                return None
            day = matching[ordinal - 1 if ordinal > 0 else ordinal]
        elif rule["MONTHDAYS"]:  # the old way of saying "the Sunday on or after the 8th"
            day = next((date for date in matching if date.day in rule["MONTHDAYS"]), None)
        else:
            return None
    elif rule["MONTHDAYS"]:
        try:
            day = dt.date(year, month, rule["MONTHDAYS"][0])
        except ValueError:
            return None
    else:
        try:
            day = dt.date(year, month, starts.day)
        except ValueError:
            return None
    return dt.datetime.combine(day, starts.time()) if day else None
