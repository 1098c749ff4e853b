"""Calendar parts read into `Invite`s: each VEVENT's times, people and video link.

scan.py picks out the lines worth reading; icalendar then splits each kept line
into name, parameters and value and decodes the values. Nothing here goes through
`icalendar.Calendar.from_ical`: icalendar's components keep every VTIMEZONE they
parse in a cache shared by the whole process, first definition wins, so one
hostile message could move the interviews of every later message in the same
worker. zones.py resolves TZIDs instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from icalendar.parser import Contentline
from icalendar.prop import vDDDTypes, vDuration

from apps.inbox.invites.scan import MAX_EVENTS, scan_calendar
from apps.inbox.invites.text import URL, clean, clean_address, one_line
from apps.inbox.invites.zones import EARLIEST_YEAR, LATEST_YEAR, MAX_LINE_CHARS, Zone, iana_name, read_zones

MAX_ATTENDEES = 100
UID_MAX_LENGTH = 255
SUMMARY_MAX_LENGTH = 255
LOCATION_MAX_LENGTH = 500

_MAX_DESCRIPTION_CHARS = 50_000
_MAX_LENGTH = dt.timedelta(days=366)
_WANTED = frozenset(
    {
        "UID",
        "SEQUENCE",
        "SUMMARY",
        "DTSTART",
        "DTEND",
        "DURATION",
        "LOCATION",
        "DESCRIPTION",
        "ORGANIZER",
        "ATTENDEE",
        "STATUS",
        "RRULE",
        "RDATE",
        "CONFERENCE",
        "X-GOOGLE-CONFERENCE",
        "X-MICROSOFT-ONLINEMEETINGURL",
        "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    }
)
_LINK_PROPERTIES = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-ONLINEMEETINGURL",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "CONFERENCE",
)
_MEETING_HOSTS = ("zoom.us", "zoomgov.com", "meet.google.com", "teams.microsoft.com", "teams.live.com")
_MEETING_HOSTS += ("webex.com",)
# What Outlook and others put in LOCATION for a video call: a label, where the link says more.
_MEETING_LABEL = re.compile(r"(microsoft teams|teams|zoom|google meet|webex)( meeting| call)?", re.IGNORECASE)

_Properties = dict[str, list[tuple[dict[str, str], str]]]
_Note = Callable[[str], None]


@dataclass(frozen=True)
class Person:
    """An organiser or attendee."""

    email: str  # lower-cased, "" if none
    name: str  # the CN, or ""; never the address repeated


@dataclass(frozen=True)
class Invite:
    method: str  # "REQUEST" (PUBLISH too) or "CANCEL"
    uid: str
    sequence: int
    summary: str
    starts_at: dt.datetime  # aware, UTC
    ends_at: dt.datetime  # aware, UTC, always after starts_at
    time_zone: str  # the event's own IANA zone ("Europe/Berlin"), or ""
    all_day: bool
    location: str  # LOCATION, or the video link when LOCATION is empty or only names the service
    organiser: Person | None
    attendees: list[Person]


def read_invites(text: str, *, method_hint: str, note: _Note) -> list[Invite]:
    """The invitations in one calendar part; what was skipped or guessed goes to `note`."""
    scan = scan_calendar(text)
    if scan.too_deep:
        note("A calendar in this message was nested too deeply to read all of it.")
    if scan.total_events == 0:
        note("A calendar in this message had no events in it.")
        return []
    if scan.total_events > MAX_EVENTS:
        note(f"A calendar with {scan.total_events:,} events: only the first {MAX_EVENTS} were read.")
    zones = read_zones(scan.zones)
    invites = []
    for calendar, lines in scan.events:
        method = scan.methods.get(calendar) or method_hint
        if method not in ("", "REQUEST", "PUBLISH", "CANCEL"):
            note(
                f"A calendar sent as {clean(method)} is an answer to an invitation, not an invitation, "
                "so it was left alone."
            )
            continue
        invite = _invite(_properties(lines), method=method, zones=zones, note=note)
        if invite is not None:
            invites.append(invite)
    return invites


def _properties(lines: list[str]) -> _Properties:
    """The lines of interest, split by icalendar into (parameters, unescaped value)."""
    properties: _Properties = {}
    for line in lines:
        name = re.split(r"[;:]", line, maxsplit=1)[0].strip().upper()
        if name not in _WANTED:
            continue
        if name == "DESCRIPTION":
            line = line[:_MAX_DESCRIPTION_CHARS]
        elif len(line) > MAX_LINE_CHARS:
            continue
        if name == "ATTENDEE" and len(properties.get(name, ())) >= MAX_ATTENDEES:
            continue
        if (split := _split(line)) is not None:
            properties.setdefault(name, []).append(split)
    return properties


def _split(line: str) -> tuple[dict[str, str], str] | None:
    try:
        _, parameters, value = Contentline(line).parts()
        return {str(key).upper(): _parameter_text(value) for key, value in parameters.items()}, str(value)
    except Exception:  # icalendar's line parser raises ValueError and friends; one bad line is skipped
        return None


def _parameter_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _first(properties: _Properties, name: str) -> tuple[dict[str, str], str] | None:
    values = properties.get(name)
    return values[0] if values else None


def _invite(properties: _Properties, *, method: str, zones: dict[str, Zone], note: _Note) -> Invite | None:
    summary = one_line(_value(properties, "SUMMARY"))[:SUMMARY_MAX_LENGTH]
    called = f"“{summary}”" if summary else "An event"
    start = _first(properties, "DTSTART")
    if start is None:
        note(f"{called} in the calendar had no start time, so it was skipped.")
        return None
    try:
        starts = _moment(*start, zones=zones)
    except _Unreadable:
        note(f"{called} in the calendar had a start time we couldn't read, so it was skipped.")
        return None
    if starts.doubt == "floating":
        note(f"{called} gave its time without a time zone, so we read it as UTC; the time may need checking.")
    elif starts.doubt:
        note(
            f"{called} uses a time zone we don't know (“{clean(starts.doubt)[:60]}”), so we read its time "
            "as UTC; the time may need checking."
        )
    ends_at = _end(properties, starts, zones=zones, called=called, note=note)
    if _first(properties, "RRULE") or _first(properties, "RDATE"):
        note(f"{called} repeats; only its first date was used.")

    uid = one_line(_value(properties, "UID"))[:UID_MAX_LENGTH]
    if not uid:
        # Without a UID nothing could ever update it; the same invitation forwarded twice
        # still gets the same one.
        seed = "|".join([summary, start[1], _value(properties, "ORGANIZER")])
        uid = "no-uid-" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:32]
    status = _value(properties, "STATUS").strip().upper()
    return Invite(
        method="CANCEL" if method == "CANCEL" or status == "CANCELLED" else "REQUEST",
        uid=uid,
        sequence=_sequence(_value(properties, "SEQUENCE")),
        summary=summary,
        starts_at=starts.at,
        ends_at=ends_at,
        time_zone=starts.zone_name,
        all_day=starts.all_day,
        location=_location(properties),
        organiser=_person(*organiser) if (organiser := _first(properties, "ORGANIZER")) else None,
        attendees=_attendees(properties.get("ATTENDEE", [])),
    )


def _value(properties: _Properties, name: str) -> str:
    found = _first(properties, name)
    return found[1] if found else ""


def _sequence(value: str) -> int:
    value = value.strip()
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else 0


class _Unreadable(ValueError):
    pass


@dataclass(frozen=True)
class _Moment:
    at: dt.datetime  # aware, UTC
    all_day: bool
    zone_name: str
    doubt: str = ""  # "floating", or the TZID we could not resolve


def _moment(parameters: dict[str, str], value: str, *, zones: dict[str, Zone]) -> _Moment:
    """A DTSTART or DTEND as an aware UTC datetime."""
    value = value.strip()
    try:
        parsed = vDDDTypes.from_ical(value)
    except Exception as error:  # icalendar raises ValueError, and more on odder input
        raise _Unreadable(value) from error
    if isinstance(parsed, dt.datetime):
        moment = _from_wall_clock(parsed, parameters.get("TZID", ""), zones)
    elif isinstance(parsed, dt.date):
        midnight = dt.datetime.combine(parsed, dt.time(), tzinfo=dt.UTC)
        moment = _Moment(at=midnight, all_day=True, zone_name="")
    else:  # a duration, a period or a bare time where a date was due
        raise _Unreadable(value)
    if not EARLIEST_YEAR <= moment.at.year <= LATEST_YEAR:
        raise _Unreadable(value)
    return moment


def _from_wall_clock(wall: dt.datetime, tzid: str, zones: dict[str, Zone]) -> _Moment:
    if wall.tzinfo is not None:  # written with a trailing Z
        return _Moment(at=wall.astimezone(dt.UTC), all_day=False, zone_name="")
    try:
        if not tzid:
            return _Moment(at=wall.replace(tzinfo=dt.UTC), all_day=False, zone_name="", doubt="floating")
        if name := iana_name(tzid):
            at = wall.replace(tzinfo=zoneinfo.ZoneInfo(name)).astimezone(dt.UTC)
            return _Moment(at=at, all_day=False, zone_name=name)
        zone = zones.get(tzid.strip().lower())
        if zone is not None and zone.iana_name:
            at = wall.replace(tzinfo=zoneinfo.ZoneInfo(zone.iana_name)).astimezone(dt.UTC)
            return _Moment(at=at, all_day=False, zone_name=zone.iana_name)
        if zone is not None and (offset := zone.offset_at(wall)) is not None:
            return _Moment(at=(wall - offset).replace(tzinfo=dt.UTC), all_day=False, zone_name="")
        return _Moment(at=wall.replace(tzinfo=dt.UTC), all_day=False, zone_name="", doubt=tzid)
    except (OverflowError, ValueError) as error:  # a wall time at the very edge of what datetime holds
        raise _Unreadable(str(wall)) from error


def _end(
    properties: _Properties, starts: _Moment, *, zones: dict[str, Zone], called: str, note: _Note
) -> dt.datetime:
    """DTEND, or DTSTART plus DURATION, or a default length; always after the start."""
    default = dt.timedelta(days=1) if starts.all_day else dt.timedelta(hours=1)
    default_words = "one day" if starts.all_day else "one hour"
    ends_at = None
    try:
        if end := _first(properties, "DTEND"):
            ends_at = _moment(*end, zones=zones).at
        elif duration := _first(properties, "DURATION"):
            length = vDuration.from_ical(duration[1].strip())
            if not isinstance(length, dt.timedelta) or not dt.timedelta(0) < length <= _MAX_LENGTH:
                raise _Unreadable(duration[1])
            ends_at = starts.at + length
    except Exception:  # _Unreadable, or icalendar's errors for a broken DURATION
        note(f"{called} had an end time we couldn't read, so we gave it {default_words}.")
        return starts.at + default
    if ends_at is None:
        return starts.at + default
    if ends_at <= starts.at:
        note(f"{called} ended before it started, so we gave it {default_words}.")
        return starts.at + default
    return ends_at


def _location(properties: _Properties) -> str:
    location = one_line(_value(properties, "LOCATION"))[:LOCATION_MAX_LENGTH]
    link = _meeting_link(properties)
    if link and (not location or _MEETING_LABEL.fullmatch(location)):
        return link
    return location


def _meeting_link(properties: _Properties) -> str:
    for name in _LINK_PROPERTIES:
        for _, value in properties.get(name, []):
            if match := URL.search(value):
                return _trim_url(match.group())
    for _, value in properties.get("DESCRIPTION", []):
        for match in URL.finditer(value):
            url = _trim_url(match.group())
            try:
                host = (urlsplit(url).hostname or "").lower()
            except ValueError:  # a malformed address, [brackets] and the like
                continue
            if any(host == known or host.endswith("." + known) for known in _MEETING_HOSTS):
                return url
    return ""


def _trim_url(url: str) -> str:
    return clean(url.rstrip(".,;:!?*'\"")[:LOCATION_MAX_LENGTH])


def _person(parameters: dict[str, str], value: str) -> Person | None:
    address = value.strip()
    if address[:7].lower() == "mailto:":
        address = address[7:]
    email = clean_address(address)
    name = one_line(parameters.get("CN", "")).strip("\"' ")[:200]
    if name.lower().removeprefix("mailto:") in (email, address.lower().strip()):
        name = ""
    if not email and not name:
        return None
    return Person(email=email, name=name)


def _attendees(values: list[tuple[dict[str, str], str]]) -> list[Person]:
    people: list[Person] = []
    seen: set[str] = set()
    for parameters, value in values:
        if parameters.get("CUTYPE", "").upper() in ("ROOM", "RESOURCE"):  # meeting rooms, projectors
            continue
        person = _person(parameters, value)
        if person is None or (key := person.email or person.name.lower()) in seen:
            continue
        seen.add(key)
        people.append(person)
    return people
