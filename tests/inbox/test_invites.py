"""Reading forwarded invitations: real MIME messages in the shapes mail apps send, and hostile ones.

Calendars are built with icalendar and messages with the email package, the way
Google Calendar, Outlook/Exchange and Apple Calendar write them. No database:
parse_message is pure.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from apps.inbox.invites import (
    MAX_EVENTS,
    MAX_TEXT_CHARS,
    Invite,
    MessageRefused,
    ParsedMessage,
    Person,
    best_effort_when,
    parse_message,
)

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
OUTLOOK_UID = "040000008200E00074C5B7101A82E00800000000D0F2A6B5F25FDB01000000000000000010000000"
TEAMS_LINK = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5%40thread.v2/0?context=%7b%22Tid%22%7d"
)
MEET_LINK = "https://meet.google.com/abc-defg-hij"

# --- Building calendars and messages --------------------------------------------------------------


def vevent(
    *,
    uid: str | None = "interview-7@lumen.example",
    summary: str = "Interview with Lumen",
    start: dt.date | dt.datetime | None = dt.datetime(2026, 12, 9, 14, 0, tzinfo=LONDON),
    end: dt.date | dt.datetime | None = dt.datetime(2026, 12, 9, 15, 0, tzinfo=LONDON),
    tzid: str | None = None,
    sequence: int = 0,
    organiser: tuple[str, str] | None = ("Priya Raman", "priya@lumen.example"),
    attendees: tuple[tuple[str, str], ...] = (("Olive Owner", "owner@example.com"),),
    location: str | None = None,
    description: str | None = None,
    extra: dict[str, str] | None = None,
) -> Event:
    """One VEVENT. `tzid` names the zone of naive start and end times (Outlook's Windows names)."""
    event = Event()
    if uid is not None:
        event.add("uid", uid)
    event.add("dtstamp", dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    event.add("summary", summary)
    event.add("sequence", sequence)
    parameters = {"TZID": tzid} if tzid else None
    if start is not None:
        event.add("dtstart", start, parameters=parameters)
    if end is not None:
        event.add("dtend", end, parameters=parameters)
    if organiser:
        event.add("organizer", f"mailto:{organiser[1]}", parameters={"CN": organiser[0]})
    for name, address in attendees:
        event.add(
            "attendee",
            f"mailto:{address}",
            parameters={"CN": name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"},
        )
    if location is not None:
        event.add("location", location)
    if description is not None:
        event.add("description", description)
    for name, value in (extra or {}).items():
        event.add(name, value)
    return event


def calendar(*events: Event, method: str | None = "REQUEST", zones: tuple[Timezone, ...] = ()) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Second Round tests//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    for zone in zones:
        cal.add_component(zone)
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


def yearly_zone(tzid: str, *, standard: int, daylight: int, lic_location: str | None = None) -> Timezone:
    """A VTIMEZONE as Outlook and Apple write it: two yearly rules, last Sunday of March and October."""
    zone = Timezone()
    zone.add("tzid", tzid)
    if lic_location:
        zone.add("x-lic-location", lic_location)
    winter = TimezoneStandard()
    winter.add("dtstart", dt.datetime(1601, 1, 1, 3, 0))
    winter.add("tzoffsetfrom", dt.timedelta(hours=daylight))
    winter.add("tzoffsetto", dt.timedelta(hours=standard))
    winter.add("rrule", {"freq": "yearly", "interval": 1, "byday": "-1SU", "bymonth": 10})
    summer = TimezoneDaylight()
    summer.add("dtstart", dt.datetime(1601, 1, 1, 2, 0))
    summer.add("tzoffsetfrom", dt.timedelta(hours=standard))
    summer.add("tzoffsetto", dt.timedelta(hours=daylight))
    summer.add("rrule", {"freq": "yearly", "interval": 1, "byday": "-1SU", "bymonth": 3})
    zone.add_component(winter)
    zone.add_component(summer)
    return zone


def mail(subject: str = "Invitation: Interview with Lumen", sender: str = "Olive <Owner@Example.com>"):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "in-3f9a@in.second-round.example"
    message["Subject"] = subject
    message["Date"] = "Mon, 1 Dec 2026 09:00:00 +0000"
    message["Message-ID"] = "<m1@example.com>"
    return message


def google_message(ics: bytes) -> bytes:
    """Google Calendar: the calendar inline in an alternative, and again as invite.ics."""
    message = mail()
    message.set_content("You have been invited to the following event.\nJoin with Google Meet")
    message.add_alternative("<p>You have been invited to the following event.</p>", subtype="html")
    message.add_alternative(ics.decode(), subtype="calendar", params={"method": "REQUEST"})
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return message.as_bytes()


def outlook_message(ics: bytes) -> bytes:
    """Outlook/Exchange: one multipart/alternative, the calendar base64 in UTF-8 with method=REQUEST."""
    message = mail()
    message.set_content("Microsoft Teams meeting\nJoin on your computer or mobile app")
    message.add_alternative("<html><body><p>Microsoft Teams meeting</p></body></html>", subtype="html")
    message.add_alternative(ics.decode(), subtype="calendar", cte="base64", params={"method": "REQUEST"})
    return message.as_bytes()


def apple_message(ics: bytes) -> bytes:
    """Apple Calendar: a note, and the calendar as an iCal-….ics attachment of type text/calendar."""
    message = mail()
    message.set_content("Olive has invited you to an event.")
    message.add_attachment(
        ics.decode(), subtype="calendar", filename="iCal-20261201-090000.ics", params={"method": "REQUEST"}
    )
    return message.as_bytes()


def only_invite(parsed: ParsedMessage) -> Invite:
    assert len(parsed.invites) == 1, parsed.invites
    return parsed.invites[0]


def raw_calendar(*event_bodies: str, method: str = "REQUEST", head: str = "") -> bytes:
    """A calendar written by hand, for shapes icalendar itself would refuse to write."""
    events = "".join(f"BEGIN:VEVENT\r\n{body.strip()}\r\nEND:VEVENT\r\n" for body in event_bodies)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hand//EN\r\nMETHOD:{method}\r\n{head}{events}END:VCALENDAR\r\n"
    ).encode()


def event_lines(*lines: str) -> str:
    return "\r\n".join(("UID:hand-1@example.com", "SUMMARY:Interview", *lines))


# --- The three vendors ----------------------------------------------------------------------------


def test_google_invitation_is_read_once_though_it_comes_inline_and_attached():
    ics = calendar(
        vevent(
            start=dt.datetime(2026, 12, 9, 14, 0, tzinfo=LONDON),
            end=dt.datetime(2026, 12, 9, 14, 45, tzinfo=LONDON),
            description=f"Join with Google Meet: {MEET_LINK}\nJoin by phone: +44 20 3873 0000",
            extra={"x-google-conference": MEET_LINK},
        ),
        zones=(Timezone.from_tzid("Europe/London"),),
    )

    parsed = parse_message(google_message(ics))

    invite = only_invite(parsed)
    assert invite.method == "REQUEST"
    assert invite.uid == "interview-7@lumen.example"
    assert invite.summary == "Interview with Lumen"
    assert invite.starts_at == dt.datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert invite.ends_at == dt.datetime(2026, 12, 9, 14, 45, tzinfo=UTC)
    assert invite.starts_at.tzinfo is UTC
    assert invite.time_zone == "Europe/London"
    assert invite.all_day is False
    assert invite.location == MEET_LINK
    assert invite.organiser == Person(email="priya@lumen.example", name="Priya Raman")
    assert invite.attendees == [Person(email="owner@example.com", name="Olive Owner")]
    assert parsed.subject == "Invitation: Interview with Lumen"
    assert parsed.sender == "owner@example.com"
    assert parsed.text.startswith("You have been invited to the following event.")
    assert parsed.problems == []


def test_outlook_invitation_with_a_windows_zone_and_a_teams_link():
    ics = calendar(
        vevent(
            uid=OUTLOOK_UID,
            start=dt.datetime(2026, 7, 10, 10, 0),
            end=dt.datetime(2026, 7, 10, 11, 0),
            tzid="W. Europe Standard Time",
            location="Microsoft Teams Meeting",
            description="Microsoft Teams meeting\nJoin on your computer, mobile app or room device\n"
            f"Click here to join the meeting<{TEAMS_LINK}>",
            extra={"x-microsoft-onlinemeetingurl": TEAMS_LINK, "x-microsoft-cdo-busystatus": "TENTATIVE"},
        ),
        zones=(yearly_zone("W. Europe Standard Time", standard=1, daylight=2),),
    )

    invite = only_invite(parse_message(outlook_message(ics)))

    assert invite.uid == OUTLOOK_UID
    assert invite.starts_at == dt.datetime(2026, 7, 10, 8, 0, tzinfo=UTC)
    assert invite.ends_at == dt.datetime(2026, 7, 10, 9, 0, tzinfo=UTC)
    assert invite.time_zone == "Europe/Berlin"
    # "Microsoft Teams Meeting" only names the service: the link is what the person needs.
    assert invite.location == TEAMS_LINK


def test_apple_invitation_with_its_own_vtimezone_and_x_apple_fields():
    ics = calendar(
        vevent(
            start=dt.datetime(2026, 1, 15, 10, 0, tzinfo=BERLIN),
            end=dt.datetime(2026, 1, 15, 11, 30, tzinfo=BERLIN),
            location="Lumen GmbH\nTorstraße 1, 10119 Berlin",
            extra={
                "x-apple-travel-advisory-behavior": "AUTOMATIC",
                "x-apple-structured-location": "geo:52.529,13.401",
            },
        ),
        zones=(yearly_zone("Europe/Berlin", standard=1, daylight=2, lic_location="Europe/Berlin"),),
    )

    invite = only_invite(parse_message(apple_message(ics)))

    assert invite.starts_at == dt.datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert invite.ends_at == dt.datetime(2026, 1, 15, 10, 30, tzinfo=UTC)
    assert invite.time_zone == "Europe/Berlin"
    assert invite.location == "Lumen GmbH Torstraße 1, 10119 Berlin"


# --- Time zones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "utc_hour"),
    [(7, 8), (1, 9)],
    ids=["summer: 10:00 Berlin is 08:00 UTC", "winter: 10:00 Berlin is 09:00 UTC"],
)
@pytest.mark.parametrize(
    ("tzid", "zones"),
    [
        ("Europe/Berlin", ()),
        ("W. Europe Standard Time", ()),
        ("/mozilla.org/20050126_1/Europe/Berlin", ()),
        (
            "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
            (
                yearly_zone(
                    "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", standard=1, daylight=2
                ),
            ),
        ),
    ],
    ids=["IANA", "Windows name", "vendor prefix", "only its VTIMEZONE"],
)
def test_ten_in_berlin_follows_daylight_saving(tzid, zones, month, utc_hour):
    ics = calendar(
        vevent(start=dt.datetime(2026, month, 10, 10, 0), end=dt.datetime(2026, month, 10, 11, 0), tzid=tzid),
        zones=zones,
    )

    parsed = parse_message(outlook_message(ics))

    invite = only_invite(parsed)
    assert invite.starts_at == dt.datetime(2026, month, 10, utc_hour, 0, tzinfo=UTC)
    assert invite.ends_at - invite.starts_at == dt.timedelta(hours=1)
    assert parsed.problems == []


def test_a_zone_known_only_by_its_vtimezone_has_no_iana_name():
    tzid = "Customized Time Zone"
    ics = calendar(
        vevent(start=dt.datetime(2026, 7, 10, 10, 0), end=None, tzid=tzid),
        zones=(yearly_zone(tzid, standard=-5, daylight=-4),),
    )

    invite = only_invite(parse_message(outlook_message(ics)))

    assert invite.starts_at == dt.datetime(2026, 7, 10, 14, 0, tzinfo=UTC)
    assert invite.time_zone == ""


def test_a_time_zone_defined_by_one_message_never_moves_another_messages_times():
    # A hostile sender defines the Windows zone Outlook users share as UTC+14...
    hostile = Timezone()
    hostile.add("tzid", "Romance Standard Time")
    only = TimezoneStandard()
    only.add("dtstart", dt.datetime(1601, 1, 1))
    only.add("tzoffsetfrom", dt.timedelta(hours=14))
    only.add("tzoffsetto", dt.timedelta(hours=14))
    hostile.add_component(only)
    naive = {"start": dt.datetime(2026, 7, 10, 10, 0), "end": None}
    parse_message(outlook_message(calendar(vevent(**naive, tzid="Romance Standard Time"), zones=(hostile,))))
    # ... and defines a name of its own.
    parse_message(outlook_message(calendar(vevent(**naive, tzid="Office hours"), zones=(hostile,))))

    paris = only_invite(
        parse_message(outlook_message(calendar(vevent(**naive, tzid="Romance Standard Time"))))
    )
    elsewhere = parse_message(outlook_message(calendar(vevent(**naive, tzid="Office hours"))))

    assert paris.starts_at == dt.datetime(2026, 7, 10, 8, 0, tzinfo=UTC)
    assert only_invite(elsewhere).starts_at == dt.datetime(2026, 7, 10, 10, 0, tzinfo=UTC)
    assert any("“Office hours”" in problem for problem in elsewhere.problems)


def test_z_times_are_utc_and_have_no_zone_of_their_own():
    ics = calendar(vevent(start=dt.datetime(2026, 12, 9, 14, 0, tzinfo=UTC), end=None))

    parsed = parse_message(google_message(ics))

    invite = only_invite(parsed)
    assert invite.starts_at == dt.datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert invite.ends_at == dt.datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    assert invite.time_zone == ""
    assert parsed.problems == []


def test_floating_time_is_read_as_utc_and_flagged():
    ics = calendar(vevent(start=dt.datetime(2026, 12, 9, 14, 0), end=dt.datetime(2026, 12, 9, 15, 0)))

    parsed = parse_message(apple_message(ics))

    invite = only_invite(parsed)
    assert invite.starts_at == dt.datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert invite.time_zone == ""
    assert parsed.problems == [
        "“Interview with Lumen” gave its time without a time zone, so we read it as UTC; "
        "the time may need checking."
    ]


def test_an_unknown_zone_without_a_vtimezone_is_read_as_utc_and_flagged():
    ics = calendar(vevent(start=dt.datetime(2026, 12, 9, 14, 0), end=None, tzid="Mars/Olympus_Mons"))

    parsed = parse_message(outlook_message(ics))

    assert only_invite(parsed).starts_at == dt.datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert parsed.problems == [
        "“Interview with Lumen” uses a time zone we don't know (“Mars/Olympus_Mons”), so we read its "
        "time as UTC; the time may need checking."
    ]


def test_a_vtimezone_with_a_rule_no_zone_uses_is_ignored_not_followed():
    # A rule every second since 1601 would take hours to walk to 2026.
    zone = Timezone()
    zone.add("tzid", "Every second")
    part = TimezoneStandard()
    part.add("dtstart", dt.datetime(1601, 1, 1))
    part.add("tzoffsetfrom", dt.timedelta(hours=1))
    part.add("tzoffsetto", dt.timedelta(hours=2))
    part.add("rrule", {"freq": "secondly"})
    zone.add_component(part)
    ics = calendar(
        vevent(start=dt.datetime(2026, 7, 10, 10, 0), end=None, tzid="Every second"), zones=(zone,)
    )

    parsed = parse_message(outlook_message(ics))

    assert only_invite(parsed).starts_at == dt.datetime(2026, 7, 10, 10, 0, tzinfo=UTC)
    assert "time zone we don't know" in parsed.problems[0]


def test_all_day_event_starts_at_midnight_utc_and_ends_on_its_end_date():
    ics = calendar(vevent(start=dt.date(2026, 12, 9), end=dt.date(2026, 12, 11)))

    invite = only_invite(parse_message(google_message(ics)))

    assert invite.all_day is True
    assert invite.starts_at == dt.datetime(2026, 12, 9, tzinfo=UTC)
    assert invite.ends_at == dt.datetime(2026, 12, 11, tzinfo=UTC)
    assert invite.time_zone == ""


def test_all_day_event_without_an_end_lasts_one_day():
    invite = only_invite(
        parse_message(google_message(calendar(vevent(start=dt.date(2026, 12, 9), end=None))))
    )

    assert invite.ends_at == dt.datetime(2026, 12, 10, tzinfo=UTC)


# --- Ends, repeats, updates and cancellations -----------------------------------------------------


def test_duration_gives_the_end_when_there_is_no_dtend():
    ics = calendar(vevent(end=None, extra={"duration": dt.timedelta(minutes=45)}))

    invite = only_invite(parse_message(google_message(ics)))

    assert invite.ends_at - invite.starts_at == dt.timedelta(minutes=45)


def test_end_before_start_becomes_one_hour_with_a_problem():
    ics = calendar(
        vevent(
            start=dt.datetime(2026, 12, 9, 14, 0, tzinfo=UTC), end=dt.datetime(2026, 12, 9, 13, 0, tzinfo=UTC)
        )
    )

    parsed = parse_message(google_message(ics))

    assert only_invite(parsed).ends_at == dt.datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    assert parsed.problems == ["“Interview with Lumen” ended before it started, so we gave it one hour."]


def test_recurring_event_keeps_only_its_first_occurrence():
    ics = calendar(
        vevent(
            start=dt.datetime(2026, 12, 9, 14, 0, tzinfo=LONDON),
            extra={"rrule": {"freq": "weekly", "count": 4}},
        )
    )

    parsed = parse_message(google_message(ics))

    assert only_invite(parsed).starts_at == dt.datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert parsed.problems == ["“Interview with Lumen” repeats; only its first date was used."]


def test_update_carries_its_higher_sequence():
    moved = dt.datetime(2026, 12, 10, 11, 0, tzinfo=LONDON)
    ics = calendar(vevent(sequence=2, start=moved, end=moved + dt.timedelta(hours=1)))

    invite = only_invite(parse_message(google_message(ics)))

    assert (invite.uid, invite.sequence, invite.starts_at) == (
        "interview-7@lumen.example",
        2,
        dt.datetime(2026, 12, 10, 11, 0, tzinfo=UTC),
    )


def test_of_two_copies_of_one_invitation_the_newer_is_kept():
    message = mail()
    message.set_content("Updated invitation")
    old = calendar(vevent(sequence=0))
    new = calendar(vevent(sequence=1, start=dt.datetime(2026, 12, 10, 9, 0, tzinfo=LONDON), end=None))
    message.add_attachment(old, maintype="application", subtype="ics", filename="old.ics")
    message.add_attachment(new, maintype="application", subtype="ics", filename="new.ics")

    invite = only_invite(parse_message(message.as_bytes()))

    assert invite.sequence == 1
    assert invite.starts_at == dt.datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def test_cancel_is_read_as_a_cancellation():
    ics = calendar(vevent(sequence=3, extra={"status": "CANCELLED"}), method="CANCEL")

    invite = only_invite(parse_message(google_message(ics)))

    assert (invite.method, invite.sequence) == ("CANCEL", 3)


def test_a_cancelled_status_in_a_request_is_a_cancellation_too():
    ics = calendar(vevent(extra={"status": "CANCELLED"}), method="REQUEST")

    assert only_invite(parse_message(apple_message(ics))).method == "CANCEL"


@pytest.mark.parametrize("method", ["PUBLISH", None])
def test_publish_and_a_calendar_without_method_are_read_as_requests(method):
    message = mail()
    message.set_content("Here is the calendar file.")
    message.add_attachment(calendar(vevent(), method=method), maintype="text", subtype="calendar")

    assert only_invite(parse_message(message.as_bytes())).method == "REQUEST"


def test_replies_to_an_invitation_are_left_alone():
    message = mail(subject="Accepted: Interview with Lumen")
    message.set_content("Priya has accepted.")
    message.add_alternative(
        calendar(vevent(), method="REPLY").decode(), subtype="calendar", params={"method": "REPLY"}
    )

    parsed = parse_message(message.as_bytes())

    assert parsed.invites == []
    assert parsed.problems == [
        "A calendar sent as REPLY is an answer to an invitation, not an invitation, so it was left alone."
    ]


# --- People, places, uids -------------------------------------------------------------------------


def test_people_have_lower_case_addresses_and_no_repeated_address_as_name():
    ics = calendar(
        vevent(
            organiser=("Priya@Lumen.example", "Priya@Lumen.example"),
            attendees=(
                ("Olive Owner", "owner@example.com"),
                ("Jun Park", "JUN@lumen.example"),
                ("Jun again", "jun@lumen.example"),
            ),
        )
    )

    invite = only_invite(parse_message(google_message(ics)))

    assert invite.organiser == Person(email="priya@lumen.example", name="")
    assert invite.attendees == [
        Person(email="owner@example.com", name="Olive Owner"),
        Person(email="jun@lumen.example", name="Jun Park"),
    ]


def test_meeting_rooms_are_not_people():
    event = vevent(attendees=())
    event.add("attendee", "mailto:room.4b@lumen.example", parameters={"CN": "Room 4B", "CUTYPE": "ROOM"})
    event.add("attendee", "mailto:jun@lumen.example", parameters={"CN": "Jun Park", "CUTYPE": "INDIVIDUAL"})

    invite = only_invite(parse_message(outlook_message(calendar(event))))

    assert invite.attendees == [Person(email="jun@lumen.example", name="Jun Park")]


def test_no_organiser_is_none():
    assert only_invite(parse_message(google_message(calendar(vevent(organiser=None))))).organiser is None


@pytest.mark.parametrize(
    ("description", "link"),
    [
        (
            "Join Zoom Meeting\nhttps://us02web.zoom.us/j/8123456789?pwd=abc123.\n",
            "https://us02web.zoom.us/j/8123456789?pwd=abc123",
        ),
        ("Webex: https://lumen.webex.com/meet/priya, see you", "https://lumen.webex.com/meet/priya"),
        (f"Agenda: https://lumen.example/agenda then {MEET_LINK}", MEET_LINK),
        ("Agenda: https://lumen.example/agenda", ""),
    ],
    ids=["zoom", "webex", "meet after another link", "no meeting link"],
)
def test_a_meeting_link_in_the_description_is_the_location_when_there_is_none(description, link):
    ics = calendar(vevent(description=description))

    assert only_invite(parse_message(google_message(ics))).location == link


def test_a_real_location_is_kept_even_with_a_link():
    ics = calendar(vevent(location="Lumen, 2 Pancras Square, London", description=f"Or join: {MEET_LINK}"))

    assert only_invite(parse_message(google_message(ics))).location == "Lumen, 2 Pancras Square, London"


def test_a_long_uid_is_cut_to_255_and_a_missing_one_is_made_up_the_same_way_each_time():
    long_uid = only_invite(parse_message(google_message(calendar(vevent(uid="u" * 400))))).uid
    first = only_invite(parse_message(google_message(calendar(vevent(uid=None))))).uid
    again = only_invite(parse_message(apple_message(calendar(vevent(uid=None))))).uid

    assert long_uid == "u" * 255
    assert first == again
    assert first.startswith("no-uid-")


def test_a_bad_sequence_is_zero():
    ics = raw_calendar(event_lines("DTSTART:20261209T140000Z", "SEQUENCE:lots"))

    assert only_invite(parse_message(google_message(ics))).sequence == 0


# --- Forwarded and plain mail ---------------------------------------------------------------------


def test_an_invitation_forwarded_as_an_attached_message_is_found_inside_it():
    original = EmailMessage()
    original["From"] = "Priya Raman <priya@lumen.example>"
    original["To"] = "owner@example.com"
    original["Subject"] = "Invitation: Interview with Lumen"
    original.set_content("Looking forward to speaking with you.")
    original.add_alternative(calendar(vevent()).decode(), subtype="calendar", params={"method": "REQUEST"})
    forward = mail(subject="Fwd: Invitation: Interview with Lumen")
    forward.set_content("See below.")
    forward.add_attachment(original)

    parsed = parse_message(forward.as_bytes())

    assert only_invite(parsed).uid == "interview-7@lumen.example"
    assert parsed.text == "See below.\n\nLooking forward to speaking with you."
    assert parsed.sender == "owner@example.com"


def test_html_only_mail_becomes_plain_text_without_tags_or_scripts():
    message = mail(subject="Interview")
    message.set_content(
        "<html><head><style>p {color: red}</style><script>alert('hi')</script></head>"
        "<body><p>Dear Olive,</p><p>Could you come in on <b>9 December</b> at 14:00?</p></body></html>",
        subtype="html",
    )

    parsed = parse_message(message.as_bytes())

    assert parsed.invites == []
    assert "alert" not in parsed.text and "color" not in parsed.text and "<" not in parsed.text
    assert "Could you come in on 9 December at 14:00?" in parsed.text


def test_encoded_and_raw_utf8_subjects_are_decoded():
    encoded = b"From: a@example.com\r\nSubject: =?utf-8?q?Entretien_=C3=A0_14h?=\r\n\r\nBonjour\r\n"
    raw_utf8 = "From: a@example.com\r\nSubject: Entretien à 14h\r\n\r\nBonjour\r\n".encode()

    assert parse_message(encoded).subject == "Entretien à 14h"
    assert parse_message(raw_utf8).subject == "Entretien à 14h"


def test_a_long_body_is_cut():
    message = mail()
    message.set_content("Interview details. " * 100_000)

    assert len(parse_message(message.as_bytes()).text) <= MAX_TEXT_CHARS


# --- Hostile and broken mail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   \r\n\r\n",
        b"just some words, not an email\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)) * 10,
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261209T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
    ids=["empty", "blank", "words", "png", "all bytes", "a bare calendar"],
)
def test_what_is_not_an_email_is_refused(raw):
    with pytest.raises(MessageRefused):
        parse_message(raw)


