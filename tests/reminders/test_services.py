import datetime as dt

import pytest
import time_machine

from apps.journal import services as journal
from apps.pipeline import services as pipeline
from apps.pipeline.models import Application, Stage
from apps.reminders import api, services
from apps.reminders.models import Kind, Reminder, ReminderSettings, Status
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def application(owner):
    return ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)


def _by_kind(**filters) -> dict[str, Reminder]:
    return {reminder.kind: reminder for reminder in Reminder.objects.filter(**filters)}


@time_machine.travel(NOW, tick=False)
def test_an_interview_brings_its_reminders_at_the_right_times(application):
    pipeline.interview_schedule(application=application, starts_at=utc(22, 14), ends_at=utc(22, 15))

    reminders = _by_kind(interview__application=application)
    assert reminders[Kind.PREP_REVIEW].due_at == utc(21, 14)
    assert reminders[Kind.RECRUITER_DEBRIEF].due_at == utc(22, 15)
    assert reminders[Kind.THANK_YOU].due_at == utc(22, 17)
    assert reminders[Kind.REFLECTION_PROMPT].due_at == utc(22, 19)  # 19:00 in London
    assert all(r.status == Status.PENDING and r.owner == application.owner for r in reminders.values())


@time_machine.travel(NOW, tick=False)
def test_scheduling_twice_never_makes_two_reminders_for_one_event(application):
    interview = pipeline.interview_schedule(
        application=application, starts_at=utc(22, 14), ends_at=utc(22, 15)
    )

    api.schedule_about(what="interview", about=interview)
    api.schedule_about(what="interview", about=interview)

    assert Reminder.objects.count() == 4


@time_machine.travel(NOW, tick=False)
def test_rescheduling_moves_the_reminders_still_waiting(application):
    interview = pipeline.interview_schedule(
        application=application, starts_at=utc(22, 14), ends_at=utc(22, 15)
    )

    pipeline.interview_update(interview=interview, starts_at=utc(25, 10), ends_at=utc(25, 11))

    reminders = _by_kind(interview=interview)
    assert reminders[Kind.THANK_YOU].due_at == utc(25, 13)
    assert reminders[Kind.PREP_REVIEW].due_at == utc(24, 10)
    assert Reminder.objects.count() == 4


@time_machine.travel(NOW, tick=False)
def test_cancelling_an_interview_dismisses_its_reminders(application):
    interview = pipeline.interview_schedule(
        application=application, starts_at=utc(22, 14), ends_at=utc(22, 15)
    )

    pipeline.interview_cancel(interview=interview)

    assert set(Reminder.objects.values_list("status", flat=True)) == {Status.DISMISSED}


@time_machine.travel(NOW, tick=False)
def test_closing_or_archiving_an_application_dismisses_its_reminders(owner):
    for move in ("rejected", "archive"):
        application = ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)
        pipeline.interview_schedule(application=application, starts_at=utc(22, 14), ends_at=utc(22, 15))
        if move == "archive":
            pipeline.application_set_archived(application=application, archived=True)
        else:
            pipeline.application_move_stage(application=application, to_stage=Stage.REJECTED)

        statuses = set(Reminder.objects.filter(application=application).values_list("status", flat=True))
        assert statuses == {Status.DISMISSED}, move


@time_machine.travel(NOW, tick=False)
def test_finishing_the_reflection_completes_the_reflection_prompt(application):
    interview = pipeline.interview_schedule(
        application=application, starts_at=utc(19, 14), ends_at=utc(19, 15)
    )

    journal.reflection_save(
        interview=interview, fields={"account": "Went fine"}, base_version=0, finalise=True
    )

    assert _by_kind(interview=interview)[Kind.REFLECTION_PROMPT].status == Status.DONE
    assert _by_kind(interview=interview)[Kind.THANK_YOU].status == Status.PENDING


