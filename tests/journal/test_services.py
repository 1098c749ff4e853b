import datetime as dt

import pytest

from apps.journal import services
from apps.journal.models import Lesson, Reflection
from tests.journal.factories import LessonFactory, ReflectionFactory
from tests.pipeline.factories import ApplicationFactory, InterviewFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def interview(owner):
    return InterviewFactory(application=ApplicationFactory(owner=owner))


def test_the_first_save_creates_the_reflection_at_version_one(interview):
    reflection = services.reflection_save(
        interview=interview, fields={"account": "Took the 8:10 train."}, base_version=0, now=NOON
    )

    assert (reflection.version, reflection.account, reflection.status) == (1, "Took the 8:10 train.", "draft")
    assert reflection.updated_at == NOON


def test_each_save_moves_the_version_on(interview):
    services.reflection_save(interview=interview, fields={"account": "One"}, base_version=0)
    reflection = services.reflection_save(interview=interview, fields={"account": "One, two"}, base_version=1)

    assert reflection.version == 2
    assert Reflection.objects.get().account == "One, two"


def test_a_save_from_an_older_copy_is_refused_and_the_newer_text_survives(interview):
    services.reflection_save(
        interview=interview, fields={"account": "Phone: the whole story"}, base_version=0
    )

    with pytest.raises(services.ReflectionConflict) as refused:
        services.reflection_save(interview=interview, fields={"account": "Laptop: half"}, base_version=0)

    assert refused.value.current.account == "Phone: the whole story"
    assert Reflection.objects.get().account == "Phone: the whole story"


def test_finishing_a_reflection_marks_it_final_once(interview):
    first = services.reflection_save(interview=interview, fields={}, base_version=0, finalise=True, now=NOON)
    later = services.reflection_save(
        interview=interview,
        fields={"went_well": "More"},
        base_version=1,
        finalise=True,
        now=NOON + dt.timedelta(1),
    )

    assert first.status == later.status == "final"
    assert later.finalised_at == NOON


def test_the_same_lesson_sent_twice_is_kept_once(owner, interview):
    reflection = ReflectionFactory(interview=interview)

    services.lesson_create(owner=owner, reflection=reflection, text="Prepare  three questions")
    services.lesson_create(owner=owner, reflection=reflection, text="Prepare three questions")

    assert Lesson.objects.for_user(owner).count() == 1


def test_practising_a_lesson_records_when_and_reopening_clears_it(owner):
    lesson = LessonFactory(owner=owner)

    services.lesson_set_practised(lesson=lesson, practised=True, now=NOON)
    assert (lesson.status, lesson.practised_at) == (Lesson.Status.PRACTISED, NOON)
    services.lesson_set_practised(lesson=lesson, practised=False)
    assert (lesson.status, lesson.practised_at) == (Lesson.Status.OPEN, None)


def test_a_copy_whose_answer_was_lost_can_save_over_its_own_earlier_save(interview):
    # The phone's save reached the server but the reply was lost in a tunnel:
    # the phone still thinks it is at version 0 and sends everything again.
    services.reflection_save(
        interview=interview, fields={"account": "Part one"}, base_version=0, editor="phone"
    )

    reflection = services.reflection_save(
        interview=interview, fields={"account": "Part one, part two"}, base_version=0, editor="phone"
    )

    assert (reflection.account, reflection.version) == ("Part one, part two", 2)


def test_another_copy_may_not_save_over_it(interview):
    services.reflection_save(interview=interview, fields={"account": "Phone"}, base_version=0, editor="phone")

    with pytest.raises(services.ReflectionConflict):
        services.reflection_save(
            interview=interview, fields={"account": "Laptop"}, base_version=0, editor="laptop"
        )


def test_a_copy_that_merged_with_another_may_not_later_save_over_it_unseen(interview):
    from apps.journal import services

    empty = {"account": "", "went_well": ""}
    services.reflection_save_draft(
        interview=interview, fields={"account": "Tab one", "went_well": ""}, base_fields=empty, editor="one"
    )
    services.reflection_save_draft(
        interview=interview, fields={"account": "Tab two", "went_well": ""}, base_fields=empty, editor="two"
    )  # a conflict: tab one's story is kept

    # Tab two, its answer lost, sends again from its old base: still a conflict, not an overwrite.
    again = services.reflection_save_draft(
        interview=interview, fields={"account": "Tab two!", "went_well": ""}, base_fields=empty, editor="two"
    )

    assert [conflict.name for conflict in again.conflicts] == ["account"]
    assert again.reflection.account == "Tab one"