def test_text_instead_of_bytes_is_refused():
    with pytest.raises(MessageRefused):
        parse_message("From: a@example.com\r\n\r\nhi")  # type: ignore[arg-type]


def test_a_15_mb_attachment_is_refused():
    message = mail()
    message.set_content("With a big attachment")
    message.add_attachment(
        random.randbytes(15 * 1024 * 1024), maintype="application", subtype="pdf", filename="cv.pdf"
    )

    with pytest.raises(MessageRefused, match="more than the 10 MB we accept"):
        parse_message(message.as_bytes())


def test_a_large_attachment_under_the_limit_does_not_hide_the_invitation():
    message = EmailMessage()
    message["From"] = "owner@example.com"
    message["Subject"] = "Invitation"
    message.set_content("See the invitation")
    message.add_attachment(
        random.randbytes(6 * 1024 * 1024), maintype="application", subtype="pdf", filename="a.pdf"
    )
    message.add_attachment(calendar(vevent()), maintype="application", subtype="ics", filename="invite.ics")

    assert only_invite(parse_message(message.as_bytes())).uid == "interview-7@lumen.example"


def test_max_bytes_can_be_lowered():
    with pytest.raises(MessageRefused):
        parse_message(google_message(calendar(vevent())), max_bytes=1_000)


