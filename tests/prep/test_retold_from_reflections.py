"""The re-telling warning knows stories noted as told in earlier reflections, not only earlier plans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services as contacts
from apps.journal import services as journal
from apps.journal.models import Reflection
from apps.prep import selectors, services
from tests.contacts.factories import ContactFactory
from tests.pipeline.factories import ApplicationFactory, InterviewFactory
from tests.prep.factories import StoryFactory

pytestmark = pytest.mark.django_db


def _round(application, number: int, days: int):
    starts = timezone.now() + dt.timedelta(days=days)
    return InterviewFactory(
        application=application, round_number=number, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )


@pytest.fixture
def people(owner):
    return {
        name: ContactFactory(owner=owner, name=name, kind="interviewer") for name in ("Priya", "Omar", "Lena")
    }


@pytest.fixture
def rounds(owner, people):
    """Round one last week with Priya and Omar; round two next week with Priya and Omar again."""
    application = ApplicationFactory(owner=owner)
    first, second = _round(application, 1, -7), _round(application, 2, 7)
    for interview in (first, second):
        for name in ("Priya", "Omar"):
            contacts.interview_add_participant(interview=interview, contact=people[name])
    return first, second


def _note_told(interview, story, *names: str) -> None:
    """Record in the interview's reflection that `story` was told to these people there."""
    heard = [person.pk for person in interview.participants.all() if person.name in names]
    reflection = Reflection.objects.filter(interview=interview).first()
    journal.reflection_save(
        interview=interview,
        fields={},
        base_version=reflection.version if reflection else 0,
        told={**(reflection.stories_told() if reflection else {}), story.pk: heard},
    )


def _warnings(plan) -> list[tuple[str, list[str], int]]:
    return [(w.story.title, w.heard_by, w.earlier.round_number) for w in selectors.retold_stories(plan=plan)]


def test_a_story_noted_as_told_in_a_reflection_warns_without_being_on_that_rounds_plan(owner, rounds):
    first, second = rounds
    story = StoryFactory(owner=owner, title="The migration weekend")
    _note_told(first, story, "Priya", "Omar")
    plan = services.plan_for(interview=second)

    services.plan_add_story(plan=plan, story=story)

    assert _warnings(plan) == [("The migration weekend", ["Priya", "Omar"], 1)]


def test_the_brief_says_who_heard_it_from_the_reflection(visitors, rounds):
    first, second = rounds
    story = StoryFactory(owner=visitors.owner_user, title="The migration weekend")
    _note_told(first, story, "Omar")
    services.plan_add_story(plan=services.plan_for(interview=second), story=story)

    page = visitors.owner.get(reverse("prep:brief", args=[second.pk])).content.decode()

    assert "“The migration weekend” was already told to Omar in round 1." in page


def test_a_story_both_planned_and_noted_as_told_warns_once(owner, rounds):
    first, second = rounds
    story = StoryFactory(owner=owner, title="The migration weekend")
    services.plan_add_story(plan=services.plan_for(interview=first), story=story)
    _note_told(first, story, "Priya", "Omar")
    plan = services.plan_for(interview=second)

    services.plan_add_story(plan=plan, story=story)

    assert _warnings(plan) == [("The migration weekend", ["Priya", "Omar"], 1)]


def test_only_the_people_who_were_told_count(owner, rounds):
    first, second = rounds
    told_omar = StoryFactory(owner=owner, title="Told to Omar only")
    planned_told_omar = StoryFactory(owner=owner, title="Planned, then told to Omar only")
    services.plan_add_story(plan=services.plan_for(interview=first), story=planned_told_omar)
    _note_told(first, told_omar, "Omar")
    _note_told(first, planned_told_omar, "Omar")
    plan = services.plan_for(interview=second)
    for story in (told_omar, planned_told_omar):
        services.plan_add_story(plan=plan, story=story)

    # The reflection says what happened: Priya, on both panels, heard neither.
    assert _warnings(plan) == [
        ("Planned, then told to Omar only", ["Omar"], 1),
        ("Told to Omar only", ["Omar"], 1),
    ]
    contacts.interview_remove_participant(participant=second.participants.get(name="Omar"))
    assert _warnings(plan) == []


def test_stories_told_in_a_later_or_cancelled_round_or_by_someone_else_do_not_count(
    owner, stranger, people, rounds
):
    first, second = rounds
    story = StoryFactory(owner=owner, title="The migration weekend")
    called_off = _round(first.application, 1, -10)
    contacts.interview_add_participant(interview=called_off, contact=people["Priya"])
    _note_told(called_off, story, "Priya")
    called_off.cancelled_at = timezone.now()
    called_off.save()
    later = _round(first.application, 3, 20)
    contacts.interview_add_participant(interview=later, contact=people["Priya"])
    _note_told(later, story, "Priya")
    plan = services.plan_for(interview=second)

    services.plan_add_story(plan=plan, story=story)

    assert _warnings(plan) == []


def _queries(plan) -> int:
    with CaptureQueriesContext(connection) as captured:
        selectors.retold_stories(plan=plan)
    return len(captured)


def test_the_warning_costs_the_same_queries_whatever_the_history(owner, people, rounds):
    first, second = rounds
    story = StoryFactory(owner=owner, title="The migration weekend")
    plan = services.plan_for(interview=second)
    services.plan_add_story(plan=plan, story=story)
    _note_told(first, story, "Priya")
    services.plan_add_story(plan=services.plan_for(interview=first), story=story)
    small = _queries(plan)
    assert _warnings(plan) == [("The migration weekend", ["Priya"], 1)]

    for number in range(8):
        application = ApplicationFactory(owner=owner)
        earlier = _round(application, 1, -30 - number)
        for name in ("Priya", "Lena"):
            contacts.interview_add_participant(interview=earlier, contact=people[name])
        other = StoryFactory(owner=owner)
        services.plan_add_story(plan=plan, story=other)
        _note_told(earlier, other, "Priya", "Lena")
        _note_told(earlier, story, "Lena")
        services.plan_add_story(plan=services.plan_for(interview=earlier), story=other)

    assert len(selectors.retold_stories(plan=plan)) == 9
    assert _queries(plan) == small
