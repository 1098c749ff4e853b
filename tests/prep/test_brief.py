import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services as contacts
from apps.journal import services as journal
from apps.prep import guide, selectors, services
from apps.prep.models import PlanFormat, PlanStory
from tests.contacts.factories import ContactFactory
from tests.helpers import assert_only_owner_can_open
from tests.journal.factories import LessonFactory
from tests.pipeline.factories import ApplicationFactory, InterviewFactory
from tests.prep.factories import PrepPlanFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(owner):
    """Round one (last week, reflected on) and round two (next week) of one application."""
    application = ApplicationFactory(
        owner=owner, role_title="Platform Lead", notes="Lead a team through change"
    )
    last_week = timezone.now() - dt.timedelta(days=7)
    first = InterviewFactory(
        application=application,
        round_number=1,
        starts_at=last_week,
        ends_at=last_week + dt.timedelta(hours=1),
    )
    next_week = timezone.now() + dt.timedelta(days=7)
    second = InterviewFactory(
        application=application,
        round_number=2,
        starts_at=next_week,
        ends_at=next_week + dt.timedelta(hours=2),
    )
    return first, second


def test_the_recap_brings_back_round_one(owner, rounds):
    first, second = rounds
    journal.reflection_save(
        interview=first,
        base_version=0,
        fields={
            "went_well": "The architecture whiteboard",
            "to_improve": "Shorter answers",
            "questions_asked": (
                "How do you handle conflict in your team?\n"
                "Why us?\n"
                "Tell me about a conflict with someone in the team"
            ),
        },
    )
    recruiter = ContactFactory(owner=owner)
    contacts.interaction_log(
        owner=owner,
        contact=recruiter,
        application=first.application,
        summary="Call",
        feedback="They want more on people leadership",
    )
    LessonFactory(owner=owner, text="Answer in two minutes")

    recap = selectors.recap(interview=second)

    assert [r.went_well for r in recap.reflections] == ["The architecture whiteboard"]
    assert [i.feedback for i in recap.feedback] == ["They want more on people leadership"]
    assert [lesson.text for lesson in recap.lessons] == ["Answer in two minutes"]
    assert recap.doubts == [
        ["How do you handle conflict in your team?", "Tell me about a conflict with someone in the team"]
    ]


def test_the_recap_of_a_first_interview_is_empty_and_says_so(visitors, rounds):
    first, _ = rounds
    recap = selectors.recap(interview=first)

    page = visitors.owner.get(reverse("prep:brief", args=[first.pk])).content.decode()

    assert recap.is_empty
    assert "Nothing recorded from earlier rounds yet" in page


def test_retelling_a_story_to_someone_who_heard_it_is_flagged(owner, rounds):
    first, second = rounds
    story = StoryFactory(owner=owner, title="The migration weekend")
    priya = ContactFactory(owner=owner, name="Priya", kind="hiring_manager")
    contacts.interview_add_participant(interview=first, contact=priya)
    contacts.interview_add_participant(interview=second, contact=priya)
    services.plan_add_story(plan=services.plan_for(interview=first), story=story)
    plan = services.plan_for(interview=second)

    services.plan_add_story(plan=plan, story=story)
    warnings = selectors.retold_stories(plan=plan)

    assert [(w.story.title, w.heard_by, w.earlier.round_number) for w in warnings] == [
        ("The migration weekend", ["Priya"], 1)
    ]


def test_a_story_told_to_other_people_is_not_flagged(owner, rounds):
    first, second = rounds
    story = StoryFactory(owner=owner)
    contacts.interview_add_participant(interview=first, contact=ContactFactory(owner=owner, name="Priya"))
    contacts.interview_add_participant(interview=second, contact=ContactFactory(owner=owner, name="Omar"))
    services.plan_add_story(plan=services.plan_for(interview=first), story=story)
    plan = services.plan_for(interview=second)
    services.plan_add_story(plan=plan, story=story)

    assert selectors.retold_stories(plan=plan) == []


def test_a_story_chosen_twice_is_linked_once(owner, rounds):
    plan = services.plan_for(interview=rounds[1])
    story = StoryFactory(owner=owner)

    services.plan_add_story(plan=plan, story=story)
    services.plan_add_story(plan=plan, story=story)

    assert PlanStory.objects.filter(plan=plan).count() == 1


def test_stories_are_suggested_from_the_jobs_own_words(owner, rounds):
    plan = services.plan_for(interview=rounds[1])  # "Lead a team through change"
    leading = StoryFactory(owner=owner, title="Led the platform team", competencies=["leadership"])
    StoryFactory(owner=owner, title="Angry customer", competencies=["customer"])

    assert selectors.suggested_stories(plan=plan) == [leading]
    assert {"leadership", "change", "teamwork"} <= set(selectors.suggested_competencies(plan=plan))