def test_a_calendar_with_ten_thousand_events_is_read_only_to_max_events():
    body = calendar(vevent(uid="template")).decode()
    template = body[body.index("BEGIN:VEVENT") : body.index("END:VEVENT") + len("END:VEVENT\r\n")]
    events = "".join(template.replace("UID:template", f"UID:event-{number}") for number in range(10_000))
    ics = body.replace(template, events).encode()

    parsed = parse_message(outlook_message(ics))

    assert [invite.uid for invite in parsed.invites] == [f"event-{number}" for number in range(MAX_EVENTS)]
    assert parsed.problems == [f"A calendar with 10,000 events: only the first {MAX_EVENTS} were read."]


def test_broken_boundaries_still_give_what_can_be_read():
    never_closed = (
        b"From: owner@example.com\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
        b"--outer\r\nContent-Type: text/plain\r\n\r\nHello\r\n"
        b"--outer\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\n"
        + raw_calendar(event_lines("DTSTART:20261209T140000Z"))
    )
    never_used = (
        b"From: owner@example.com\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="declared"\r\n\r\n'
        b"--other\r\nContent-Type: text/plain\r\n\r\nHello\r\n--other--\r\n"
    )
    no_boundary = (
        b"From: owner@example.com\r\nSubject: broken\r\nContent-Type: multipart/alternative\r\n\r\nHello\r\n"
    )

    parsed = parse_message(never_closed)

    assert only_invite(parsed).starts_at == dt.datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
    assert parsed.text == "Hello"
    assert isinstance(parse_message(never_used), ParsedMessage)
    assert isinstance(parse_message(no_boundary), ParsedMessage)


