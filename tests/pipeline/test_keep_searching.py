"""Keep searching: a weekly reminder while fewer than two applications are moving."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.pipeline import services as pipeline
from apps.pipeline.keep_searching import plan_weekly_reminders, pulse
from apps.pipeline.models import Application, Stage
from apps.reminders import emails
from apps.reminders.models import Kind, Reminder, ReminderSettings
from tests.accounts.factories import UserFactory
from tests.helpers import Visitors
from tests.pipeline.factories import InterviewFactory

# A Monday morning in Europe/London.
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def _application(owner, stage=Stage.APPLIED, *, quiet_days=0, company="Acme", role="Engineer"):
    """An application last touched `quiet_days` ago."""
    with time_machine.travel(NOW - dt.timedelta(days=quiet_days + 3), tick=False):
        application = pipeline.application_create(owner=owner, company_name=company, role_title=role)
    if stage != Stage.APPLIED:
        pipeline.application_move_stage(
            application=application, to_stage=stage, now=NOW - dt.timedelta(days=quiet_days + 2)
        )
    Application.objects.filter(pk=application.pk).update(updated_at=NOW - dt.timedelta(days=quiet_days))
    return application


def _weekly(owner) -> list[Reminder]:
    return list(Reminder.objects.filter(owner=owner, kind=Kind.KEEP_SEARCHING))


@pytest.fixture
def seeker(db):
    return UserFactory(email="seeker@example.com", time_zone="Europe/London")


@time_machine.travel(NOW, tick=False)
def test_one_application_moving_and_one_quiet_brings_the_weeks_reminder(seeker):
    _application(seeker, Stage.SCREENING, quiet_days=2)
    _application(seeker, quiet_days=20, company="Globex")

    assert plan_weekly_reminders(now=NOW) == 1

    [reminder] = _weekly(seeker)
    assert reminder.application_id is None and reminder.dedupe_key.endswith(":2026-W50")


@time_machine.travel(NOW, tick=False)
def test_two_moving_applications_bring_nothing(seeker):
    _application(seeker, Stage.SCREENING, quiet_days=2)
    _application(seeker, Stage.FIRST_INTERVIEW, quiet_days=5, company="Globex")

    assert plan_weekly_reminders(now=NOW) == 0


@time_machine.travel(NOW, tick=False)
def test_an_interview_counts_as_movement_even_when_nothing_was_edited(seeker):
    _application(seeker, Stage.SCREENING, quiet_days=2)
    interviewed = _application(seeker, Stage.FIRST_INTERVIEW, quiet_days=20, company="Globex")
    InterviewFactory(application=interviewed, starts_at=NOW - dt.timedelta(days=1))
    Application.objects.filter(pk=interviewed.pk).update(updated_at=NOW - dt.timedelta(days=20))

    assert pulse(user=seeker, now=NOW).moving == 2
    assert plan_weekly_reminders(now=NOW) == 0


@time_machine.travel(NOW, tick=False)
def test_the_job_runs_every_hour_but_the_reminder_comes_once_a_week(seeker):
    _application(seeker, quiet_days=20)

    made = [plan_weekly_reminders(now=NOW + dt.timedelta(hours=hour)) for hour in range(0, 24 * 6, 7)]
    next_week = plan_weekly_reminders(now=NOW + dt.timedelta(days=7))

    assert sum(made) == 1 and next_week == 1
    assert len(_weekly(seeker)) == 2


@time_machine.travel(NOW, tick=False)
def test_nobody_with_an_accepted_offer_or_nothing_on_file_is_told_to_keep_searching(seeker):
    _application(seeker, Stage.ACCEPTED, quiet_days=20)
    _application(seeker, quiet_days=20, company="Globex")
    UserFactory(email="new@example.com")

    assert plan_weekly_reminders(now=NOW) == 0


@time_machine.travel(NOW, tick=False)
def test_a_person_who_switched_it_off_gets_none(seeker):
    _application(seeker, quiet_days=20)
    ReminderSettings.objects.create(owner=seeker, kinds_off=[Kind.KEEP_SEARCHING])

    assert plan_weekly_reminders(now=NOW) == 0


@time_machine.travel(NOW, tick=False)
def test_another_persons_moving_applications_do_not_count_for_this_one(seeker):
    other = UserFactory(email="busy@example.com")
    for company in ("A", "B", "C"):
        _application(other, Stage.SCREENING, quiet_days=1, company=company)
    _application(seeker, Stage.SCREENING, quiet_days=1)

    assert plan_weekly_reminders(now=NOW) == 1
    assert [reminder.owner for reminder in Reminder.objects.filter(kind=Kind.KEEP_SEARCHING)] == [seeker]


@time_machine.travel(NOW, tick=False)
def test_the_job_reads_the_same_number_of_queries_for_three_people_or_thirty(db):
    def people(count: int, start: int) -> None:
        for number in range(start, start + count):
            _application(UserFactory(email=f"p{number}@example.com"), quiet_days=20)

    people(3, 0)
    with CaptureQueriesContext(connection) as few:
        plan_weekly_reminders(now=NOW)
    people(27, 3)
    with CaptureQueriesContext(connection) as many:
        assert plan_weekly_reminders(now=NOW) == 27

    assert len(many) == len(few)


@time_machine.travel(NOW, tick=False)
def test_the_email_lists_the_quiet_ones_each_with_its_next_step(seeker, settings):
    settings.SITE_URL = "https://secondround.example"
    _application(seeker, Stage.SCREENING, quiet_days=2, company="Moving Co")
    _application(seeker, quiet_days=20, company="Globex", role="Data Engineer")
    _application(seeker, Stage.FINAL_ROUND, quiet_days=30, company="Initech", role="Platform Lead")
    plan_weekly_reminders(now=NOW)
    [reminder] = _weekly(seeker)

    message = emails.build(reminder)

    assert message.subject == "Only one application is moving: two steps for this week"
    body = message.body
    assert body.startswith("Only one application is moving right now.")
    # The longest quiet first, each with the step its stage calls for.
    assert body.index("Platform Lead at Initech") < body.index("Data Engineer at Globex")
    assert "Ask when they expect to decide, and say again that you want the role." in body
    assert "a short, polite check-in with the recruiter" in body
    assert "Moving Co" not in body
    assert "https://secondround.example/keep-searching/" in body
    assert "https://secondround.example/applications/new/" in body


@time_machine.travel(NOW, tick=False)
def test_the_page_says_what_is_moving_and_what_to_chase(visitors: Visitors):
    owner = visitors.owner_user
    _application(owner, quiet_days=20, company="Globex")

    page = visitors.owner.get(reverse("pipeline:keep_searching")).content.decode()
    strangers = visitors.stranger.get(reverse("pipeline:keep_searching")).content.decode()

    assert "Nothing in your search is moving right now." in page and "Globex" in page
    assert "Globex" not in strangers
    assert visitors.anonymous.get(reverse("pipeline:keep_searching")).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_the_reminder_opens_the_keep_searching_page(seeker):
    _application(seeker, quiet_days=20)
    plan_weekly_reminders(now=NOW)

    assert _weekly(seeker)[0].page_path == reverse("pipeline:keep_searching")