def test_readiness_is_the_mean_of_the_checklists(owner, rounds):
    plan = services.plan_for(interview=rounds[1])
    assert selectors.readiness(plan=plan).percent == 0

    services.plan_update(plan=plan, recruiter_checks=[c.key for c in guide.ASK_THE_RECRUITER])  # 1
    services.plan_update(plan=plan, areas={"interest": {"ready": True}, "skills": {"ready": True}})  # 0.4
    for n in range(3):
        services.plan_add_question(plan=plan, text=f"Question {n}")  # 1
    services.plan_add_story(plan=plan, story=StoryFactory(owner=owner))  # 1/3
    services.plan_add_research(plan=plan, topic="news", note="Raised a series B")  # 1/2

    expected = round(100 * (1 + 0.4 + 1 / 3 + 1 + 0.5) / 5)
    assert selectors.readiness(plan=plan).percent == expected == 65

    services.plan_update(plan=plan, format=PlanFormat.PRESENTATION)
    assert selectors.readiness(plan=plan).percent == round(100 * (1 + 0.4 + 1 / 3 + 1 + 0.5 + 0) / 6)


def test_readiness_for_many_interviews_takes_one_query(owner, rounds, django_assert_num_queries):
    plans = [PrepPlanFactory(interview__application__owner=owner) for _ in range(5)]
    ids = [plan.interview_id for plan in plans]

    with django_assert_num_queries(1):
        readiness = selectors.readiness_for_interviews(ids)

    assert set(readiness) == set(ids)


@pytest.mark.parametrize("name", ["prep:brief", "prep:print"])
def test_the_brief_opens_only_for_its_owner(visitors, rounds, name):
    assert_only_owner_can_open(visitors, reverse(name, args=[rounds[1].pk]))


def test_a_stranger_cannot_write_to_someone_elses_brief(visitors, rounds):
    response = visitors.stranger.post(
        reverse("prep:part", args=[rounds[1].pk, "questions"]), {"text": "Sneaky"}
    )

    assert response.status_code == 404


def test_someone_elses_story_cannot_be_chosen(visitors, rounds):
    theirs = StoryFactory(owner=visitors.stranger_user)

    response = visitors.owner.post(reverse("prep:part", args=[rounds[1].pk, "stories"]), {"story": theirs.pk})

    assert response.status_code == 400
    assert not PlanStory.objects.exists()


def test_filling_the_brief_section_by_section(visitors, rounds):
    url = lambda part: reverse("prep:part", args=[rounds[1].pk, part])  # noqa: E731
    visitors.owner.post(
        url("format"), {"format": "panel", "people_count": "3", "recruiter_checks": ["format", "who"]}
    )
    visitors.owner.post(
        url("areas"),
        {
            "interest_notes": "Their mission is mine",
            "interest_ready": "on",
            "availability": "One month's notice",
            "salary_expectation": "70-80k",
        },
    )
    visitors.owner.post(url("questions"), {"text": "What does success look like after six months?"})

    plan = services.plan_for(interview=rounds[1])
    assert (plan.format, plan.people_count, plan.recruiter_checks) == ("panel", 3, ["format", "who"])
    assert plan.area("interest") == {"notes": "Their mission is mine", "ready": True}
    printed = visitors.owner.get(reverse("prep:print", args=[rounds[1].pk])).content.decode()
    assert "What does success look like after six months?" in printed
    assert "One month&#x27;s notice" in printed
    assert "Panel" in printed


def test_bad_input_in_one_section_is_explained_and_kept(visitors, rounds):
    response = visitors.owner.post(
        reverse("prep:part", args=[rounds[1].pk, "format"]),
        {"format": "interpretive_dance", "people_count": "2"},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_an_empty_brief_prints_with_helpful_empty_states(visitors, rounds):
    page = visitors.owner.get(reverse("prep:print", args=[rounds[1].pk])).content.decode()

    assert "ask the recruiter who you will meet" in page
    assert "have three ready" in page


def test_the_interview_shows_how_ready_you_are(visitors, rounds):
    plan = services.plan_for(interview=rounds[1])
    services.plan_update(plan=plan, recruiter_checks=[c.key for c in guide.ASK_THE_RECRUITER])

    page = visitors.owner.get(
        reverse("pipeline:application_detail", args=[rounds[1].application_id])
    ).content.decode()

    assert "Prepare (20% ready)" in page


def test_a_part_of_the_brief_that_does_not_exist_is_not_found(visitors, rounds):
    response = visitors.owner.post(reverse("prep:part", args=[rounds[1].pk, "not-a-part"]), {"text": "x"})

    assert response.status_code == 404
