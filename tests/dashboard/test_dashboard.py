import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services as contacts
from apps.dashboard import selectors
from apps.journal import services as journal
from apps.pipeline import services as pipeline
from apps.pipeline.models import Application, Interview, Stage, StageChange
from apps.reminders.models import Kind, Reminder
from tests.contacts.factories import ContactFactory
from tests.helpers import confirm_email, count_queries
from tests.pipeline.factories import ApplicationFactory, CompanyFactory, InterviewFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _application(owner, stage=Stage.APPLIED, *, days_ago=0, company="Acme", **fields):
    with time_machine.travel(NOW - dt.timedelta(days=days_ago), tick=False):
        application = pipeline.application_create(
            owner=owner, company_name=company, role_title=fields.pop("role_title", "Engineer"), **fields
        )
    if stage != Stage.APPLIED:
        pipeline.application_move_stage(
            application=application,
            to_stage=stage,
            now=NOW - dt.timedelta(days=days_ago) + dt.timedelta(days=2),
        )
    return application


@time_machine.travel(NOW, tick=False)
def test_the_next_interview_comes_first_with_its_readiness_and_last_rounds_notes(owner):
    application = _application(owner, Stage.SECOND_INTERVIEW, days_ago=10)
    first = pipeline.interview_schedule(
        application=application,
        starts_at=NOW - dt.timedelta(days=5),
        ends_at=NOW - dt.timedelta(days=5, hours=-1),
    )
    journal.reflection_save(interview=first, fields={"went_well": "Design"}, base_version=0, finalise=True)
    second = pipeline.interview_schedule(
        application=application,
        starts_at=NOW + dt.timedelta(days=2),
        ends_at=NOW + dt.timedelta(days=2, hours=1),
    )
    later = pipeline.interview_schedule(
        application=_application(owner, company="Globex"),
        starts_at=NOW + dt.timedelta(days=9),
        ends_at=NOW + dt.timedelta(days=9, hours=1),
    )

    board = selectors.dashboard(user=owner, now=NOW)

    assert board.next_interview == second
    assert [i.pk for i in board.upcoming] == [second.pk, later.pk]
    assert board.previous_reflection.interview == first
    assert board.next_readiness is None  # no prep plan opened yet


@time_machine.travel(NOW, tick=False)
def test_today_lists_due_reminders_past_interviews_to_reflect_on_and_referees_to_warn(owner):
    application = _application(owner, days_ago=3)
    ended = pipeline.interview_schedule(
        application=application, starts_at=NOW - dt.timedelta(hours=5), ends_at=NOW - dt.timedelta(hours=4)
    )
    referee = ContactFactory(owner=owner, kind="referee", name="Rosa Referee")
    contacts.reference_add(application=application, referee=referee)
    pipeline.application_move_stage(application=application, to_stage=Stage.SECOND_INTERVIEW)

    board = selectors.dashboard(user=owner, now=NOW)

    assert {r.kind for r in board.due} >= {Kind.THANK_YOU, Kind.RECRUITER_DEBRIEF}
    assert board.awaiting_reflection == [ended]
    assert [r.referee.name for r in board.references_to_warn] == ["Rosa Referee"]


@time_machine.travel(NOW, tick=False)
def test_the_funnel_counts_how_far_applications_got_and_the_conversion(owner):
    _application(owner, Stage.SCREENING, days_ago=20, company="A")
    _application(owner, Stage.SECOND_INTERVIEW, days_ago=20, company="B")
    _application(owner, Stage.REJECTED, days_ago=20, company="C")  # applied, then closed
    _application(owner, Stage.OFFER, days_ago=20, company="D")

    funnel = {step.stage: step for step in selectors.dashboard(user=owner, now=NOW).glance.funnel}

    assert funnel[Stage.APPLIED].reached == 4
    assert funnel[Stage.SCREENING].reached == 3
    assert funnel[Stage.SECOND_INTERVIEW].reached == 2
    assert funnel[Stage.OFFER].reached == 1
    assert funnel[Stage.APPLIED].conversion == 75
    assert funnel[Stage.OFFER].conversion is None


@time_machine.travel(NOW, tick=False)
def test_quiet_applications_are_listed_and_do_not_count_as_moving(owner):
    quiet = _application(owner, days_ago=30)
    Application.objects.filter(pk=quiet.pk).update(updated_at=NOW - dt.timedelta(days=20))

    glance = selectors.dashboard(user=owner, now=NOW).glance

    assert glance.stale == [Application.objects.get(pk=quiet.pk)]
    assert "Nothing is moving right now" in glance.keep_searching


