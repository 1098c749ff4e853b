import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from apps.contacts.models import InterviewParticipant
from apps.pipeline.models import InterviewFormat
from apps.pipeline.services import interview_cancel, interview_schedule, interview_update
from tests.helpers import assert_only_owner_can_open, assert_redirects_to_login
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    return reverse("pipeline:calendar_feed", kwargs={"token": user.calendar_token})


def fetch_feed(user) -> Calendar:
    """The feed as a calendar app sees it: fetched without signing in, then parsed."""
    response = Client().get(feed_url(user))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def in_days(days: int, hour: int = 10) -> dt.datetime:
    # Whole minutes: iCalendar keeps seconds, never microseconds.
    today = timezone.now().astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + dt.timedelta(days=days, hours=hour)


def only_event(calendar: Calendar) -> Event:
    assert len(calendar.events) == 1, [str(event.get("SUMMARY")) for event in calendar.events]
    return calendar.events[0]


def test_a_rescheduled_interview_moves_in_the_subscribed_calendar(owner):
    application = ApplicationFactory(
        owner=owner, role_title="Senior Engineer", company=CompanyFactory(owner=owner, name="Acme")
    )
    interview = interview_schedule(
        application=application, starts_at=in_days(3), ends_at=in_days(3, hour=11), round_number=2
    )
    before = only_event(fetch_feed(owner))

    interview_update(interview=interview, starts_at=in_days(5, hour=14), ends_at=in_days(5, hour=15))
    after = only_event(fetch_feed(owner))

    assert before.start == in_days(3)
    assert after.start == in_days(5, hour=14)
    assert after.end == in_days(5, hour=15)
    assert after.sequence > before.sequence
    assert after.uid == before.uid == f"interview-{interview.pk}@second-round"
    assert str(after["SUMMARY"]) == "Round 2 interview: Senior Engineer at Acme"
    assert after["STATUS"] == "CONFIRMED"


def test_a_cancelled_interview_stays_in_the_feed_marked_cancelled_so_calendars_drop_it(owner):
    application = ApplicationFactory(owner=owner)
    interview = interview_schedule(application=application, starts_at=in_days(2), ends_at=in_days(2, 11))
    sequence_before = only_event(fetch_feed(owner)).sequence

    interview_cancel(interview=interview)
    event = only_event(fetch_feed(owner))

    assert event["STATUS"] == "CANCELLED"
    assert event.sequence > sequence_before
    assert str(event["SUMMARY"]).startswith("Cancelled: ")


def test_a_feed_never_shows_another_users_interviews(owner, stranger):
    InterviewFactory(application=ApplicationFactory(owner=owner, role_title="Owner's role"))
    InterviewFactory(application=ApplicationFactory(owner=stranger, role_title="Stranger's role"))

    owners = [str(event["SUMMARY"]) for event in fetch_feed(owner).events]
    strangers = [str(event["SUMMARY"]) for event in fetch_feed(stranger).events]

    assert len(owners) == 1 and "Owner's role" in owners[0]
    assert len(strangers) == 1 and "Stranger's role" in strangers[0]


def test_the_feed_keeps_a_month_of_past_interviews_and_archived_applications(owner):
    recent = InterviewFactory(
        application=ApplicationFactory(owner=owner, role_title="Recent"), starts_at=in_days(-20)
    )
    InterviewFactory(application=ApplicationFactory(owner=owner, role_title="Old"), starts_at=in_days(-40))
    archived = InterviewFactory(
        application=ApplicationFactory(owner=owner, role_title="Archived", archived=True),
        starts_at=in_days(4),
    )

    uids = {event.uid for event in fetch_feed(owner).events}

    assert uids == {f"interview-{recent.pk}@second-round", f"interview-{archived.pk}@second-round"}


def test_the_feed_names_itself_and_asks_to_be_refreshed_hourly(owner):
    calendar = fetch_feed(owner)

    assert calendar["PRODID"] == "-//Second Round//Interviews//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["X-WR-CALNAME"] == "Second Round interviews"
    assert calendar.refresh_interval == dt.timedelta(hours=1)
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"


def test_a_video_link_in_the_location_becomes_the_events_link(owner, settings):
    settings.SITE_URL = "https://secondround.example"
    interview = InterviewFactory(
        application=ApplicationFactory(owner=owner),
        location="Zoom: https://zoom.example/j/123 (code 4455)",
        format=InterviewFormat.VIDEO,
        notes="Ask about the team.",
    )

    event = only_event(fetch_feed(owner))

    assert str(event["LOCATION"]) == "Zoom: https://zoom.example/j/123 (code 4455)"
    assert str(event["URL"]) == "https://zoom.example/j/123"
    assert str(event["DESCRIPTION"]) == (
        "Format: Video\n\n"
        f"Your prep brief: https://secondround.example/interviews/{interview.pk}/prep/\n"
        f"The application: https://secondround.example/applications/{interview.application_id}/\n\n"
        "Notes:\nAsk about the team."
    )