@time_machine.travel(NOW, tick=False)
def test_an_interview_logged_long_after_it_happened_asks_for_no_thank_you(application):
    pipeline.interview_schedule(application=application, starts_at=utc(1, 14), ends_at=utc(1, 15))

    assert not Reminder.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_switched_off_kinds_are_not_created(owner, application):
    ReminderSettings.objects.create(owner=owner, kinds_off=[Kind.THANK_YOU, Kind.PREP_REVIEW])

    pipeline.interview_schedule(application=application, starts_at=utc(22, 14), ends_at=utc(22, 15))

    assert set(_by_kind()) == {Kind.RECRUITER_DEBRIEF, Kind.REFLECTION_PROMPT}


@time_machine.travel(NOW, tick=False)
def test_a_promised_decision_date_brings_a_follow_up_that_news_cancels(owner):
    application = pipeline.application_create(
        owner=owner, company_name="Acme", role_title="Engineer", decision_expected_on=dt.date(2026, 11, 27)
    )
    follow_up = Reminder.objects.get(kind=Kind.FOLLOW_UP)
    assert follow_up.due_at == utc(28, 9)

    pipeline.application_move_stage(application=application, to_stage=Stage.SECOND_INTERVIEW)

    follow_up.refresh_from_db()
    assert follow_up.status == Status.DISMISSED


@time_machine.travel(NOW, tick=False)
def test_a_new_decision_date_replaces_the_old_follow_up(owner):
    application = pipeline.application_create(
        owner=owner, company_name="Acme", role_title="Engineer", decision_expected_on=dt.date(2026, 11, 27)
    )

    pipeline.application_update(
        application=application,
        company_name="Acme",
        role_title="Engineer",
        decision_expected_on=dt.date(2026, 12, 4),
    )

    waiting = Reminder.objects.filter(kind=Kind.FOLLOW_UP, status=Status.PENDING)
    assert [r.due_at for r in waiting] == [dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)]


def test_a_quiet_application_gets_one_nudge_per_quiet_spell(owner):
    with time_machine.travel(NOW - dt.timedelta(days=20), tick=False):
        application = ApplicationFactory(owner=owner, stage=Stage.APPLIED)
        ApplicationFactory(owner=owner, stage=Stage.REJECTED)

    first = pipeline.nudge_quiet_applications(now=NOW)
    again = pipeline.nudge_quiet_applications(now=NOW + dt.timedelta(hours=1))

    assert (first, again) == (1, 0)
    assert Reminder.objects.get().application == application


def test_an_interview_in_the_last_two_weeks_or_ahead_means_it_is_not_quiet(owner):
    with time_machine.travel(NOW - dt.timedelta(days=20), tick=False):
        interviewed = ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)
        booked = ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)
        cancelled = ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)
        long_ago = ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)
    # Rows written straight, as a sync would: nothing touches the applications' updated_at.
    InterviewFactory(application=interviewed, starts_at=NOW - dt.timedelta(days=1))
    InterviewFactory(application=booked, starts_at=NOW + dt.timedelta(days=5))
    InterviewFactory(application=cancelled, starts_at=NOW - dt.timedelta(days=1), cancelled_at=NOW)
    InterviewFactory(application=long_ago, starts_at=NOW - dt.timedelta(days=19))
    Application.objects.filter(owner=owner).update(updated_at=NOW - dt.timedelta(days=20))

    pipeline.nudge_quiet_applications(now=NOW)

    nudged = set(Reminder.objects.filter(kind=Kind.NUDGE).values_list("application_id", flat=True))
    assert nudged == {cancelled.pk, long_ago.pk}


def test_snoozing_asks_again_tomorrow_but_a_done_reminder_cannot_be_snoozed(owner, application):
    reminder = Reminder.objects.create(
        owner=owner,
        kind=Kind.NUDGE,
        due_at=NOW,
        next_try_at=NOW,
        application=application,
        dedupe_key="k",
        status=Status.SENT,
        sent_at=NOW,
    )

    services.reminder_snooze(reminder=reminder, now=NOW)
    assert (reminder.status, reminder.due_at) == (Status.SNOOZED, NOW + dt.timedelta(days=1))
    services.reminder_mark_done(reminder=reminder)
    with pytest.raises(services.ReminderClosed):
        services.reminder_snooze(reminder=reminder)
    reminder.refresh_from_db()
    assert reminder.status == Status.DONE
