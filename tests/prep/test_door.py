"""The page for the minute before walking in: when, where, who, three lessons, three questions."""

import datetime as dt
import html
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services as contacts
from apps.journal import services as journal
from apps.prep import services
from apps.prep.models import PrepPlan
from tests.contacts.factories import ContactFactory
from tests.helpers import assert_only_owner_can_open, count_queries
from tests.journal.factories import LessonFactory
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TO = "\N{EN DASH}"  # between the start and the end of an interview


def _next_week_at(hour: int, zone: zoneinfo.ZoneInfo = LONDON) -> dt.datetime:
    day = timezone.now().astimezone(zone).date() + dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


@pytest.fixture
def round_two(owner):
    """Round two on site next week, after a round one whose reflection left two lessons."""
    application = ApplicationFactory(
        owner=owner, company=CompanyFactory(owner=owner, name="Kestrel Energy"), role_title="Data Engineer"
    )
    last_week = timezone.now() - dt.timedelta(days=7)
    first = InterviewFactory(
        application=application, starts_at=last_week, ends_at=last_week + dt.timedelta(hours=1)
    )
    reflection = journal.reflection_save(interview=first, base_version=0, fields={"went_well": "Rapport"})
    starts = _next_week_at(10)
    second = InterviewFactory(
        application=application,
        round_number=2,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        format="on_site",
        location="Kestrel Energy, 4 Dock Road, Leeds",
    )
    # A lesson from another search, written later: this job's own come first all the same.
    journal.lesson_create(owner=owner, text="Pause before answering", reflection=reflection)
    journal.lesson_create(owner=owner, text="Bring numbers for every story", reflection=reflection)
    LessonFactory(owner=owner, text="Check the route the night before")
    LessonFactory(owner=owner, text="Ask about the team's on-call")
    for name, kind in (("Ines Colleague", "colleague"), ("Hal Manager", "hiring_manager")):
        contacts.interview_add_participant(
            interview=second, contact=ContactFactory(owner=owner, name=name, kind=kind)
        )
    plan = services.plan_for(interview=second)
    for text in ("What does the first month look like?", "Who would I work with most?", "Why now?", "And?"):
        services.plan_add_question(plan=plan, text=text)
    return second


def _door(client, interview) -> str:
    response = client.get(reverse("prep:door", args=[interview.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _words(page: str) -> str:
    """What a person reads: the page without its tags, spaces run together."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(f" {TO}", TO)


def test_the_door_page_shows_when_where_who_and_what_to_remember(visitors, round_two):
    page = _door(visitors.owner, round_two)
    words = _words(page)

    assert f"10:00{TO}12:00" in words
    assert "Kestrel Energy, 4 Dock Road, Leeds" in words
    map_search = "https://www.google.com/maps/search/?api=1&amp;query=Kestrel+Energy%2C+4+Dock+Road%2C+Leeds"
    assert f'href="{map_search}"' in page
    # The hiring manager first, whatever order they were added in.
    assert page.index("Hal Manager") < page.index("Ines Colleague")
    assert "Hiring manager" in page
    assert "Potential colleague" in page
    # Three lessons, this job's two before the newest of the others.
    assert "Pause before answering" in page
    assert "Bring numbers for every story" in page
    assert "Ask about the team's on-call" in words
    assert "Check the route the night before" not in page
    # Three questions of four, and a way to the rest.
    assert "What does the first month look like?" in page
    assert "Why now?" in page
    assert "And?" not in page
    assert "+1 more in" in page


def test_the_door_page_opens_only_for_its_owner(visitors, round_two):
    assert_only_owner_can_open(visitors, reverse("prep:door", args=[round_two.pk]))


def test_a_meeting_link_is_one_tap_to_join_and_no_map(visitors, owner):
    interview = InterviewFactory(
        application__owner=owner, location="Zoom: https://meet.example/r2?pwd=abc, passcode 1234"
    )

    page = _door(visitors.owner, interview)

    assert '<a class="btn btn-primary w-100 mt-2" href="https://meet.example/r2?pwd=abc"' in page
    assert "Join the call" in page
    assert "passcode 1234" in page
    assert "Open it on a map" not in page


def test_a_phone_interview_offers_no_map_for_its_note(visitors, owner):
    interview = InterviewFactory(
        application__owner=owner, format="phone", location="They will call my mobile"
    )

    page = _door(visitors.owner, interview)

    assert "They will call my mobile" in page
    assert "Open it on a map" not in page


def test_an_interview_agreed_in_another_zone_shows_both_times(visitors, owner):
    new_york = zoneinfo.ZoneInfo("America/New_York")
    starts = _next_week_at(10, new_york)
    interview = InterviewFactory(
        application__owner=owner,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        time_zone="America/New_York",
    )

    words = _words(_door(visitors.owner, interview))

    in_london = starts.astimezone(LONDON)
    assert f"{in_london:%H:%M}{TO}{in_london + dt.timedelta(hours=1):%H:%M}" in words
    assert "(your time)" in words
    assert f"Their time: 10:00{TO}11:00 in New York" in words


def test_an_empty_door_page_says_what_to_do(visitors, owner):
    interview = InterviewFactory(application__owner=owner)

    page = _door(visitors.owner, interview)

    assert "No place or link saved yet." in page
    assert "ask for their names when you arrive" in page
    assert "Pick three" in page


def test_opening_the_door_page_changes_nothing(visitors, owner):
    interview = InterviewFactory(application__owner=owner)

    _door(visitors.owner, interview)

    assert not PrepPlan.objects.filter(interview=interview).exists()


def test_the_brief_links_to_the_door_page(visitors, round_two):
    page = visitors.owner.get(reverse("prep:brief", args=[round_two.pk])).content.decode()

    assert f'href="{reverse("prep:door", args=[round_two.pk])}"' in page


def test_the_door_page_costs_the_same_queries_with_a_bigger_panel_and_more_lessons(
    visitors, owner, round_two, django_assert_max_num_queries
):
    url = reverse("prep:door", args=[round_two.pk])
    small = count_queries(visitors.owner, url)

    for n in range(8):
        contacts.interview_add_participant(
            interview=round_two, contact=ContactFactory(owner=owner, name=f"Panel {n}", kind="interviewer")
        )
        LessonFactory(owner=owner)
        services.plan_add_question(plan=services.plan_for(interview=round_two), text=f"Question {n}?")

    assert count_queries(visitors.owner, url) == small
    with django_assert_max_num_queries(small):
        _door(visitors.owner, round_two)