@time_machine.travel(NOW, tick=False)
def test_one_application_moving_beside_a_quiet_one_means_keep_searching(owner):
    quiet = _application(owner, days_ago=30)
    Application.objects.filter(pk=quiet.pk).update(updated_at=NOW - dt.timedelta(days=20))
    _application(owner, Stage.SCREENING, days_ago=3)

    assert "Only one application is moving" in selectors.dashboard(user=owner, now=NOW).glance.keep_searching


@time_machine.travel(NOW, tick=False)
def test_an_application_with_an_interview_yesterday_has_not_gone_quiet(owner):
    busy = _application(owner, Stage.FIRST_INTERVIEW, days_ago=30)
    InterviewFactory(application=busy, starts_at=NOW - dt.timedelta(days=1))
    Application.objects.filter(pk=busy.pk).update(updated_at=NOW - dt.timedelta(days=20))

    assert selectors.dashboard(user=owner, now=NOW).glance.stale == []


@time_machine.travel(NOW, tick=False)
def test_with_nothing_moving_it_does_not_say_one_is(owner):
    closed = _application(owner, Stage.REJECTED, days_ago=30)

    glance = selectors.dashboard(user=owner, now=NOW).glance

    assert glance.active == 0 and closed.stage == Stage.REJECTED
    assert "Nothing is moving right now." in glance.keep_searching
    assert "Only one" not in glance.keep_searching


def test_a_new_user_is_walked_to_their_first_application(visitors):
    page = visitors.owner.get("/").content.decode()

    assert "Let&#x27;s set up your search" in page or "Let's set up your search" in page
    assert reverse("pipeline:application_create") in page


def test_another_users_data_never_shows_on_the_dashboard(visitors):
    theirs = ApplicationFactory(
        owner=visitors.stranger_user, company=CompanyFactory(owner=visitors.stranger_user, name="Secret Corp")
    )
    soon = timezone.now() + dt.timedelta(days=1)
    InterviewFactory(application=theirs, starts_at=soon, ends_at=soon + dt.timedelta(hours=1))
    ApplicationFactory(owner=visitors.owner_user)

    page = visitors.owner.get("/").content.decode()

    assert "Secret Corp" not in page


def test_one_click_follow_up_on_a_stale_application(visitors):
    application = ApplicationFactory(owner=visitors.owner_user)

    response = visitors.owner.post(reverse("dashboard_follow_up", args=[application.pk]))
    again = visitors.owner.post(reverse("dashboard_follow_up", args=[application.pk]))
    stranger = visitors.stranger.post(reverse("dashboard_follow_up", args=[application.pk]))

    assert response.status_code == again.status_code == 302
    assert stranger.status_code == 404
    assert Reminder.objects.filter(application=application, kind=Kind.FOLLOW_UP).count() == 1


def _busy_user(user, applications: int) -> None:
    """A pipeline with history, interviews round the clock, reflections and reminders."""
    confirm_email(user)
    company = CompanyFactory(owner=user, name=f"Company of {user.pk}")
    now = timezone.now()
    stages = list(Stage)
    rows = Application.objects.bulk_create(
        Application(
            owner=user,
            company=company,
            role_title=f"Role {n}",
            stage=stages[n % len(stages)],
            stage_changed_at=now - dt.timedelta(days=n % 30),
        )
        for n in range(applications)
    )
    Application.objects.filter(owner=user).update(updated_at=now - dt.timedelta(days=20))
    StageChange.objects.bulk_create(
        StageChange(application=a, from_stage="", to_stage=a.stage, changed_at=a.stage_changed_at)
        for a in rows
    )
    interviews = Interview.objects.bulk_create(
        Interview(
            application=a,
            starts_at=now + dt.timedelta(hours=(n * 7) % 48 - 24),
            ends_at=now + dt.timedelta(hours=(n * 7) % 48 - 23),
        )
        for n, a in enumerate(rows)
    )
    for interview in interviews[:3]:
        journal.reflection_save(interview=interview, fields={"mistakes": ["rambled"]}, base_version=0)
    Reminder.objects.bulk_create(
        Reminder(
            owner=user, kind=Kind.NUDGE, due_at=now, next_try_at=now, application=a, dedupe_key=f"q:{a.pk}"
        )
        for a in rows
    )