def test_latin_1_and_unknown_charsets_are_read_without_failing():
    latin = mail()
    latin.set_content("Entretien le 9 décembre à 14h00", charset="iso-8859-1", cte="8bit")
    unknown = (
        b"From: owner@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n"
        b"Caf\xc3\xa9 at 10:00\r\n"
    )
    mislabelled = (
        b"From: owner@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCaf\xe9\r\n"
    )

    unknown_parsed = parse_message(unknown)

    assert parse_message(latin.as_bytes()).text == "Entretien le 9 décembre à 14h00"
    assert unknown_parsed.text == "Café at 10:00"
    assert unknown_parsed.problems == [
        "Part of this message says it is written in “x-klingon”, an encoding we don't know, "
        "so some characters may look wrong."
    ]
    assert parse_message(mislabelled).text == "Café"


@pytest.mark.parametrize("charset", ["base64", "rot13", "punycode", "idna", "unicode_escape", "utf-16"])
def test_python_codecs_named_as_charsets_do_no_harm(charset):
    raw = (
        b"From: owner@example.com\r\nSubject: x\r\n"
        + f"Content-Type: text/plain; charset={charset}\r\n\r\n".encode()
        + b"\\ud800 caf\xe9 \x00 " * 1_000
    )

    parsed = parse_message(raw)

    assert "\x00" not in parsed.text
    parsed.text.encode("utf-8")  # no lone surrogates


