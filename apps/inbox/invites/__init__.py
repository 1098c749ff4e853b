"""Interview invitations read out of one forwarded email: raw bytes in, plain data out.

Nothing here touches the database, so every hostile shape of mail can be tried
in a unit test. `parse_message` raises nothing but `MessageRefused`, whatever
it is given.

How a message is read:
1. mime.py refuses what is not worth reading: too big, empty, no email headers
   at all, or parts nested more deeply than the standard library's parser can
   follow.
2. mime.py walks the MIME tree, at most MAX_DEPTH deep and MAX_PARTS parts,
   looking inside forwarded messages (message/rfc822) too. Calendar parts and
   .ics attachments are collected; the body text is the plain-text alternative
   when there is one, otherwise the HTML with its tags stripped (never rendered).
3. scan.py skims each calendar's lines ourselves, keeping the first MAX_EVENTS
   VEVENTs and the VTIMEZONEs; everything after that is only counted.
   calendar.py has icalendar split each kept line into name, parameters and
   value and decode the values, and builds an `Invite` per event.
4. Start and end times are resolved by us (calendar.py, zones.py), not through
   icalendar's components: icalendar keeps every VTIMEZONE it parses in a cache
   shared by the whole process, first definition wins, so one hostile message
   defining "Romance Standard Time" would move the interviews of every later
   message in the same worker. Here a TZID means, in order: an IANA name, a
   Windows name, a "/vendor/.../Area/City" name, or the VTIMEZONE of this very
   calendar.

For mail without a calendar, when.py's `best_effort_when` reads a date and time
from the words, as a suggestion for the person to confirm.
"""

from apps.inbox.invites.calendar import Invite, Person
from apps.inbox.invites.mime import MAX_TEXT_CHARS, MessageRefused, ParsedMessage, parse_message
from apps.inbox.invites.scan import MAX_EVENTS
from apps.inbox.invites.when import best_effort_when

__all__ = [
    "MAX_EVENTS",
    "MAX_TEXT_CHARS",
    "Invite",
    "MessageRefused",
    "ParsedMessage",
    "Person",
    "best_effort_when",
    "parse_message",
]