def test_the_event_names_the_people_met_and_the_outcome_once_known(owner):
    interview = InterviewFactory(application=ApplicationFactory(owner=owner), outcome="passed")
    InterviewParticipant.objects.create(interview=interview, name="Dana Smith", role="hiring_manager")
    InterviewParticipant.objects.create(interview=interview, name="Lee Wong", role="interviewer")

    description = str(only_event(fetch_feed(owner))["DESCRIPTION"])

    assert "Meeting: Dana Smith (hiring manager), Lee Wong (interviewer)" in description
    assert "Outcome: Passed" in description


def test_an_office_address_is_a_location_without_a_link(owner):
    InterviewFactory(application=ApplicationFactory(owner=owner), location="1 Main Street, Leeds")

    event = only_event(fetch_feed(owner))

    assert str(event["LOCATION"]) == "1 Main Street, Leeds"
    assert "URL" not in event


def test_commas_semicolons_new_lines_and_markup_arrive_as_typed(owner):
    role = 'Engineer, Platform; "Core" <script>alert(1)</script>'
    notes = "Bring: laptop, ID; portfolio\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Injected"
    InterviewFactory(
        application=ApplicationFactory(
            owner=owner, role_title=role, company=CompanyFactory(owner=owner, name="Smith, Jones & Co")
        ),
        notes=notes,
    )

    raw = Client().get(feed_url(owner)).content.decode()
    event = only_event(Calendar.from_ical(raw))

    # A typed new line must not start a line of its own, or notes could forge events.
    lines = raw.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Injected" not in lines
    assert "Engineer\\, Platform\\; " in raw
    assert str(event["SUMMARY"]) == f"Round 1 interview: {role} at Smith, Jones & Co"
    assert str(event["DESCRIPTION"]).endswith(f"Notes:\n{notes}")


def test_an_unknown_calendar_address_is_not_found(owner):
    InterviewFactory(application=ApplicationFactory(owner=owner))

    response = Client().get(reverse("pipeline:calendar_feed", kwargs={"token": "not-a-real-token"}))

    assert response.status_code == 404


def test_a_deactivated_account_has_no_feed(owner):
    owner.is_active = False
    owner.save()

    assert Client().get(feed_url(owner)).status_code == 404


def test_a_new_address_cuts_off_calendars_using_the_old_one(visitors):
    owner = visitors.owner_user
    old_url = feed_url(owner)

    response = visitors.owner.post(reverse("pipeline:calendar_regenerate"), follow=True)

    owner.refresh_from_db()
    assert response.redirect_chain == [(reverse("accounts:settings"), 302)]
    assert "Your calendar has a new address." in response.content.decode()
    assert feed_url(owner) != old_url
    assert Client().get(old_url).status_code == 404
    assert Client().get(feed_url(owner)).status_code == 200


def test_a_new_address_is_made_only_by_a_signed_in_form_post(visitors):
    url = reverse("pipeline:calendar_regenerate")
    token = visitors.owner_user.calendar_token

    assert visitors.owner.get(url).status_code == 405
    assert_redirects_to_login(visitors.anonymous.post(url))
    visitors.owner_user.refresh_from_db()
    assert visitors.owner_user.calendar_token == token


def test_one_interview_downloads_as_a_calendar_file_for_its_owner_only(visitors):
    application = ApplicationFactory(
        owner=visitors.owner_user, company=CompanyFactory(owner=visitors.owner_user, name="Acme & Sons")
    )
    interview = InterviewFactory(application=application, round_number=2, starts_at=in_days(6))
    url = reverse("pipeline:interview_ics", kwargs={"pk": interview.pk})

    response = assert_only_owner_can_open(visitors, url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="interview-acme-sons-round-2.ics"'
    event = only_event(Calendar.from_ical(response.content))
    assert event.start == in_days(6)
    assert event.uid == f"interview-{interview.pk}@second-round"


def test_the_feed_needs_the_same_queries_for_3_or_30_interviews(owner):
    def count_feed_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(feed_url(owner)).status_code == 200
        return len(queries)

    for _ in range(3):
        InterviewFactory(application=ApplicationFactory(owner=owner))
    with_3 = count_feed_queries()
    for _ in range(27):
        InterviewFactory(application=ApplicationFactory(owner=owner))
    with_30 = count_feed_queries()

    assert len(fetch_feed(owner).events) == 30
    # The owner by token, then the interviews, then the people met at all of them.
    assert with_3 == with_30 == 3


def test_the_settings_card_shows_the_address_and_a_form_to_replace_it(owner):
    request = RequestFactory().get("/accounts/settings/")
    request.user = owner

    card = render_to_string("pipeline/_calendar_settings.html", {"user": owner}, request=request)

    assert f'value="http://testserver/calendar/{owner.calendar_token}.ics"' in card
    assert f'action="{reverse("pipeline:calendar_regenerate")}"' in card
    assert "Make a new address" in card
    # The strict content security policy blocks inline style and script.
    assert "style=" not in card
    assert "onclick" not in card
    assert card.count("<script") == card.count("<script src=")
