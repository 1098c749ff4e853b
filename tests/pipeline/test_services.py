import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.pipeline import services
from apps.pipeline.models import Application, Company, Interview, Stage, StageChange
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)


def _at(days: float) -> dt.datetime:
    return NOON + dt.timedelta(days=days)


@time_machine.travel(NOON, tick=False)
def test_creating_an_application_records_where_it_started(owner):
    application = services.application_create(
        owner=owner, company_name="  Acme   Robotics ", role_title="Platform Engineer", stage=Stage.SCREENING
    )

    assert application.company.name == "Acme Robotics"
    assert application.stage_changed_at == NOON
    history = list(application.stage_changes.values_list("from_stage", "to_stage", "changed_at"))
    assert history == [("", Stage.SCREENING, NOON)]


def test_the_same_company_typed_differently_is_one_company(owner):
    services.application_create(owner=owner, company_name="Acme", role_title="Engineer")
    services.application_create(owner=owner, company_name="ACME", role_title="Lead")

    assert Company.objects.for_user(owner).count() == 1


def test_two_users_each_get_their_own_company_of_the_same_name(owner, stranger):
    mine = services.application_create(owner=owner, company_name="Acme", role_title="Engineer")
    theirs = services.application_create(owner=stranger, company_name="Acme", role_title="Engineer")

    assert mine.company != theirs.company


def test_a_form_sent_twice_creates_one_application(owner):
    token = uuid.uuid4()

    first = services.application_create(
        owner=owner, company_name="Acme", role_title="Engineer", creation_token=token
    )
    second = services.application_create(
        owner=owner, company_name="Acme", role_title="Engineer", creation_token=token
    )

    assert first.pk == second.pk
    assert Application.objects.for_user(owner).count() == 1
    assert StageChange.objects.for_user(owner).count() == 1


def test_a_salary_range_upside_down_is_refused(owner):
    with pytest.raises(ValidationError, match="lowest salary"):
        services.application_create(
            owner=owner, company_name="Acme", role_title="Engineer", salary_min=90_000, salary_max=60_000
        )
    assert not Application.objects.exists()


def test_moving_stage_keeps_the_history_in_order(owner):
    with time_machine.travel(_at(0), tick=False):
        application = services.application_create(owner=owner, company_name="Acme", role_title="Engineer")
    services.application_move_stage(application=application, to_stage=Stage.SCREENING, now=_at(2))
    move = services.application_move_stage(
        application=application, to_stage=Stage.FIRST_INTERVIEW, note="Recruiter called", now=_at(5)
    )

    assert move.moved
    application.refresh_from_db()
    assert application.stage == Stage.FIRST_INTERVIEW
    assert application.stage_changed_at == _at(5)
    steps = list(application.stage_changes.values_list("from_stage", "to_stage", "changed_at", "note"))
    assert steps == [
        ("", Stage.APPLIED, _at(0), ""),
        (Stage.APPLIED, Stage.SCREENING, _at(2), ""),
        (Stage.SCREENING, Stage.FIRST_INTERVIEW, _at(5), "Recruiter called"),
    ]


def test_moving_to_the_stage_it_is_already_in_adds_no_history(owner):
    application = ApplicationFactory(owner=owner, stage=Stage.APPLIED)

    move = services.application_move_stage(application=application, to_stage=Stage.APPLIED)

    assert not move.moved
    assert application.stage_changes.count() == 1


def test_a_stage_that_does_not_exist_is_refused(owner):
    application = ApplicationFactory(owner=owner)

    with pytest.raises(ValidationError):
        services.application_move_stage(application=application, to_stage="hired_on_the_spot")
    assert application.stage_changes.count() == 1


def test_reaching_the_second_round_without_a_round_two_interview_offers_to_schedule_it(owner):
    application = ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)
    InterviewFactory(application=application, round_number=1)

    move = services.application_move_stage(application=application, to_stage=Stage.SECOND_INTERVIEW)

    assert move.round_two_missing


def test_reaching_the_second_round_with_its_interview_booked_asks_nothing(owner):
    application = ApplicationFactory(owner=owner, stage=Stage.FIRST_INTERVIEW)
    InterviewFactory(application=application, round_number=2)

    move = services.application_move_stage(application=application, to_stage=Stage.SECOND_INTERVIEW)

    assert not move.round_two_missing


def test_a_new_interview_is_suggested_the_next_round(owner):
    application = ApplicationFactory(owner=owner)
    InterviewFactory(application=application, round_number=1)
    InterviewFactory(application=application, round_number=2, cancelled_at=NOON)

    interview = services.interview_schedule(application=application, starts_at=_at(3), ends_at=_at(3.05))

    assert interview.round_number == 2  # the cancelled round 2 does not count


def test_an_interview_must_end_after_it_starts(owner):
    application = ApplicationFactory(owner=owner)

    with pytest.raises(ValidationError, match="end after it starts"):
        services.interview_schedule(application=application, starts_at=_at(3), ends_at=_at(3))
    assert not Interview.objects.exists()


def test_an_archived_application_takes_no_new_interview(owner):
    application = ApplicationFactory(owner=owner, archived=True)

    with pytest.raises(ValidationError, match="archived"):
        services.interview_schedule(application=application, starts_at=_at(3), ends_at=_at(3.05))


def test_rescheduling_moves_the_interview_and_tells_calendars(owner):
    interview = InterviewFactory(
        application=ApplicationFactory(owner=owner), starts_at=_at(3), ends_at=_at(3.05)
    )

    services.interview_update(interview=interview, starts_at=_at(4), ends_at=_at(4.05))

    interview.refresh_from_db()
    assert (interview.starts_at, interview.ends_at) == (_at(4), _at(4.05))
    assert interview.sequence == 1


def test_editing_notes_only_is_not_a_reschedule(owner):
    interview = InterviewFactory(
        application=ApplicationFactory(owner=owner), starts_at=_at(3), ends_at=_at(3.05)
    )

    services.interview_update(
        interview=interview, starts_at=_at(3), ends_at=_at(3.05), notes="Bring the portfolio"
    )

    interview.refresh_from_db()
    assert interview.sequence == 0
    assert interview.notes == "Bring the portfolio"


def test_cancelling_keeps_the_interview_in_the_history(owner):
    interview = InterviewFactory(application=ApplicationFactory(owner=owner))

    services.interview_cancel(interview=interview, now=NOON)
    services.interview_cancel(interview=interview, now=_at(1))  # a second click changes nothing

    interview.refresh_from_db()
    assert interview.cancelled_at == NOON
    assert interview.sequence == 1
    with pytest.raises(ValidationError, match="cancelled"):
        services.interview_update(interview=interview, starts_at=_at(5), ends_at=_at(5.05))
