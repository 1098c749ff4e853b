"""Interview invitations read out of one forwarded email: raw bytes in, plain data out.

Nothing here touches the database, so every hostile shape of mail can be tried
in a unit test. `parse_message` raises nothing but `MessageRefused`, whatever
it is given.

How a message is read:
1. Refuse what is not worth reading: too big, empty, no email headers at all,
   or parts nested more deeply than the standard library's parser can follow.
2. Walk the MIME tree, at most MAX_DEPTH deep and MAX_PARTS parts, looking
   inside forwarded messages (message/rfc822) too. Calendar parts and .ics
   attachments are collected; the body text is the plain-text alternative when
   there is one, otherwise the HTML with its tags stripped (never rendered).
3. Skim each calendar's lines ourselves, keeping the first MAX_EVENTS VEVENTs
   and the VTIMEZONEs; everything after that is only counted. icalendar splits
   each kept line into name, parameters and value and decodes the values.
4. Resolve start and end times ourselves, not through icalendar's components:
   icalendar keeps every VTIMEZONE it parses in a cache shared by the whole
   process, first definition wins, so one hostile message defining "Romance
   Standard Time" would move the interviews of every later message in the same
   worker. Here a TZID means, in order: an IANA name, a Windows name, a
   "/vendor/.../Area/City" name, or the VTIMEZONE of this very calendar.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import hashlib
import html
import logging
import re
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses
from urllib.parse import urlsplit

from icalendar.parser import Contentline
from icalendar.prop import vDDDTypes, vDuration, vRecur, vUTCOffset

from apps.core.date_words import MONTHS

try:
    # Not a public name of icalendar, but the full CLDR table; the common names below work without it.
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON as _CLDR_WINDOWS_ZONES
except ImportError:  # pragma: no cover
    _CLDR_WINDOWS_ZONES = {}

logger = logging.getLogger(__name__)

MAX_EVENTS = 50  # VEVENTs read from one calendar; an invitation carries one
MAX_DEPTH = 10  # MIME nesting followed; a forward of a forward is about 5 deep
MAX_PARTS = 500
MAX_CALENDARS = 10  # calendar parts read from one message
MAX_TEXT_CHARS = 20_000
MAX_ATTENDEES = 100
MAX_PROBLEMS = 20
UID_MAX_LENGTH = 255
SUMMARY_MAX_LENGTH = 255
LOCATION_MAX_LENGTH = 500

# The standard library's parser recurses once per nested part and gives up near a
# thousand levels, after a second of work; no real mail comes close to this many.
_MAX_NESTING_MARKERS = 300
_NESTING_MARKER = re.compile(rb"(?i)boundary\s*=|message/rfc822")
# The parser reads every part, however many; 100,000 of them take it seconds.
_MAX_PART_DELIMITERS = 10_000
_PART_DELIMITER = re.compile(rb"\n--")
_MAX_HEADER_CHARS = 4_000
_EMAIL_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "received",
        "return-path",
        "delivered-to",
        "reply-to",
        "sender",
    }
)
_CALENDAR_TYPES = frozenset(["text/calendar", "application/ics", "application/x-ics", "text/x-vcalendar"])
_CALENDAR_FILENAMES = (".ics", ".ical", ".icalendar", ".ifb", ".vcs")
# Python's own codecs that no mail client writes; punycode is slow on long crafted input.
_NOT_MAIL_CHARSETS = frozenset(["punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"])
_GUESSABLE_CHARSETS = frozenset(["utf-8", "ascii"])
_MAX_HTML_CHARS = 500_000
_MAX_COMPONENT_DEPTH = 8
_MAX_ZONES = 20
_MAX_EVENT_LINES = 2_000
_MAX_ZONE_LINES = 500
_MAX_LINE_CHARS = 10_000  # longer lines, DESCRIPTION apart, are not worth parsing
_MAX_DESCRIPTION_CHARS = 50_000
_MAX_LENGTH = dt.timedelta(days=366)
_EARLIEST_YEAR, _LATEST_YEAR = 1970, 2199

_FOLD = re.compile(r"\r?\n[ \t]")
_LINE = re.compile(r"[^\r\n]+")
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
_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]{1,2000}", re.IGNORECASE)
_MEETING_HOSTS = ("zoom.us", "zoomgov.com", "meet.google.com", "teams.microsoft.com", "teams.live.com")
_MEETING_HOSTS += ("webex.com",)
# What Outlook and others put in LOCATION for a video call: a label, where the link says more.
_MEETING_LABEL = re.compile(r"(microsoft teams|teams|zoom|google meet|webex)( meeting| call)?", re.IGNORECASE)
_ADDRESS = re.compile(r"[^@\s<>\"(),;:\[\]]{1,64}@[^@\s<>\"(),;:\[\]]{1,190}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")

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


class MessageRefused(Exception):
    """The message cannot be read at all; str(error) says why, in words for the person."""


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


@dataclass(frozen=True)
class ParsedMessage:
    subject: str
    sender: str  # the From address, lower-cased
    invites: list[Invite]  # one per UID: the copy with the highest SEQUENCE
    text: str  # plain text (HTML only ever tag-stripped), at most MAX_TEXT_CHARS
    problems: list[str]  # what was skipped or guessed, in words for the person


def parse_message(raw: bytes, *, max_bytes: int = 10 * 1024 * 1024) -> ParsedMessage:
    """Read one email; raises MessageRefused, and nothing else, when it cannot be read."""
    try:
        return _parse(raw, max_bytes)
    except MessageRefused:
        raise
    except Exception as error:
        # A last net under the per-part ones: a message that trips over a bug of ours is
        # refused with a reason the person can see, and the traceback goes to the log.
        logger.exception("Could not read an incoming message")
        raise MessageRefused("Something in this message stopped us from reading it.") from error


def _parse(raw: bytes, max_bytes: int) -> ParsedMessage:
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise MessageRefused("This isn't an email message.")
    raw = bytes(raw)
    if len(raw) > max_bytes:
        raise MessageRefused(
            f"This message is {_megabytes(len(raw))}, more than the {_megabytes(max_bytes)} we accept. "
            "Try forwarding it without its attachments."
        )
    if not raw.strip():
        raise MessageRefused("This message was empty.")
    for markers, _ in enumerate(_NESTING_MARKER.finditer(raw), start=1):
        if markers > _MAX_NESTING_MARKERS:
            raise MessageRefused("This message has parts inside parts, far more deeply than real email does.")
    for delimiters, _ in enumerate(_PART_DELIMITER.finditer(raw), start=1):
        if delimiters > _MAX_PART_DELIMITERS:
            raise MessageRefused("This message is split into far more parts than real email is.")
    try:
        message = BytesParser(policy=policy.compat32).parsebytes(raw)
    except RecursionError:
        # The reason is all the person needs; the parser's thousand-frame traceback helps no one.
        raise MessageRefused("This message has parts inside parts, too deeply to read.") from None
    if not _EMAIL_HEADERS & {name.lower() for name in message}:
        raise MessageRefused("This doesn't look like an email: it has none of the usual headers.")

    reader = _Reader()
    reader.walk(message, depth=0, want_text=True)
    return ParsedMessage(
        subject=_header(message, "Subject")[:500],
        sender=_sender(message),
        invites=list(reader.invites.values()),
        text=reader.text(),
        problems=reader.problems,
    )


class _Reader:
    """Walks one message's parts, collecting invitations, body text and problems."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.invites: dict[str, Invite] = {}
        self.texts: list[str] = []
        self.text_length = 0
        self.parts = 0
        self.calendars = 0

    def note(self, problem: str) -> None:
        problem = _clean(problem)
        if problem in self.problems:
            return
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append("There were more problems than these; the rest are left out.")

    def text(self) -> str:
        return "\n\n".join(self.texts)[:MAX_TEXT_CHARS].strip()

    def walk(self, part: Message, *, depth: int, want_text: bool) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            self.note(f"This message has more than {MAX_PARTS} parts; only the first {MAX_PARTS} were read.")
            return
        if depth > MAX_DEPTH:
            self.note("Some parts of this message were nested too deeply to read, so they were skipped.")
            return
        content_type = part.get_content_type()
        children = part.get_payload() if part.is_multipart() else None
        if isinstance(children, list):
            children = [child for child in children if isinstance(child, Message)]
            preferred = _preferred_text(children) if content_type == "multipart/alternative" else None
            for child in children:
                self.walk(
                    child,
                    depth=depth + 1,
                    want_text=want_text and (preferred is None or child is preferred),
                )
            return
        if _is_calendar(part, content_type):
            self.read_calendar(part)
        elif want_text and content_type in ("text/plain", "text/html") and not _is_attachment(part):
            self.read_text(part, html_body=content_type == "text/html")

    def read_text(self, part: Message, *, html_body: bool) -> None:
        if self.text_length >= MAX_TEXT_CHARS:
            return
        # Cut after decoding: bytes cut in the middle of a character would fail as UTF-8.
        text = self.decode(_payload(part), part)
        if html_body:
            text = _html_to_text(text[:_MAX_HTML_CHARS])
        text = _clean(text.replace("\r\n", "\n"))[:MAX_TEXT_CHARS].strip()
        if text:
            self.texts.append(text)
            self.text_length += len(text)

    def read_calendar(self, part: Message) -> None:
        self.calendars += 1
        if self.calendars > MAX_CALENDARS:
            self.note(f"This message carries more than {MAX_CALENDARS} calendars; the rest were not read.")
            return
        text = self.decode(_payload(part), part)
        method_hint = _param(part, "method")
        for invite in _read_calendar(text, method_hint=method_hint, note=self.note):
            kept = self.invites.get(invite.uid)
            if kept is None or invite.sequence > kept.sequence:
                self.invites[invite.uid] = invite

    def decode(self, payload: bytes, part: Message) -> str:
        try:
            charset = part.get_content_charset()
        except Exception:  # RFC 2231 parameters with unknown charsets raise from deep in the email package
            charset = None
        if charset:
            try:
                codec = codecs.lookup(charset).name
                if codec in _NOT_MAIL_CHARSETS:
                    raise LookupError(codec)
                if codec not in _GUESSABLE_CHARSETS:
                    return payload.decode(codec, errors="replace")
            except (LookupError, UnicodeError, ValueError, TypeError):
                self.note(
                    f"Part of this message says it is written in “{_clean(charset)[:40]}”, an encoding "
                    "we don't know, so some characters may look wrong."
                )
        # Unlabelled, or labelled UTF-8 or ASCII by a client that wrote Windows-1252 anyway.
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")