def test_a_calendar_in_windows_1252_without_a_charset_is_still_read():
    ics = raw_calendar(event_lines("DTSTART:20261209T140000Z")).replace(
        b"SUMMARY:Interview", b"SUMMARY:Entrevue \xe0 Montr\xe9al"
    )
    message = mail()
    message.set_content("Invitation")
    message.add_attachment(ics, maintype="text", subtype="calendar", filename="invite.ics")

    assert only_invite(parse_message(message.as_bytes())).summary == "Entrevue à Montréal"


def nested(depth: int, *, inner: bytes) -> bytes:
    body = inner
    for level in range(depth):
        body = (
            f'Content-Type: multipart/mixed; boundary="level{level}"\r\n\r\n--level{level}\r\n'.encode()
            + body
            + f"\r\n--level{level}--\r\n".encode()
        )
    return b"From: owner@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + body


def test_parts_nested_100_deep_are_skipped_beyond_the_depth_limit():
    calendar_part = b"Content-Type: text/calendar; method=REQUEST\r\n\r\n" + raw_calendar(
        event_lines("DTSTART:20261209T140000Z")
    )

    shallow = parse_message(nested(3, inner=calendar_part))
    deep = parse_message(nested(100, inner=calendar_part))

    assert len(shallow.invites) == 1
    assert deep.invites == []
    assert deep.problems == [
        "Some parts of this message were nested too deeply to read, so they were skipped."
    ]


