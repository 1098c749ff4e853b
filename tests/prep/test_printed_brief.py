"""What the one-page brief prints: a few of each part, the rest counted, the panel by role.

Whether it fits one sheet is checked in Chromium (tests/browser/test_brief_print.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.contacts import services as contacts
from apps.journal import services as journal
from apps.prep import selectors, services
from tests.contacts.factories import ContactFactory
from tests.journal.factories import LessonFactory
from tests.pipeline.factories import ApplicationFactory, InterviewFactory
from tests.prep.factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(owner):
    """Round two's plan, after a round one reflected on."""
    application = ApplicationFactory(owner=owner)
    last_week = timezone.now() - dt.timedelta(days=7)
    first = InterviewFactory(
        application=application, starts_at=last_week, ends_at=last_week + dt.timedelta(hours=1)
    )
    journal.reflection_save(
        interview=first,
        base_version=0,
        fields={
            "went_well": "The whiteboard design\n- Calm on the salary question\n\n",
            "to_improve": "Shorter answers",
            "questions_asked": "Why this team?\nHow do you test?\nWhat went wrong last year?\nWhy now?",
        },
    )
    second = InterviewFactory(application=application, round_number=2)
    return services.plan_for(interview=second)


def test_each_part_prints_a_few_and_counts_the_rest(owner, plan):
    for n in range(7):
        services.plan_add_question(plan=plan, text=f"Question {n}?")
        services.plan_add_research(plan=plan, topic="news", note=f"News {n}")
        services.plan_add_story(plan=plan, story=StoryFactory(owner=owner))
        LessonFactory(owner=owner)

    printed = selectors.printed_brief(user=owner, plan=plan)

    limits = selectors.PRINT_LIMITS
    assert [q.text for q in printed.questions.items] == [f"Question {n}?" for n in range(limits["questions"])]
    for part in ("questions", "research", "stories", "lessons"):
        shown = getattr(printed, part)
        assert (len(shown.items), shown.more) == (limits[part], 7 - limits[part]), part


def test_round_one_comes_back_line_by_line(owner, plan):
    printed = selectors.printed_brief(user=owner, plan=plan)

    assert printed.earlier_rounds == [1]
    assert printed.went_well.items == ["The whiteboard design", "Calm on the salary question"]
    assert printed.to_improve.items == ["Shorter answers"]
    assert printed.questions_asked.items == [
        "Why this team?",
        "How do you test?",
        "What went wrong last year?",
    ]
    assert printed.questions_asked.more == 1


def test_the_panel_prints_by_role_deciders_first_with_each_persons_note(owner, plan):
    people = {}
    for name, kind in (("Cleo", "colleague"), ("Hana", "hiring_manager"), ("Cai", "colleague")):
        contact = ContactFactory(owner=owner, name=name, kind=kind)
        people[name] = contacts.interview_add_participant(interview=plan.interview, contact=contact)
    services.plan_update(plan=plan, panel_notes={str(people["Cai"].pk): "Wrote the routing engine"})

    panel = selectors.printed_brief(user=owner, plan=plan).panel

    assert [(group.role, [p.name for p in group.people]) for group in panel.groups] == [
        ("Hiring manager", ["Hana"]),
        ("Potential colleague", ["Cleo", "Cai"]),
    ]
    assert panel.groups[1].people[1].note == "Wrote the routing engine"
    assert (panel.people, panel.more) == (3, 0)


def test_the_printed_page_has_the_recap_the_research_and_what_was_left_out(visitors, owner, plan):
    services.plan_add_research(plan=plan, topic="competitors", note="Two rivals, both bigger")
    for n in range(6):
        services.plan_add_question(plan=plan, text=f"Question {n}?")

    page = visitors.owner.get(reverse("prep:print", args=[plan.interview.pk])).content.decode()

    assert "Last time (round 1)" in page
    assert "The whiteboard design" in page
    assert "What went wrong last year?" in page
    assert "Two rivals, both bigger" in page
    assert "+2 more in the app" in page
