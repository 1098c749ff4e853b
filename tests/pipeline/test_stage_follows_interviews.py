"""The stage follows the interviews, and a rescheduled interview brings its reminders back."""

import datetime as dt

import pytest
import time_machine

from apps.contacts import services as contacts
from apps.pipeline import services
from apps.pipeline.models import Stage, StageChange
from apps.reminders.models import Kind, Reminder, Status
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def application_at(owner, stage, company="Acme"):
    application = services.application_create(owner=owner, company_name=company, role_title="Engineer")
    if stage != Stage.APPLIED:
        services.application_move_stage(application=application, to_stage=stage)
    return application


def book(application, *, days=3, round_number=None):
    start = NOW + dt.timedelta(days=days)
    return services.interview_schedule(
        application=application,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        round_number=round_number,
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "stage, round_number, expected",
    [
        (Stage.APPLIED, 1, Stage.FIRST_INTERVIEW),
        (Stage.SCREENING, 1, Stage.FIRST_INTERVIEW),
        (Stage.FIRST_INTERVIEW, 2, Stage.SECOND_INTERVIEW),
        (Stage.APPLIED, 2, Stage.SECOND_INTERVIEW),
        (Stage.SCREENING, 3, Stage.SECOND_INTERVIEW),
        # Already as far, or further: left where it is.
        (Stage.FIRST_INTERVIEW, 1, Stage.FIRST_INTERVIEW),
        (Stage.FINAL_ROUND, 2, Stage.FINAL_ROUND),
        (Stage.OFFER, 1, Stage.OFFER),
        # Closed: booking an interview does not reopen it on its own.
        (Stage.REJECTED, 2, Stage.REJECTED),
    ],
)
def test_booking_a_round_moves_an_application_that_is_behind(owner, stage, round_number, expected):
    application = application_at(owner, stage)

    book(application, round_number=round_number)

    application.refresh_from_db()
    assert application.stage == expected


@time_machine.travel(NOW, tick=False)
def test_the_move_says_why_in_the_history(owner):
    application = application_at(owner, Stage.FIRST_INTERVIEW)

    book(application, days=4, round_number=2)

    latest = StageChange.objects.filter(application=application).latest("changed_at", "pk")
    assert (latest.from_stage, latest.to_stage, latest.note) == (
        Stage.FIRST_INTERVIEW,
        Stage.SECOND_INTERVIEW,
        "Round 2 booked for 24 Nov.",
    )


@time_machine.travel(NOW, tick=False)
def test_booking_round_two_gives_the_referees_their_heads_up(owner):
    application = application_at(owner, Stage.FIRST_INTERVIEW)
    contacts.reference_add(application=application, referee=ContactFactory(owner=owner, kind="referee"))

    book(application, round_number=2)

    assert Reminder.objects.filter(application=application, kind=Kind.REFERENCE_HEADS_UP).exists()


def _prep_review(interview) -> Reminder:
    return Reminder.objects.get(interview=interview, kind=Kind.PREP_REVIEW)


@time_machine.travel(NOW, tick=False)
def test_a_rescheduled_interview_brings_back_a_prep_review_already_sent(owner):
    interview = book(application_at(owner, Stage.FIRST_INTERVIEW), days=1)
    Reminder.objects.filter(pk=_prep_review(interview).pk).update(status=Status.SENT, sent_at=NOW)
    later = NOW + dt.timedelta(days=8)

    services.interview_update(interview=interview, starts_at=later, ends_at=later + dt.timedelta(hours=1))

    review = _prep_review(interview)
    assert review.status == Status.PENDING
    assert review.sent_at is None and review.attempts == 0
    assert review.due_at > NOW + dt.timedelta(days=6)


@time_machine.travel(NOW, tick=False)
def test_a_prep_review_marked_done_comes_back_for_the_new_date_too(owner):
    interview = book(application_at(owner, Stage.FIRST_INTERVIEW), days=1)
    Reminder.objects.filter(pk=_prep_review(interview).pk).update(status=Status.DONE, closed_at=NOW)
    later = NOW + dt.timedelta(days=8)

    services.interview_update(interview=interview, starts_at=later, ends_at=later + dt.timedelta(hours=1))

    assert _prep_review(interview).status == Status.PENDING


@time_machine.travel(NOW, tick=False)
def test_a_reminder_being_sent_right_now_is_left_to_its_sender(owner):
    interview = book(application_at(owner, Stage.FIRST_INTERVIEW), days=1)
    Reminder.objects.filter(pk=_prep_review(interview).pk).update(status=Status.SENDING)
    later = NOW + dt.timedelta(days=8)

    services.interview_update(interview=interview, starts_at=later, ends_at=later + dt.timedelta(hours=1))

    assert _prep_review(interview).status == Status.SENDING


@time_machine.travel(NOW, tick=False)
def test_an_edit_that_keeps_the_time_brings_nothing_back(owner):
    interview = book(application_at(owner, Stage.FIRST_INTERVIEW), days=1)
    Reminder.objects.filter(pk=_prep_review(interview).pk).update(status=Status.DONE, closed_at=NOW)

    services.interview_update(
        interview=interview, starts_at=interview.starts_at, ends_at=interview.ends_at, location="Room 4"
    )

    assert _prep_review(interview).status == Status.DONE


def test_rearming_only_looks_ahead(owner):
    with time_machine.travel(NOW, tick=False):
        interview = book(application_at(owner, Stage.FIRST_INTERVIEW), days=1)
        Reminder.objects.filter(interview=interview).update(status=Status.DONE, closed_at=NOW)
    # Moved to a time already past (a correction after the fact): nothing to remind of any more.
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        earlier = NOW + dt.timedelta(days=2)
        services.interview_update(
            interview=interview, starts_at=earlier, ends_at=earlier + dt.timedelta(hours=1)
        )

    assert set(Reminder.objects.filter(interview=interview).values_list("status", flat=True)) == {Status.DONE}