def test_parts_nested_thousands_deep_are_refused():
    with pytest.raises(MessageRefused, match="parts inside parts"):
        parse_message(nested(2_000, inner=b"Content-Type: text/plain\r\n\r\nhi\r\n"))


def test_messages_forwarded_inside_each_other_100_deep_are_read_to_the_limit():
    message = mail()
    message.set_content("the original")
    for _ in range(100):
        outer = mail(subject="Fwd")
        outer.set_content("fwd")
        outer.add_attachment(message)
        message = outer

    parsed = parse_message(message.as_bytes())

    assert parsed.problems == [
        "Some parts of this message were nested too deeply to read, so they were skipped."
    ]


def siblings(count: int) -> bytes:
    part = b"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
    return (
        b'From: owner@example.com\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        + (part * count + b"--b--\r\n")
    )


def test_only_the_first_max_parts_parts_are_read():
    parsed = parse_message(siblings(600))

    assert parsed.problems == ["This message has more than 500 parts; only the first 500 were read."]


def test_a_message_of_tens_of_thousands_of_parts_is_refused():
    with pytest.raises(MessageRefused, match="far more parts"):
        parse_message(siblings(20_000))


def test_a_subject_of_a_hundred_thousand_encoded_words_is_cut():
    raw = b"From: owner@example.com\r\nSubject: " + b"=?utf-8?q?caf=C3=A9?= " * 100_000 + b"\r\n\r\nhi"

    assert parse_message(raw).subject.startswith("café")


