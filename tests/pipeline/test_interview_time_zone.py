"""An interview's time in the zone it was agreed in: a call with New York from London."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from apps.pipeline.models import Interview
from tests.pipeline.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _in_london(owner):
    owner.time_zone = "Europe/London"
    owner.save(update_fields=["time_zone"])
    with time_machine.travel(NOW, tick=False):
        yield


def schedule(client, application, **fields):
    data = {
        "round_number": 1,
        "date": "2026-11-20",
        "start_time": "14:00",
        "end_time": "15:00",
        "format": "video",
    }
    return client.post(reverse("pipeline:interview_create", args=[application.pk]), {**data, **fields})


def test_times_given_in_their_zone_are_kept_as_that_moment(visitors, owner):
    application = ApplicationFactory(owner=owner)

    answer = schedule(visitors.owner, application, time_zone="America/New_York")

    interview = Interview.objects.get(application=application)
    assert answer.status_code == 302
    assert interview.starts_at == dt.datetime(2026, 11, 20, 14, 0, tzinfo=NEW_YORK)
    assert interview.time_zone == "America/New_York"


def test_the_page_shows_my_time_and_theirs(visitors, owner):
    application = ApplicationFactory(owner=owner)
    schedule(visitors.owner, application, time_zone="America/New_York")

    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()

    assert "Friday 20 November 2026, 19:00" in page  # London
    assert "14:00\N{EN DASH}15:00 in New York" in page


def test_left_as_mine_the_times_are_mine_and_nothing_else_is_shown(visitors, owner):
    application = ApplicationFactory(owner=owner)
    schedule(visitors.owner, application, time_zone="")

    interview = Interview.objects.get(application=application)
    page = visitors.owner.get(reverse("pipeline:application_detail", args=[application.pk])).content.decode()
    assert interview.starts_at == dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC)
    assert " in New York" not in page


def test_the_edit_form_shows_the_times_in_their_zone(visitors, owner):
    application = ApplicationFactory(owner=owner)
    schedule(visitors.owner, application, time_zone="America/New_York")
    interview = Interview.objects.get(application=application)

    form = visitors.owner.get(reverse("pipeline:interview_edit", args=[interview.pk])).content.decode()

    assert 'value="14:00"' in form and 'value="15:00"' in form
    assert '<option value="America/New_York" selected>' in form


def test_a_zone_that_does_not_exist_is_refused_and_the_form_kept(visitors, owner):
    application = ApplicationFactory(owner=owner)

    answer = schedule(visitors.owner, application, time_zone="Mars/Olympus", location="Zoom link")

    assert answer.status_code == 400
    assert "Choose a time zone from the list" in answer.content.decode()
    assert 'value="Zoom link"' in answer.content.decode()
    assert not Interview.objects.exists()