def test_the_dashboard_costs_the_same_queries_at_10_and_2000_applications(visitors):
    _busy_user(visitors.stranger_user, 10)
    _busy_user(visitors.owner_user, 2000)

    small = count_queries(visitors.stranger, "/")
    large = count_queries(visitors.owner, "/")

    print(f"\ndashboard: {small} queries at 10 applications, {large} at 2,000")
    assert small == large
    # Each is cut to what is shown: two read the reminders due and those that failed, two the
    # interviews to reflect on and those coming, and two count the funnel and the fastest answers.
    assert large <= 15


def _due(owner, kind, *, at, **about) -> Reminder:
    return Reminder.objects.create(
        owner=owner,
        kind=kind,
        due_at=at,
        next_try_at=at,
        dedupe_key=f"{kind}:{at.isoformat()}:{about}",
        **about,
    )


@time_machine.travel(NOW, tick=False)
def test_a_task_left_from_an_earlier_day_is_marked_overdue_and_todays_is_not(visitors):
    owner = visitors.owner_user
    application = _application(owner, days_ago=5)
    yesterday = _due(owner, Kind.FOLLOW_UP, at=NOW - dt.timedelta(days=1), application=application)
    this_morning = _due(owner, Kind.NUDGE, at=NOW.replace(hour=0, minute=30), application=application)

    due = {reminder.pk: reminder.overdue for reminder in selectors.dashboard(user=owner, now=NOW).due}
    page = visitors.owner.get(reverse("home")).content.decode()
    reminders_page = visitors.owner.get(reverse("reminders:reminders")).content.decode()

    assert due == {yesterday.pk: True, this_morning.pk: False}
    for html in (page, reminders_page):
        assert html.count("reminder-overdue") == 1
        assert html.count(">Overdue<") == 1


@time_machine.travel(NOW, tick=False)
def test_overdue_means_before_today_began_where_the_person_lives(owner):
    owner.time_zone = "Pacific/Auckland"  # already the 20th's evening there: 23:00
    owner.save(update_fields=["time_zone"])
    application = _application(owner, days_ago=5)
    # 09:00 UTC on the 20th is 22:00 there: earlier today, not an earlier day.
    earlier_today = _due(owner, Kind.FOLLOW_UP, at=NOW - dt.timedelta(hours=1), application=application)
    # 10:00 UTC on the 19th is 23:00 on the 19th there: yesterday.
    yesterday = _due(owner, Kind.NUDGE, at=NOW - dt.timedelta(days=1), application=application)

    with timezone.override(owner.zone):
        due = {reminder.pk: reminder.overdue for reminder in selectors.dashboard(user=owner, now=NOW).due}

    assert due == {earlier_today.pk: False, yesterday.pk: True}


@time_machine.travel(NOW, tick=False)
def test_a_reminder_the_page_already_shows_as_a_section_is_not_listed_twice(owner):
    application = _application(owner, days_ago=3)
    ended = pipeline.interview_schedule(
        application=application, starts_at=NOW - dt.timedelta(hours=5), ends_at=NOW - dt.timedelta(hours=4)
    )
    referee = ContactFactory(owner=owner, kind="referee", name="Rosa Referee")
    contacts.reference_add(application=application, referee=referee)
    pipeline.application_move_stage(application=application, to_stage=Stage.SECOND_INTERVIEW)
    _due(owner, Kind.REFLECTION_PROMPT, at=NOW - dt.timedelta(hours=1), interview=ended)
    _due(owner, Kind.REFERENCE_HEADS_UP, at=NOW - dt.timedelta(hours=1), application=application)
    elsewhere = _application(owner, days_ago=3, company="Elsewhere")
    other = _due(owner, Kind.REFERENCE_HEADS_UP, at=NOW - dt.timedelta(hours=1), application=elsewhere)

    board = selectors.dashboard(user=owner, now=NOW)

    assert board.awaiting_reflection == [ended]
    assert [r.referee.name for r in board.references_to_warn] == ["Rosa Referee"]
    kinds = [(r.kind, r.pk) for r in board.due]
    assert Kind.REFLECTION_PROMPT not in {kind for kind, _ in kinds}
    # The heads-up for an application with no referee in the section stays in the list.
    assert [pk for kind, pk in kinds if kind == Kind.REFERENCE_HEADS_UP] == [other.pk]


def test_a_new_account_is_told_its_reminders_wait_for_the_email_confirmation(visitors):
    before = visitors.owner.get(reverse("home")).content.decode()
    confirm_email(visitors.owner_user)
    after = visitors.owner.get(reverse("home")).content.decode()

    assert "Your reminders are waiting for you to confirm your email address" in before
    assert "Your reminders are waiting" not in after