def test_an_event_without_a_start_is_skipped_and_the_others_are_read():
    ics = raw_calendar(
        event_lines("DTEND:20261209T150000Z"),
        "UID:good@example.com\r\nSUMMARY:Second round\r\nDTSTART:20261210T100000Z",
    )

    parsed = parse_message(google_message(ics))

    assert only_invite(parsed).uid == "good@example.com"
    assert parsed.problems == ["“Interview” in the calendar had no start time, so it was skipped."]


@pytest.mark.parametrize(
    "dtstart",
    [
        "DTSTART:next tuesday",
        "DTSTART:20261399T250000",
        "DTSTART;TZID=Europe/London:2026-12-09 14:00",
        "DTSTART:P1D",
        "DTSTART:00010101T000000",
        "DTSTART:99991231T235959",
        "DTSTART",
    ],
)
def test_garbage_in_dtstart_skips_the_event_with_a_problem(dtstart):
    parsed = parse_message(google_message(raw_calendar(event_lines(dtstart))))

    assert parsed.invites == []
    assert parsed.problems in (
        ["“Interview” in the calendar had a start time we couldn't read, so it was skipped."],
        ["“Interview” in the calendar had no start time, so it was skipped."],
    )


def test_garbage_in_dtend_and_duration_falls_back_to_one_hour():
    for line in ("DTEND:soon", "DURATION:forever", "DURATION:P9999999W", "DURATION:-PT1H"):
        parsed = parse_message(google_message(raw_calendar(event_lines("DTSTART:20261209T140000Z", line))))

        assert only_invite(parsed).ends_at == dt.datetime(2026, 12, 9, 15, 0, tzinfo=UTC), line
        assert parsed.problems == ["“Interview” had an end time we couldn't read, so we gave it one hour."]


def test_nul_and_control_characters_never_come_out():
    ics = raw_calendar(event_lines("DTSTART:20261209T140000Z", "LOCATION:Room\x00 1\x07")).replace(
        b"SUMMARY:Interview", b"SUMMARY:Inter\x00view\x1b[31m"
    )

    invite = only_invite(parse_message(google_message(ics)))

    assert (invite.summary, invite.location) == ("Interview[31m", "Room 1")


# --- Fuzzing --------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
VALID = google_message(
    calendar(
        vevent(description=f"Join: {MEET_LINK}"),
        zones=(yearly_zone("Europe/London", standard=0, daylight=1),),
    )
)
TOKENS = [
    b"BEGIN:VEVENT\r\n",
    b"END:VCALENDAR\r\n",
    b"BEGIN:VTIMEZONE\r\n",
    b"DTSTART;TZID=W. Europe Standard Time:20260710T100000\r\n",
    b"RRULE:FREQ=SECONDLY\r\n",
    b"\r\n ",
    b"\r\n\r\n",
    b"--",
    b'boundary="x"',
    b"Content-Type: message/rfc822\r\n",
    b"Content-Transfer-Encoding: base64\r\n",
    b"charset=utf-16",
    b"=?x-unknown?b?AAAA?=",
    b"\x00",
    b"\xff\xfe",
    b";",
    b":",
    b'"',
]


def assert_read_or_refused(raw: bytes) -> None:
    try:
        parsed = parse_message(raw)
    except MessageRefused as refusal:
        # Refused for a reason of ours, not because something broke underneath.
        assert refusal.__cause__ is None, refusal.__cause__
        assert str(refusal)
        return
    assert isinstance(parsed, ParsedMessage)
    for invite in parsed.invites:
        assert invite.starts_at.tzinfo is UTC and invite.ends_at.tzinfo is UTC
        assert invite.ends_at > invite.starts_at
        assert invite.method in ("REQUEST", "CANCEL")
        assert 0 < len(invite.uid) <= 255
    for text in [parsed.subject, parsed.sender, parsed.text, *parsed.problems]:
        assert "\x00" not in text
        text.encode("utf-8")


