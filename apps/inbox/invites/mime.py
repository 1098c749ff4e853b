"""Reading one email: refusing what is not worth reading, then walking its MIME parts.

Size, nesting markers and part delimiters are counted in the raw bytes first, so
a crafted message is refused before the standard library's parser spends seconds
on it or recurses until it fails. The walk then follows at most MAX_DEPTH levels and
MAX_PARTS parts, looking inside forwarded messages (message/rfc822) too. Calendar
parts and .ics attachments go to calendar.py; the body text is the plain-text
alternative when there is one, otherwise the HTML with its tags stripped (never
rendered).
"""

from __future__ import annotations

import codecs
import html
import logging
import re
from dataclasses import dataclass
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses

from apps.inbox.invites.calendar import Invite, read_invites
from apps.inbox.invites.text import clean, clean_address, one_line

# Under the package's name, as when it was one module: log filters and searches keep working.
logger = logging.getLogger("apps.inbox.invites")

MAX_DEPTH = 10  # MIME nesting followed; a forward of a forward is about 5 deep
MAX_PARTS = 500
MAX_CALENDARS = 10  # calendar parts read from one message
MAX_TEXT_CHARS = 20_000
MAX_PROBLEMS = 20

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


class MessageRefused(Exception):
    """The message cannot be read at all; str(error) says why, in words for the person."""


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
        problem = clean(problem)
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
        text = clean(text.replace("\r\n", "\n"))[:MAX_TEXT_CHARS].strip()
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
        for invite in read_invites(text, method_hint=method_hint, note=self.note):
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
                    f"Part of this message says it is written in “{clean(charset)[:40]}”, an encoding "
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
    return one_line(text)


def _sender(message: Message) -> str:
    try:
        addresses = getaddresses([_header(message, "From")])
    except Exception:  # the address parser has raised on crafted input in past Python releases
        return ""
    for _, address in addresses:
        if cleaned := clean_address(address):
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


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