def _preferred_text(children: list[Message]) -> Message | None:
    """Of a multipart/alternative's versions, the one whose text we keep: plain text first."""
    for wanted in ("text/plain", "multipart/", "text/html"):
        for child in children:
            if child.get_content_type().startswith(wanted):
                return child
    return None


def _is_calendar(part: Message, content_type: str) -> bool:
    if content_type in _CALENDAR_TYPES:
        return True
    try:
        filename = part.get_filename() or ""
    except Exception:  # a malformed RFC 2231 file name
        return False
    return str(filename).lower().strip().endswith(_CALENDAR_FILENAMES)


def _is_attachment(part: Message) -> bool:
    try:
        return part.get_content_disposition() == "attachment"
    except Exception:  # a malformed Content-Disposition
        return False


def _param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name)
    except Exception:  # a malformed Content-Type
        return ""
    return value.strip().upper()[:20] if isinstance(value, str) else ""


def _payload(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a transfer encoding the email package chokes on
        return b""
    return payload if isinstance(payload, bytes) else b""


def _header(message: Message, name: str) -> str:
    """A header as text: raw UTF-8 (SMTPUTF8 mail) and RFC 2047 encoded words decoded."""
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return ""
    # Decoding encoded words slows down with their number: 100,000 of them take seconds.
    # The parser keeps non-ASCII bytes as surrogates; they are nearly always UTF-8.
    raw = str(raw)[:_MAX_HEADER_CHARS].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:  # encoded words with unknown charsets or broken encodings raise many kinds of error
        text = str(raw)
    return _one_line(text)


def _sender(message: Message) -> str:
    try:
        addresses = getaddresses([_header(message, "From")])
    except Exception:  # the address parser has raised on crafted input in past Python releases
        return ""
    for _, address in addresses:
        if cleaned := _clean_address(address):
            return cleaned
    return ""


def _html_to_text(markup: str) -> str:
    """A crude reading of HTML, enough to search for a date; nothing of it is ever rendered."""
    kept: list[str] = []
    position = 0
    # Scripts and styles go whole; searching forward keeps this linear on unclosed tags.
    for opening in re.finditer(r"<(script|style)\b", markup, re.IGNORECASE):
        if opening.start() < position:
            continue
        kept.append(markup[position : opening.start()])
        closing = re.compile(rf"</{opening.group(1)}\s*>", re.IGNORECASE).search(markup, opening.end())
        if closing is None:
            position = len(markup)
            break
        position = closing.end()
    kept.append(markup[position:])
    text = "".join(kept)
    text = re.sub(r"(?i)<br\s*/?>|</(p|div|tr|li|h[1-6]|table)\s*>", "\n", text)
    text = re.sub(r"<[^<>]*>", " ", text)
    text = html.unescape(text)
    text = re.sub(r"[ \t\xa0]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text)


# --- Calendars ------------------------------------------------------------------------------------


@dataclass
class _Scan:
    """What one skim of a calendar's lines found."""

    events: list[tuple[int, list[str]]] = field(default_factory=list)  # (calendar number, lines)
    zones: list[list[str]] = field(default_factory=list)
    methods: dict[int, str] = field(default_factory=dict)
    total_events: int = 0
    too_deep: bool = False


def _scan(text: str) -> _Scan:
    """Split a calendar into its first MAX_EVENTS events and its time zones, counting the rest."""
    scan = _Scan()
    stack: list[str] = []
    calendar = -1
    event: list[str] | None = None
    zone: list[str] | None = None
    for match in _LINE.finditer(_FOLD.sub("", text)):
        line = match.group()
        head = line[:6].upper()
        if head == "BEGIN:":
            name = line[6:].strip().upper()
            if len(stack) >= _MAX_COMPONENT_DEPTH:
                scan.too_deep = True
                break
            if name == "VCALENDAR":
                calendar += 1
            elif name == "VEVENT" and "VEVENT" not in stack:
                scan.total_events += 1
                if len(scan.events) < MAX_EVENTS:
                    event = []
                    scan.events.append((calendar, event))
            elif name == "VTIMEZONE" and zone is None and len(scan.zones) < _MAX_ZONES:
                zone = []
                scan.zones.append(zone)
            if zone is not None and len(zone) < _MAX_ZONE_LINES:
                zone.append(line)
            stack.append(name)
        elif head[:4] == "END:":
            name = line[4:].strip().upper()
            if zone is not None and len(zone) < _MAX_ZONE_LINES:
                zone.append(line)
            # Tolerate a missing END: closing an outer component closes what is left open inside it.
            while name in stack:
                if stack.pop() == name:
                    break
            if "VEVENT" not in stack:
                event = None
            if "VTIMEZONE" not in stack:
                zone = None
        elif event is not None and stack[-1:] == ["VEVENT"]:
            if len(event) < _MAX_EVENT_LINES:
                event.append(line)
        elif zone is not None:
            if len(zone) < _MAX_ZONE_LINES:
                zone.append(line)
        elif stack[-1:] == ["VCALENDAR"] and line[:7].upper() == "METHOD:":
            scan.methods[calendar] = line[7:].strip().upper()[:20]
    return scan


def _read_calendar(text: str, *, method_hint: str, note: _Note) -> list[Invite]:
    scan = _scan(text)
    if scan.too_deep:
        note("A calendar in this message was nested too deeply to read all of it.")
    if scan.total_events == 0:
        note("A calendar in this message had no events in it.")
        return []
    if scan.total_events > MAX_EVENTS:
        note(f"A calendar with {scan.total_events:,} events: only the first {MAX_EVENTS} were read.")
    zones = _zones(scan.zones)
    invites = []
    for calendar, lines in scan.events:
        method = scan.methods.get(calendar) or method_hint
        if method not in ("", "REQUEST", "PUBLISH", "CANCEL"):
            note(
                f"A calendar sent as {_clean(method)} is an answer to an invitation, not an invitation, "
                "so it was left alone."
            )
            continue
        invite = _invite(_properties(lines), method=method, zones=zones, note=note)
        if invite is not None:
            invites.append(invite)
    return invites


_Properties = dict[str, list[tuple[dict[str, str], str]]]
_Note = Callable[[str], None]


def _properties(lines: list[str]) -> _Properties:
    """The lines of interest, split by icalendar into (parameters, unescaped value)."""
    properties: _Properties = {}
    for line in lines:
        name = re.split(r"[;:]", line, maxsplit=1)[0].strip().upper()
        if name not in _WANTED:
            continue
        if name == "DESCRIPTION":
            line = line[:_MAX_DESCRIPTION_CHARS]
        elif len(line) > _MAX_LINE_CHARS:
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


def _invite(properties: _Properties, *, method: str, zones: dict[str, _Zone], note: _Note) -> Invite | None:
    summary = _one_line(_value(properties, "SUMMARY"))[:SUMMARY_MAX_LENGTH]
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
            f"{called} uses a time zone we don't know (“{_clean(starts.doubt)[:60]}”), so we read its time "
            "as UTC; the time may need checking."
        )
    ends_at = _end(properties, starts, zones=zones, called=called, note=note)
    if _first(properties, "RRULE") or _first(properties, "RDATE"):
        note(f"{called} repeats; only its first date was used.")

    uid = _one_line(_value(properties, "UID"))[:UID_MAX_LENGTH]
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


def _moment(parameters: dict[str, str], value: str, *, zones: dict[str, _Zone]) -> _Moment:
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
    if not _EARLIEST_YEAR <= moment.at.year <= _LATEST_YEAR:
        raise _Unreadable(value)
    return moment


def _from_wall_clock(wall: dt.datetime, tzid: str, zones: dict[str, _Zone]) -> _Moment:
    if wall.tzinfo is not None:  # written with a trailing Z
        return _Moment(at=wall.astimezone(dt.UTC), all_day=False, zone_name="")
    try:
        if not tzid:
            return _Moment(at=wall.replace(tzinfo=dt.UTC), all_day=False, zone_name="", doubt="floating")
        if name := _iana_name(tzid):
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
    properties: _Properties, starts: _Moment, *, zones: dict[str, _Zone], called: str, note: _Note
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
    location = _one_line(_value(properties, "LOCATION"))[:LOCATION_MAX_LENGTH]
    link = _meeting_link(properties)
    if link and (not location or _MEETING_LABEL.fullmatch(location)):
        return link
    return location


def _meeting_link(properties: _Properties) -> str:
    for name in _LINK_PROPERTIES:
        for _, value in properties.get(name, []):
            if match := _URL.search(value):
                return _trim_url(match.group())
    for _, value in properties.get("DESCRIPTION", []):
        for match in _URL.finditer(value):
            url = _trim_url(match.group())
            try:
                host = (urlsplit(url).hostname or "").lower()
            except ValueError:  # a malformed address, [brackets] and the like
                continue
            if any(host == known or host.endswith("." + known) for known in _MEETING_HOSTS):
                return url
    return ""


def _trim_url(url: str) -> str:
    return _clean(url.rstrip(".,;:!?*'\"")[:LOCATION_MAX_LENGTH])


def _person(parameters: dict[str, str], value: str) -> Person | None:
    address = value.strip()
    if address[:7].lower() == "mailto:":
        address = address[7:]
    email = _clean_address(address)
    name = _one_line(parameters.get("CN", "")).strip("\"' ")[:200]
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


def _clean_address(address: str) -> str:
    address = _clean(address).strip().strip("<>").lower()
    return address if len(address) <= 254 and _ADDRESS.fullmatch(address) else ""


# --- Time zones -----------------------------------------------------------------------------------


@functools.cache
def _iana_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _iana_name(tzid: str) -> str:
    """The IANA name a TZID stands for, or "": names, Windows names and /vendor/ prefixed names."""
    cleaned = tzid.strip().strip('"').strip("/").lower()
    names = _iana_names()
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
class _Zone:
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


def _zones(blocks: list[list[str]]) -> dict[str, _Zone]:
    zones: dict[str, _Zone] = {}
    for lines in blocks:
        try:
            tzid, zone = _zone(lines)
        except Exception:  # a VTIMEZONE we cannot follow is as good as none
            tzid, zone = "", None
        if tzid and zone and zone.observances:
            zones.setdefault(tzid.lower(), zone)
    return zones


def _zone(lines: list[str]) -> tuple[str, _Zone]:
    tzid, iana_name = "", ""
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
        if upper.startswith(("BEGIN:", "END:")) or len(line) > _MAX_LINE_CHARS:
            continue
        name, _, value = Contentline(line).parts()
        name = name.upper()
        if current is not None:
            current.setdefault(name, []).append(value)
        elif name == "TZID":
            tzid = value.strip()
        elif name == "X-LIC-LOCATION":
            iana_name = _iana_name(value)
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
    return tzid, _Zone(observances=observances, iana_name=iana_name)


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


_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _yearly_onset(rule: dict, starts: dt.datetime, year: int) -> dt.datetime | None:
    """When a yearly time zone rule ("last Sunday of March at 02:00") falls in a given year."""
    month = rule["MONTH"] or starts.month
    if not 1 <= month <= 12 or not _EARLIEST_YEAR - 1 <= year <= _LATEST_YEAR:
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


# --- Text -----------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text that any database and page can take: no NUL or other control characters, no surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text)


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", _clean(text)).strip()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


# --- A date from the words, for mail without a calendar ------------------------------------------

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
        name = _iana_names().get(zone.strip().lower())
        zone = zoneinfo.ZoneInfo(name) if name else dt.UTC
    today = now.astimezone(zone).date()
    for source in (subject or "", (text or "")[:MAX_TEXT_CHARS]):
        source = _URL.sub(" ", _MAIL_HEADER_LINE.sub(" ", source))[:5_000]
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
