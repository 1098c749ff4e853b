"""Forwarded invitations as mail apps send them, built with icalendar and the email package."""

from __future__ import annotations

import datetime as dt
import email.policy
import socket
import zoneinfo
from email.message import EmailMessage

import icalendar


def calendar(
    *,
    uid: str = "interview-1@calendar.example",
    method: str = "REQUEST",
    sequence: int = 0,
    starts: dt.datetime,
    minutes: int = 60,
    summary: str = "Second interview",
    organiser: tuple[str, str] = ("Priya Raman", "priya@lumen.example"),
    attendees: tuple[tuple[str, str], ...] = (),
    location: str = "",
) -> bytes:
    """One VEVENT, its times in their own zone (TZID), as Google writes it."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Second Round tests//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("dtstamp", dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + dt.timedelta(minutes=minutes))
    if location:
        event.add("location", location)
    name, address = organiser
    event.add("organizer", f"mailto:{address}", parameters={"CN": name})
    for name, address in attendees:
        event.add("attendee", f"mailto:{address}", parameters={"CN": name, "ROLE": "REQ-PARTICIPANT"})
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    cal.add_component(event)
    return cal.to_ical()


def forwarded(
    *, sender: str, to: str, subject: str, ics: bytes | None = None, text: str = "", attach: bool = True
) -> bytes:
    """A message as a mail app forwards it: a note, and the calendar inline and (attach) attached."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text or "Forwarding the invitation.")
    if ics is not None:
        message.add_alternative(ics.decode(), subtype="calendar", params={"method": "REQUEST"})
        if attach:
            message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    # Line ends as SMTP carries them (CRLF): what a mail server hands on.
    return message.as_bytes(policy=email.policy.SMTP)


LONDON = zoneinfo.ZoneInfo("Europe/London")


def free_port() -> int:
    """A loopback port nobody listens on, for a mail server of the test's own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
