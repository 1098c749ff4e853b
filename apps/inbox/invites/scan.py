"""A calendar's text skimmed by our own code: the lines of its events and of its time zones.

Only the first MAX_EVENTS VEVENTs and the first few VTIMEZONEs are kept, each
to a bounded number of lines; later events are only counted, so a calendar of a
million events costs one pass over its text and keeps no more than MAX_EVENTS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_EVENTS = 50  # VEVENTs read from one calendar; an invitation carries one
_MAX_COMPONENT_DEPTH = 8
_MAX_ZONES = 20
_MAX_EVENT_LINES = 2_000
_MAX_ZONE_LINES = 500

_FOLD = re.compile(r"\r?\n[ \t]")
_LINE = re.compile(r"[^\r\n]+")


@dataclass
class CalendarScan:
    """What one skim of a calendar's lines found."""

    events: list[tuple[int, list[str]]] = field(default_factory=list)  # (calendar number, lines)
    zones: list[list[str]] = field(default_factory=list)
    methods: dict[int, str] = field(default_factory=dict)
    total_events: int = 0
    too_deep: bool = False


def scan_calendar(text: str) -> CalendarScan:
    """Split a calendar into its first MAX_EVENTS events and its time zones, counting the rest."""
    scan = CalendarScan()
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