@FUZZ
@given(st.binary(max_size=4_000))
def test_random_bytes_are_read_or_refused(raw):
    assert_read_or_refused(raw)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(VALID)),
            st.sampled_from(["flip", "insert", "delete", "token", "cut"]),
            st.integers(min_value=0, max_value=255),
            st.sampled_from(TOKENS),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_mutated_invitations_are_read_or_refused(mutations):
    raw = bytearray(VALID)
    for position, kind, byte, token in mutations:
        position = min(position, len(raw))
        if kind == "flip" and position < len(raw):
            raw[position] ^= byte or 1
        elif kind == "insert":
            raw[position:position] = bytes([byte])
        elif kind == "delete":
            del raw[position : position + byte]
        elif kind == "token":
            raw[position:position] = token
        elif kind == "cut":
            del raw[position:]
    assert_read_or_refused(bytes(raw))


def test_the_mutation_base_is_a_valid_invitation():
    assert only_invite(parse_message(VALID)).location == MEET_LINK


# --- A date from the words ------------------------------------------------------------------------

# Tuesday 1 December 2026, noon in London.
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Tuesday 9 December at 14:00", dt.datetime(2026, 12, 9, 14, 0)),
        ("9/12 2pm", dt.datetime(2026, 12, 9, 14, 0)),
        ("2026-12-09 14:00", dt.datetime(2026, 12, 9, 14, 0)),
        ("2026-12-09T14:00", dt.datetime(2026, 12, 9, 14, 0)),
        ("December 9th, 2:30 pm", dt.datetime(2026, 12, 9, 14, 30)),
        ("the 9th of Dec 2026 at 9.30am", dt.datetime(2026, 12, 9, 9, 30)),
        ("09.12.2026 um 14:00", dt.datetime(2026, 12, 9, 14, 0)),
        ("at 2pm on Wednesday 9 December", dt.datetime(2026, 12, 9, 14, 0)),
        ("12/25 10am", dt.datetime(2026, 12, 25, 10, 0)),
        ("Thursday at 3pm", dt.datetime(2026, 12, 3, 15, 0)),
        ("tomorrow at noon", dt.datetime(2026, 12, 2, 12, 0)),
        ("today 12am", dt.datetime(2026, 12, 1, 0, 0)),
        ("5 January at 11:15", dt.datetime(2027, 1, 5, 11, 15)),
        ("29 February at 10:00", dt.datetime(2028, 2, 29, 10, 0)),
    ],
)
def test_best_effort_when_reads_common_ways_of_writing_a_time(words, expected):
    assert best_effort_when("", words, now=NOW, zone=LONDON) == expected.replace(tzinfo=LONDON).astimezone(
        UTC
    )


def test_best_effort_when_reads_day_first_unless_impossible():
    assert best_effort_when("", "3/4 at 10:00", now=NOW, zone=UTC) == dt.datetime(
        2027, 4, 3, 10, 0, tzinfo=UTC
    )
    assert best_effort_when("", "4/13 at 10:00", now=NOW, zone=UTC) == dt.datetime(
        2027, 4, 13, 10, 0, tzinfo=UTC
    )


def test_best_effort_when_uses_the_persons_zone_with_its_daylight_saving():
    summer = best_effort_when("", "10 July at 10:00", now=NOW, zone="Europe/Berlin")
    winter = best_effort_when("", "10 January at 10:00", now=NOW, zone="Europe/Berlin")

    assert summer == dt.datetime(2027, 7, 10, 8, 0, tzinfo=UTC)
    assert winter == dt.datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    assert summer.tzinfo is UTC


def test_best_effort_when_reads_an_unknown_zone_name_as_utc():
    assert best_effort_when("", "9 December 14:00", now=NOW, zone="Nowhere/Special") == dt.datetime(
        2026, 12, 9, 14, 0, tzinfo=UTC
    )


def test_best_effort_when_prefers_the_subject_and_skips_forward_headers():
    body = (
        "---------- Forwarded message ---------\n"
        "From: Priya Raman <priya@lumen.example>\n"
        "Date: Mon, 1 Dec 2026 at 10:03\n"
        "Subject: Next steps\n\n"
        "Could you do Friday 11 December at 15:30? https://lumen.example/2026/12/05/10:00\n"
    )

    assert best_effort_when(body, "Next steps", now=NOW, zone=LONDON) == dt.datetime(
        2026, 12, 11, 15, 30, tzinfo=UTC
    )
    assert best_effort_when(body, "Interview 9/12 at 9am", now=NOW, zone=LONDON) == dt.datetime(
        2026, 12, 9, 9, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "words",
    [
        "",
        "Thanks for applying, we'll be in touch.",
        "Interview on 9 December",  # a date alone is no time to suggest
        "Call me at 14:00",  # and a time alone is no date
        "31/02 at 10:00",
        "version 10.30 am",
        "1234567890 99:99",
    ],
)
def test_best_effort_when_finds_nothing_rather_than_guessing(words):
    assert best_effort_when(words, words, now=NOW, zone=LONDON) is None


@FUZZ
@given(st.text(max_size=300), st.text(max_size=100))
def test_best_effort_when_takes_any_text(text, subject):
    when = best_effort_when(text, subject, now=NOW, zone=LONDON)

    assert when is None or when.tzinfo is UTC
